"""Workflows that administrators own.

- The default workflows exist after install; a site that had none gets them from the patch; a DocType
  that already has a workflow (the administrator's) keeps it.
- An administrator's edits — a new state, a changed role, a removed transition, a disabled workflow —
  survive the migrate code path (the patch and after_install) and a real `bench migrate`.
- The work plan's rules still hold when an administrator makes a workflow as permissive as possible
  (every transition, every role, no condition).
- The workflow state follows the facts, the workflow decides who may bring a record to a state, and a
  state named after a milestone needs its facts.
"""

import os
import subprocess

import frappe
import pytest
from frappe.model.workflow import WorkflowPermissionError, apply_workflow, get_workflow_name
from frappe.utils import add_days, add_to_date, get_bench_path, now_datetime, nowdate

from community_consultation.community_consultation.doctype.consultation_outcome.consultation_outcome import (
	PublicityError,
)
from community_consultation.community_consultation.doctype.consultation_session.consultation_session import (
	NoticeError,
)
from community_consultation.community_consultation.doctype.consultation_topic.consultation_topic import (
	PartyConsentRequiredError,
	ReviewError,
)
from community_consultation.procedure.lifecycle import WorkflowRoleError, WorkflowStateError
from community_consultation.setup.workflows import WORKFLOWS, create_default_workflows
from community_consultation.tests import shared
from community_consultation.tests.factory import (
	held_values,
	make_outcome,
	make_people,
	make_session,
	make_stakeholder,
	make_topic,
	make_unit_tree,
	session_values,
)
from community_consultation.tests.users import as_user, make_user

CONSENT_CATEGORY = "协商主体提出、经村(社区)党组织同意协商的事项"
TOPIC, SESSION, OUTCOME = "Consultation Topic", "Consultation Session", "Consultation Outcome"
TOPIC_WF, SESSION_WF, OUTCOME_WF = (w[0] for w in WORKFLOWS)
TOWNSHIP = "Township Officer"
APP_ROLES = (
	"Consultation Administrator",
	"Township Officer",
	"Community Secretary",
	"Committee Clerk",
	"Building Head",
	"Supervision Committee Member",
	"System Manager",
)


def workflow(doctype):
	return frappe.get_doc("Workflow", get_workflow_name(doctype))


def snapshot(wf) -> dict:
	return {
		"active": wf.is_active,
		"states": sorted((s.state, s.doc_status, s.update_field or "", s.allow_edit) for s in wf.states),
		"transitions": sorted(
			(t.state, t.action, t.next_state, t.allowed, t.condition or "") for t in wf.transitions
		),
	}


def make_permissive(doctype: str):
	"""Every transition Frappe allows between the workflow's states, to every role, without conditions."""
	wf = workflow(doctype)
	states = list({s.state: int(s.doc_status) for s in wf.states}.items())
	wf.set("transitions", [])
	for state, from_status in states:
		for next_state, to_status in states:
			if state == next_state or from_status == 2 or (from_status, to_status) in ((1, 0), (0, 2)):
				continue
			action = f"to {next_state}"
			if not frappe.db.exists("Workflow Action Master", action):
				frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert()
			for role in APP_ROLES:
				wf.append(
					"transitions",
					{
						"state": state,
						"action": action,
						"next_state": next_state,
						"allowed": role,
						"allow_self_approval": 1,
					},
				)
	wf.save()
	return wf


def make_case() -> frappe._dict:
	units = make_unit_tree("流程")
	people = make_people(units.village_a)
	clerk = make_user("wf-clerk@example.com", ["Committee Clerk"], [units.village_a])
	secretary = make_user("wf-secretary@example.com", ["Community Secretary"], [units.village_a])
	return frappe._dict(units=units, people=people, clerk=clerk, secretary=secretary)


@pytest.fixture
def case():
	"""Village A's units, people, clerk and secretary: made and committed once for the run (users are slow
	to make; community_consultation.tests.shared), each test's writes rolled back after it."""
	return frappe._dict(shared.committed("workflow case", make_case, prefix="流程"))


@pytest.fixture(autouse=True)
def _fresh_workflow_cache():
	"""Workflows are cached in Redis, which the test's rollback does not undo."""
	frappe.clear_cache()
	yield
	frappe.clear_cache()


def state(doctype, name):
	return frappe.db.get_value(doctype, name, "workflow_state")


