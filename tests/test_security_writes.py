"""Hostile writes over HTTP: no one writes into another village, and nothing fails open.

Every attack goes through Frappe's WSGI application (`community_consultation.tests.http.Client`) as the
user who would try it: a clerk of another village, a township officer of another township, a resident,
a guest. Each test fails if the attack comes back (a 2xx, or a record changed in the database).

The child DocTypes and the ways of writing a row are enumerated from metadata: every child DocType of the
app × every write path Frappe offers (`/api/resource/<child>` POST/PUT/DELETE, `frappe.client.insert /
set_value / save / delete`, the desk's `savedocs`, `run_doc_method`, the parent saved with another
parent's row), tried on a record of another county by a user whose role may write that record's DocType.

The records are committed once for the module (requests see only committed data) and removed after it.
"""

import json
from urllib.parse import quote

import frappe
import pytest
from frappe.utils import add_days, now_datetime, nowdate

from community_consultation.tests.factory import (
	make_outcome,
	make_people,
	make_session,
	make_topic,
	make_unit_tree,
)
from community_consultation.tests.http import Client, api_token, resource
from community_consultation.tests.meetings import make_basis, make_household, make_meeting, villagers
from community_consultation.tests.shared import committed_records
from community_consultation.tests.township_factory import (
	make_assignment,
	make_inspection,
	make_plan,
	make_referral,
)
from community_consultation.tests.users import make_user

APP_UNIT_ROLES = (
	"Township Officer",
	"Community Secretary",
	"Committee Clerk",
	"Building Head",
	"Supervision Committee Member",
)


def app_child_doctypes() -> list[str]:
	"""Every child DocType of the app, from its modules."""
	modules = frappe.get_module_list("community_consultation")
	return sorted(frappe.get_all("DocType", filters={"istable": 1, "module": ("in", modules)}, pluck="name"))


def tables_of(child: str) -> list[tuple[str, str]]:
	"""(parent DocType, table field) pairs that hold rows of `child`."""
	return [
		(df.parent, df.fieldname)
		for df in frappe.get_all(
			"DocField",
			filters={"options": child, "fieldtype": ("in", frappe.model.table_fields)},
			fields=["parent", "fieldname"],
		)
		if not frappe.get_meta(df.parent).istable
	]


# --------------------------------------------------------------------------------------------- world


def build_side(prefix: str) -> frappe._dict:
	"""One county's records: a draft and a concluded session, a filed outcome, a draft meeting with its
	basis, a township assignment, a submitted inspection, a plan, a draft annual return."""
	units = make_unit_tree(prefix)
	people = make_people(units.village_a, 4, prefix=f"{prefix}居民")
	topic = make_topic(units.village_a, stakeholders=people, title=f"{prefix}路灯维修")
	session = make_session(topic, people)
	outcome = make_outcome(session, progress=[{"percent_complete": 30, "note": "已开工"}])
	draft_topic = make_topic(units.village_a, stakeholders=people, title=f"{prefix}垃圾收集")
	draft_session = make_session(draft_topic, people, conclude=False)
	basis = make_basis(units.village_a, representatives=2)
	meeting = make_meeting(units.village_a, topics=[draft_topic], attendance=villagers(5), submit=False)
	household = make_household(units.village_a)
	assignment = make_assignment(units.township, [units.village_a, units.village_b])
	inspection = make_inspection(units.village_a)
	plan = make_plan(units.village_a)
	referral = make_referral(make_topic(units.village_a, stakeholders=people, title=f"{prefix}两村水渠"))
	notice = frappe.get_doc(
		{
			"doctype": "Consultation Notice Log",
			"notice_type": "Outcome Filed",
			"reference_doctype": "Consultation Outcome",
			"reference_name": outcome.name,
			"community_unit": units.village_a,
			"stakeholder": people[0],
			"sent_on": now_datetime(),
			"deliveries": [{"channel": "SMS", "status": "Sent", "attempts": 1}],
		}
	).insert(ignore_permissions=True)
	annual = frappe.get_doc(
		{
			"doctype": "Consultation Annual Return",
			"county": units.county,
			"year": 2001,
			"work_summary": "<p>全县各镇村按工作方案开展协商。</p>",
		}
	).insert()
	records = {
		"Consultation Topic": [topic.name],
		"Consultation Session": [draft_session.name, session.name],
		"Consultation Outcome": [outcome.name],
		"Community Meeting": [meeting.name],
		"Meeting Basis": [basis.name],
		"Village Household": [household.name],
		"Township Assignment": [assignment.name],
		"Consultation Inspection": [inspection.name],
		"Consultation Plan": [plan.name],
		"Consultation Annual Return": [annual.name],
		"Township Referral": [referral.name],
		"Consultation Notice Log": [notice.name],
		"Stakeholder": [people[0]],
	}
	# the settings with tables (Single: the record is named after its DocType), the same for both sides
	for single in frappe.get_all(
		"DocType",
		filters={"issingle": 1, "module": ("in", frappe.get_module_list("community_consultation"))},
		pluck="name",
	):
		if frappe.get_meta(single).get_table_fields():
			records[single] = [single]
	for parent, names in records.items():
		for name in names:
			if frappe.get_meta(parent).get_table_fields():
				ensure_rows(parent, name)
	return frappe._dict(units=units, people=people, records=records)


