"""Inspection and guidance (§三(三)) and regular consultation (§三(二)): inspections of a village's
consultation work with their corrections, yearly consultation plans with reminders and the dates kept,
and the villages that held no session for the months set in Consultation Settings."""

import frappe
import pytest
from frappe.utils import add_days, add_months, getdate, now_datetime, nowdate

from community_consultation.tests.factory import make_people, make_session, make_topic, make_unit_tree
from community_consultation.tests.users import as_user, make_user
from community_consultation.township.doctype.consultation_inspection.consultation_inspection import (
	CorrectionChangeError,
	InspectionDateError,
	InspectionRightsError,
	InspectionUnitError,
	follow_open_corrections,
)
from community_consultation.township.doctype.consultation_plan.consultation_plan import (
	DuplicatePlanError,
	PlanDateError,
	PlanUnitError,
	planned_dates,
	send_plan_reminders,
)
from community_consultation.township.queries import silent_villages


@pytest.fixture
def world():
	units = make_unit_tree("督查")
	w = frappe._dict(units=units)
	w.officer = make_user("inspector@example.com", ["Township Officer"], [units.township])
	w.clerk_a = make_user(
		"clerk-a@example.com", ["Committee Clerk", "Community Secretary"], [units.village_a]
	)
	w.supervisor_a = make_user(
		"supervisor-a@example.com", ["Supervision Committee Member"], [units.village_a]
	)
	return w


def inspection(world, **kw):
	return frappe.get_doc(
		{
			"doctype": "Consultation Inspection",
			"community_unit": kw.pop("community_unit", world.units.village_a),
			"inspected_on": kw.pop("inspected_on", nowdate()),
			"inspecting_body": "镇党委组织办",
			"checked": "协商议题台账、会议记录、成果公开",
			"findings": "<p>部分协商记录缺少表决结果。</p>",
			"corrections": kw.pop(
				"corrections", [{"requirement": "补齐表决结果记录", "deadline": add_days(nowdate(), 15)}]
			),
			**kw,
		}
	)


# ------------------------------------------------------------------------------------ inspection


def test_inspection_rules(world):
	with as_user(world.officer):
		with pytest.raises(InspectionUnitError):
			inspection(world, community_unit=world.units.township).insert()
		with pytest.raises(InspectionDateError):
			inspection(world, inspected_on=add_days(nowdate(), 1)).insert()
		with pytest.raises(InspectionDateError):
			inspection(
				world, corrections=[{"requirement": "整改", "deadline": add_days(nowdate(), -1)}]
			).insert()
	with as_user(world.clerk_a):
		with pytest.raises(frappe.PermissionError):
			inspection(world).insert()
	with as_user(world.officer):
		draft = inspection(world).insert()
	with as_user(world.clerk_a):
		draft = frappe.get_doc("Consultation Inspection", draft.name)
		draft.findings = "<p>村里自己改的结论</p>"
		with pytest.raises(InspectionRightsError):
			draft.save()


def test_village_answers_and_the_township_closes_a_correction(world):
	with as_user(world.officer):
		doc = inspection(world).insert()
		doc.submit()
		assert doc.status == "Corrections Open"
		with pytest.raises(CorrectionChangeError):
			doc.close_correction(doc.corrections[0].name)
	with as_user(world.clerk_a):
		doc = frappe.get_doc("Consultation Inspection", doc.name)
		doc.corrections[0].village_answer = "已补齐2026年全部会议表决记录"
		doc.save()
		assert doc.corrections[0].answered_on
		doc.corrections[0].requirement = "改成别的"
		with pytest.raises(CorrectionChangeError):
			doc.save()
		doc.reload()
		with pytest.raises(InspectionRightsError):
			doc.close_correction(doc.corrections[0].name)
	with as_user(world.officer):
		doc = frappe.get_doc("Consultation Inspection", doc.name)
		assert doc.close_correction(doc.corrections[0].name) == "Corrections Closed"


def test_open_corrections_become_overdue_and_the_supervision_committee_sees_them(world):
	with as_user(world.officer):
		doc = inspection(world).insert()
		doc.submit()
	follow_open_corrections(today=add_days(nowdate(), 16))
	doc.reload()
	assert doc.status == "Corrections Overdue"
	assert doc.corrections[0].status == "Overdue"
	told = frappe.get_all(
		"Consultation Notice Log",
		filters={"reference_doctype": "Consultation Inspection", "reference_name": doc.name},
		fields=["notice_type", "recipient_user"],
	)
	assert {r.recipient_user for r in told} == {world.officer, world.clerk_a, world.supervisor_a}
	assert {r.notice_type for r in told} == {"Correction Overdue"}
	follow_open_corrections(today=add_days(nowdate(), 17))
	assert frappe.db.count(
		"Consultation Notice Log",
		{"reference_doctype": "Consultation Inspection", "reference_name": doc.name},
	) == len(told)
	with as_user(world.supervisor_a):
		assert frappe.has_permission("Consultation Inspection", doc=doc.name)
		assert [d.name for d in frappe.get_list("Consultation Inspection")] == [doc.name]


