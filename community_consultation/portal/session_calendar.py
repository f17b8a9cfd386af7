"""The desk calendar of consultation sessions (consultation_session_calendar.js)."""

import frappe
from frappe.utils import add_to_date, get_datetime

from community_consultation.overrides.replica import replica_reads

# shown when a session has no end time yet
DEFAULT_SESSION_HOURS = 2


@frappe.whitelist()
@replica_reads
def get_events(start: str, end: str, filters: str | list | None = None, **kwargs) -> list[dict]:
	"""Sessions that run between `start` and `end`, as the user may read them (roles and unit
	permissions apply, as in the list view), with the list view's filters."""
	frappe.has_permission("Consultation Session", "read", throw=True)
	start, end = get_datetime(start), get_datetime(end)
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
		filters=(frappe.parse_json(filters) or []) + [["starts_on", "<=", end]],
		or_filters=[["ends_on", ">=", start], ["starts_on", ">=", start]],
		order_by="starts_on asc",
		limit_page_length=0,
	)
	for session in sessions:
		if not session.ends_on:
			session.ends_on = add_to_date(session.starts_on, hours=DEFAULT_SESSION_HOURS)
		session.tooltip = f"{session.topic_title} · {session.venue or ''}"
	return sessions