def ensure_rows(parent: str, name: str):
	"""Every table of the record holds a row (written directly: the attacks need a row to aim at)."""
	doc = frappe.get_doc(parent, name)
	for df in doc.meta.get_table_fields():
		if doc.get(df.fieldname):
			continue
		row = frappe.new_doc(df.options, parent_doc=doc, parentfield=df.fieldname)
		row.update(
			{
				"parent": name,
				"parenttype": parent,
				"parentfield": df.fieldname,
				"idx": 1,
				"docstatus": doc.docstatus,
				**sample_values(df.options),
			}
		)
		row.db_insert()


def sample_values(child: str) -> dict:
	"""A value for each mandatory field of `child` (an existing record for a Link)."""
	values = {}
	for df in frappe.get_meta(child).fields:
		if not df.reqd:
			continue
		if df.fieldtype == "Link":
			values[df.fieldname] = frappe.db.get_value(df.options, {}, "name")
		elif df.fieldtype == "Select":
			values[df.fieldname] = (df.options or "").split("\n")[0] or (df.options or "\n").split("\n")[1]
		elif df.fieldtype in ("Date", "Datetime"):
			values[df.fieldname] = nowdate()
		elif df.fieldtype in ("Int", "Float", "Percent", "Currency", "Check"):
			values[df.fieldname] = 1
		else:
			values[df.fieldname] = "样本"
	return values


@pytest.fixture(scope="module")
def world():
	with committed_records():
		world = frappe._dict(own=build_side("写甲"), target=build_side("写乙"), users={}, tokens={})
		world.attackers = {
			parent: make_attacker(world, parent)
			for parent in world.target.records
			if frappe.get_meta(parent).get_table_fields()
		}
		world.clerk = make_user("w-own-clerk@example.com", ["Committee Clerk"], [world.own.units.village_a])
		world.clerk_token = api_token(world.clerk)
		world.admin_token = api_token("Administrator")
		world.resident = make_user("w-resident@example.com", ["Resident"], user_type="Website User")
		world.resident_token = api_token(world.resident)
		# a township officer whom no administrator has given a unit yet
		world.unitless = make_user("w-unitless@example.com", ["Township Officer"])
		world.unitless_token = api_token(world.unitless)
		frappe.db.commit()
		yield world


def make_attacker(world, parent: str) -> str:
	"""A user of the own county whose role may write `parent` (else any unit role that reads it), limited
	to the own unit their role works in: a township officer to the own township (to the county for a
	county's record), anyone else to the own unit of the level of the target record's unit."""
	roles = [
		p.role
		for p in frappe.get_meta(parent).permissions
		if p.role in APP_UNIT_ROLES and p.permlevel == 0 and p.write
	] or [p.role for p in frappe.get_meta(parent).permissions if p.role in APP_UNIT_ROLES]
	# settings only administrators keep: a village's clerk tries them
	role = roles[0] if roles else "Committee Clerk"
	field = unit_field_of(parent)
	target_unit = (
		frappe.db.get_value(parent, world.target.records[parent][0], field)
		if field
		else world.target.units.village_a
	)
	level = frappe.db.get_value("Community Unit", target_unit, "unit_type")
	own_unit = next(
		u for u in world.own.units.values() if frappe.db.get_value("Community Unit", u, "unit_type") == level
	)
	if role == "Township Officer" and level != "County":
		own_unit = world.own.units.township
	key = (role, own_unit)
	if key not in world.users:
		email = f"w-{len(world.users)}-{frappe.scrub(role)}@example.com"
		world.users[key] = make_user(email, [role], [own_unit])
		world.tokens[key] = api_token(world.users[key])
	return world.tokens[key]


def unit_field_of(doctype: str) -> str | None:
	from community_consultation.units.tree import unit_field

	return unit_field(doctype)


# ----------------------------------------------------------------------------------------- the paths


def table_state(parent: str, name: str, fieldname: str) -> list:
	"""The rows of the table as stored, read afresh."""
	frappe.db.rollback()
	child = frappe.get_meta(parent).get_field(fieldname).options
	return frappe.db.sql(
		f"select * from `tab{child}` where parent = %s and parenttype = %s and parentfield = %s order by name",
		(name, parent, fieldname),
		as_dict=True,
	)


def changed_field(child: str) -> tuple[str, object]:
	"""A field a clerk edits in a row, and a value to set it to."""
	meta = frappe.get_meta(child)
	for df in meta.fields:
		if df.read_only or df.hidden or df.is_virtual:
			continue
		if df.fieldtype in ("Data", "Small Text", "Text", "Long Text"):
			return df.fieldname, "越权修改"
	for df in meta.fields:
		if not df.read_only and df.fieldtype in ("Int", "Check", "Percent", "Float"):
			return df.fieldname, 90
	# a table the procedure fills (the annual return's figures): the payload sends a figure all the same
	for df in meta.fields:
		if df.fieldtype in ("Int", "Float", "Percent") and not df.is_virtual:
			return df.fieldname, 90
	for df in meta.fields:
		if df.fieldtype == "Date" and not df.is_virtual:
			return df.fieldname, "2001-01-01"
	for df in meta.fields:
		if df.fieldtype == "Select" and not df.is_virtual:
			return df.fieldname, (df.options or "").split("\n")[-1]
		if df.fieldtype == "Link" and not df.is_virtual:
			return df.fieldname, frappe.get_all(df.options, pluck="name", order_by="creation desc", limit=1)[
				0
			]
	raise AssertionError(f"{child} has no field to change")


