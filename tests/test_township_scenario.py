"""Township and village together, as the issue's "done when" reads, driven over REST (token
authentication, Frappe's WSGI application, each request's own commit) by a township officer and the
clerks of three villages, with the daily job run as the scheduler runs it and the public pages read as a
guest:

- the township assigns an entrusted matter to three villages; two report back in time, one is overdue
  and the officer is told (§二(六));
- a village refers a cross-village dispute up; the township consults with participants of two villages,
  and the outcome appears on both villages' public pages (§三(二));
- a village with no session for three months shows as silent (§三(二) regular consultation);
- a village clerk sees the township's matters that concern their village and nothing of the other
  villages' own records.

The users and units are committed once for the run (community_consultation.tests.shared); what the
requests commit is deleted at the end of the run too."""

import json

import frappe
import pytest
from frappe.utils import add_days, add_months, now_datetime, nowdate
from test_rest_permissions import Client, resource

from community_consultation.setup.records import held_values, session_values
from community_consultation.tests import shared
from community_consultation.tests.factory import (
	DEFAULT_CATEGORY,
	make_people,
	make_session,
	make_topic,
	make_unit,
	make_unit_tree,
)
from community_consultation.tests.users import api_token, as_user, make_user
from community_consultation.township.doctype.township_assignment.township_assignment import (
	follow_report_backs,
)

DISPUTE = "甲乙两村交界灌溉水渠清淤与用水分配"


def build_world() -> frappe._dict:
	units = make_unit_tree("联办")
	units.village_c = make_unit("联办丙村", "Village", units.township)
	w = frappe._dict(units=units, tokens={})
	w.users = {
		"officer": make_user("scenario-officer@example.com", ["Township Officer"], [units.township]),
		"clerk_a": make_user("scenario-clerk-a@example.com", ["Committee Clerk"], [units.village_a]),
		"clerk_b": make_user("scenario-clerk-b@example.com", ["Committee Clerk"], [units.village_b]),
		"clerk_c": make_user("scenario-clerk-c@example.com", ["Committee Clerk"], [units.village_c]),
	}
	w.people_a = make_people(units.village_a, prefix="甲村村民")
	w.people_b = make_people(units.village_b, prefix="乙村村民")
	people_c = make_people(units.village_c, prefix="丙村村民")
	# village B's own record, which no other village may see; A and B met lately, C four months ago
	with as_user(w.users["clerk_b"]):
		own_b = make_topic(units.village_b, stakeholders=w.people_b, title="乙村文化广场照明")
		make_session(own_b, w.people_b, starts_on=add_days(now_datetime(), -45))
		w.own_b = own_b.name
	with as_user(w.users["clerk_c"]):
		make_session(
			make_topic(units.village_c, stakeholders=people_c, title="丙村村道绿化"),
			people_c,
			starts_on=add_months(now_datetime(), -4),
		)
	with as_user(w.users["clerk_a"]):
		make_session(
			make_topic(units.village_a, stakeholders=w.people_a, title="甲村卫生保洁"),
			w.people_a,
			starts_on=add_days(now_datetime(), -20),
		)
	frappe.db.set_single_value("Consultation Settings", "silent_village_months", 3)
	w.tokens = {key: api_token(email) for key, email in w.users.items()}
	return w


@pytest.fixture(scope="module")
def world():
	frappe.set_user("Administrator")
	frappe.db.rollback()
	w = frappe._dict(shared.committed("township scenario", build_world, prefix="联办"))
	w.clients = {key: Client(token) for key, token in w.tokens.items()}
	w.clients["guest"] = Client()
	with shared.purged_at_end():
		yield w


def ok(response):
	assert response.status_code == 200, response.json or response.text[:2000]
	return response.json


def call(world, key, doctype, name, method, **args):
	"""A whitelisted method of a document, as the form's buttons call it over REST."""
	return ok(
		world.clients[key].request("post", resource(doctype, name), json={"run_method": method, **args})
	)