# ---------------------------------------------------------------------------------------- defaults


def test_default_workflows_exist_after_install():
	for name, doctype, states, transitions in WORKFLOWS:
		wf = frappe.get_doc("Workflow", name)
		assert wf.document_type == doctype and wf.is_active
		assert wf.override_status, "the list keeps the status derived from the facts"
		assert {s.state for s in wf.states} == {s[0] for s in states}
		assert {(t.state, t.action, t.next_state) for t in wf.transitions} == {t[:3] for t in transitions}


def test_the_patch_creates_missing_workflows_and_keeps_an_administrators_own():
	for name, *_ in WORKFLOWS:
		frappe.delete_doc("Workflow", name, force=True)
	frappe.clear_cache()
	own = frappe.get_doc(
		{
			"doctype": "Workflow",
			"workflow_name": "本镇议题审查",
			"document_type": TOPIC,
			"workflow_state_field": "workflow_state",
			"is_active": 1,
			"states": [{"state": "Draft", "doc_status": "0", "allow_edit": "Committee Clerk"}],
			"transitions": [],
		}
	).insert()

	frappe.get_attr("community_consultation.patches.v0_1.create_default_workflows.execute")()

	assert get_workflow_name(TOPIC) == own.name
	assert not frappe.db.exists("Workflow", "Consultation Topic Review")
	assert frappe.db.exists("Workflow", "Consultation Session Procedure")
	assert frappe.db.exists("Workflow", "Consultation Outcome Procedure")


def test_records_made_before_the_workflow_take_the_state_of_their_facts(case):
	for name, *_ in WORKFLOWS:
		frappe.delete_doc("Workflow", name, force=True)
	frappe.clear_cache()
	topic = make_topic(case.units.village_a, stakeholders=case.people)
	session = make_session(topic, case.people)
	outcome = make_outcome(session, progress=[{"percent_complete": 30}])
	draft = make_topic(case.units.village_a, accepted=False, stakeholders=case.people)

	create_default_workflows()

	assert state(TOPIC, topic.name) == "Accepted"
	assert state(TOPIC, draft.name) == "Draft"
	assert state(SESSION, session.name) == "Concluded"
	assert state(OUTCOME, outcome.name) == "In Implementation"


def officer_rows(wf) -> set[tuple]:
	return {
		("state", s.state, s.doc_status, s.update_field or "") for s in wf.states if s.allow_edit == TOWNSHIP
	} | {
		("transition", t.state, t.action, t.next_state, t.condition or "")
		for t in wf.transitions
		if t.allowed == TOWNSHIP
	}


def test_the_patch_gives_existing_workflows_the_township_officers_rows_and_keeps_an_administrators_edits():
	"""A site whose workflows predate the township's own consultation: the officer could only edit and
	submit a draft topic. Its administrator has since added a transition of their own, removed the clerk's
	Return and the Rejected state, and taken the officer's Submit for Review out."""
	defaults = {name: officer_rows(frappe.get_doc("Workflow", name)) for name, *_ in WORKFLOWS}
	for name, *_ in WORKFLOWS:
		wf = frappe.get_doc("Workflow", name)
		wf.set(
			"states",
			[s for s in wf.states if s.allow_edit != TOWNSHIP or (name, s.state) == (TOPIC_WF, "Draft")],
		)
		wf.set("transitions", [t for t in wf.transitions if t.allowed != TOWNSHIP])
		wf.save()
	if not frappe.db.exists("Workflow Action Master", "Ask the Township"):
		frappe.get_doc(
			{"doctype": "Workflow Action Master", "workflow_action_name": "Ask the Township"}
		).insert()
	topic = frappe.get_doc("Workflow", TOPIC_WF)
	topic.append(
		"transitions",
		{"state": "Party Review", "action": "Ask the Township", "next_state": "Draft", "allowed": TOWNSHIP},
	)
	topic.set("states", [s for s in topic.states if s.state != "Rejected"])
	topic.set(
		"transitions",
		[
			t
			for t in topic.transitions
			if "Rejected" not in (t.state, t.next_state)
			and (t.action, t.allowed) != ("Return", "Committee Clerk")
		],
	)
	topic.save()
	edited = {name: snapshot(frappe.get_doc("Workflow", name)) for name, *_ in WORKFLOWS}

	frappe.get_attr("community_consultation.patches.v0_1.township_officer_workflow_rights.execute")()
	frappe.clear_cache()

	session, outcome = (frappe.get_doc("Workflow", n) for n in (SESSION_WF, OUTCOME_WF))
	assert officer_rows(session) == defaults[SESSION_WF]
	assert officer_rows(outcome) == defaults[OUTCOME_WF]
	topic = frappe.get_doc("Workflow", TOPIC_WF)
	assert officer_rows(topic) == {
		row
		for row in defaults[TOPIC_WF]
		if "Rejected" not in row and row[:3] != ("transition", "Draft", "Submit for Review")
	} | {("transition", "Party Review", "Ask the Township", "Draft", "")}
	# everything the administrator had is still there, unchanged; only the officer's rows were added
	for name, before in edited.items():
		after = snapshot(frappe.get_doc("Workflow", name))
		for part in ("states", "transitions"):
			assert set(before[part]) <= set(after[part])
			assert {row for row in set(after[part]) - set(before[part]) if TOWNSHIP not in row} == set()
	assert not [t for t in topic.transitions if (t.action, t.allowed) == ("Return", "Committee Clerk")]
	assert "Rejected" not in {s.state for s in topic.states}

	# run again: nothing more
	again = {name: snapshot(frappe.get_doc("Workflow", name)) for name, *_ in WORKFLOWS}
	frappe.get_attr("community_consultation.patches.v0_1.township_officer_workflow_rights.execute")()
	assert {name: snapshot(frappe.get_doc("Workflow", name)) for name, *_ in WORKFLOWS} == again