def row_payload(row: dict) -> dict:
	skip = {*frappe.model.default_fields, *frappe.model.child_table_fields, "doctype"}
	return plain({k: v for k, v in row.items() if k not in skip and not k.startswith("_")})


def plain(value):
	"""`value` as a JSON body carries it (dates as text)."""
	return json.loads(json.dumps(value, default=str))


def attack(path: str, client: Client, parent: str, name: str, fieldname: str, own_name: str | None):
	"""Try to write a row of `parent` `name`'s table `fieldname` by `path`; returns the response."""
	child = frappe.get_meta(parent).get_field(fieldname).options
	rows = table_state(parent, name, fieldname)
	row = rows[0]
	address = {"parent": name, "parenttype": parent, "parentfield": fieldname}
	field, value = changed_field(child)
	if path == "rest_insert":
		return client.request("post", resource(child), json={**row_payload(row), **address})
	if path == "rest_update":
		return client.request("put", resource(child, row.name), json={field: value})
	if path == "rest_delete":
		return client.request("delete", resource(child, row.name))
	if path == "client_insert":
		doc = {"doctype": child, **row_payload(row), **address}
		return client.method("frappe.client.insert", http="post", doc=json.dumps(doc, default=str))
	if path == "client_set_value":
		return client.method(
			"frappe.client.set_value", http="post", doctype=child, name=row.name, fieldname=field, value=value
		)
	if path == "client_save":
		doc = {"doctype": child, **row, field: value}
		return client.method("frappe.client.save", http="post", doc=json.dumps(doc, default=str))
	if path == "client_delete":
		return client.method("frappe.client.delete", http="post", doctype=child, name=row.name)
	if path == "savedocs":
		doc = {"doctype": child, **row, field: value}
		return client.method(
			"frappe.desk.form.save.savedocs", http="post", doc=json.dumps(doc, default=str), action="Save"
		)
	if path == "run_doc_method":
		doc = {"doctype": child, **row, field: value}
		return client.method("run_doc_method", http="post", docs=json.dumps(doc, default=str), method="save")
	if path == "parent_with_foreign_row":
		own = frappe.get_doc(parent, own_name)
		own_rows = [r.as_dict(convert_dates_to_str=True) for r in own.get(fieldname)]
		foreign = {**{k: v for k, v in row.items() if k not in ("parent", "parenttype")}, field: value}
		return client.request(
			"put", resource(parent, own_name), json={fieldname: plain([*own_rows, foreign])}
		)
	raise AssertionError(path)


PATHS = (
	"rest_insert",
	"rest_update",
	"rest_delete",
	"client_insert",
	"client_set_value",
	"client_save",
	"client_delete",
	"savedocs",
	"run_doc_method",
	"parent_with_foreign_row",
)


def test_every_child_doctype_of_the_app_is_written_through_its_parent():
	"""Every child DocType's controller is a ChildRow, and every DocType with tables refuses another record's
	rows (RowLocking): none is left to Frappe's checks on the parent's DocType alone."""
	from frappe.model.base_document import get_controller

	from community_consultation.overrides.row_locking import RowLocking
	from community_consultation.procedure.child_rows import ChildRow

	children = app_child_doctypes()
	assert not [c for c in children if not issubclass(get_controller(c), ChildRow)]
	parents = {parent for child in children for parent, _field in tables_of(child)}
	assert not [p for p in parents if not issubclass(get_controller(p), RowLocking)]
	assert not frappe.get_hooks("override_doctype_class", app_name="community_consultation")


@pytest.mark.parametrize("path", PATHS)
def test_no_row_is_written_into_another_countys_record_by_any_path(world, path):
	"""Every child DocType × every write path: a user whose role writes the parent DocType, limited to
	their own county's unit, writes no row of the other county's records (draft or submitted)."""
	children = app_child_doctypes()
	assert len(children) >= 17
	leaks = []
	for child in children:
		for parent, fieldname in tables_of(child):
			assert parent in world.target.records, f"no record of {parent} to try {child} on"
			client = Client(world.attackers[parent])
			own_name = world.own.records[parent][0]
			for name in world.target.records[parent]:
				before = table_state(parent, name, fieldname)
				response = attack(path, client, parent, name, fieldname, own_name)
				after = table_state(parent, name, fieldname)
				if response is None:
					leaks.append(f"{child} in {parent} {name}: no response")
				elif response.status_code < 400 or after != before:
					leaks.append(
						f"{child} in {parent} {name}: HTTP {response.status_code}, changed={after != before}"
					)
				elif response.status_code >= 500:
					leaks.append(
						f"{child} in {parent} {name}: HTTP {response.status_code} (a crash, not a refusal)"
					)
	assert not leaks, "\n".join(leaks)


# ------------------------------------------------------------------- the own village: the parent decides


def own_rows(world, parent: str, index: int, fieldname: str) -> list:
	"""The rows' own values (a save through the parent stamps every row's `modified`)."""
	return [
		{k: v for k, v in row.items() if k not in ("modified", "modified_by")}
		for row in table_state(parent, world.own.records[parent][index], fieldname)
	]


