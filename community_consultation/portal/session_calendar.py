"""The desk calendar of consultation sessions (consultation_session_calendar.js): the sessions, and the
consultation plans' planned dates beside them (§三(二) regular consultation)."""

import frappe
from frappe import _
from frappe.utils import add_to_date, get_datetime

from community_consultation.overrides.replica import replica_reads

# shown when a session has no end time yet
DEFAULT_SESSION_HOURS = 2


@frappe.whitelist()
@replica_reads
def get_events(start: str, end: str, filters: str | list | None = None, **kwargs) -> list[dict]:
	"""Sessions that run between `start` and `end`, as the user may read them (roles and unit
	permissions apply, as in the list view), with the list view's filters; then the planned dates of
	the consultation plans in the window (`planned_events`)."""
	frappe.has_permission("Consultation Session", "read", throw=True)
	start, end = get_datetime(start), get_datetime(end)
	filters = frappe.parse_json(filters) or []
	if isinstance(filters, dict):
		filters = [[field, "=", value] for field, value in filters.items()]
	sessions = frappe.get_list(
		"Consultation Session",
		fields=[
			"name",
			"topic_title",
			"round_no",
			"starts_on",
			"ends_on",
			"venue",
			"community_unit",
			"status",
			"docstatus",
		],
		filters=[*filters, ["starts_on", "<=", end]],
		or_filters=[["ends_on", ">=", start], ["starts_on", ">=", start]],
		order_by="starts_on asc",
		limit_page_length=0,
	)
	for session in sessions:
		if not session.ends_on:
			session.ends_on = add_to_date(session.starts_on, hours=DEFAULT_SESSION_HOURS)
		session.tooltip = f"{session.topic_title} · {session.venue or ''}"
	return sessions + planned_events(start, end, filters)


def planned_events(start, end, filters: list) -> list[dict]:
	"""The plans' planned dates between `start` and `end` as all-day events of their own, marked
	`planned` (and kept or not), within the user's units (`consultation_plan.planned_dates`), for a user
	who may read the plans. Filtered on a unit, the unit's own; filtered on anything else (a session's
	status), none: a planned date has no such field."""
	from community_consultation.township.doctype.consultation_plan.consultation_plan import (
		planned_dates,
	)

	if not frappe.has_permission("Consultation Plan", "read"):
		return []
	unit = None
	for condition in filters:
		field, operator, value = condition[-3:] if len(condition) < 5 else condition[1:4]
		if field != "community_unit" or operator != "=":
			return []
		unit = value
	events = []
	for row in planned_dates(start, end):
		if unit and row.community_unit != unit:
			continue
		meeting = row.meeting or _("Consultation day")
		title = _("Planned: {0} · {1}").format(row.community_unit, meeting)
		events.append(
			{
				"name": row.plan,
				"doctype": "Consultation Plan",
				"planned": 1,
				"kept": row.kept,
				"community_unit": row.community_unit,
				"topic_title": f"✓ {title}" if row.kept else title,
				"starts_on": str(row.planned_on),
				"ends_on": str(row.planned_on),
				"allDay": 1,
				"status": "Kept" if row.kept else "Planned",
				# a planned date is moved in its plan, not by dragging
				"docstatus": 1,
				"tooltip": _("Consultation plan of {0}: {1}").format(row.community_unit, meeting),
			}
		)
	return events
