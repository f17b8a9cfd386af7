"""No leaks through the real HTTP API: requests go through Frappe's WSGI application — routing,
token authentication, `override_whitelisted_methods`, the request's commit or rollback — as a client's
would, in a thread of its own with its own database connection (as Frappe's own API tests do).

Such a request sees only committed data: the records and users of tests/permission_world.py are
committed (once for the run, `shared_world`; the users' API keys for this module, deleted again after
it).
"""

import json
from unittest.mock import patch
from urllib.parse import quote, urlencode

import frappe
import pytest
from frappe.tests.test_api import ThreadWithReturnValue
from frappe.utils import get_test_client
from frappe.utils.nestedset import rebuild_tree
from permission_world import hidden_units, names, seen_units, shared_world

from community_consultation.tests.users import api_token

TRACKED = (
	"Community Unit",
	"Stakeholder",
	"Consultation Topic",
	"Consultation Session",
	"Consultation Outcome",
	"Supervision Remark",
	"Consultation Notice Log",
	"User",
	"User Permission",
	"Version",
	"Comment",
	"Notification Log",
	"Access Log",
	"Activity Log",
	"Error Log",
)
CHILD_TABLES = (
	"Consultation Participant",
	"Consultation Topic Stakeholder",
	"Session Notice Channel",
	"Consultation Material",
	"Outcome Notice",
	"Implementation Update",
	"Has Role",
)


@pytest.fixture(scope="module")
def http_world():
	frappe.set_user("Administrator")
	frappe.db.rollback()
	world = shared_world()  # committed already, removed at the end of the run
	before = {dt: set(frappe.get_all(dt, pluck="name")) for dt in TRACKED}
	try:
		world.tokens = {key: api_token(user) for key, user in world.users.items()}
		frappe.db.commit()
		yield world
	finally:
		frappe.db.rollback()
		created = {dt: set(frappe.get_all(dt, pluck="name")) - before[dt] for dt in TRACKED}
		parents = set().union(*created.values())
		for child in CHILD_TABLES:
			if parents:
				frappe.db.delete(child, {"parent": ("in", list(parents))})
		for doctype, new in created.items():
			if new:
				frappe.db.delete(doctype, {"name": ("in", list(new))})
		rebuild_tree("Community Unit")
		frappe.db.commit()
		frappe.clear_cache()


class Client:
	"""Requests to the site as one of the world's users, through Frappe's WSGI application."""

	test_client = get_test_client()

	def __init__(self, token: str):
		self.headers = {"Authorization": token}
		self.site = frappe.local.site

	def request(self, method: str, path: str, **kwargs):
		def run():
			with patch("frappe.app.get_site_name", return_value=self.site):
				return getattr(self.test_client, method)(path, headers=self.headers, **kwargs)

		thread = ThreadWithReturnValue(target=run, site=self.site)
		thread.start()
		return thread.join()

	def get(self, path, params=None):
		return self.request("get", path + ("?" + urlencode(params) if params else ""))

	def method(self, cmd, http="get", **params):
		if http == "get":
			return self.get(
				f"/api/method/{cmd}",
				{k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()},
			)
		return self.request(http, f"/api/method/{cmd}", json=params)


def resource(doctype, name=None):
	return f"/api/resource/{quote(doctype)}" + (f"/{quote(name)}" if name else "")


@pytest.fixture(params=["clerk", "township"])
def user(request, http_world):
	return frappe._dict(key=request.param, client=Client(http_world.tokens[request.param]), world=http_world)


def hidden(user, doctype):
	return names(user.world, doctype, hidden_units(user.key))


def visible(user, doctype):
	return names(user.world, doctype, seen_units(user.key))


@pytest.mark.parametrize(
	"doctype", ["Consultation Topic", "Consultation Session", "Consultation Outcome", "Stakeholder"]
)
def test_api_resource_lists_only_own_units(user, doctype):
	response = user.client.get(resource(doctype), {"limit_page_length": 0})
	assert response.status_code == 200
	got = {row["name"] for row in response.json["data"]}
	assert not got & hidden(user, doctype)
	assert visible(user, doctype) <= got