# ---------------------------------------------------------------------------------------- migrate


def edit_like_an_administrator():
	"""A new state, a changed role, a removed transition, a disabled workflow."""
	if not frappe.db.exists("Workflow State", "Township Check"):
		frappe.get_doc({"doctype": "Workflow State", "workflow_state_name": "Township Check"}).insert()
	if not frappe.db.exists("Workflow Action Master", "Ask the Township"):
		frappe.get_doc(
			{"doctype": "Workflow Action Master", "workflow_action_name": "Ask the Township"}
		).insert()
	topic = workflow(TOPIC)
	topic.append("states", {"state": "Township Check", "doc_status": "0", "allow_edit": "Township Officer"})
	topic.append(
		"transitions",
		{
			"state": "Party Review",
			"action": "Ask the Township",
			"next_state": "Township Check",
			"allowed": "Community Secretary",
		},
	)
	for t in topic.transitions:
		if t.action == "Accept" and t.allowed == "Committee Clerk":
			t.allowed = "Township Officer"
	topic.set("transitions", [t for t in topic.transitions if t.action != "Return"])
	topic.save()
	outcome = workflow(OUTCOME)
	outcome.is_active = 0
	outcome.save()
	return {TOPIC: snapshot(topic), OUTCOME: snapshot(frappe.get_doc("Workflow", outcome.name))}


def current():
	return {
		TOPIC: snapshot(frappe.get_doc("Workflow", "Consultation Topic Review")),
		OUTCOME: snapshot(frappe.get_doc("Workflow", "Consultation Outcome Procedure")),
	}


def test_administrators_edits_survive_the_migrate_code_path():
	edited = edit_like_an_administrator()

	frappe.get_attr("community_consultation.patches.v0_1.create_default_workflows.execute")()
	frappe.get_attr("community_consultation.install.after_install")()
	for hook in frappe.get_hooks("after_migrate", app_name="community_consultation"):
		frappe.get_attr(hook)()

	assert current() == edited
	assert not frappe.db.get_value("Workflow", "Consultation Outcome Procedure", "is_active")
	assert frappe.db.count("Workflow", {"document_type": OUTCOME}) == 1


def test_administrators_edits_survive_a_real_bench_migrate():
	"""`bench migrate` in its own process sees only committed data: the edits are committed, checked
	after the migrate, then undone (recreating the defaults) and committed again."""
	site = frappe.local.site
	edited = edit_like_an_administrator()
	frappe.db.commit()
	try:
		result = subprocess.run(
			["bench", "--site", site, "migrate", "--skip-search-index"],
			cwd=get_bench_path(),
			capture_output=True,
			text=True,
			env={**os.environ, "PYTHONWARNINGS": "ignore"},
			check=False,
		)
		assert result.returncode == 0, result.stderr[-2000:]
		frappe.db.rollback()
		frappe.clear_cache()
		assert current() == edited
	finally:
		for name, *_ in WORKFLOWS:
			frappe.delete_doc("Workflow", name, force=True)
		create_default_workflows()
		frappe.db.commit()