def test_a_row_written_on_its_own_goes_through_its_parents_rules(world):
	"""POST /api/resource/<child>, PUT and DELETE of a row of the clerk's own draft session are done to the
	session: its rules run (a stakeholder listed twice is refused) and its rows change as through the form."""
	client = Client(world.clerk_token)
	session = world.own.records["Consultation Session"][0]
	rows = own_rows(world, "Consultation Session", 0, "participants")
	address = {"parent": session, "parenttype": "Consultation Session", "parentfield": "participants"}
	twice = client.request(
		"post",
		resource("Consultation Participant"),
		json={**row_payload(rows[0]), **address},
	)
	assert twice.status_code == 417, twice.json
	assert own_rows(world, "Consultation Session", 0, "participants") == rows

	newcomer = make_people(world.own.units.village_a, 5, prefix="写甲居民")[-1]
	frappe.db.commit()
	added = client.request(
		"post",
		resource("Consultation Participant"),
		json={"stakeholder": newcomer, "participant_role": "Participant", **address},
	)
	assert added.status_code == 200, added.json
	assert added.json["data"]["parent"] == session
	after = own_rows(world, "Consultation Session", 0, "participants")
	assert [r["stakeholder"] for r in after if r["name"] == added.json["data"]["name"]] == [newcomer]

	changed = client.request(
		"put", resource("Consultation Participant", added.json["data"]["name"]), json={"notified_via": "短信"}
	)
	assert changed.status_code == 200, changed.json
	removed = client.request("delete", resource("Consultation Participant", added.json["data"]["name"]))
	assert removed.status_code == 202, removed.json
	assert own_rows(world, "Consultation Session", 0, "participants") == rows


def test_a_row_is_added_to_a_submitted_record_only_in_a_table_that_allows_it(world):
	"""A concluded session takes no new participant; a filed outcome takes a progress update (its table
	allows changes on submit) from the clerk who may write it; a row is not submitted on its own."""
	client = Client(world.clerk_token)
	session = world.own.records["Consultation Session"][1]
	rows = own_rows(world, "Consultation Session", 1, "participants")
	refused = client.request(
		"post",
		resource("Consultation Participant"),
		json={
			**row_payload(rows[-1]),
			"participant_role": "Observer",
			"parent": session,
			"parenttype": "Consultation Session",
			"parentfield": "participants",
		},
	)
	assert refused.status_code == 417, refused.json
	assert refused.json["exc_type"] == "UpdateAfterSubmitError"
	assert own_rows(world, "Consultation Session", 1, "participants") == rows

	outcome = world.own.records["Consultation Outcome"][0]
	progress = client.request(
		"post",
		resource("Implementation Update"),
		json={
			"percent_complete": 60,
			"update_on": nowdate(),
			"published_on": nowdate(),
			"note": "过半",
			"parent": outcome,
			"parenttype": "Consultation Outcome",
			"parentfield": "progress",
		},
	)
	assert progress.status_code == 200, progress.json
	assert progress.json["data"]["docstatus"] == 1
	frappe.db.rollback()
	assert (
		frappe.db.get_value("Implementation Update", progress.json["data"]["name"], "percent_complete") == 60
	)

	row = own_rows(world, "Consultation Outcome", 0, "progress")[0]
	cancelled = client.request("put", resource("Implementation Update", row["name"]), json={"docstatus": 2})
	assert cancelled.status_code == 417, cancelled.json
	frappe.db.rollback()
	assert frappe.db.get_value("Implementation Update", row["name"], "docstatus") == 1


# --------------------------------------------------------------------- whitelisted methods of the app


def app_whitelisted() -> dict[str, object]:
	"""Every whitelisted function and document method of the app, by `module.qualname` (every module of
	the package imported first, so that none is missed)."""
	import importlib
	import pkgutil

	import community_consultation

	for module in pkgutil.walk_packages(community_consultation.__path__, "community_consultation."):
		leaf = module.name.rsplit(".", 1)[-1]
		if ".tests" in module.name or ".patches." in module.name or leaf.startswith("test_"):
			continue
		importlib.import_module(module.name)
	return {
		f"{fn.__module__}.{fn.__qualname__}": fn
		for fn in frappe.whitelisted
		if fn.__module__.startswith("community_consultation.")
	}


def changes_records(fn) -> bool:
	return bool(getattr(fn, "changes_records", False))


def test_every_state_changing_method_of_the_app_is_post_only():
	"""Every whitelisted method of the app either only reads (READS below, each with the call that proves
	it keeps to the user's role and units), or answers GET because its protocol says so
	(GET_BY_PROTOCOL), or is POST only: a function `@frappe.whitelist(methods=["POST"])` (Frappe enforces
	it for the request's command), a document method a `whitelist_action` (which holds on the paths Frappe
	does not check)."""
	methods = app_whitelisted()
	allowed = frappe.allowed_http_methods_for_whitelisted_func
	wrong = []
	for name, fn in methods.items():
		if name in READS or name in GET_BY_PROTOCOL:
			continue
		is_document_method = "." in fn.__qualname__
		if allowed.get(fn) != ["POST"] or (is_document_method and not changes_records(fn)):
			wrong.append(name)
	assert not wrong, f"whitelisted methods that change records but are not POST only on every path: {wrong}"
	stale = sorted((set(READS) | set(GET_BY_PROTOCOL)) - set(methods))
	assert not stale, f"READS / GET_BY_PROTOCOL list methods that are gone: {stale}"