@pytest.mark.parametrize("doctype", ["Consultation Topic", "Consultation Session", "Consultation Outcome"])
def test_api_resource_refuses_another_units_record(user, doctype):
	for name in hidden(user, doctype):
		assert user.client.get(resource(doctype, name)).status_code in (403, 404)
		pdf = user.client.get(
			"/api/method/frappe.utils.print_format.download_pdf", {"doctype": doctype, "name": name}
		)
		assert pdf.status_code in (403, 404)
	name = sorted(visible(user, doctype))[0]
	assert user.client.get(resource(doctype, name)).json["data"]["name"] == name


def test_counts_search_and_titles_over_http(user):
	own = len(visible(user, "Consultation Topic"))
	count = user.client.method("frappe.client.get_count", doctype="Consultation Topic")
	assert count.json["message"] == own
	for ignore in ("0", "1"):
		found = user.client.method(
			"frappe.desk.search.search_link",
			doctype="Consultation Topic",
			txt="",
			page_length="100",
			ignore_user_permissions=ignore,
		)
		got = {r["value"] for r in found.json["message"]}
		assert not got & hidden(user, "Consultation Topic")
	for key in hidden_units(user.key):
		topic = user.world.records[key].topic
		title = user.client.method(
			"frappe.desk.search.get_link_title", doctype="Consultation Topic", docname=topic
		)
		assert title.json["message"] == topic


def test_child_rows_of_another_unit_cannot_be_read_or_changed_over_http(user):
	key = sorted(hidden_units(user.key))[0]
	session = user.world.records[key].draft_session
	row = frappe.get_all("Consultation Participant", {"parent": session}, ["name", "notified_via"])[0]
	assert user.client.get(resource("Consultation Participant", row.name)).status_code in (403, 404)
	put = user.client.request(
		"put", resource("Consultation Participant", row.name), json={"notified_via": "改", "attended": 0}
	)
	assert put.status_code in (403, 404)
	frappe.db.rollback()
	assert frappe.db.get_value("Consultation Participant", row.name, "notified_via") == row.notified_via
	listed = user.client.method(
		"frappe.client.get_list",
		doctype="Consultation Participant",
		parent="Consultation Session",
		fields=["parent"],
		limit_page_length="0",
	)
	assert not {r["parent"] for r in listed.json["message"]} & hidden(user, "Consultation Session")


def test_writes_into_another_unit_are_refused_over_http(user):
	for key in hidden_units(user.key):
		rec = user.world.records[key]
		created = user.client.request(
			"post",
			resource("Consultation Topic"),
			json={
				"title": "越权议题",
				"community_unit": rec.unit,
				"category": "法律法规和政策规定要求协商的事项",
			},
		)
		assert created.status_code == 403
		changed = user.client.request(
			"put", resource("Consultation Topic", rec.draft_topic), json={"title": "改"}
		)
		assert changed.status_code == 403
		method = user.client.method(
			"run_doc_method",
			http="post",
			dt="Consultation Topic",
			dn=rec.draft_topic,
			method="reject",
			args='{"reason": "x"}',
		)
		assert method.status_code in (403, 404)
	own = user.world.records[sorted(seen_units(user.key))[0]]
	target = user.world.records[sorted(hidden_units(user.key))[0]]
	moved = user.client.request(
		"put", resource("Consultation Topic", own.draft_topic), json={"community_unit": target.unit}
	)
	assert moved.status_code == 403
	frappe.db.rollback()
	assert frappe.db.get_value("Consultation Topic", own.draft_topic, "community_unit") == own.unit
	assert frappe.db.get_value("Consultation Topic", target.draft_topic, "title") == target.title.replace(
		"路灯维修", "垃圾收集"
	)
