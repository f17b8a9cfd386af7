"""The villages a township matter concerns read the township's records of it (§三(二)), read-only, and
nothing more: driven over REST (token authentication, Frappe's WSGI application) as village clerks, and
in-process for the changes that make a village concerned or not.

The world — a township with villages A and B; a matter village A referred up, taken up by the township,
consulted on with A's people and filed — is committed once for the run (community_consultation.tests.
shared), since a request sees only committed data; each test's own writes are rolled back."""

import json

import frappe
import pytest
from test_rest_permissions import Client, resource

from community_consultation.tests import shared
from community_consultation.tests.factory import (
	make_outcome,
	make_people,
	make_session,
	make_topic,
	make_unit_tree,
)
from community_consultation.tests.township_factory import make_referral
from community_consultation.tests.users import api_token, as_user, make_user
from community_consultation.township.queries import links_of_topic
from community_consultation.township.sharing import READ_BY_CONCERNED_VILLAGES

TOPIC, SESSION, OUTCOME = READ_BY_CONCERNED_VILLAGES


def build_world() -> frappe._dict:
	units = make_unit_tree("乡读")
	w = frappe._dict(units=units)
	w.officer = make_user("reads-officer@example.com", ["Township Officer"], [units.township])
	w.clerk_a = make_user("reads-clerk-a@example.com", ["Committee Clerk"], [units.village_a])
	w.clerk_b = make_user("reads-clerk-b@example.com", ["Committee Clerk"], [units.village_b])
	w.people_a = make_people(units.village_a)
	w.people_b = make_people(units.village_b)
	with as_user(w.clerk_a):
		w.own_a = make_topic(units.village_a, stakeholders=w.people_a, title="甲村文化室修缮").name
		village_topic = make_topic(units.village_a, stakeholders=w.people_a, title="甲村与镇道交界处积水")
		referral = make_referral(village_topic, "积水点在镇道上，超出本村职权")
	with as_user(w.clerk_b):
		w.own_b = make_topic(units.village_b, stakeholders=w.people_b, title="乙村垃圾清运").name
	with as_user(w.officer):
		w.topic = frappe.get_doc("Township Referral", referral.name).take_up()
		topic = frappe.get_doc(TOPIC, w.topic)
		topic.accept()
		session = make_session(topic, w.people_a, venue="镇政府会议室")
		w.session = session.name
		w.outcome = make_outcome(session, implementer="镇城建办").name
	w.village_topic = village_topic.name
	w.tokens = {key: api_token(w[key]) for key in ("officer", "clerk_a", "clerk_b")}
	return w


@pytest.fixture
def world():
	return frappe._dict(shared.committed("township reads", build_world, prefix="乡读"))


def client(world, key):
	return Client(world.tokens[key])


def listed(world, key, doctype) -> set[str]:
	response = client(world, key).get(resource(doctype), {"limit_page_length": 0})
	assert response.status_code == 200, response.json
	return {row["name"] for row in response.json["data"]}


def counted(world, key, doctype) -> int:
	response = client(world, key).method("frappe.client.get_count", doctype=doctype)
	assert response.status_code == 200, response.json
	return response.json["message"]


def test_a_village_reads_the_township_matter_that_concerns_it_and_changes_nothing_over_rest(world):
	clerk_a = client(world, "clerk_a")
	for doctype, name in ((TOPIC, world.topic), (SESSION, world.session), (OUTCOME, world.outcome)):
		response = clerk_a.get(resource(doctype, name))
		assert response.status_code == 200, (doctype, response.json)
		assert response.json["data"]["community_unit"] == world.units.township
	data = clerk_a.get(resource(TOPIC, world.topic)).json["data"]

	# read-only: the township's records stay the township's
	refused = clerk_a.request("put", resource(TOPIC, world.topic), json={"title": "甲村改的标题"})
	assert refused.status_code == 403, refused.json
	refused = clerk_a.request("put", resource(SESSION, world.session), json={"venue": "甲村村委会"})
	assert refused.status_code == 403, refused.json
	refused = clerk_a.request("delete", resource(TOPIC, world.topic))
	assert refused.status_code == 403, refused.json
	# the form's document methods check only read before they run: each checks the write itself
	for doctype, name, method, args in (
		(TOPIC, world.topic, "reject", {"reason": "不同意"}),
		(SESSION, world.session, "publish_notice", {"channels": '["Bulletin Board"]'}),
		(OUTCOME, world.outcome, "notify_stakeholders", {}),
	):
		refused = clerk_a.method(
			"run_doc_method", http="post", dt=doctype, dn=name, method=method, args=json.dumps(args)
		)
		assert refused.status_code == 403, (method, refused.json)
	frappe.db.rollback()
	assert frappe.db.get_value(TOPIC, world.topic, "title") == data["title"]
	assert frappe.db.get_value(TOPIC, world.topic, "review_decision") == "Accepted"
	assert frappe.db.get_value(SESSION, world.session, "venue") == "镇政府会议室"
	# no workflow action is offered on a record the clerk may not change; the township's staff get theirs
	outcome = clerk_a.get(resource(OUTCOME, world.outcome)).json["data"]
	offered = clerk_a.method("frappe.model.workflow.get_transitions", http="post", doc=outcome)
	assert offered.status_code == 200 and offered.json["message"] == [], offered.json
	officer = client(world, "officer").method(
		"frappe.model.workflow.get_transitions", http="post", doc=outcome
	)
	assert officer.status_code == 200 and officer.json["message"], officer.json

	# the other village: the township's matter does not concern it, and A's own records stay A's
	clerk_b = client(world, "clerk_b")
	for doctype, name in ((TOPIC, world.topic), (SESSION, world.session), (OUTCOME, world.outcome)):
		assert clerk_b.get(resource(doctype, name)).status_code == 403, doctype
	assert clerk_b.get(resource(TOPIC, world.own_a)).status_code == 403
	assert clerk_a.get(resource(TOPIC, world.own_b)).status_code == 403