# ---------------------------------------------------------------------------------------- rules hold


def test_a_permissive_workflow_cannot_accept_a_topic_without_party_consent(case):
	make_permissive(TOPIC)
	topic = make_topic(
		case.units.village_a, accepted=False, category=CONSENT_CATEGORY, stakeholders=case.people
	)
	with as_user(case.clerk), pytest.raises(PartyConsentRequiredError):
		apply_workflow(topic.as_dict(), "to Accepted")
	assert frappe.db.get_value(TOPIC, topic.name, ["review_decision", "workflow_state"]) == ("", "Draft")


def test_a_permissive_workflow_cannot_conclude_a_session_noticed_too_late(case):
	make_permissive(SESSION)
	topic = make_topic(case.units.village_a, stakeholders=case.people)
	starts_on = add_days(now_datetime(), -1)
	doc = frappe.get_doc(
		session_values(
			topic, case.people, starts_on=starts_on, notice_published_on=add_to_date(starts_on, hours=-2)
		)
	)
	doc.update(held_values(attendees=len(case.people)))
	doc.insert()
	assert state(SESSION, doc.name) == "Held"
	for action in ("to Concluded",):
		with as_user(case.clerk), pytest.raises(NoticeError):
			apply_workflow(doc.as_dict(), action)
	assert frappe.db.get_value(SESSION, doc.name, ["docstatus", "workflow_state"]) == (0, "Held")


def test_a_permissive_workflow_cannot_mark_a_session_held_without_its_vote(case):
	make_permissive(SESSION)
	topic = make_topic(case.units.village_a, stakeholders=case.people)
	doc = make_session(topic, case.people, conclude=False)
	assert state(SESSION, doc.name) == "Notice Published"
	with as_user(case.clerk), pytest.raises(WorkflowStateError):
		apply_workflow(doc.as_dict(), "to Held")
	with as_user(case.clerk), pytest.raises(frappe.ValidationError):
		apply_workflow(doc.as_dict(), "to Concluded")
	assert frappe.db.get_value(SESSION, doc.name, ["docstatus", "workflow_state"]) == (0, "Notice Published")


def test_a_permissive_workflow_cannot_file_an_outcome_without_both_filings(case):
	make_permissive(OUTCOME)
	topic = make_topic(case.units.village_a, stakeholders=case.people)
	session = make_session(topic, case.people)
	doc = make_outcome(session, file=False, filed_with_committee_on=None)
	for action in ("to Filed", "to Publicised", "to Implemented"):
		with as_user(case.clerk), pytest.raises(frappe.ValidationError):
			apply_workflow(doc.as_dict(), action)
	assert frappe.db.get_value(OUTCOME, doc.name, ["docstatus", "workflow_state"]) == (0, "Draft")


def test_a_permissive_workflow_cannot_publicise_before_the_stakeholders_are_told_nor_implement_early(case):
	make_permissive(OUTCOME)
	topic = make_topic(case.units.village_a, stakeholders=case.people)
	doc = make_outcome(make_session(topic, case.people), publicise=False)
	assert state(OUTCOME, doc.name) == "Filed"
	with as_user(case.clerk), pytest.raises(PublicityError):
		apply_workflow(doc.as_dict(), "to Publicised")
	for action in ("to In Implementation", "to Implemented"):
		with as_user(case.clerk), pytest.raises(frappe.ValidationError):
			apply_workflow(doc.as_dict(), action)
	assert frappe.db.get_value(OUTCOME, doc.name, ["publicity_from", "workflow_state"]) == (None, "Filed")


def test_a_permissive_workflow_gives_no_write_to_a_role_without_it(case):
	make_permissive(TOPIC)
	supervisor = make_user(
		"wf-supervisor@example.com", ["Supervision Committee Member"], [case.units.village_a]
	)
	topic = make_topic(case.units.village_a, accepted=False, stakeholders=case.people)
	with as_user(supervisor), pytest.raises(frappe.PermissionError):
		apply_workflow(topic.as_dict(), "to Rejected")
	assert state(TOPIC, topic.name) == "Draft"


