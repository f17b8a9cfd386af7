"""Four rules of the decision bodies and of the township link, driven over REST as a village clerk would
(token authentication, Frappe's WSGI application, the request's own commit or rollback):

- art. 24: a representatives' meeting that no villagers' meeting authorised neither decides a reserved
  matter nor blocks the villagers' meeting (`decision_bodies/authorisation.py`);
- 四议两公开: the record proving each stage comes after the previous stage's record, whatever dates are
  typed into the rows (`four_deliberations.validate_proofs_in_order`);
- §二(六): a report back on an entrusted matter is not dated before the matter was assigned, nor in the
  future (`EntrustedMatterReport.validate_reported_on`);
- §三(二), 二(四): the meetings of the decision bodies are the village's consultation activity, for the
  silent villages and the planned dates kept (`township.queries.ACTIVITY_RECORDS`).

Such a request sees only committed data: the records made here are committed for this module and
deleted after it."""

import json

import frappe
import pytest
from frappe.utils import add_days, add_to_date, getdate, now_datetime, nowdate

from community_consultation.tests.factory import (
	DEFAULT_CATEGORY,
	full_case,
	make_outcome,
	make_people,
	make_session,
	make_topic,
	make_unit_tree,
)
from community_consultation.tests.http import Client, api_token, exc_type, resource, server_messages
from community_consultation.tests.meetings import (
	make_basis,
	make_meeting,
	meeting_values,
	representatives,
	villagers,
)
from community_consultation.tests.shared import committed_records
from community_consultation.tests.users import make_user

MEETING_CATEGORY = "村(社区)经济社会发展规划和年度计划"
ASSETS_CATEGORY = "集体“三资”、收益分配、成员资格、土地林地宅基地、大额资金"
REPRESENTATIVES = "Villagers' Representatives' Meeting"


@pytest.fixture(scope="module")
def world():
	with committed_records():
		case = full_case("规则")
		frappe.db.set_value("Consultation Topic", case.topic.name, "category", MEETING_CATEGORY)
		case.outcome = make_outcome(case.session)
		case.basis = make_basis(case.units.village_a, adults=100, households=30, representatives=7)
		clerk = make_user("rules-clerk@example.com", ["Committee Clerk"], [case.units.village_a])
		case.client = Client(api_token(clerk))
		frappe.db.commit()
		yield case


def payload(values: dict) -> dict:
	return json.loads(frappe.as_json(values))


def post_voted_meeting(world, kind, attendance, votes, **kw):
	values = payload(
		meeting_values(world.units.village_a, kind, topics=[world.topic], attendance=attendance, **kw)
	)
	for row in values["agenda"]:
		row.update(vote_method="Ballot", votes_for=votes[0], votes_against=votes[1], votes_abstain=0)
	saved = world.client.request("post", resource("Community Meeting"), json=values)
	assert saved.status_code == 200, saved.json
	return saved.json["data"]["name"]


def conclude(world, name):
	return world.client.request("put", resource("Community Meeting", name), json={"docstatus": 1})


def start_implementation(world, meeting):
	outcome = world.client.get(resource("Consultation Outcome", world.outcome.name)).json["data"]
	outcome["meeting"] = meeting
	outcome["progress"] = [
		{"update_on": nowdate(), "published_on": nowdate(), "percent_complete": 10, "note": "开工"}
	]
	return world.client.request("put", resource("Consultation Outcome", world.outcome.name), json=outcome)


# ------------------------------------------------------------------------------------ art. 24


def test_unauthorised_representatives_meeting_neither_decides_nor_blocks_the_villagers_meeting(world):
	# no villagers' meeting of the village authorised the representatives' meeting: it votes the matter
	# down, and is concluded
	reps = post_voted_meeting(
		world,
		REPRESENTATIVES,
		representatives(world.basis),
		(2, 5),
		meeting_on=add_days(now_datetime(), -3),
	)
	concluded = conclude(world, reps)
	assert concluded.status_code == 200, concluded.json
	told = server_messages(concluded)
	# its vote did not decide: the matter is not closed as Not Adopted, nor implemented on its vote
	topic = world.client.get(resource("Consultation Topic", world.topic.name)).json["data"]
	assert topic["status"] != "Not Adopted", topic["status"]
	refused = start_implementation(world, reps)
	assert refused.status_code == 417 and exc_type(refused) == "MeetingResolutionRequiredError"
	# the villagers' meeting still decides it: it is not refused as "already decided"
	villagers_meeting = post_voted_meeting(world, "Villagers' Meeting", villagers(60), (45, 10))
	concluded = conclude(world, villagers_meeting)
	assert concluded.status_code == 200, concluded.json
	assert concluded.json["data"]["agenda"][0]["result"] == "Passed"
	started = start_implementation(world, villagers_meeting)
	assert started.status_code == 200, started.json
	assert started.json["data"]["status"] == "In Implementation"
	# the clerk was told at its conclusion that its vote decides nothing (naming the matter's category)
	assert MEETING_CATEGORY in told


