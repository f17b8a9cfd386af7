"""The meetings that decide by law, driven over REST as a village clerk (token authentication, Frappe's
WSGI application, the request's own commit or rollback): a reserved matter cannot be implemented until a
quorate meeting passes it, an inquorate meeting decides nothing, each bad input of §8 is refused with its
named error and nothing written, and another village is out of reach; the supervision committee remarks
on a meeting and on a stage of 四议两公开, within its own village only.

Such a request sees only committed data: the records made here are committed for this module and
deleted after it."""

import json

import frappe
import pytest
from frappe.utils import add_days, nowdate

from community_consultation.decision_bodies.doctype.meeting_rule.meeting_rule import rule_in_force
from community_consultation.tests.factory import full_case, make_outcome, make_session, make_topic
from community_consultation.tests.http import Client, api_token, exc_type, resource
from community_consultation.tests.meetings import make_basis, make_meeting, meeting_values, villagers
from community_consultation.tests.shared import committed_records
from community_consultation.tests.users import make_user

MEETING_CATEGORY = "村(社区)经济社会发展规划和年度计划"
ASSETS_CATEGORY = "集体“三资”、收益分配、成员资格、土地林地宅基地、大额资金"


@pytest.fixture(scope="module")
def world():
	with committed_records():
		case = full_case("接口会议")
		frappe.db.set_value("Consultation Topic", case.topic.name, "category", MEETING_CATEGORY)
		case.outcome = make_outcome(case.session)
		make_basis(case.units.village_a, adults=100, households=30)
		clerk = make_user("meeting-clerk@example.com", ["Committee Clerk"], [case.units.village_a])
		case.client = Client(api_token(clerk))
		supervisor = make_user(
			"meeting-supervisor@example.com", ["Supervision Committee Member"], [case.units.village_a]
		)
		case.supervisor = Client(api_token(supervisor))
		supervisor_b = make_user(
			"meeting-supervisor-b@example.com", ["Supervision Committee Member"], [case.units.village_b]
		)
		case.supervisor_b = Client(api_token(supervisor_b))
		frappe.db.commit()
		yield case


def payload(values: dict) -> dict:
	return json.loads(frappe.as_json(values))


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
	# the rule in force on the meeting's date is the one applied, and kept
	assert concluded.json["data"]["meeting_rule"] == rule_in_force(
		"Villagers' Meeting", concluded.json["data"]["meeting_on"]
	)
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


def assert_refused_and_nothing_written(response, error: str, before: int):
	assert response.status_code == 417, response.json
	assert exc_type(response) == error, response.json
	frappe.db.rollback()
	assert frappe.db.count("Community Meeting") == before


def voted(world, topics, votes, **kw) -> dict:
	values = payload(meeting_values(world.units.village_a, topics=topics, attendance=villagers(60), **kw))
	for row in values["agenda"]:
		row.update(vote_method="Ballot", votes_for=votes[0], votes_against=votes[1], votes_abstain=0)
	return values


def test_attendance_above_the_basis_is_refused_over_rest(world):
	before = frappe.db.count("Community Meeting")
	response = post_meeting(world, attendance=villagers(101))
	assert_refused_and_nothing_written(response, "AttendanceExceedsBasisError", before)
	assert "101 of 100 adults" in json.dumps(response.json, ensure_ascii=False)


def test_votes_above_attendance_are_refused_over_rest(world):
	before = frappe.db.count("Community Meeting")
	response = world.client.request(
		"post", resource("Community Meeting"), json=voted(world, [world.topic], (50, 11))
	)
	assert_refused_and_nothing_written(response, "VotesExceedAttendanceError", before)


def test_meeting_before_its_notice_period_is_refused_over_rest(world):
	before = frappe.db.count("Community Meeting")
	response = post_meeting(world, notice_published_on=add_days(nowdate(), -3))
	assert_refused_and_nothing_written(response, "NoticePeriodError", before)


def test_resolution_on_a_topic_of_another_village_is_refused_over_rest(world):
	other = make_topic(world.units.village_b, title="乙村宅基地事项")
	frappe.db.commit()
	before = frappe.db.count("Community Meeting")
	response = world.client.request(
		"post", resource("Community Meeting"), json=voted(world, [other.name], (40, 10))
	)
	assert_refused_and_nothing_written(response, "TopicOfAnotherUnitError", before)


def test_item_decided_twice_is_refused_over_rest(world):
	topic = make_topic(world.units.village_a, title="重复表决事项")
	first = make_meeting(world.units.village_a, topics=[topic], attendance=villagers(60), votes=(40, 10))
	frappe.db.commit()
	before = frappe.db.count("Community Meeting")
	# twice on one agenda
	response = world.client.request(
		"post", resource("Community Meeting"), json=voted(world, [topic.name, topic.name], (40, 10))
	)
	assert_refused_and_nothing_written(response, "ItemDecidedTwiceError", before)
	# again after a concluded, quorate meeting decided it: the draft is kept, never concluded
	draft = world.client.request(
		"post", resource("Community Meeting"), json=voted(world, [topic.name], (45, 5))
	)
	assert draft.status_code == 200, draft.json
	name = draft.json["data"]["name"]
	refused = submit(world, name)
	assert refused.status_code == 417 and exc_type(refused) == "ItemDecidedTwiceError", refused.json
	assert first.name in json.dumps(refused.json, ensure_ascii=False)
	frappe.db.rollback()
	assert frappe.db.get_value("Community Meeting", name, "docstatus") == 0
	assert frappe.get_all(
		"Community Meeting", {"name": ("in", [first.name, name]), "docstatus": 1}, pluck="name"
	) == [first.name]


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


