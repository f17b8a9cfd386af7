"""Builders of valid procedure records, for tests and benchmarks.

Each builder takes the shortcut a clerk would take through the desk, step by step, and passes every
rule of the work plan; keyword arguments override any field to build the bad case a test needs. The
builders the demo data also uses (units, stakeholders, topics, session values) live in
community_consultation.setup.records and are re-exported here.
"""

import frappe
from frappe.utils import add_days, now_datetime, nowdate

from community_consultation.setup.records import (
	DEFAULT_CATEGORY,
	DEFAULT_FORM,
	HELD_FIELDS,
	held_values,
	make_stakeholder,
	make_topic,
	make_unit,
	session_values,
)

__all__ = [
	"DEFAULT_CATEGORY",
	"DEFAULT_FORM",
	"HELD_FIELDS",
	"full_case",
	"held_values",
	"make_outcome",
	"make_people",
	"make_session",
	"make_stakeholder",
	"make_topic",
	"make_unit",
	"make_unit_tree",
	"session_values",
]


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


def make_people(unit: str, count: int = 4, prefix: str = "居民") -> list[str]:
	"""`count` stakeholders of the unit: the first convenes, the second proposes."""
	people = [make_stakeholder(f"{unit}{prefix}{i + 1}", unit) for i in range(count)]
	return people


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