# ---------------------------------------------------------------------------------------- facts and states


def test_the_state_follows_the_facts_through_the_procedure(case):
	topic = make_topic(case.units.village_a, accepted=False, stakeholders=case.people)
	assert state(TOPIC, topic.name) == "Draft"
	with as_user(case.secretary):
		frappe.get_doc(TOPIC, topic.name).accept()
	assert state(TOPIC, topic.name) == "Accepted"

	doc = frappe.get_doc(session_values(topic, case.people, notice_published_on=None, notice_channels=[]))
	for p in doc.participants:
		p.notified_on = None
	doc.starts_on = add_days(now_datetime(), 5)
	doc.insert()
	assert state(SESSION, doc.name) == "Draft"
	with as_user(case.clerk):
		session = frappe.get_doc(SESSION, doc.name)
		session.publish_notice(["Bulletin Board"])
	assert state(SESSION, doc.name) == "Notice Published"

	session = make_session(
		make_topic(case.units.village_a, stakeholders=case.people), case.people, conclude=False
	)
	session.update(held_values(attendees=len(case.people)))
	session.save()
	assert state(SESSION, session.name) == "Held"
	session.submit()
	assert state(SESSION, session.name) == "Concluded"

	outcome = make_outcome(session)
	assert state(OUTCOME, outcome.name) == "Publicised"
	outcome.append(
		"progress",
		{"update_on": nowdate(), "published_on": nowdate(), "percent_complete": 50, "note": "施工中"},
	)
	outcome.save()
	assert state(OUTCOME, outcome.name) == "In Implementation"
	outcome.append(
		"progress",
		{"update_on": nowdate(), "published_on": nowdate(), "percent_complete": 100, "note": "已完工"},
	)
	outcome.save()
	assert state(OUTCOME, outcome.name) == "Implemented"


def test_the_workflow_decides_who_may_accept_a_topic(case):
	wf = workflow(TOPIC)
	wf.set(
		"transitions",
		[t for t in wf.transitions if not (t.next_state == "Accepted" and t.allowed == "Committee Clerk")],
	)
	wf.save()
	topic = make_topic(case.units.village_a, accepted=False, stakeholders=case.people)
	with as_user(case.clerk), pytest.raises(WorkflowRoleError):
		frappe.get_doc(TOPIC, topic.name).accept()
	assert frappe.db.get_value(TOPIC, topic.name, ["review_decision", "workflow_state"]) == ("", "Draft")
	with as_user(case.secretary):
		frappe.get_doc(TOPIC, topic.name).accept()
	assert frappe.db.get_value(TOPIC, topic.name, ["review_decision", "workflow_state"]) == (
		"Accepted",
		"Accepted",
	)


def test_the_review_through_the_workflow(case):
	topic = make_topic(case.units.village_a, accepted=False, stakeholders=case.people)
	with as_user(case.clerk):
		apply_workflow(frappe.get_doc(TOPIC, topic.name).as_dict(), "Submit for Review")
		assert state(TOPIC, topic.name) == "Party Review"
		with pytest.raises(ReviewError):
			apply_workflow(frappe.get_doc(TOPIC, topic.name).as_dict(), "Reject")
		frappe.db.set_value(TOPIC, topic.name, "rejection_reason", "不属于本村事务")
		apply_workflow(frappe.get_doc(TOPIC, topic.name).as_dict(), "Reject")
	assert frappe.db.get_value(TOPIC, topic.name, ["review_decision", "status", "workflow_state"]) == (
		"Rejected",
		"Rejected",
		"Rejected",
	)
	with as_user(case.secretary):
		apply_workflow(frappe.get_doc(TOPIC, topic.name).as_dict(), "Reconsider")
		apply_workflow(frappe.get_doc(TOPIC, topic.name).as_dict(), "Accept")
	assert frappe.db.get_value(TOPIC, topic.name, ["review_decision", "workflow_state"]) == (
		"Accepted",
		"Accepted",
	)


def test_a_state_cannot_be_set_without_its_facts_through_the_api(case):
	topic = make_topic(case.units.village_a, accepted=False, stakeholders=case.people)
	with as_user(case.clerk):
		doc = frappe.get_doc(TOPIC, topic.name)
		doc.workflow_state = "Accepted"
		with pytest.raises((frappe.ValidationError, WorkflowPermissionError)):
			doc.save()
	assert state(TOPIC, topic.name) == "Draft"