def test_lists_and_counts_show_the_township_matter_to_the_village_it_concerns_only(world):
	assert listed(world, "clerk_a", TOPIC) == {world.own_a, world.village_topic, world.topic}
	assert counted(world, "clerk_a", TOPIC) == 3
	assert listed(world, "clerk_a", SESSION) == {world.session}
	assert listed(world, "clerk_a", OUTCOME) == {world.outcome}
	assert listed(world, "clerk_b", TOPIC) == {world.own_b}
	assert counted(world, "clerk_b", TOPIC) == 1
	assert listed(world, "clerk_b", SESSION) == set()
	assert counted(world, "clerk_b", OUTCOME) == 0


def test_a_village_reads_once_its_people_take_part_and_no_longer_when_they_leave(world):
	with as_user(world.officer):
		topic = frappe.get_doc(TOPIC, world.topic)
		topic.append("participants", {"stakeholder": world.people_b[0]})
		topic.save()
	with as_user(world.clerk_b):
		assert frappe.has_permission(TOPIC, "read", world.topic)
		assert frappe.has_permission(OUTCOME, "read", world.outcome)
		assert not frappe.has_permission(TOPIC, "write", world.topic)
		assert world.topic in frappe.get_list(TOPIC, pluck="name")
	with as_user(world.officer):
		topic.reload()
		topic.set("participants", [p for p in topic.participants if p.stakeholder != world.people_b[0]])
		topic.save()
	with as_user(world.clerk_b):
		assert not frappe.has_permission(TOPIC, "read", world.topic)
		assert world.topic not in frappe.get_list(TOPIC, pluck="name")


def test_a_new_village_user_reads_and_a_user_moved_away_no_longer_does(world):
	newcomer = make_user("reads-newcomer@example.com", ["Community Secretary"], [world.units.village_a])
	with as_user(newcomer):
		assert frappe.has_permission(SESSION, "read", world.session)
	make_user(newcomer, ["Community Secretary"], [world.units.village_b])
	with as_user(newcomer):
		assert not frappe.has_permission(SESSION, "read", world.session)
	# a role that does not read outcomes gets no share of one through its village
	head = make_user("reads-head@example.com", ["Building Head"], [world.units.village_a])
	with as_user(head):
		assert frappe.has_permission(TOPIC, "read", world.topic)
		assert not frappe.has_permission(OUTCOME, "read", world.outcome)


def test_the_topic_form_tells_a_village_reader_it_is_the_townships_matter(world):
	with as_user(world.clerk_a):
		township = links_of_topic(world.topic)
		own = links_of_topic(world.own_a)
	assert township["township_matter"] and not township["can_refer"]
	assert own["can_refer"] and not own["township_matter"]
	with as_user(world.officer):
		assert not links_of_topic(world.topic)["township_matter"]
		assert not links_of_topic(world.topic)["can_refer"]


def test_the_form_of_a_shared_township_record_is_read_only(world):
	from community_consultation.overrides.desk_endpoints import getdoc

	with as_user(world.clerk_a):
		for doctype, name in ((TOPIC, world.topic), (OUTCOME, world.outcome)):
			frappe.local.response = frappe._dict(docs=[])
			getdoc(doctype, name)
			rights = frappe.response.docinfo.permissions
			assert rights["read"] == 1 and not any(
				rights[r] for r in ("write", "create", "delete", "submit", "cancel", "amend")
			), (doctype, rights)
		frappe.local.response = frappe._dict(docs=[])
		getdoc(TOPIC, world.own_a)
		assert frappe.response.docinfo.permissions["write"] == 1
