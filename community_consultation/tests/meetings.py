"""Builders of valid meetings that decide by law (Community Meeting), their basis and their rules, for
tests and the demo data. Keyword arguments override any field to build the bad case a test needs."""

import frappe
from frappe.utils import add_days, getdate, now_datetime

from community_consultation.tests.factory import make_stakeholder

BASIS_FROM = "2020-01-01"


def make_basis(unit: str, adults: int = 100, households: int = 30, representatives: int = 0, **kw):
	"""A quorum basis of `unit` from 2020, with a roster of `representatives` stakeholders of the unit."""
	roster = [
		{"stakeholder": make_stakeholder(f"{unit}代表{i + 1}", unit), "households_represented": 1}
		for i in range(representatives)
	]
	return frappe.get_doc(
		{
			"doctype": "Meeting Basis",
			"community_unit": unit,
			"effective_from": kw.pop("effective_from", BASIS_FROM),
			"adults": adults,
			"households": households,
			"source": "户籍登记",
			"representatives": roster,
			**kw,
		}
	).insert()


def make_household(unit: str, household_no: str = "001", **kw):
	"""A household of `unit`'s register: a head aged 18 or over, with one child."""
	return frappe.get_doc(
		{
			"doctype": "Village Household",
			"community_unit": unit,
			"household_no": household_no,
			"members": kw.pop(
				"members",
				[
					{"member_name": f"{unit}户主{household_no}", "is_head": 1, "birth_date": "1970-01-01"},
					{"member_name": f"{unit}子女{household_no}", "age_group": "Under 18"},
				],
			),
			**kw,
		}
	).insert()


def villagers(count: int, present: int | None = None, households: bool = False, prefix: str = "村民"):
	"""`count` attendance rows, the first `present` ticked; as household representatives, one household each."""
	present = count if present is None else present
	return [
		{
			"attends_as": "Household Representative" if households else "Villager",
			"attendee_name": f"{prefix}{i + 1}",
			"household": f"户{i + 1}" if households else None,
			"present": 1 if i < present else 0,
		}
		for i in range(count)
	]


def representatives(basis, present: int | None = None):
	rows = basis.representatives
	present = len(rows) if present is None else present
	return [
		{
			"attends_as": "Representative",
			"stakeholder": r.stakeholder,
			"attendee_name": r.representative_name or r.stakeholder,
			"present": 1 if i < present else 0,
		}
		for i, r in enumerate(rows)
	]


def meeting_values(unit: str, kind: str = "Villagers' Meeting", topics=(), **kw) -> dict:
	"""A meeting held yesterday, its notice published eleven days before it."""
	meeting_on = kw.pop("meeting_on", add_days(now_datetime(), -1))
	return {
		"doctype": "Community Meeting",
		"meeting_kind": kind,
		"community_unit": unit,
		"title": kw.pop("title", "村民会议"),
		"convened_by": "村民委员会",
		"meeting_on": meeting_on,
		"notice_published_on": getdate(add_days(meeting_on, -11)),
		"notice_channels": [{"channel": "Bulletin Board"}],
		"venue": "村委会大院",
		"agenda": [
			{"topic": t.name if hasattr(t, "name") else t, "matter": "是否同意该事项的实施方案"}
			for t in topics
		],
		"minutes": "<p>会议按议程逐项表决。</p>",
		"recorder": "村文书",
		# a unit without a household register counts against the Meeting Basis's typed figures
		"typed_basis_reason": kw.pop("typed_basis_reason", "本村尚未导入户籍名册"),
		**kw,
	}


def vote(doc, votes_for: int, votes_against: int = 0, votes_abstain: int = 0, method: str = "Show of Hands"):
	for row in doc.agenda:
		row.vote_method = method
		row.votes_for = votes_for
		row.votes_against = votes_against
		row.votes_abstain = votes_abstain
	return doc


def make_meeting(
	unit: str, kind: str = "Villagers' Meeting", topics=(), votes=None, submit: bool = True, **kw
):
	"""A meeting; with `votes` (for, against, abstain) every item is voted so; submitted unless `submit`."""
	doc = frappe.get_doc(meeting_values(unit, kind, topics, **kw))
	if votes:
		vote(doc, *votes)
	doc.insert()
	if submit:
		doc.submit()
	return doc