# ------------------------------------------------------------------------------------ 四议两公开


def stage_session(world, form, held):
	"""A concluded session of village A held as `form` at `held`, on a topic of its own."""
	own = make_topic(world.units.village_a, stakeholders=world.people, title=f"{form}议厂房出租")
	return make_session(own, world.people, consultation_form=form, starts_on=held).name


@pytest.fixture(scope="module")
def stage_topic(world):
	"""A 四议两公开 topic of village A, and the records of its first three stages and of its resolution:
	proposal 6 days ago, deliberation 5 days ago, an earlier deliberation 8 days ago, the Party members'
	review 2 days ago, the villagers' meeting that passed it 3 days ago (before the review)."""
	flag = frappe.db.get_value("Consultation Category", ASSETS_CATEGORY, "four_deliberations")
	frappe.db.set_value("Consultation Category", ASSETS_CATEGORY, "four_deliberations", 1)
	try:
		topic = make_topic(
			world.units.village_a, stakeholders=world.people, title="闲置厂房出租", category=ASSETS_CATEGORY
		)
		now = now_datetime()
		records = frappe._dict(
			topic=topic.name,
			proposal=stage_session(world, "村党组织会议", add_days(now, -6)),
			deliberation=stage_session(world, "村“两委”联席会议", add_days(now, -5)),
			early_deliberation=stage_session(world, "村“两委”联席会议", add_days(now, -8)),
			review=stage_session(world, "党员大会", add_to_date(now, days=-2)),
			meeting=make_meeting(
				world.units.village_a,
				topics=[topic],
				attendance=villagers(60),
				votes=(40, 10),
				meeting_on=add_days(now, -3),
			).name,
		)
		frappe.db.commit()
		yield records
	finally:
		frappe.db.rollback()
		frappe.db.set_value("Consultation Category", ASSETS_CATEGORY, "four_deliberations", flag)
		frappe.db.commit()


def put_stages(world, topic, stages):
	doc = world.client.get(resource("Consultation Topic", topic)).json["data"]
	doc["four_deliberations"] = [
		{"stage": stage, "completed_on": nowdate(), field: name} for stage, field, name in stages
	]
	return world.client.request("put", resource("Consultation Topic", topic), json=doc)


def test_four_deliberations_stage_proven_by_a_record_before_the_previous_stage_is_refused(world, stage_topic):
	proposal = ("Party Organisation's Proposal", "session", stage_topic.proposal)
	# the rows are all dated today, in order; the deliberation session was held before the proposal
	refused = put_stages(
		world,
		stage_topic.topic,
		[proposal, ("Two Committees' Deliberation", "session", stage_topic.early_deliberation)],
	)
	assert refused.status_code == 417, refused.json
	assert exc_type(refused) == "FourDeliberationsError"
	assert stage_topic.proposal in json.dumps(refused.json, ensure_ascii=False)
	frappe.db.rollback()
	assert not frappe.get_all(
		"Four Deliberations Stage", {"parent": stage_topic.topic, "parenttype": "Consultation Topic"}
	)
	# the resolution was held before the Party members' assembly reviewed the matter
	in_order = [
		proposal,
		("Two Committees' Deliberation", "session", stage_topic.deliberation),
		("Party Members' Assembly Review", "session", stage_topic.review),
	]
	refused = put_stages(
		world, stage_topic.topic, [*in_order, ("Meeting Resolution", "meeting", stage_topic.meeting)]
	)
	assert refused.status_code == 417 and exc_type(refused) == "FourDeliberationsError", refused.json
	assert stage_topic.review in json.dumps(refused.json, ensure_ascii=False)
	# the first three stages, each proven after the one before it, are recorded
	saved = put_stages(world, stage_topic.topic, in_order)
	assert saved.status_code == 200, saved.json
	assert [r["stage"] for r in saved.json["data"]["four_deliberations"]] == [s[0] for s in in_order]


# ------------------------------------------------------------------------------------ report back