# GET because the protocol says so: WeChat's OAuth redirect and its answer (the state it carries was issued
# by `start` for this browser, single use)
GET_BY_PROTOCOL = {
	"community_consultation.portal.wechat_login.start": "the OAuth redirect to WeChat",
	"community_consultation.portal.wechat_login.callback": "WeChat's OAuth answer, checked by its state",
}


def document_actions() -> list[tuple[str, str]]:
	"""(DocType, method) of every state-changing document method of the app."""
	out = []
	for fn in app_whitelisted().values():
		if not changes_records(fn) or "." not in fn.__qualname__:
			continue
		cls = fn.__qualname__.split(".")[0]
		doctype = next(
			dt
			for dt in frappe.get_all(
				"DocType",
				filters={"module": ("in", frappe.get_module_list("community_consultation"))},
				pluck="name",
			)
			if dt.replace(" ", "").replace("'", "") == cls
		)
		out.append((doctype, fn.__name__))
	return sorted(out)


def test_state_changing_document_methods_refuse_get(world):
	"""`GET /api/method/run_doc_method`, `GET /api/resource/<doctype>/<name>?run_method=` and
	`GET /api/v2/document/<doctype>/<name>/method/<method>` of every state-changing document method are refused (403), even for Administrator, and change nothing: a link
	in a page cannot make a signed-in clerk's browser act."""
	client = Client(world.admin_token)
	actions = document_actions()
	assert len(actions) >= 12, actions
	answered = []
	for doctype, method in actions:
		name = world.own.records[doctype][0]
		frappe.db.rollback()
		before = frappe.db.get_value(doctype, name, "modified")
		via_method = client.get(
			"/api/method/run_doc_method", {"dt": doctype, "dn": name, "method": method, "args": "{}"}
		)
		via_resource = client.get(resource(doctype, name), {"run_method": method})
		via_v2 = client.get(f"/api/v2/document/{quote(doctype)}/{quote(name)}/method/{method}")
		frappe.db.rollback()
		for response in (via_method, via_resource, via_v2):
			if response.status_code != 403:
				answered.append(f"{doctype}.{method}: HTTP {response.status_code}")
		assert frappe.db.get_value(doctype, name, "modified") == before, f"{doctype}.{method} changed {name}"
	assert not answered, "\n".join(answered)


# Every read of the app: (command, its arguments) aimed at the other county's records, tried as a
# resident, a guest and a clerk of the own county; `open` marks what guests may read by design.
def _target(world, doctype: str, index: int = 0) -> str:
	return world.target.records[doctype][index]


STAKEHOLDER_CARD = {
	"doctype": "Number Card",
	"type": "Document Type",
	"document_type": "Stakeholder",
	"function": "Count",
	"filters_json": "[]",
}

