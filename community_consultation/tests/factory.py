"""Builders of valid procedure records, for tests, the demo data and benchmarks.

Each builder takes the shortcut a clerk would take through the desk, step by step, and passes every
rule of the work plan; keyword arguments override any field to build the bad case a test needs.
"""

import frappe
from frappe.utils import add_days, add_to_date, now_datetime, nowdate

DEFAULT_CATEGORY = "社区服务、美丽乡村、基础设施、卫生环境、物业管理等公共事务"
DEFAULT_FORM = "党群联席会议"


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


def make_unit_tree(prefix: str = "测试") -> frappe._dict:
	"""A county with one township, two villages (A, B) and a building under village A."""
	county = make_unit(f"{prefix}县", "County")
	township = make_unit(f"{prefix}镇", "Township", county)
	village_a = make_unit(
		f"{prefix}甲村",
		"Village",
		township,
		party_organisation=f"{prefix}甲村党支部",
		committee_name=f"{prefix}甲村村民委员会",
	)
	village_b = make_unit(f"{prefix}乙村", "Village", township)
	building = make_unit(f"{prefix}甲村一组", "Villager Group", village_a)
	return frappe._dict(
		county=county, township=township, village_a=village_a, village_b=village_b, building=building
	)


def make_stakeholder(name: str, unit: str, stakeholder_type: str = "户籍居民", **kw) -> str:
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


def make_people(unit: str, count: int = 4, prefix: str = "居民") -> list[str]:
	"""`count` stakeholders of the unit: the first convenes, the second proposes."""
	people = [make_stakeholder(f"{unit}{prefix}{i + 1}", unit) for i in range(count)]
	return people


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


def make_session(topic, people: list[str], conclude: bool = True, result: str = "Consensus", **kw):
	values = session_values(topic, people, **{k: v for k, v in kw.items() if k not in HELD_FIELDS})
	if conclude:
		values.update(held_values(result, attendees=len(people)))
	values.update({k: v for k, v in kw.items() if k in HELD_FIELDS})
	doc = frappe.get_doc(values)
	doc.insert()
	if conclude:
		doc.submit()
	return doc


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


def make_outcome(
	session, file: bool = True, publicise: bool = True, progress: list[dict] | None = None, **kw
):
	"""An outcome filed today with both bodies, every stakeholder notified, publicity from today."""
	session_name = session.name if hasattr(session, "name") else session
	today = nowdate()
	doc = frappe.get_doc(
		{
			"doctype": "Consultation Outcome",
			"session": session_name,
			"decision": "<p>由村委会组织维修路灯，30日内完成。</p>",
			"implementer_type": "Village",
			"implementer": "村民委员会",
			"implementation_deadline": add_days(today, 30),
			"filed_with_party_on": today,
			"filed_with_committee_on": today,
			**kw,
		}
	)
	doc.insert()
	if not file:
		return doc
	doc.submit()
	if publicise:
		for stakeholder in doc.topic_stakeholders():
			doc.append(
				"notices", {"stakeholder": stakeholder, "notified_on": now_datetime(), "notified_via": "电话"}
			)
		doc.stakeholders_notified_on = now_datetime()
		doc.publicity_from = today
		doc.publicity_to = add_days(today, 9)
		doc.save()
	for row in progress or []:
		doc.append("progress", {"update_on": today, "published_on": today, "note": "进展顺利", **row})
	if progress:
		doc.save()
	return doc


def full_case(prefix: str = "测试", result: str = "Consensus"):
	"""Units, four stakeholders of village A, an accepted topic and a concluded session."""
	units = make_unit_tree(prefix)
	people = make_people(units.village_a)
	topic = make_topic(units.village_a, stakeholders=people)
	session = make_session(topic, people, result=result)
	return frappe._dict(units=units, people=people, topic=topic, session=session)