# ------------------------------------------------------------------------------------ consultation plans


def plan(world, **kw):
	return frappe.get_doc(
		{
			"doctype": "Consultation Plan",
			"community_unit": kw.pop("community_unit", world.units.village_a),
			"year": kw.pop("year", getdate(nowdate()).year),
			"monthly_day": kw.pop("monthly_day", 15),
			"quarterly_meeting": 1,
			"reminder_days": 3,
			**kw,
		}
	)


def test_plan_makes_a_fixed_day_each_month(world):
	with as_user(world.clerk_a):
		doc = plan(world).insert()
	assert len(doc.dates) == 12
	assert all(getdate(d.planned_on).day == 15 for d in doc.dates)
	assert "quarterly" in doc.dates[3].meeting or "季度" in doc.dates[3].meeting


def test_plan_dates_are_named_in_the_sites_language_whoever_saves_the_plan(world):
	"""The rows a plan makes are the village's record: in the site's language (here 简体中文), not in that
	of the English-speaking user who saved the plan first."""
	frappe.db.set_single_value("System Settings", "language", "zh")
	frappe.local.lang = "en"
	doc = plan(world).insert()
	assert doc.dates[0].meeting == frappe._("Consultation day; quarterly representatives' meeting", lang="zh")
	assert doc.dates[1].meeting == frappe._("Consultation day", lang="zh") != "Consultation day"


def test_plan_rules(world):
	with as_user(world.clerk_a):
		with pytest.raises(PlanUnitError):
			plan(world, community_unit=world.units.building).insert()
		with pytest.raises(PlanDateError):
			plan(world, monthly_day=31).insert()
		year = getdate(nowdate()).year
		with pytest.raises(PlanDateError):
			plan(world, monthly_day=None, dates=[{"planned_on": f"{year + 1}-01-05"}]).insert()
		with pytest.raises(PlanDateError):
			plan(
				world,
				monthly_day=None,
				dates=[{"planned_on": f"{year}-03-05"}, {"planned_on": f"{year}-03-05"}],
			).insert()
		plan(world).insert()
		with pytest.raises(DuplicatePlanError):
			plan(world).insert()


def test_planned_date_reminds_the_clerk_ahead_of_time_once(world):
	soon = add_days(nowdate(), 2)
	with as_user(world.clerk_a):
		doc = plan(
			world,
			monthly_day=None,
			year=getdate(soon).year,
			dates=[{"planned_on": soon, "meeting": "议事日"}],
		)
		doc.insert()
	assert send_plan_reminders() == 1
	logged = frappe.get_all(
		"Consultation Notice Log",
		filters={"reference_doctype": "Consultation Plan", "reference_name": doc.name},
		pluck="recipient_user",
	)
	assert world.clerk_a in logged
	assert send_plan_reminders() == 0


def test_a_planned_date_is_kept_by_a_session_held_that_day(world):
	people = make_people(world.units.village_a)
	held = add_days(now_datetime(), -1)
	topic = make_topic(world.units.village_a, stakeholders=people)
	make_session(topic, people, starts_on=held)
	year = getdate(held).year
	doc = plan(
		world,
		year=year,
		monthly_day=None,
		dates=[{"planned_on": getdate(held)}]
		+ ([{"planned_on": add_days(getdate(held), -7)}] if getdate(add_days(held, -7)).year == year else []),
	).insert()
	rows = planned_dates(f"{year}-01-01", f"{year}-12-31")
	rows = [r for r in rows if r.plan == doc.name]
	kept = {str(r.planned_on): bool(r.kept) for r in rows}
	assert kept[str(getdate(held))] is True
	assert list(kept.values()).count(False) == len(kept) - 1


# ------------------------------------------------------------------------------------ silent villages


def test_a_village_with_no_session_for_three_months_is_silent(world):
	frappe.db.set_single_value("Consultation Settings", "silent_village_months", 3)
	people = make_people(world.units.village_a)
	topic = make_topic(world.units.village_a, stakeholders=people)
	make_session(topic, people)
	with as_user(world.officer):
		silent = {r.name for r in silent_villages(world.units.township)}
	assert world.units.village_b in silent
	assert world.units.village_a not in silent
	# four months on, village A is silent too
	later = add_months(nowdate(), 4)
	with as_user(world.officer):
		assert world.units.village_a in {r.name for r in silent_villages(world.units.township, later)}
	with as_user(world.clerk_a):
		assert {r.name for r in silent_villages(None, later)} == {world.units.village_a}