@pytest.fixture(scope="module")
def stage_topic(world):
	"""A 四议两公开 topic of village A with its first stage recorded (the Party organisation's proposal)."""
	flag = frappe.db.get_value("Consultation Category", ASSETS_CATEGORY, "four_deliberations")
	frappe.db.set_value("Consultation Category", ASSETS_CATEGORY, "four_deliberations", 1)
	try:
		topic = make_topic(
			world.units.village_a, stakeholders=world.people, title="闲置厂房出租", category=ASSETS_CATEGORY
		)
		own = make_topic(world.units.village_a, stakeholders=world.people, title="村党组织提议厂房出租")
		session = make_session(own, world.people, consultation_form="村党组织会议")
		topic.append(
			"four_deliberations",
			{"stage": "Party Organisation's Proposal", "completed_on": nowdate(), "session": session.name},
		)
		topic.save()
		frappe.db.commit()
		yield topic
	finally:
		frappe.db.rollback()
		frappe.db.set_value("Consultation Category", ASSETS_CATEGORY, "four_deliberations", flag)
		frappe.db.commit()


def remark(reference_doctype: str, reference_name: str, **kw) -> dict:
	return {
		"reference_doctype": reference_doctype,
		"reference_name": reference_name,
		"remark_on": nowdate(),
		"finding": "Lawful and Orderly",
		"remark": "会议通知、签到和表决程序符合规定",
		**kw,
	}


def test_supervision_member_remarks_on_a_meeting_of_their_village_over_rest(world):
	meeting = make_meeting(
		world.units.village_a,
		topics=[make_topic(world.units.village_a, title="监督议题")],
		attendance=villagers(60),
		votes=(40, 10),
		title="监督村民会议",
	)
	frappe.db.commit()
	saved = world.supervisor.request(
		"post", resource("Supervision Remark"), json=remark("Community Meeting", meeting.name)
	)
	assert saved.status_code == 200, saved.json
	data = saved.json["data"]
	assert (data["community_unit"], data["reference_title"]) == (world.units.village_a, "监督村民会议")
	listed = world.supervisor.get(
		resource("Supervision Remark"),
		{"filters": json.dumps({"reference_name": meeting.name}), "fields": json.dumps(["name"])},
	)
	assert [r["name"] for r in listed.json["data"]] == [data["name"]]
	# the meeting itself stays as concluded: the committee reads it and cannot change it
	changed = world.supervisor.request(
		"put", resource("Community Meeting", meeting.name), json={"resolution_published_on": nowdate()}
	)
	assert changed.status_code == 403, changed.json
	# another village's committee member can neither remark on it nor read the remark
	before = frappe.db.count("Supervision Remark")
	refused = world.supervisor_b.request(
		"post", resource("Supervision Remark"), json=remark("Community Meeting", meeting.name)
	)
	assert refused.status_code == 403, refused.json
	assert world.supervisor_b.get(resource("Supervision Remark", data["name"])).status_code == 403
	frappe.db.rollback()
	assert frappe.db.count("Supervision Remark") == before


def test_supervision_remarks_on_a_stage_show_on_its_row_over_rest(world, stage_topic):
	refused = world.supervisor.request(
		"post",
		resource("Supervision Remark"),
		json=remark("Consultation Topic", stage_topic.name, stage="Meeting Resolution"),
	)
	assert refused.status_code == 417 and exc_type(refused) == "StageRemarkError", refused.json
	saved = world.supervisor.request(
		"post",
		resource("Supervision Remark"),
		json=remark(
			"Consultation Topic",
			stage_topic.name,
			stage="Party Organisation's Proposal",
			finding="Concern",
			remark="提议前未听取村民小组意见",
		),
	)
	assert saved.status_code == 200, saved.json
	topic = world.supervisor.get(resource("Consultation Topic", stage_topic.name)).json["data"]
	row = topic["four_deliberations"][0]
	assert "Concern: 提议前未听取村民小组意见" in row["supervision_remarks"]
	# the clerk reads it too, and cannot type remarks into the stage in the committee's place
	topic = world.client.get(resource("Consultation Topic", stage_topic.name)).json["data"]
	assert "提议前未听取村民小组意见" in topic["four_deliberations"][0]["supervision_remarks"]
	topic["four_deliberations"][0]["supervision_remarks"] = "文书代填的意见"
	saved = world.client.request("put", resource("Consultation Topic", stage_topic.name), json=topic)
	assert saved.status_code == 200, saved.json
	assert "文书代填的意见" not in saved.json["data"]["four_deliberations"][0]["supervision_remarks"]
	# another village's committee member is refused
	refused = world.supervisor_b.request(
		"post",
		resource("Supervision Remark"),
		json=remark("Consultation Topic", stage_topic.name, stage="Party Organisation's Proposal"),
	)
	assert refused.status_code == 403, refused.json
