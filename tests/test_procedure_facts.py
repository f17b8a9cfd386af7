"""No fact a payload can forge: the facts the procedure makes come only from the procedure.

A village clerk tries each fact through the paths a client has — `frappe.client.insert` / `save` /
`set_value` (what `/api/resource` and `/api/method/frappe.client.*` run), the desk's `savedocs`, and
`run_doc_method` with a `docs` payload — on insert and on update. Each is refused with
`ProcedureFactError` and nothing is written; computed fields (status, attendees, percent complete) are
recomputed whatever the payload says.
"""

import json
from urllib.parse import quote

import frappe
import pytest
from frappe.desk.form.save import savedocs
from frappe.handler import run_doc_method
from frappe.utils import add_days, now_datetime

from community_consultation.procedure.controller import ProcedureFactError
from community_consultation.tests.factory import (
	make_outcome,
	make_people,
	make_session,
	make_topic,
	make_unit_tree,
	session_values,
)
from community_consultation.tests.http import Client, api_token
from community_consultation.tests.shared import committed_records
from community_consultation.tests.users import as_user, make_user

CLERK_ROLES = ("Committee Clerk",)
SAVING_METHODS = {"Consultation Topic": "accept", "Consultation Session": "publish_notice"}


@pytest.fixture
def world():
	units = make_unit_tree("伪造")
	people = make_people(units.village_a)
	other_people = make_people(units.village_b, prefix="乙村民")
	clerk = make_user("forge-clerk@example.com", CLERK_ROLES, [units.village_a])
	other_topic = make_topic(units.village_b, stakeholders=other_people, title="乙村的议题")
	return frappe._dict(units=units, people=people, clerk=clerk, other_topic=other_topic)


def new_topic(world, **forged):
	return {
		"doctype": "Consultation Topic",
		"title": "伪造测试议题",
		"description": "<p>说明</p>",
		"category": "社区服务、美丽乡村、基础设施、卫生环境、物业管理等公共事务",
		"community_unit": world.units.village_a,
		"source_channel": "Visiting Residents",
		**forged,
	}


def insert_paths(values):
	"""Each way a client inserts a record."""
	yield "frappe.client.insert", lambda: frappe.client.insert(dict(values))
	yield "savedocs", lambda: savedocs(json.dumps(values), "Save")


def update_paths(doctype, name, changes):
	"""Each way a client changes a saved record."""

	def client_save():
		doc = frappe.get_doc(doctype, name).as_dict()
		doc.update(changes)
		frappe.client.save(json.loads(frappe.as_json(doc)))

	def client_set_value():
		frappe.client.set_value(doctype, name, changes)

	def desk_save():
		doc = json.loads(frappe.as_json(frappe.get_doc(doctype, name).as_dict()))
		doc.update(changes)
		savedocs(json.dumps(doc), "Save")

	def doc_method():
		doc = json.loads(frappe.as_json(frappe.get_doc(doctype, name).as_dict()))
		doc.update(changes)
		frappe.form_dict.clear()
		# as the desk posts it (Frappe checks the request's HTTP method for whitelisted methods)
		frappe.local.request = frappe._dict(method="POST")
		try:
			run_doc_method(SAVING_METHODS[doctype], docs=json.dumps(doc))
		finally:
			del frappe.local.request

	yield from (
		("frappe.client.save", client_save),
		("frappe.client.set_value", client_set_value),
		("savedocs", desk_save),
	)
	# a whitelisted method that saves the payload it is given (accepting sets the review itself)
	if doctype in SAVING_METHODS and "review_decision" not in changes:
		yield "run_doc_method", doc_method


def refused(call):
	frappe.clear_messages()
	with pytest.raises(ProcedureFactError):
		call()
	frappe.clear_messages()


@pytest.mark.parametrize(
	"forged",
	[
		pytest.param("escalated_from", id="escalated_from"),
		pytest.param("escalation_record", id="escalation_record"),
		pytest.param("review_decision", id="review_decision"),
	],
)
def test_a_new_topic_cannot_carry_facts_of_the_escalation_or_the_review(world, forged):
	value = {
		"escalated_from": world.other_topic.name,
		"escalation_record": "<p>伪造的前几轮记录</p>",
		"review_decision": "Accepted",
	}[forged]
	before = frappe.db.count("Consultation Topic")
	with as_user(world.clerk):
		for _path, call in insert_paths(new_topic(world, **{forged: value})):
			refused(call)
	assert frappe.db.count("Consultation Topic") == before


@pytest.mark.parametrize("forged", ["escalated_from", "escalation_record", "review_decision"])
def test_a_saved_topic_cannot_be_given_facts_of_the_escalation_or_the_review(world, forged):
	with as_user(world.clerk):
		topic = frappe.get_doc(new_topic(world)).insert()
		value = {
			"escalated_from": world.other_topic.name,
			"escalation_record": "<p>伪造</p>",
			"review_decision": "Accepted",
		}[forged]
		for _path, call in update_paths("Consultation Topic", topic.name, {forged: value}):
			refused(call)
	assert not frappe.db.get_value("Consultation Topic", topic.name, forged)


