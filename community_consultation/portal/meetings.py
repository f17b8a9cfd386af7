"""Jinja helpers for the meetings that decide by law (print formats and public outcome pages)."""

import frappe
from frappe.utils import cint


def meeting_resolution(meeting: str | None, topic: str | None = None) -> frappe._dict | None:
	"""The resolution of a concluded meeting on `topic` (or its first item): kind, date, unit, those
	present, the votes, the result and the resolution's text, and when it was made public. None for a
	meeting that is not concluded: only a concluded meeting's resolution is public."""
	if not meeting:
		return None
	m = frappe.db.get_value(
		"Community Meeting",
		meeting,
		[
			"name",
			"docstatus",
			"meeting_kind",
			"meeting_on",
			"community_unit",
			"present_count",
			"quorate",
			"quorum_summary",
			"resolution_published_on",
		],
		as_dict=True,
	)
	if not m or m.docstatus != 1:
		return None
	filters = {"parent": meeting, "parenttype": "Community Meeting"}
	if topic:
		filters["topic"] = topic
	item = frappe.get_all(
		"Meeting Agenda Item",
		filters=filters,
		fields=[
			"topic",
			"topic_title",
			"matter",
			"vote_method",
			"votes_for",
			"votes_against",
			"votes_abstain",
			"result",
			"resolution",
		],
		order_by="idx asc",
		limit=1,
	)
	if not item:
		return None
	m.update(item[0])
	m.present_count = cint(m.present_count)
	return m


def meeting_quorum(doc) -> str:
	"""The quorum as the meeting's rule counts it, in the reader's language ("412 of 1,030 adults, 51 of
	290 households"), from the stored attendance and basis."""
	from community_consultation.community_consultation.doctype.community_meeting.community_meeting import (
		BASIS_ATTENDANCE,
		count_of,
	)

	if not doc.meeting_rule:
		return ""
	rule = frappe.get_cached_doc("Meeting Rule", doc.meeting_rule)
	present = [r for r in doc.attendance if cint(r.present)]
	counts = {
		"adults": sum(1 for r in present if r.attends_as in BASIS_ATTENDANCE["adults"]),
		"households": cint(doc.households_present),
		"members": cint(doc.members_present),
	}
	totals = {"adults": doc.basis_adults, "households": doc.basis_households, "members": doc.basis_members}
	return "，".join(count_of(b, counts[b], totals[b]) for b in BASIS_ATTENDANCE if rule.threshold(b))