@pytest.fixture(scope="module")
def entrusted(world):
	"""An entrusted matter the township assigned to village A three days ago."""
	assignment = frappe.get_doc(
		{
			"doctype": "Township Assignment",
			"title": "农村户厕改造",
			"community_unit": world.units.township,
			"entrusted_by": "县卫生健康局",
			"description": "<p>各村协商确定改厕方案，完成后报告结果。</p>",
			"category": DEFAULT_CATEGORY,
			"report_back_by": add_days(nowdate(), 10),
			"villages": [{"village": world.units.village_a}],
		}
	).insert()
	assignment.assign()
	assignment.db_set("assigned_on", add_days(nowdate(), -3))
	frappe.db.commit()
	return frappe._dict(name=assignment.name, topic=assignment.villages[0].topic)


def report(world, topic, reported_on):
	values = {"topic": topic, "reported_on": str(reported_on), "content": "<p>已完成整治方案并实施。</p>"}
	return world.client.request("post", resource("Entrusted Matter Report"), json=values)


def test_report_back_dated_before_the_assignment_or_in_the_future_is_refused(world, entrusted):
	before = frappe.db.count("Entrusted Matter Report")
	refused = report(world, entrusted.topic, getdate(add_days(nowdate(), -10)))
	assert refused.status_code == 417 and exc_type(refused) == "ReportDateError", refused.json
	refused = report(world, entrusted.topic, getdate(add_days(nowdate(), 1)))
	assert refused.status_code == 417 and exc_type(refused) == "ReportDateError", refused.json
	frappe.db.rollback()
	assert frappe.db.count("Entrusted Matter Report") == before
	saved = report(world, entrusted.topic, getdate(add_days(nowdate(), -2)))
	assert saved.status_code == 200, saved.json
	frappe.db.rollback()
	status = frappe.db.get_value(
		"Township Assignment Village", {"parent": entrusted.name, "topic": entrusted.topic}, "report_status"
	)
	assert status == "Reported on Time"


# ------------------------------------------------------------------------------------ activity


@pytest.fixture(scope="module")
def meeting_village():
	"""A village whose only consultation activity is its quarterly representatives' meeting, held
	yesterday, as its yearly plan schedules it; its clerk; the months after which a village is silent."""
	with committed_records():
		units = make_unit_tree("例会")
		basis = make_basis(units.village_a, representatives=7)
		people = make_people(units.village_a)
		topic = make_topic(units.village_a, stakeholders=people, title="季度例会事项")
		held = add_days(now_datetime(), -1)
		make_meeting(
			units.village_a,
			REPRESENTATIVES,
			topics=[topic],
			attendance=representatives(basis),
			votes=(6, 1),
			meeting_on=held,
		)
		plan = frappe.get_doc(
			{
				"doctype": "Consultation Plan",
				"community_unit": units.village_a,
				"year": getdate(held).year,
				"dates": [{"planned_on": getdate(held), "meeting": "季度村民代表会议"}],
			}
		).insert()
		clerk = make_user("rules-plan-clerk@example.com", ["Committee Clerk"], [units.village_a])
		client = Client(api_token(clerk))
		months = frappe.db.get_single_value("Consultation Settings", "silent_village_months")
		frappe.db.set_single_value("Consultation Settings", "silent_village_months", 3)
		frappe.db.commit()
		try:
			yield frappe._dict(units=units, held=held, plan=plan.name, client=client)
		finally:
			frappe.db.rollback()
			frappe.db.set_single_value("Consultation Settings", "silent_village_months", months)
			frappe.db.commit()


def test_meetings_of_the_decision_bodies_count_as_the_villages_consultation_activity(meeting_village):
	client, village = meeting_village.client, meeting_village.units.village_a
	silent = client.method("community_consultation.township.queries.silent_villages")
	assert silent.status_code == 200, silent.json
	assert village not in {r["name"] for r in silent.json["message"]}
	# four months on, it is silent: the meeting dates its last activity
	later = str(getdate(add_days(nowdate(), 125)))
	silent = client.method("community_consultation.township.queries.silent_villages", today=later)
	rows = {r["name"]: r for r in silent.json["message"]}
	assert village in rows
	assert getdate(rows[village]["last_session"]) == getdate(meeting_village.held)
	# the planned date of the representatives' meeting is kept
	day = str(getdate(meeting_village.held))
	events = client.method(
		"community_consultation.township.doctype.consultation_plan.consultation_plan.get_events",
		start=day,
		end=day,
	)
	assert events.status_code == 200, events.json
	titles = [e["title"] for e in events.json["message"] if e["name"] == meeting_village.plan]
	assert titles and titles[0].startswith("✓"), titles