READS = {
	"community_consultation.overrides.desk_endpoints.get_count": lambda w: {
		"doctype": "Stakeholder",
		"filters": json.dumps({"community_unit": w.target.units.village_a}),
	},
	"community_consultation.overrides.desk_endpoints.search_link": lambda w: {
		"doctype": "Stakeholder",
		"txt": "写乙",
		"ignore_user_permissions": 1,
		"page_length": 50,
	},
	"community_consultation.overrides.desk_endpoints.search_widget": lambda w: {
		"doctype": "Stakeholder",
		"txt": "写乙",
		"ignore_user_permissions": 1,
		"page_length": 50,
	},
	"community_consultation.overrides.desk_endpoints.get_link_title": lambda w: {
		"doctype": "Stakeholder",
		"docname": w.target.people[0],
	},
	"community_consultation.overrides.desk_endpoints.global_search": lambda w: {"text": "写乙"},
	"community_consultation.overrides.desk_endpoints.get_dashboard_chart": lambda w: {
		"chart_name": "Referrals by Status",
		"filters": json.dumps(
			[["Township Referral", unit_field_of("Township Referral"), "=", w.target.units.village_a]]
		),
	},
	"community_consultation.overrides.desk_endpoints.get_group_by_count": lambda w: {
		"doctype": "Stakeholder",
		"current_filters": "[]",
		"field": "community_unit",
	},
	"community_consultation.overrides.desk_endpoints.get_submitted_linked_docs": lambda w: {
		"doctype": "Consultation Outcome",
		"name": _target(w, "Consultation Outcome"),
	},
	"community_consultation.overrides.desk_endpoints.get_transitions": lambda w: {
		"doc": json.dumps({"doctype": "Consultation Topic", "name": _target(w, "Consultation Topic")}),
	},
	"community_consultation.overrides.desk_endpoints.getdoc": lambda w: {
		"doctype": "Consultation Topic",
		"name": _target(w, "Consultation Topic"),
	},
	"community_consultation.overrides.desk_endpoints.get_docinfo": lambda w: {
		"doctype": "Consultation Topic",
		"name": _target(w, "Consultation Topic"),
	},
	"community_consultation.overrides.read_only_endpoints.number_card_result": lambda w: {
		"doc": json.dumps(STAKEHOLDER_CARD),
		"filters": json.dumps([["Stakeholder", "community_unit", "=", w.target.units.village_a]]),
	},
	"community_consultation.overrides.read_only_endpoints.number_card_percentage_difference": lambda w: {
		"doc": json.dumps({**STAKEHOLDER_CARD, "stats_time_interval": "Daily"}),
		"filters": json.dumps([["Stakeholder", "community_unit", "=", w.target.units.village_a]]),
		"result": 0,
	},
	"community_consultation.overrides.read_only_endpoints.export_query": lambda w: {
		"report_name": "Topic Register",
		"file_format_type": "CSV",
		"filters": json.dumps({"community_unit": w.target.units.village_a}),
		"visible_idx": "[]",
	},
	"community_consultation.overrides.accounts.reset_password": None,  # tested on its own below
	"community_consultation.overrides.workspaces.get_workspace_sidebar_items": lambda w: {},
	"community_consultation.township.queries.township_matters": lambda w: {"unit": w.target.units.village_a},
	"community_consultation.township.queries.links_of_topic": lambda w: {
		"topic": _target(w, "Consultation Topic")
	},
	"community_consultation.township.queries.silent_villages": lambda w: {
		"township": w.target.units.township
	},
	"community_consultation.api.number_cards.silent_villages_card": lambda w: {},
	"community_consultation.api.number_cards.open_topics": lambda w: {},
	"community_consultation.api.number_cards.outcomes_in_publicity": lambda w: {},
	"community_consultation.api.number_cards.overdue_outcomes": lambda w: {},
	"community_consultation.api.number_cards.meetings_this_year": lambda w: {},
	"community_consultation.api.number_cards.meetings_not_quorate": lambda w: {},
	"community_consultation.township.doctype.consultation_plan.consultation_plan.get_events": lambda w: {
		"start": add_days(nowdate(), -400),
		"end": add_days(nowdate(), 400),
	},
	"community_consultation.portal.session_calendar.get_events": lambda w: {
		"start": add_days(nowdate(), -30),
		"end": add_days(nowdate(), 30),
	},
	"community_consultation.community_consultation.dashboard_chart_source.outcomes_by_status.outcomes_by_status.get": lambda w: {},
	"community_consultation.community_consultation.dashboard_chart_source.sessions_per_month.sessions_per_month.get": lambda w: {},
	"community_consultation.overrides.prepared_returns.run": lambda w: {
		"report_name": "Topic Register",
		"filters": json.dumps({"community_unit": w.target.units.village_a}),
	},
	"community_consultation.decision_bodies.doctype.community_meeting.community_meeting.sign_in_list": lambda w: {
		"meeting": _target(w, "Community Meeting")
	},
	"community_consultation.decision_bodies.register.export_register": lambda w: {
		"community_unit": w.target.units.village_a
	},
	# public by design (open data of published outcomes, a page's WeChat share card): no personal data
	"community_consultation.portal.wechat_login.share_config": lambda w: {
		"url": "http://localhost/consultation"
	},
	"community_consultation.portal.open_data.outcomes_csv": lambda w: {"unit": w.target.units.village_a},
	"community_consultation.portal.open_data.outcomes_json": lambda w: {"unit": w.target.units.village_a},
	"community_consultation.portal.open_data.sessions_ics": lambda w: {"unit": w.target.units.village_a},
}
OPEN_DATA = {name for name in READS if ".open_data." in name or name.endswith(".share_config")}
# reads whose arguments name only the other county's records: whatever they count is a leak
TARGETED = {
	"community_consultation.overrides.desk_endpoints.get_count",
	"community_consultation.overrides.desk_endpoints.get_dashboard_chart",
	"community_consultation.overrides.read_only_endpoints.number_card_result",
	"community_consultation.township.queries.silent_villages",
	"community_consultation.township.queries.township_matters",
}
POST_READS = {
	"community_consultation.overrides.read_only_endpoints.export_query",
	"community_consultation.decision_bodies.register.export_register",
}


def counted_something(body) -> bool:
	"""A count, card or chart that counted records (of the other county, by the arguments)."""
	message = body.get("message") if isinstance(body, dict) else None
	if isinstance(message, int | float):
		return message > 0
	if isinstance(message, dict):
		if isinstance(message.get("value"), int | float):
			return message["value"] > 0
		values = [v for d in message.get("datasets") or [] for v in d.get("values") or []]
		return any(v for v in values if isinstance(v, int | float))
	if isinstance(message, list):
		return bool(message)
	return False


def test_every_whitelisted_read_keeps_to_the_callers_role_and_units(world):
	"""Each read of the app, called by a resident, a guest and a clerk of the own county with arguments
	naming the other county's records, and by a township officer given no unit, returns none of them:
	refused (4xx), or empty, or without a trace of the other county (its names carry 写乙); a resident, a
	guest and the officer without a unit count nothing at all. Open data is public by design and carries
	no personal data."""
	callers = {
		"resident": Client(world.resident_token),
		"guest": Client(),
		"clerk": Client(world.clerk_token),
		"unitless": Client(world.unitless_token),
	}
	leaks = []
	for name, arguments in READS.items():
		if arguments is None:
			continue
		params = arguments(world)
		for key, client in callers.items():
			http = "post" if name in POST_READS else "get"
			response = client.method(name, http=http, **params)
			body = response.json if response.is_json else {}
			text = response.get_data(as_text=True)
			if response.status_code >= 500:
				leaks.append(f"{name} as {key}: HTTP {response.status_code}")
				continue
			if response.status_code >= 400:
				continue
			if name in OPEN_DATA:
				if "写乙居民" in text:
					leaks.append(f"{name} as {key}: a resident's name in open data")
				continue
			# the other county's names, or any count at all for a user who may see no unit
			if "写乙" in text or ((key != "clerk" or name in TARGETED) and counted_something(body)):
				leaks.append(f"{name} as {key}: {text[:200]}")
	assert not leaks, "\n".join(leaks)


