"""The meetings that decide by law, driven over REST as a village clerk (token authentication, Frappe's
WSGI application, the request's own commit or rollback): a reserved matter cannot be implemented until a
quorate meeting passes it, an inquorate meeting decides nothing, and another village is out of reach.

Such a request sees only committed data: the records made here are committed for this module and
deleted after it."""

import json

import frappe
import pytest
from frappe.utils import add_days, nowdate
from frappe.utils.nestedset import rebuild_tree
from test_rest_permissions import Client, resource

from community_consultation.tests.factory import full_case, make_outcome
from community_consultation.tests.meetings import make_basis, meeting_values, villagers
from community_consultation.tests.users import api_token, make_user

MEETING_CATEGORY = "村(社区)经济社会发展规划和年度计划"
TRACKED = (
	"Community Unit",
	"Stakeholder",
	"Consultation Topic",
	"Consultation Session",
	"Consultation Outcome",
	"Community Meeting",
	"Meeting Basis",
	"User",
	"User Permission",
	"Version",
	"Comment",
	"Notification Log",
	"Consultation Notice Log",
	"Error Log",
)
CHILD_TABLES = (
	"Consultation Participant",
	"Consultation Topic Stakeholder",
	"Session Notice Channel",
	"Outcome Notice",
	"Implementation Update",
	"Meeting Agenda Item",
	"Meeting Attendance",
	"Meeting Notice Channel",
	"Meeting Representative",
	"Has Role",
)


@pytest.fixture(scope="module")
def world():
	frappe.set_user("Administrator")
	frappe.db.rollback()
	before = {dt: set(frappe.get_all(dt, pluck="name")) for dt in TRACKED}
	try:
		case = full_case("接口会议")
		frappe.db.set_value("Consultation Topic", case.topic.name, "category", MEETING_CATEGORY)
		case.outcome = make_outcome(case.session)
		make_basis(case.units.village_a, adults=100, households=30)
		clerk = make_user("meeting-clerk@example.com", ["Committee Clerk"], [case.units.village_a])
		case.client = Client(api_token(clerk))
		frappe.db.commit()
		yield case
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


def payload(values: dict) -> dict:
	return json.loads(frappe.as_json(values))


def exc_type(response) -> str:
	return (response.json or {}).get("exc_type", "")


def start_implementation(world, meeting=None):
	outcome = world.client.get(resource("Consultation Outcome", world.outcome.name)).json["data"]
	outcome["meeting"] = meeting
	outcome["progress"] = [
		{"update_on": nowdate(), "published_on": nowdate(), "percent_complete": 10, "note": "开工"}
	]
	return world.client.request("put", resource("Consultation Outcome", world.outcome.name), json=outcome)


def post_meeting(world, unit=None, topics=None, **kw):
	topics = [world.topic] if topics is None else topics
	values = payload(meeting_values(unit or world.units.village_a, topics=topics, **kw))
	return world.client.request("post", resource("Community Meeting"), json=values)


def submit(world, name):
	return world.client.request("put", resource("Community Meeting", name), json={"docstatus": 1})


def test_reserved_matter_is_not_implemented_until_a_quorate_meeting_passes_it_over_rest(world):
	refused = start_implementation(world)
	assert refused.status_code == 417, refused.json
	assert exc_type(refused) == "MeetingResolutionRequiredError"

	# an inquorate meeting: refused as deciding, then recorded as held and not quorate
	inquorate = post_meeting(world, attendance=villagers(30))
	assert inquorate.status_code == 200, inquorate.json
	name = inquorate.json["data"]["name"]
	refused = submit(world, name)
	assert refused.status_code == 417 and exc_type(refused) == "NotQuorateError"
	assert "30 of 100 adults, 0 of 30 households" in json.dumps(refused.json, ensure_ascii=False)
	assert (
		world.client.request(
			"put", resource("Community Meeting", name), json={"record_as_inquorate": 1}
		).status_code
		== 200
	)
	concluded = submit(world, name)
	assert concluded.status_code == 200, concluded.json
	assert concluded.json["data"]["status"] == "Not Quorate"
	assert concluded.json["data"]["agenda"][0]["result"] == "Not Decided"
	refused = start_implementation(world, name)
	assert refused.status_code == 417 and exc_type(refused) == "MeetingResolutionRequiredError"

	# the next meeting is quorate and passes it: implementation starts
	quorate = post_meeting(world, attendance=villagers(60))
	assert quorate.status_code == 200, quorate.json
	data = quorate.json["data"]
	for row in data["agenda"]:
		row.update(vote_method="Ballot", votes_for=40, votes_against=15, votes_abstain=5)
	saved = world.client.request("put", resource("Community Meeting", data["name"]), json=data)
	assert saved.status_code == 200, saved.json
	assert saved.json["data"]["agenda"][0]["result"] == "Passed"
	assert submit(world, data["name"]).status_code == 200
	started = start_implementation(world, data["name"])
	assert started.status_code == 200, started.json
	assert started.json["data"]["status"] == "In Implementation"


def test_bad_meeting_input_over_rest_is_refused_and_nothing_written(world):
	before = frappe.db.count("Community Meeting")
	for kw, error in (
		({"attendance": villagers(101)}, "AttendanceExceedsBasisError"),
		({"notice_published_on": add_days(nowdate(), -3)}, "NoticePeriodError"),
	):
		response = post_meeting(world, **kw)
		assert response.status_code == 417, response.json
		assert exc_type(response) == error
	values = payload(meeting_values(world.units.village_a, topics=[world.topic], attendance=villagers(60)))
	for row in values["agenda"]:
		row.update(vote_method="Ballot", votes_for=50, votes_against=11)
	response = world.client.request("post", resource("Community Meeting"), json=values)
	assert response.status_code == 417 and exc_type(response) == "VotesExceedAttendanceError"
	frappe.db.rollback()
	assert frappe.db.count("Community Meeting") == before


def test_village_clerk_cannot_hold_a_meeting_in_another_village_over_rest(world):
	make_basis(world.units.village_b)
	frappe.db.commit()
	response = post_meeting(world, unit=world.units.village_b, topics=[])
	assert response.status_code == 403, response.json


def test_village_clerk_cannot_link_another_villages_meeting_over_rest(world):
	from community_consultation.tests.factory import make_topic
	from community_consultation.tests.meetings import make_meeting

	if not frappe.db.exists("Meeting Basis", {"community_unit": world.units.village_b}):
		make_basis(world.units.village_b)
	other = make_topic(world.units.village_b, title="乙村事项")
	meeting = make_meeting(world.units.village_b, topics=[other], attendance=villagers(60), votes=(40,))
	frappe.db.commit()
	response = start_implementation(world, meeting.name)
	assert response.status_code == 403, response.json
	assert meeting.name in json.dumps(response.json, ensure_ascii=False)
	assert "乙村事项" not in json.dumps(response.json, ensure_ascii=False)
