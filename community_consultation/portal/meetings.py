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
	"""The quorum as the meeting's rule counts it, in the reader's language ("412 of 1,030 adults，51 of
	290 households"), from the stored attendance and basis."""
	from community_consultation.decision_bodies.doctype.community_meeting.community_meeting import (
		quorum_counts,
	)

	return "，".join(quorum_counts(doc))
