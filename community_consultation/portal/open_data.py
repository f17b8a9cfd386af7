"""Open data: a unit's public consultation outcomes and their progress as CSV and JSON, and its
upcoming public sessions as an iCalendar feed (主动公开协商成果, 二(五)4; progress published, 二(六)).

Only what the public pages show (community_consultation.portal.outcomes, the unit's page
/consultation/<unit>): the same queries, the same fields. Stable URLs, for guests (the columns are
documented in docs/open-data.md):

	/api/method/community_consultation.portal.open_data.outcomes_csv?unit=<unit>
	/api/method/community_consultation.portal.open_data.outcomes_json?unit=<unit>
	/api/method/community_consultation.portal.open_data.sessions_ics?unit=<unit>
"""

import csv
import io
import json

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import get_datetime, get_url, getdate, now_datetime, strip_html

from community_consultation.portal.outcomes import PUBLIC_LANGUAGE, public_outcomes
from community_consultation.portal.public_cache import cached
from community_consultation.portal.qr import unit_page_path
from community_consultation.procedure.text_policy import csv_cell

# the CSV's columns, in order; the JSON has the same keys and a `progress` list per outcome
OUTCOME_COLUMNS = (
	"outcome",
	"unit",
	"unit_name",
	"topic_title",
	"category",
	"status",
	"corrected",
	"corrected_by",
	"correction_reason",
	"decision",
	"meeting_decision_ref",
	"implementer",
	"implementation_deadline",
	"publicity_from",
	"publicity_to",
	"percent_complete",
	"latest_progress_on",
	"latest_progress_note",
	"url",
)
PROGRESS_COLUMNS = ("update_on", "percent_complete", "note")
# sessions of a unit on the calendar: their notice was published, they were not cancelled
SESSION_CALENDAR_DAYS_BACK = 1


def _unit(unit: str | None) -> frappe._dict:
	values = (
		frappe.db.get_value("Community Unit", unit, ["name", "unit_name", "lft", "rgt"], as_dict=True)
		if unit
		else None
	)
	if not values:
		frappe.throw(_("There is no community unit {0}.").format(unit or ""), frappe.DoesNotExistError)
	return values


def _date(value) -> str:
	return getdate(value).isoformat() if value else ""


def outcome_records(unit: str) -> list[dict]:
	"""The unit's public outcomes (its buildings' included) as plain records, newest first."""
	unit = _unit(unit)
	frappe.local.lang = PUBLIC_LANGUAGE
	records = []
	for row in public_outcomes(unit.name):
		latest = row.progress[0] if row.progress else None
		records.append(
			{
				"outcome": row.name,
				"unit": row.community_unit,
				"unit_name": row.unit_name,
				"topic_title": row.topic_title,
				"category": row.category or "",
				"status": "Corrected" if row.corrected else row.status,
				"corrected": bool(row.corrected),
				"corrected_by": row.corrected_by or "",
				"correction_reason": (row.correction_reason or "")
				if (row.corrected or row.amended_from)
				else "",
				"decision": " ".join(strip_html(row.decision or "").split()),
				"meeting_decision_ref": row.meeting_decision_ref or "",
				"implementer": row.implementer or "",
				"implementation_deadline": _date(row.implementation_deadline),
				"publicity_from": _date(row.publicity_from),
				"publicity_to": _date(row.publicity_to),
				"percent_complete": int(row.percent_complete or 0),
				"latest_progress_on": _date(latest.update_on) if latest else "",
				"latest_progress_note": (latest.note or "") if latest else "",
				"url": get_url(unit_page_path(row.community_unit, row.name)),
				"progress": [
					{
						"update_on": _date(update.update_on),
						"percent_complete": int(update.percent_complete or 0),
						"note": update.note or "",
					}
					for update in row.progress
				],
			}
		)
	return records


def public_sessions(unit: str, now=None) -> list[frappe._dict]:
	"""Upcoming sessions of the unit and the units beneath it whose notice was published (公布协商信息,
	二(五)2): the topic, time, place and form the printed notice gives, nothing about participants."""
	unit = _unit(unit)
	now = get_datetime(now or now_datetime())
	session = DocType("Consultation Session")
	cu = DocType("Community Unit")
	return (
		frappe.qb.from_(session)
		.join(cu)
		.on(cu.name == session.community_unit)
		.select(
			session.name,
			session.topic_title,
			session.round_no,
			session.starts_on,
			session.ends_on,
			session.venue,
			session.consultation_form,
			session.organiser,
			session.community_unit,
			cu.unit_name,
			session.notice_published_on,
		)
		.where(
			(cu.lft >= unit.lft)
			& (cu.rgt <= unit.rgt)
			& (session.docstatus < 2)
			& session.notice_published_on.isnotnull()
			& (session.notice_published_on <= now)
			& (session.starts_on >= frappe.utils.add_days(now, -SESSION_CALENDAR_DAYS_BACK))
		)
		.orderby(session.starts_on)
		.run(as_dict=True)
	)


def _public(unit: str | None, kind: str, produce) -> str:
	"""`produce()` of the unit's open data, from the public pages' cache for a guest (public_cache.py)."""
	name = _unit(unit).name
	if name != unit:
		# another spelling the database matches: rendered afresh, never stored under a key no change drops
		return produce()
	return cached(name, kind, PUBLIC_LANGUAGE, produce)