def test_the_publish_notice_action_publishes_and_notifies(case):
	resident = make_user("wf-resident@example.com", first_name="村民")
	reachable = make_stakeholder("有账号的村民", case.units.village_a, user=resident)
	people = [*case.people, reachable]
	topic = make_topic(case.units.village_a, stakeholders=people)
	doc = frappe.get_doc(session_values(topic, people, notice_published_on=None, notice_channels=[]))
	for p in doc.participants:
		p.notified_on = None
	doc.starts_on = add_days(now_datetime(), 5)
	doc.insert()
	with as_user(case.clerk), pytest.raises(NoticeError):
		apply_workflow(frappe.get_doc(SESSION, doc.name).as_dict(), "Publish Notice")
	assert not frappe.db.get_value(SESSION, doc.name, "notice_published_on")

	with_channel = frappe.get_doc(SESSION, doc.name)
	with_channel.append("notice_channels", {"channel": "Bulletin Board"})
	with_channel.save()
	with as_user(case.clerk):
		apply_workflow(frappe.get_doc(SESSION, doc.name).as_dict(), "Publish Notice")
	session = frappe.get_doc(SESSION, doc.name)
	assert session.notice_published_on and session.workflow_state == "Notice Published"
	assert session.status == "Notice Published"
	assert frappe.db.exists(
		"Consultation Notice Log",
		{"reference_name": doc.name, "notice_type": "Session Notice", "stakeholder": reachable},
	)


def test_the_start_publicity_action_starts_it_for_the_minimum_period(case):
	topic = make_topic(case.units.village_a, stakeholders=case.people)
	doc = make_outcome(make_session(topic, case.people), publicise=False)
	for stakeholder in doc.topic_stakeholders():
		doc.append(
			"notices", {"stakeholder": stakeholder, "notified_on": now_datetime(), "notified_via": "电话"}
		)
	doc.stakeholders_notified_on = now_datetime()
	doc.save()
	with as_user(case.clerk):
		apply_workflow(frappe.get_doc(OUTCOME, doc.name).as_dict(), "Start Publicity")
	days = frappe.db.get_single_value("Consultation Settings", "min_publicity_days")
	values = frappe.db.get_value(
		OUTCOME, doc.name, ["publicity_from", "publicity_to", "workflow_state", "status"], as_dict=True
	)
	assert str(values.publicity_from) == nowdate()
	assert str(values.publicity_to) == str(add_days(nowdate(), days - 1))
	assert (values.workflow_state, values.status) == ("Publicised", "Publicised")


def test_an_amended_outcome_starts_again_at_draft(case):
	topic = make_topic(case.units.village_a, stakeholders=case.people)
	original = make_outcome(make_session(topic, case.people))
	original.cancel()
	amended = frappe.copy_doc(original, ignore_no_copy=False)
	amended.docstatus = 0
	amended.amended_from = original.name
	amended.correction_reason = "原成果违反财务管理制度，予以纠正。"
	amended.insert()
	assert state(OUTCOME, amended.name) == "Draft"
	assert state(OUTCOME, original.name) == "Cancelled"


def test_publicity_that_starts_on_a_later_day_moves_the_state_that_day(case):
	from community_consultation.community_consultation.doctype.consultation_outcome.consultation_outcome import (
		follow_the_calendar,
	)

	topic = make_topic(case.units.village_a, stakeholders=case.people)
	doc = make_outcome(make_session(topic, case.people), publicise=False)
	for stakeholder in doc.topic_stakeholders():
		doc.append(
			"notices", {"stakeholder": stakeholder, "notified_on": now_datetime(), "notified_via": "电话"}
		)
	doc.stakeholders_notified_on = now_datetime()
	doc.publicity_from = add_days(nowdate(), 2)
	doc.publicity_to = add_days(nowdate(), 12)
	doc.save()
	assert state(OUTCOME, doc.name) == "Filed"
	follow_the_calendar()
	assert state(OUTCOME, doc.name) == "Filed"
	frappe.db.set_value(OUTCOME, doc.name, "publicity_from", nowdate(), update_modified=False)
	follow_the_calendar()
	assert state(OUTCOME, doc.name) == "Publicised"