# ------------------------------------------------------------------------------------ fail-closed


def test_a_staff_user_without_a_unit_sees_nothing_and_is_told_why(world):
	"""A township officer whom no administrator has given a unit lists no record, reads none, writes none,
	and the desk tells them an administrator must give them a unit."""
	from community_consultation.permissions import boot_session, lacks_unit, unit_scope

	client = Client(world.unitless_token)
	for doctype in ("Consultation Topic", "Stakeholder", "Consultation Session", "Community Unit"):
		listed = client.get(resource(doctype), {"limit_page_length": 0})
		assert listed.status_code == 200 and listed.json["data"] == [], (doctype, listed.json)
	topic = world.own.records["Consultation Topic"][0]
	assert client.get(resource("Consultation Topic", topic)).status_code == 403
	created = client.request(
		"post",
		resource("Consultation Topic"),
		json={
			"title": "无单位议题",
			"community_unit": world.own.units.village_a,
			"category": "法律法规和政策规定要求协商的事项",
		},
	)
	assert created.status_code == 403
	assert unit_scope(world.unitless) == [] and lacks_unit(world.unitless)
	bootinfo = frappe._dict()
	from community_consultation.tests.users import as_user

	with as_user(world.unitless):
		boot_session(bootinfo)
	assert "administrator" in bootinfo.consultation_no_unit.lower()
	# administrators and the unit-free roles stay unrestricted; a unit's staff see their unit
	assert unit_scope("Administrator") is None
	assert not lacks_unit(world.clerk)


def test_the_demo_users_hold_exactly_the_units_they_claim():
	from community_consultation import demo

	made = set()
	for county, townships in demo.UNITS.items():
		made.add(county)
		for township, villages in townships.items():
			made.add(township)
			for village, (_type, groups) in villages.items():
				made.update((village, *groups))
	staff = [(email, unit) for email, _name, roles, unit in demo.USERS if roles != ["Resident"]]
	missing = [(email, unit) for email, unit in staff if unit and unit not in made]
	assert not missing, missing
	unit_free = {"Consultation Administrator", "System Manager"}
	assert all(
		unit or set(roles) & unit_free for _email, _name, roles, unit in demo.USERS if roles != ["Resident"]
	)


# --------------------------------------------------------------------- residents' progress notices


def test_proposal_progress_notices_are_written_by_the_system_only(world):
	"""Clerks read the notices their residents were sent, and neither forge, change nor delete one."""
	notice = frappe.get_all("Proposal Progress Notice", pluck="name", limit=1)
	client = Client(world.clerk_token)
	forged = client.request(
		"post",
		resource("Proposal Progress Notice"),
		json={
			"topic": world.own.records["Consultation Topic"][0],
			"community_unit": world.own.units.village_a,
			"stage": "Implemented",
			"user": world.resident,
		},
	)
	assert forged.status_code == 403, forged.json
	meta = frappe.get_meta("Proposal Progress Notice")
	for perm in meta.permissions:
		if perm.role != "System Manager":
			assert not (perm.create or perm.write or perm.delete), perm.role
	if notice:
		assert (
			client.request(
				"put", resource("Proposal Progress Notice", notice[0]), json={"stage": "Closed"}
			).status_code
			== 403
		)
		assert client.request("delete", resource("Proposal Progress Notice", notice[0])).status_code == 403


# ------------------------------------------------------------------------------------- residents


def propose_over_http(client: Client, unit: str, title: str, ip: str = "127.0.0.1"):
	from community_consultation.portal.web_form import WEB_FORM
	from community_consultation.tests.factory import DEFAULT_CATEGORY

	data = {
		"community_unit": unit,
		"category": DEFAULT_CATEGORY,
		"title": title,
		"description": "<p>夜间出行不便，希望尽快维修。</p>",
	}
	return client.request(
		"post",
		"/api/method/frappe.website.doctype.web_form.web_form.accept",
		json={"web_form": WEB_FORM, "data": json.dumps(data)},
		# the address Frappe's limits count by (frappe.auth sets request_ip from this header, else 127.0.0.1)
		headers={"X-Forwarded-For": ip},
	)


def test_a_resident_proposes_only_into_their_own_village(world):
	"""A resident whose Stakeholder record is in the own village proposes there (or in a group of it), not
	into another village by naming it in the payload."""
	with committed_records():
		resident = make_user("w-villager@example.com", ["Resident"], user_type="Website User")
		stakeholder = make_people(world.own.units.village_a, 1, prefix="写甲网民")[0]
		frappe.db.set_value("Stakeholder", stakeholder, "user", resident)
		client = Client(api_token(resident))
		frappe.db.commit()
		elsewhere = propose_over_http(client, world.target.units.village_a, "越村提议")
		assert elsewhere.status_code == 403, elsewhere.json
		other_village = propose_over_http(client, world.own.units.village_b, "邻村提议")
		assert other_village.status_code == 403, other_village.json
		home = propose_over_http(client, world.own.units.building, "本组提议")
		assert home.status_code == 200, home.json
		frappe.db.rollback()
		proposed = frappe.get_all("Consultation Topic", {"owner": resident}, ["community_unit", "proposer"])
		assert proposed == [{"community_unit": world.own.units.building, "proposer": stakeholder}]
		# the web form offers them only their own village and the units in it
		from community_consultation.community_consultation.web_form.propose_a_consultation_topic.propose_a_consultation_topic import (
			unit_options,
		)
		from community_consultation.tests.users import as_user

		with as_user(resident):
			offered = {o["value"] for o in unit_options()}
		assert offered == {world.own.units.village_a, world.own.units.building}