def _download(content: str | bytes, filename: str, content_type: str):
	frappe.response["type"] = "download"
	frappe.response["filename"] = filename
	frappe.response["filecontent"] = content.encode("utf-8") if isinstance(content, str) else content
	frappe.response["content_type"] = content_type
	frappe.response["display_content_as"] = "inline"


@frappe.whitelist(allow_guest=True, methods=["GET"])
def outcomes_csv(unit: str):
	"""The unit's public outcomes as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read
	the Chinese), one row per outcome, columns OUTCOME_COLUMNS."""
	_download(
		_public(unit, "outcomes_csv", lambda: outcomes_csv_text(unit)),
		"consultation-outcomes.csv",
		"text/csv; charset=utf-8",
	)


def outcomes_csv_text(unit: str) -> str:
	out = io.StringIO()
	writer = csv.writer(out, lineterminator="\r\n")
	writer.writerow(OUTCOME_COLUMNS)
	for record in outcome_records(unit):
		writer.writerow(
			[int(record[c]) if isinstance(record[c], bool) else csv_cell(record[c]) for c in OUTCOME_COLUMNS]
		)
	return "\ufeff" + out.getvalue()


@frappe.whitelist(allow_guest=True, methods=["GET"])
def outcomes_json(unit: str):
	"""The unit's public outcomes as JSON: {unit, unit_name, generated_on, columns, outcomes: [...]}."""
	_download(
		_public(unit, "outcomes_json", lambda: outcomes_json_text(unit)),
		"consultation-outcomes.json",
		"application/json; charset=utf-8",
	)


def outcomes_json_text(unit: str) -> str:
	records = outcome_records(unit)
	values = _unit(unit)
	body = {
		"unit": values.name,
		"unit_name": values.unit_name,
		"generated_on": now_datetime().isoformat(timespec="seconds"),
		"columns": list(OUTCOME_COLUMNS),
		"progress_columns": list(PROGRESS_COLUMNS),
		"outcomes": records,
	}
	return json.dumps(body, ensure_ascii=False, indent=1)


# ------------------------------------------------------------------------------- iCalendar (RFC 5545)


def _ics_text(value) -> str:
	text = str(value or "")
	for old, new in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\r\n", "\\n"), ("\n", "\\n")):
		text = text.replace(old, new)
	return text


def _fold(line: str) -> str:
	"""Lines of at most 75 octets, continued with a space (RFC 5545 3.1), never splitting a character."""
	out, current = [], b""
	for char in line:
		encoded = char.encode("utf-8")
		if len(current) + len(encoded) > (75 if not out else 74):
			out.append(current.decode("utf-8"))
			current = b""
		current += encoded
	out.append(current.decode("utf-8"))
	return "\r\n ".join(out)


def _ics_time(value) -> str:
	"""Local time of the site with its TZID (the site's time zone, Asia/Shanghai in China)."""
	return get_datetime(value).strftime("%Y%m%dT%H%M%S")


def sessions_calendar(unit: str) -> str:
	from community_consultation.portal.session_calendar import DEFAULT_SESSION_HOURS

	values = _unit(unit)
	frappe.local.lang = PUBLIC_LANGUAGE
	tz = frappe.utils.get_system_timezone()
	host = frappe.local.site or "localhost"
	stamp = now_datetime().strftime("%Y%m%dT%H%M%S")
	lines = [
		"BEGIN:VCALENDAR",
		"VERSION:2.0",
		"PRODID:-//community_consultation//Consultation Sessions//ZH",
		"CALSCALE:GREGORIAN",
		"METHOD:PUBLISH",
		# the record name: a repeated village name carries its township (units/names.py)
		"X-WR-CALNAME:" + _ics_text(_("Consultation sessions of {0}").format(values.name)),
		"X-WR-TIMEZONE:" + tz,
	]
	for session in public_sessions(values.name):
		ends_on = session.ends_on or frappe.utils.add_to_date(session.starts_on, hours=DEFAULT_SESSION_HOURS)
		summary = _("Consultation: {0}").format(session.topic_title)
		if session.round_no and session.round_no > 1:
			summary += " " + _("(consultation round {0})").format(session.round_no)
		description = "\n".join(
			part
			for part in (
				_("Form of consultation: {0}").format(
					_(session.consultation_form) if session.consultation_form else ""
				),
				_("Organiser: {0}").format(session.organiser) if session.organiser else "",
				get_url(unit_page_path(session.community_unit, session.name)),
			)
			if part
		)
		lines += [
			"BEGIN:VEVENT",
			f"UID:{session.name}@{host}",
			f"DTSTAMP:{stamp}",
			f"DTSTART;TZID={tz}:{_ics_time(session.starts_on)}",
			f"DTEND;TZID={tz}:{_ics_time(ends_on)}",
			"SUMMARY:" + _ics_text(summary),
			"LOCATION:" + _ics_text(session.venue),
			"DESCRIPTION:" + _ics_text(description),
			"URL:" + get_url(unit_page_path(session.community_unit, session.name)),
			"END:VEVENT",
		]
	lines.append("END:VCALENDAR")
	return "\r\n".join(_fold(line) for line in lines) + "\r\n"


@frappe.whitelist(allow_guest=True, methods=["GET"])
def sessions_ics(unit: str):
	"""The unit's upcoming public sessions as an iCalendar feed (subscribe in a phone's calendar)."""
	_download(
		_public(unit, "sessions_ics", lambda: sessions_calendar(unit)),
		"consultation-sessions.ics",
		"text/calendar; charset=utf-8",
	)