def payload(values: dict) -> dict:
	return json.loads(frappe.as_json(values))


def test_township_and_villages_together_over_rest(world):
	officer, guest = world.clients["officer"], world.clients["guest"]
	units = world.units
	villages = (units.village_a, units.village_b, units.village_c)

	# ---- the township assigns an entrusted matter to three villages, reporting back by today
	assignment = ok(
		officer.request(
			"post",
			resource("Township Assignment"),
			json={
				"title": "农村人居环境整治三年行动",
				"entrusted_by": "县农业农村局",
				"community_unit": units.township,
				"category": DEFAULT_CATEGORY,
				"description": "<p>各村协商确定本村整治方案，报告协商结果。</p>",
				"report_back_by": nowdate(),
				"villages": [{"village": v} for v in villages],
			},
		)
	)["data"]
	call(world, "officer", "Township Assignment", assignment["name"], "assign")
	rows = {
		r["village"]: r["topic"]
		for r in ok(officer.get(resource("Township Assignment", assignment["name"])))["data"]["villages"]
	}
	assert set(rows) == set(villages) and all(rows.values())

	# two villages report back in time, each on its own topic; the third does not
	for key, village in (("clerk_a", units.village_a), ("clerk_b", units.village_b)):
		ok(
			world.clients[key].request(
				"post",
				resource("Entrusted Matter Report"),
				json={
					"topic": rows[village],
					"reported_on": nowdate(),
					"content": "<p>经村民代表协商，整治方案已通过并开始实施。</p>",
				},
			)
		)
	# a clerk reports on their own village's topic only
	refused = world.clients["clerk_a"].request(
		"post",
		resource("Entrusted Matter Report"),
		json={"topic": rows[units.village_c], "reported_on": nowdate(), "content": "<p>代报</p>"},
	)
	assert refused.status_code == 403, refused.json

	# the next day the daily job finds the third overdue, and the officer is told
	frappe.db.rollback()
	assert follow_report_backs(today=add_days(nowdate(), 1)) == 1
	frappe.db.commit()
	statuses = {
		r["village"]: r["report_status"]
		for r in ok(officer.get(resource("Township Assignment", assignment["name"])))["data"]["villages"]
	}
	assert statuses == {
		units.village_a: "Reported on Time",
		units.village_b: "Reported on Time",
		units.village_c: "Overdue",
	}
	told = ok(
		officer.get(
			resource("Notification Log"),
			{
				"filters": json.dumps(
					[
						["document_type", "=", "Township Assignment"],
						["document_name", "=", assignment["name"]],
					]
				),
				"fields": json.dumps(["for_user", "subject"]),
			},
		)
	)["data"]
	assert [n["for_user"] for n in told] == [world.users["officer"]]

	# ---- village A refers a cross-village dispute up; the township takes it up
	clerk_a = world.clients["clerk_a"]
	dispute = ok(
		clerk_a.request(
			"post",
			resource("Consultation Topic"),
			json={
				"title": DISPUTE,
				"description": "<p>水渠跨甲乙两村，上游淤塞，下游用水不足，两村多次协调未果。</p>",
				"category": DEFAULT_CATEGORY,
				"community_unit": units.village_a,
				"source_channel": "Visiting Residents",
				"proposer": world.people_a[1],
				"participants": [{"stakeholder": s} for s in world.people_a[:2]],
			},
		)
	)["data"]
	referral = ok(
		clerk_a.request(
			"post",
			resource("Township Referral"),
			json={"topic": dispute["name"], "reason": "水渠跨两村，用水分配超出本村职权"},
		)
	)["data"]
	assert referral["status"] == "Awaiting Township"
	township_topic = call(world, "officer", "Township Referral", referral["name"], "take_up")["data"]
	call(world, "officer", "Consultation Topic", township_topic, "accept")

	# the township consults with participants of both villages, and files and publicises the outcome
	people = world.people_a[:2] + world.people_b[:2]
	starts_on = add_days(now_datetime(), -1).replace(hour=9, minute=30, second=0, microsecond=0)
	values = payload(
		{
			**session_values(township_topic, people, starts_on=starts_on),
			**held_values(attendees=len(people)),
			"venue": "镇政府二楼会议室",
			"organiser": "镇党委、镇人民政府",
		}
	)
	session = ok(officer.request("post", resource("Consultation Session"), json=values))["data"]
	ok(officer.request("put", resource("Consultation Session", session["name"]), json={"docstatus": 1}))
	outcome = ok(
		officer.request(
			"post",
			resource("Consultation Outcome"),
			json={
				"session": session["name"],
				"decision": "<p>两村按灌溉面积分摊清淤劳力，镇水利站统一调度放水时间。</p>",
				"implementer_type": "Village",
				"implementer": "甲乙两村村民委员会",
				"implementation_deadline": add_days(nowdate(), 30),
				"filed_with_party_on": nowdate(),
				"filed_with_committee_on": nowdate(),
			},
		)
	)["data"]
	name = outcome["name"]
	ok(officer.request("put", resource("Consultation Outcome", name), json={"docstatus": 1}))
	# the stakeholders have no electronic contact: the township's staff phone them and record it
	told_on = str(now_datetime().replace(microsecond=0))
	ok(
		officer.request(
			"put",
			resource("Consultation Outcome", name),
			json={
				"notices": [
					{"stakeholder": s, "notified_on": told_on, "notified_via": "电话"} for s in people
				],
				"stakeholders_notified_on": told_on,
				"publicity_from": nowdate(),
				"publicity_to": add_days(nowdate(), 9),
			},
		)
	)
	assert ok(officer.get(resource("Consultation Outcome", name)))["data"]["community_unit"] == units.township

	# the outcome is on both villages' public pages, not on the third's
	for village in (units.village_a, units.village_b):
		page = guest.get(f"/consultation/{village}")
		assert page.status_code == 200
		assert DISPUTE in page.get_data(as_text=True), village
	page = guest.get(f"/consultation/{units.village_c}")
	assert page.status_code == 200 and DISPUTE not in page.get_data(as_text=True)

	# ---- village C held no session for three months: silent; A and B are not
	silent = ok(officer.get("/api/method/community_consultation.township.queries.silent_villages"))["message"]
	assert [v["name"] for v in silent if v["name"] in villages] == [units.village_c]

	# ---- each clerk sees the township's matters that concern their village, nothing of the others' own
	for key in ("clerk_a", "clerk_b"):
		clerk = world.clients[key]
		matters = ok(clerk.get("/api/method/community_consultation.township.queries.township_matters"))[
			"message"
		]
		assert township_topic in [m["name"] for m in matters]
		for doctype, docname in (
			("Consultation Topic", township_topic),
			("Consultation Session", session["name"]),
			("Consultation Outcome", name),
		):
			assert clerk.get(resource(doctype, docname)).status_code == 200, (key, doctype)
		refused = clerk.request("put", resource("Consultation Topic", township_topic), json={"title": "改"})
		assert refused.status_code == 403
	clerk_c = world.clients["clerk_c"]
	assert township_topic not in [
		m["name"]
		for m in ok(clerk_c.get("/api/method/community_consultation.township.queries.township_matters"))[
			"message"
		]
	]
	assert clerk_c.get(resource("Consultation Topic", township_topic)).status_code == 403
	assert world.clients["clerk_b"].get(resource("Consultation Topic", dispute["name"])).status_code == 403
	assert clerk_a.get(resource("Consultation Topic", world.own_b)).status_code == 403
	assert clerk_a.get(resource("Consultation Topic", rows[units.village_b])).status_code == 403
	assert clerk_a.get(resource("Township Assignment", assignment["name"])).status_code == 403
	listed = ok(
		clerk_a.get(resource("Consultation Topic"), {"limit_page_length": 0, "fields": '["community_unit"]'})
	)["data"]
	assert {t["community_unit"] for t in listed} == {units.village_a, units.township}