def test_simultaneous_proposals_keep_to_the_hourly_limit_and_make_one_stakeholder(world):
	"""Thirty proposals sent at once by one resident (from thirty addresses, past Frappe's own limit per
	address): at most the hourly limit is accepted, and the resident has exactly one Stakeholder."""
	import threading

	from community_consultation.procedure.online_proposals import submissions_per_hour

	with committed_records():
		resident = make_user("w-burst@example.com", ["Resident"], user_type="Website User")
		client = Client(api_token(resident))
		frappe.db.commit()
		start = threading.Barrier(30)
		answers = [None] * 30

		def send(i):
			start.wait(timeout=60)
			answers[i] = propose_over_http(
				client, world.own.units.village_a, f"同时提议{i}", ip=f"10.9.0.{i + 1}"
			)

		threads = [threading.Thread(target=send, args=(i,)) for i in range(30)]
		for t in threads:
			t.start()
		for t in threads:
			t.join(timeout=300)
		codes = [a.status_code if a is not None else None for a in answers]
		frappe.db.rollback()
		accepted = frappe.db.count("Consultation Topic", {"owner": resident})
		assert 1 <= accepted <= submissions_per_hour(), codes
		assert codes.count(200) == accepted, codes
		assert all(c in (200, 417, 429) for c in codes), codes
		assert frappe.db.count("Stakeholder", {"user": resident}) == 1


# --------------------------------------------------------------------------------------- accounts


def test_password_reset_answers_known_and_unknown_addresses_alike(world):
	guest = Client()
	known = guest.method("frappe.core.doctype.user.user.reset_password", http="post", user=world.clerk)
	unknown = guest.method(
		"frappe.core.doctype.user.user.reset_password", http="post", user="nobody-here@example.com"
	)
	assert known.status_code == unknown.status_code == 200
	assert known.json["message"] == unknown.json["message"]


def test_a_locked_account_is_told_so_with_a_4xx_not_a_server_error(world):
	"""After too many wrong passwords the login answers 429 with the translated message, not a 500."""
	settings = ("allow_consecutive_login_attempts", "allow_login_after_fail")
	saved = {key: frappe.db.get_single_value("System Settings", key) for key in settings}
	guest = Client()
	try:
		frappe.db.set_single_value("System Settings", {settings[0]: 2, settings[1]: 60})
		frappe.db.commit()
		answers = [
			guest.request(
				"post",
				"/api/method/login",
				json={"usr": world.clerk, "pwd": "wrong"},
				headers={"X-Forwarded-For": "10.8.0.1"},
			)
			for _ in range(5)
		]
		assert answers[0].status_code == 401
		locked = answers[-1]
		assert locked.status_code == 429, locked.get_data(as_text=True)[:300]
		assert "locked" in locked.json["message"]
		assert "Traceback" not in locked.get_data(as_text=True)
	finally:
		frappe.db.set_single_value("System Settings", saved)
		frappe.db.commit()
		frappe.cache.delete_keys("login_failed_count")
		frappe.cache.delete_keys("login_failed_time")


def test_guests_get_no_tracebacks():
	assert not frappe.get_system_settings("allow_error_traceback")
	guest = Client()
	broken = guest.get(
		"/api/method/community_consultation.portal.open_data.outcomes_json", {"unit": "没有这个单位"}
	)
	assert broken.status_code < 500
	assert "Traceback" not in broken.get_data(as_text=True)


def test_data_import_writes_no_row_into_another_countys_record(world):
	"""Data Import writes each row as `Importer.insert_record` / `update_record` do
	(frappe/core/doctype/data_import/importer.py): `frappe.new_doc(doctype).update(row).insert()`, and for an
	update `frappe.get_doc(doctype, name).update(row).save()`. Done here as a clerk of the own county (an
	administrator may give a clerk import rights): a child DocType imported on its own, and the other
	county's session updated with a new participant row, are both refused and change nothing."""
	from community_consultation.tests.users import as_user

	session = world.target.records["Consultation Session"][0]
	rows = table_state("Consultation Session", session, "participants")
	clerk = world.clerk
	with as_user(clerk):
		frappe.flags.in_import = True
		try:
			with pytest.raises(frappe.PermissionError):
				frappe.new_doc("Consultation Participant").update(
					{
						**row_payload(rows[0]),
						"participant_role": "Observer",
						"parent": session,
						"parenttype": "Consultation Session",
						"parentfield": "participants",
					}
				).insert()
			with pytest.raises(frappe.PermissionError):
				doc = frappe.get_doc("Consultation Session", session)
				doc.update(
					{
						"participants": [
							*[r.as_dict() for r in doc.participants],
							{**row_payload(rows[0]), "participant_role": "Observer"},
						]
					}
				)
				doc.save()
		finally:
			frappe.flags.in_import = False
	assert table_state("Consultation Session", session, "participants") == rows
