"""The notices of the procedure: their types, their standard Notifications and their texts' context."""

from urllib.parse import quote

import frappe
from frappe.utils import (
	date_diff,
	flt,
	format_date,
	format_datetime,
	get_url,
	get_url_to_form,
	getdate,
	nowdate,
)

from community_consultation.procedure.text_policy import sanitize_rich_text

SESSION_NOTICE = "Session Notice"
OUTCOME_FILED = "Outcome Filed"
PUBLICITY_STARTED = "Publicity Started"
DEADLINE_REMINDER = "Deadline Reminder"
DEADLINE_DAY = "Deadline Day"
OUTCOME_OVERDUE = "Outcome Overdue"
ANNUAL_RETURN = "Annual Return Reminder"
# township and village together (community_consultation/township/sharing.py)
REPORT_BACK_OVERDUE = "Report Back Overdue"
PLAN_REMINDER = "Plan Reminder"
CORRECTION_OVERDUE = "Correction Overdue"

# notice → the standard Notification that words it
NOTIFICATIONS = {
	SESSION_NOTICE: "Consultation Session Notice",
	OUTCOME_FILED: "Consultation Outcome Filed",
	PUBLICITY_STARTED: "Consultation Outcome Publicity",
	DEADLINE_REMINDER: "Consultation Deadline Reminder",
	DEADLINE_DAY: "Consultation Deadline Today",
	OUTCOME_OVERDUE: "Consultation Outcome Overdue",
	ANNUAL_RETURN: "Consultation Annual Return Reminder",
	REPORT_BACK_OVERDUE: "Consultation Report Back Overdue",
	PLAN_REMINDER: "Consultation Plan Reminder",
	CORRECTION_OVERDUE: "Consultation Correction Overdue",
}

# notice → the parameters its SMS template and WeChat template may use, besides subject, text, site and
# link (notices/sms.py); every value is plain text (`notice_parameters`)
NOTICE_PARAMETERS = {
	SESSION_NOTICE: ("topic", "time", "place", "form", "unit"),
	OUTCOME_FILED: ("topic", "unit", "deadline"),
	PUBLICITY_STARTED: ("topic", "unit", "publicity_from", "publicity_to", "place"),
	DEADLINE_REMINDER: ("topic", "unit", "deadline", "days_left"),
	DEADLINE_DAY: ("topic", "unit", "deadline"),
	OUTCOME_OVERDUE: ("topic", "unit", "deadline"),
	ANNUAL_RETURN: ("county", "year", "due_date"),
	REPORT_BACK_OVERDUE: ("unit",),
	PLAN_REMINDER: ("unit",),
	CORRECTION_OVERDUE: ("unit",),
}

PARTY_ORGANISATION_TYPE = "村(社区)党组织"
COMMITTEE_TYPE = "村(居)民委员会"
SUPERVISION_TYPE = "村(居)务监督委员会"
SMS_LENGTH = 300


# ------------------------------------------------------------------------------------ context


def notice_context(notice_type: str, doc) -> dict:
	"""What the Notification templates use besides `doc`."""
	context = {"link": get_url_to_form(doc.doctype, doc.name)}
	if doc.doctype == "Consultation Session":
		context.update(
			topic=doc.topic_title or doc.topic,
			starts_on=format_datetime(doc.starts_on, "yyyy-MM-dd HH:mm"),
			ends_on=doc.ends_on and format_datetime(doc.ends_on, "yyyy-MM-dd HH:mm"),
			venue=doc.venue or "",
			consultation_form=doc.consultation_form or "",
			rules_of_procedure=sanitize_rich_text(doc.rules_of_procedure),
			materials=session_materials(doc),
		)
	elif doc.doctype == "Consultation Outcome":
		deadline = doc.implementation_deadline and getdate(doc.implementation_deadline)
		unit = (
			frappe.db.get_value(
				"Community Unit", doc.community_unit, ["unit_name", "bulletin_board"], as_dict=True
			)
			or frappe._dict()
		)
		context.update(
			topic=doc.topic_title or doc.topic,
			decision=sanitize_rich_text(doc.decision),
			deadline=deadline and format_date(deadline, "yyyy-MM-dd"),
			days_left=deadline and date_diff(deadline, nowdate()),
			percent=flt(doc.percent_complete),
			publicity_from=doc.publicity_from and format_date(doc.publicity_from, "yyyy-MM-dd"),
			publicity_to=doc.publicity_to and format_date(doc.publicity_to, "yyyy-MM-dd"),
			unit_name=unit.unit_name or doc.community_unit,
			bulletin_board=unit.bulletin_board or "",
		)
	return context


def session_materials(session) -> list[frappe._dict]:
	"""The session's materials: title, and a link for a public file (a private file is given out by the
	committee, or opened from the session by a participant with an account)."""
	materials = []
	for m in session.get("materials") or []:
		url = m.attachment or ""
		public = url and not url.startswith("/private/")
		materials.append(
			frappe._dict(
				title=m.material_title or url,
				url=get_url(url) if public and url.startswith("/") else (url if public else ""),
			)
		)
	return materials


def annual_return_context(county: str, year: int) -> dict:
	draft = (
		frappe.db.get_value(
			"Consultation Annual Return", {"county": county, "year": year, "docstatus": 0}, "name"
		)
		if frappe.db.exists("DocType", "Consultation Annual Return")
		else None
	)
	if draft:
		link = get_url_to_form("Consultation Annual Return", draft)
	else:
		link = get_url(f"/app/consultation-annual-return/new?county={quote(county)}&year={year}")
	return {
		"year": year,
		"due_date": f"{year}-12-31",
		"return_name": draft,
		"link": link,
		"county_name": frappe.db.get_value("Community Unit", county, "unit_name") or county,
	}


def notice_kind(notice_type: str) -> str:
	"""The SMS / WeChat message kind of a notice: "Session Notice" → "session_notice"."""
	return frappe.scrub(notice_type)


def notice_parameters(notice_type: str, doc, context: dict) -> dict:
	"""The values a notice's SMS or WeChat template may use (NOTICE_PARAMETERS), from the record and the
	notice's context: plain values, never the rendered message."""
	unit = context.get("unit_name") or context.get("county_name")
	if not unit and doc.get("community_unit"):
		unit = frappe.db.get_value("Community Unit", doc.community_unit, "unit_name") or doc.community_unit
	values = {
		"topic": context.get("topic"),
		"time": context.get("starts_on"),
		"place": context.get("venue") or context.get("bulletin_board"),
		"form": context.get("consultation_form"),
		"unit": unit,
		"deadline": context.get("deadline"),
		"days_left": context.get("days_left"),
		"publicity_from": context.get("publicity_from"),
		"publicity_to": context.get("publicity_to"),
		"county": context.get("county_name"),
		"year": context.get("year"),
		"due_date": context.get("due_date"),
		"link": context.get("link"),
	}
	wanted = (*NOTICE_PARAMETERS.get(notice_type, ()), "link")
	return {name: "" if values.get(name) is None else str(values[name]) for name in wanted}