def test_the_review_comes_from_the_review(world):
	"""The Accept button (and the Workflow's Accept, tests/test_workflows.py) records the review."""
	with as_user(world.clerk):
		topic = frappe.get_doc(new_topic(world)).insert()
		topic.accept()
	stored = frappe.db.get_value(
		"Consultation Topic", topic.name, ["review_decision", "reviewed_by", "status"], as_dict=True
	)
	assert stored == {"review_decision": "Accepted", "reviewed_by": world.clerk, "status": "Accepted"}


def test_the_escalation_comes_from_the_escalation(world):
	group = world.units.building
	people = make_people(group, prefix="组民")
	topic = make_topic(group, stakeholders=people)
	make_session(topic, people, result="No Consensus")
	topic.reload()
	escalated = frappe.get_doc("Consultation Topic", topic.escalate())
	assert escalated.escalated_from == topic.name
	assert escalated.escalation_record


@pytest.mark.parametrize("forged", ["concluded_by", "concluded_on"])
def test_a_session_cannot_be_given_its_conclusion(world, forged):
	topic = make_topic(world.units.village_a, stakeholders=world.people)
	value = world.clerk if forged == "concluded_by" else str(now_datetime())
	# a session next week, so that its notice can be published (again) now
	values = session_values(topic, world.people, starts_on=add_days(now_datetime(), 7))
	values = json.loads(frappe.as_json(values))
	before = frappe.db.count("Consultation Session")
	with as_user(world.clerk):
		for _path, call in insert_paths({**values, forged: value}):
			refused(call)
		assert frappe.db.count("Consultation Session") == before
		session = frappe.get_doc(values).insert()
		for _path, call in update_paths("Consultation Session", session.name, {forged: value}):
			refused(call)
	assert not frappe.db.get_value("Consultation Session", session.name, forged)


@pytest.mark.parametrize("forged", ["filed_by", "filed_on"])
def test_an_outcome_cannot_be_given_its_filing(world, forged):
	topic = make_topic(world.units.village_a, stakeholders=world.people)
	session = make_session(topic, world.people)
	draft = make_outcome(session, file=False)
	value = world.clerk if forged == "filed_by" else str(now_datetime())
	with as_user(world.clerk):
		for _path, call in update_paths("Consultation Outcome", draft.name, {forged: value}):
			refused(call)
	assert not frappe.db.get_value("Consultation Outcome", draft.name, forged)


def test_computed_facts_are_the_controllers_whatever_the_payload_says(world):
	topic = make_topic(world.units.village_a, stakeholders=world.people)
	with as_user(world.clerk):
		values = json.loads(frappe.as_json(session_values(topic, world.people)))
		saved = frappe.client.insert({**values, "status": "Concluded", "attendees": 999})
		# the four participants are marked present: the controller counts them
		assert (saved["status"], saved["attendees"]) == ("Notice Published", 4)
		forged_topic = frappe.client.insert(new_topic(world, status="Closed"))
		assert forged_topic["status"] == "Draft"
	other = make_topic(world.units.village_a, stakeholders=world.people, title="另一议题")
	outcome = make_outcome(make_session(other, world.people), file=False)
	with as_user(world.clerk):
		doc = frappe.get_doc("Consultation Outcome", outcome.name).as_dict()
		doc.update({"percent_complete": 100, "status": "Implemented"})
		saved = frappe.client.save(json.loads(frappe.as_json(doc)))
	assert (saved["percent_complete"], saved["status"]) == (0, "Draft")


# ------------------------------------------------------------------ over HTTP, as a client would


@pytest.fixture(scope="module")
def http_clerk():
	"""A village clerk with an API token, their village, and another village's topic; committed for the
	module (a request sees only committed data) and deleted after it."""
	with committed_records():
		units = make_unit_tree("伪造接口")
		other_topic = make_topic(units.village_b, stakeholders=make_people(units.village_b), title="乙村议题")
		clerk = make_user("forge-http-clerk@example.com", CLERK_ROLES, [units.village_a])
		client = Client(api_token(clerk))
		frappe.db.commit()
		yield frappe._dict(units=units, other_topic=other_topic, client=client, user=clerk)


def test_a_forged_escalation_and_review_are_refused_through_api_resource(http_clerk):
	world = frappe._dict(units=http_clerk.units)
	url = "/api/resource/" + quote("Consultation Topic")
	for forged in (
		{"escalated_from": http_clerk.other_topic.name},
		{"escalation_record": "<p>伪造的前几轮记录</p>"},
		{"review_decision": "Accepted"},
	):
		before = frappe.db.count("Consultation Topic")
		response = http_clerk.client.request("post", url, json=new_topic(world, **forged))
		assert response.status_code == 417, response.text[:300]
		assert response.json["exc_type"] == "ProcedureFactError"
		frappe.db.rollback()
		assert frappe.db.count("Consultation Topic") == before
	created = http_clerk.client.request("post", url, json=new_topic(world))
	assert created.status_code == 200, created.text[:300]
	name = created.json["data"]["name"]
	response = http_clerk.client.request("put", f"{url}/{quote(name)}", json={"review_decision": "Accepted"})
	assert response.status_code == 417, response.text[:300]
	assert response.json["exc_type"] == "ProcedureFactError"
	frappe.db.rollback()
	assert not frappe.db.get_value("Consultation Topic", name, "review_decision")
