"""The workspace's number cards that count states of the life cycle (Number Cards of type Custom).

Each card counts with the condition of its DocType's life-cycle table (`LIFE_CYCLE.sql`, or the
stored status the table writes), inside the user's units in the same query, and opens the list or
report that shows the same records when clicked (`route`, `route_options`)."""

import frappe
from frappe.utils import nowdate

from community_consultation.community_consultation.doctype.consultation_outcome.consultation_outcome import (
	LIFE_CYCLE as OUTCOME,
)
from community_consultation.community_consultation.doctype.consultation_topic.consultation_topic import (
	LIFE_CYCLE as TOPIC,
)
from community_consultation.decision_bodies.doctype.community_meeting.community_meeting import (
	LIFE_CYCLE as MEETING,
)
from community_consultation.permissions import unit_condition_sql
from community_consultation.township.queries import silent_villages


def count_within_units(doctype: str, condition: str) -> int:
	"""Records of `doctype` meeting `condition` (on the alias `t`) in the user's units."""
	frappe.has_permission(doctype, "read", throw=True)
	return frappe.db.sql(
		f"""select count(*) from `tab{doctype}` t
		where {condition} and {unit_condition_sql("t.community_unit", frappe.session.user, doctype)}"""
	)[0][0]


def card(value: int, route: list[str], route_options: dict | None = None) -> dict:
	return {"value": value, "fieldtype": "Int", "route": route, "route_options": route_options or {}}


@frappe.whitelist()
def open_topics(filters=None) -> dict:
	"""Topics accepted and not yet settled (§二(五)1): the states the topic's table marks open."""
	return card(
		count_within_units("Consultation Topic", TOPIC.status_in("t", open=True)),
		["List", "Consultation Topic"],
		{"status": ["in", list(TOPIC.names(open=True))]},
	)


@frappe.whitelist()
def outcomes_in_publicity(filters=None) -> dict:
	"""Filed outcomes posted publicly today (§二(五)4)."""
	today = nowdate()
	return card(
		count_within_units("Consultation Outcome", OUTCOME.sql("In Publicity")),
		["List", "Consultation Outcome"],
		{"docstatus": 1, "publicity_from": ["<=", today], "publicity_to": [">=", today]},
	)


@frappe.whitelist()
def overdue_outcomes(filters=None) -> dict:
	"""Filed outcomes below 100% after their deadline (§二(六)), as the implementation tracker lists them."""
	return card(
		count_within_units("Consultation Outcome", OUTCOME.sql("Overdue")),
		["query-report", "Implementation Tracker"],
		{"overdue_only": 1},
	)


def _this_year() -> str:
	return f"{frappe.utils.getdate(nowdate()).year}-01-01"


@frappe.whitelist()
def meetings_this_year(filters=None) -> dict:
	"""Meetings that decide by law concluded this year (§二(一), 二(五)3)."""
	since = frappe.db.escape(_this_year())
	return card(
		count_within_units("Community Meeting", f"t.docstatus = 1 and t.meeting_on >= {since}"),
		["List", "Community Meeting"],
		{"docstatus": 1, "meeting_on": [">=", _this_year()]},
	)


@frappe.whitelist()
def meetings_not_quorate(filters=None) -> dict:
	"""This year's meetings recorded as held and not quorate: they decided nothing (Organic Law art. 22)."""
	since = frappe.db.escape(_this_year())
	return card(
		count_within_units("Community Meeting", f"{MEETING.sql('Not Quorate')} and t.meeting_on >= {since}"),
		["List", "Community Meeting"],
		{"status": "Not Quorate", "meeting_on": [">=", _this_year()]},
	)


@frappe.whitelist()
def silent_villages_card(filters: str | dict | None = None) -> dict:
	"""The Silent Villages number card: how many villages of the user's units are silent, a click from
	the Township Overview that lists them."""
	return card(len(silent_villages()), ["query-report", "Township Overview"])
