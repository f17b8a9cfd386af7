"""Builders of valid township-and-village records (community_consultation/township.py), for tests and
the demo data: a referral, an assignment with its topics and a report back, an inspection, a plan."""

import frappe
from frappe.utils import add_days, getdate, nowdate

from community_consultation.tests.factory import DEFAULT_CATEGORY, make_topic


def make_referral(topic, reason: str = "涉及相邻两村，超出本村职权"):
	return frappe.get_doc(
		{"doctype": "Township Referral", "topic": getattr(topic, "name", topic), "reason": reason}
	).insert()


def make_assignment(township: str, villages: list[str], assign: bool = True, **kw):
	doc = frappe.get_doc(
		{
			"doctype": "Township Assignment",
			"title": kw.pop("title", "农村人居环境整治"),
			"entrusted_by": kw.pop("entrusted_by", "县农业农村局"),
			"community_unit": township,
			"category": kw.pop("category", DEFAULT_CATEGORY),
			"description": kw.pop("description", "<p>各村协商确定整治方案并报告结果。</p>"),
			"report_back_by": kw.pop("report_back_by", add_days(nowdate(), 10)),
			"villages": [{"village": v} for v in villages],
			**kw,
		}
	).insert()
	if assign:
		doc.assign()
	return doc


def make_report(topic: str, **kw):
	return frappe.get_doc(
		{
			"doctype": "Entrusted Matter Report",
			"topic": topic,
			"reported_on": kw.pop("reported_on", nowdate()),
			"content": kw.pop("content", "<p>经协商，已完成整治方案并实施。</p>"),
			**kw,
		}
	).insert()


def make_inspection(village: str, submit: bool = True, **kw):
	doc = frappe.get_doc(
		{
			"doctype": "Consultation Inspection",
			"community_unit": village,
			"inspected_on": kw.pop("inspected_on", nowdate()),
			"inspecting_body": kw.pop("inspecting_body", "镇党委组织办"),
			"checked": kw.pop("checked", "协商议题台账、会议记录、成果公开"),
			"findings": kw.pop("findings", "<p>部分协商记录缺少表决结果。</p>"),
			"corrections": kw.pop(
				"corrections", [{"requirement": "补齐表决结果记录", "deadline": add_days(nowdate(), 15)}]
			),
			**kw,
		}
	).insert()
	if submit:
		doc.submit()
	return doc


def make_plan(village: str, **kw):
	return frappe.get_doc(
		{
			"doctype": "Consultation Plan",
			"community_unit": village,
			"year": kw.pop("year", getdate(nowdate()).year),
			"monthly_day": kw.pop("monthly_day", 15),
			"quarterly_meeting": kw.pop("quarterly_meeting", 1),
			"reminder_days": kw.pop("reminder_days", 3),
			**kw,
		}
	).insert()


def make_township_records(units, people) -> frappe._dict:
	"""One record of each township-and-village DocType, in `units` (a `make_unit_tree`)."""
	topic = make_topic(units.village_a, stakeholders=people, title="两村共用水渠维修")
	referral = make_referral(topic)
	assignment = make_assignment(units.township, [units.village_a, units.village_b])
	report = make_report(assignment.villages[0].topic)
	return frappe._dict(
		referral=referral,
		assignment=assignment,
		report=report,
		inspection=make_inspection(units.village_a),
		plan=make_plan(units.village_a),
	)
