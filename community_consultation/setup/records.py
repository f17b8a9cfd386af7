"""Builders of valid procedure records, shared by the demo data (demo.py) and the tests' factory
(community_consultation.tests.factory, which re-exports them).

Each builder takes the shortcut a clerk would take through the desk, step by step, and passes every
rule of the work plan; keyword arguments override any field.
"""

import frappe
from frappe.utils import add_days, add_to_date, getdate, now_datetime, nowdate

DEFAULT_CATEGORY = "社区服务、美丽乡村、基础设施、卫生环境、物业管理等公共事务"
DEFAULT_FORM = "党群联席会议"
# sessions and meetings sit in the evening (19:30), when villagers are home from the fields and work
MEETING_HOUR, MEETING_MINUTE = 19, 30

# the fields a session gets when it is held (its four steps, the vote and the minutes)
HELD_FIELDS = {
	"convener_statement",
	"proposer_statement",
	"discussion",
	"vote_method",
	"votes_for",
	"votes_against",
	"votes_abstain",
	"result",
	"consultation_opinion",
	"minutes",
	"recorder",
}


def make_unit(unit_name: str, unit_type: str, parent: str | None = None, **kw) -> str:
	"""Get or create a Community Unit; returns its name."""
	existing = frappe.db.get_value(
		"Community Unit", {"unit_name": unit_name, "parent_community_unit": parent or ("is", "not set")}
	)
	if existing:
		return existing
	doc = frappe.get_doc(
		{
			"doctype": "Community Unit",
			"unit_name": unit_name,
			"unit_type": unit_type,
			"parent_community_unit": parent,
			**kw,
		}
	).insert(ignore_permissions=True)
	return doc.name


def make_stakeholder(name: str, unit: str, stakeholder_type: str = "户籍居民", **kw) -> str:
	"""Get or create the stakeholder `name` of `unit`; returns its name."""
	existing = frappe.db.get_value("Stakeholder", {"stakeholder_name": name, "community_unit": unit})
	if existing:
		return existing
	return (
		frappe.get_doc(
			{
				"doctype": "Stakeholder",
				"stakeholder_name": name,
				"stakeholder_type": stakeholder_type,
				"community_unit": unit,
				"household_status": "Registered" if stakeholder_type == "户籍居民" else "Not Applicable",
				**kw,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_topic(unit: str, accepted: bool = True, stakeholders: list[str] | None = None, **kw):
	"""A topic, reviewed the way the procedure reviews it: accepted (or, with `review_decision="Rejected"`
	and a `rejection_reason`, rejected) by the Party organisation's review after it is recorded."""
	decision = kw.pop("review_decision", "Accepted" if accepted else None)
	reason = kw.pop("rejection_reason", None)
	doc = frappe.get_doc(
		{
			"doctype": "Consultation Topic",
			"title": kw.pop("title", "村道路灯维修"),
			"description": kw.pop("description", "<p>村道路灯损坏多年，群众夜间出行不便。</p>"),
			"category": kw.pop("category", DEFAULT_CATEGORY),
			"community_unit": unit,
			"source_channel": kw.pop("source_channel", "Visiting Residents"),
			"participants": [{"stakeholder": s} for s in stakeholders or []],
			**kw,
		}
	)
	if stakeholders and not doc.proposer:
		doc.proposer = stakeholders[min(1, len(stakeholders) - 1)]
	doc.insert()
	if decision == "Accepted":
		doc.accept()
	elif decision == "Rejected":
		doc.reject(reason)
	return doc


def meeting_time(days_from_today: int):
	"""The start of a session or meeting `days_from_today`, at the evening hour villages meet when people
	are home from work (19:30), whatever time of day the demo is loaded."""
	return add_days(now_datetime(), days_from_today).replace(
		hour=MEETING_HOUR, minute=MEETING_MINUTE, second=0, microsecond=0
	)


def session_values(topic, people: list[str], **kw) -> dict:
	"""The fields of a session held yesterday, noticed five days before, everyone notified and present."""
	starts_on = kw.pop("starts_on", add_days(now_datetime(), -1))
	roles = ["Convener", "Proposer"] + ["Participant"] * (len(people) - 2)
	values = {
		"doctype": "Consultation Session",
		"topic": topic.name if hasattr(topic, "name") else topic,
		"consultation_form": DEFAULT_FORM,
		"starts_on": starts_on,
		"venue": "村委会议室",
		"organiser": "村党支部、村民委员会",
		"rules_of_procedure": "<p>一人一票，举手表决，过半数为通过。</p>",
		"notice_published_on": add_to_date(starts_on, days=-5),
		"notice_channels": [{"channel": "Bulletin Board"}],
		"participants": [
			{
				"stakeholder": s,
				"participant_role": roles[i],
				"notified_on": add_to_date(starts_on, days=-4),
				"notified_via": "电话",
				"attended": 1,
			}
			for i, s in enumerate(people)
		],
	}
	values.update(kw)
	return values


def held_values(result: str = "Consensus", attendees: int = 4, **kw) -> dict:
	"""The four steps, the vote and the minutes of a held session."""
	votes_for = attendees if result == "Consensus" else 1
	values = {
		"convener_statement": "议题来源于入户走访，经村党支部审核，按议事规则协商。",
		"proposer_statement": "提出人说明路灯损坏情况及维修建议。",
		"discussion": "与会人员充分发表意见。",
		"vote_method": "Show of Hands",
		"votes_for": votes_for,
		"votes_against": 0 if result == "Consensus" else attendees - votes_for,
		"votes_abstain": 0,
		"result": result,
		"consultation_opinion": "同意由村委会组织维修路灯，费用从村集体公益金列支。",
		"minutes": "<p>会议记录：到会人员逐一发言，举手表决。</p>",
		"recorder": "村文书",
	}
	values.update(kw)
	return values


# ------------------------------------------------------------------------ township and village (§三(二))


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
