"""Sending a notice through every channel a recipient has, recording what a channel took, and the
notices that follow the procedure's steps and the calendar."""

import re

import frappe
from frappe import _
from frappe.utils import (
	cint,
	date_diff,
	flt,
	getdate,
	now_datetime,
	nowdate,
	strip_html,
)

from community_consultation.notices.catalogue import (
	ANNUAL_RETURN,
	DEADLINE_DAY,
	DEADLINE_REMINDER,
	NOTIFICATIONS,
	OUTCOME_FILED,
	OUTCOME_OVERDUE,
	PARTY_ORGANISATION_TYPE,
	PUBLICITY_STARTED,
	SESSION_NOTICE,
	SMS_LENGTH,
	SUPERVISION_TYPE,
	annual_return_context,
	notice_context,
)
from community_consultation.notices.recipients import (
	county_staff,
	implementer_recipients,
	stakeholder_recipient,
	unit_stakeholders,
	unit_users,
	user_recipient,
)
from community_consultation.procedure.scheduling import each_on_its_own

# ------------------------------------------------------------------------------------ the notices


def send_session_notice(session):
	"""§二(五)2: tell every participant the session's topic, time, place, form and rules, with its
	materials. Sets `notified_on` / `notified_via` on each participant the notice reached; the session
	stores them (`ConsultationSession.notify_participants_of_new_notice`)."""
	pending = [
		r
		for row in session.participants
		if not row.notified_on and (r := stakeholder_recipient(row.stakeholder))
	]
	if not pending:
		return
	sent = send_notice(SESSION_NOTICE, session, pending, session.community_unit)
	for row in session.participants:
		if not row.notified_on and row.stakeholder in sent:
			row.notified_on = now_datetime()
			row.notified_via = ", ".join(sent[row.stakeholder])


def send_outcome_notice(outcome):
	"""§二(五)4: notify every stakeholder of the topic of the filed outcome. Adds a dated row per
	stakeholder reached to `notices`; sets `stakeholders_notified_on` once every stakeholder has a row.
	The caller saves (or `notify_outcome_filed` stores the rows at filing)."""
	done = {n.stakeholder for n in outcome.notices if n.notified_on}
	pending = [r for s in outcome.topic_stakeholders() if s not in done and (r := stakeholder_recipient(s))]
	sent = send_notice(OUTCOME_FILED, outcome, pending, outcome.community_unit)
	for stakeholder, via in sent.items():
		outcome.append(
			"notices",
			{"stakeholder": stakeholder, "notified_on": now_datetime(), "notified_via": ", ".join(via)},
		)
	if not outcome.unnotified_stakeholders() and not outcome.stakeholders_notified_on:
		outcome.stakeholders_notified_on = now_datetime()


def send_publicity_notice(outcome):
	"""§二(五)4: the stakeholders hear that the outcome is posted publicly, where and until when. Once per
	stakeholder and publicity period."""
	if not outcome.publicity_from or getdate(outcome.publicity_from) > getdate(nowdate()):
		return {}
	recipients = [r for s in outcome.topic_stakeholders() if (r := stakeholder_recipient(s))]
	return send_notice(
		PUBLICITY_STARTED, outcome, recipients, outcome.community_unit, period=str(outcome.publicity_from)
	)


def send_deadline_notice(outcome, notice_type: str = DEADLINE_REMINDER):
	"""§二(六): the implementer hears of the deadline `deadline_reminder_days` before it and on the day.
	Once per recipient and deadline (a changed deadline is announced again)."""
	recipients = implementer_recipients(outcome)
	return send_notice(
		notice_type, outcome, recipients, outcome.community_unit, period=str(outcome.implementation_deadline)
	)


def notify_overdue(outcome):
	"""§三: the village Party organisation and the supervision committee hear of an overdue outcome:
	their users (Community Secretary, Supervision Committee Member) and their stakeholder records."""
	roles = ("Community Secretary", "Supervision Committee Member")
	recipients = [user_recipient(u) for u in unit_users(outcome.community_unit, roles, outcome.doctype)]
	recipients += [
		stakeholder_recipient(s)
		for s in unit_stakeholders(outcome.community_unit, (PARTY_ORGANISATION_TYPE, SUPERVISION_TYPE))
	]
	return send_notice(
		OUTCOME_OVERDUE,
		outcome,
		[r for r in recipients if r],
		outcome.community_unit,
		period=str(outcome.implementation_deadline),
	)


def send_annual_return_reminders(today=None):
	"""Daily, §三: each county reports its consultation work before the end of December. In December,
	each county's staff (users whose User Permission is on the county) hear of the return once a year,
	with a link to the county's draft return, or to a new one. Each county on its own."""
	today = getdate(today or nowdate())
	if today.month != 12:
		return {}
	sent = {}

	def remind(county):
		users = county_staff(county.name)
		if users:
			sent[county.name] = send_notice(
				ANNUAL_RETURN,
				county,
				[user_recipient(u) for u in users],
				county.name,
				period=str(today.year),
				context=annual_return_context(county.name, today.year),
			)

	counties = frappe.get_all("Community Unit", filters={"unit_type": "County"}, pluck="name")
	each_on_its_own("Community Unit", counties, remind, _("Annual return reminder failed"))
	return sent


# ------------------------------------------------------------------------------------ doc events


def notify_outcome_filed(doc, method=None):
	"""on_submit of an outcome: §二(五)4, the stakeholders hear of the filed outcome."""
	before = len(doc.notices)
	send_outcome_notice(doc)
	for row in doc.notices[before:]:
		row.docstatus = doc.docstatus
		row.db_insert()
	if doc.stakeholders_notified_on:
		doc.db_set("stakeholders_notified_on", doc.stakeholders_notified_on, update_modified=False)


def notify_publicity_started(doc, method=None):
	"""on_update_after_submit of an outcome: publicity that starts today (or started) is announced."""
	before = doc.get_doc_before_save()
	if doc.publicity_from and (not before or str(before.publicity_from or "") != str(doc.publicity_from)):
		send_publicity_notice(doc)


# ------------------------------------------------------------------------------------ scheduled


def send_notices_of_the_day(outcome, became_overdue: bool = False):
	"""The daily job's notices for one open outcome (`ConsultationOutcome.follow_the_calendar`):
	publicity that started (§二(五)4), the deadline reminder and the deadline day (§二(六)), and the
	overdue notice on the day the outcome became Overdue (§三). Each is sent once per period."""
	today = getdate(nowdate())
	if outcome.publicity_from and getdate(outcome.publicity_from) <= today:
		send_publicity_notice(outcome)
	if flt(outcome.percent_complete) < 100 and outcome.implementation_deadline:
		days_left = date_diff(outcome.implementation_deadline, today)
		reminder_days = max(
			cint(frappe.db.get_single_value("Consultation Settings", "deadline_reminder_days")), 0
		)
		if days_left == 0:
			send_deadline_notice(outcome, DEADLINE_DAY)
		elif reminder_days and 0 < days_left <= reminder_days:
			send_deadline_notice(outcome, DEADLINE_REMINDER)
	if became_overdue:
		notify_overdue(outcome)


# ------------------------------------------------------------------------------------ sending


def send_notice(
	notice_type: str,
	doc,
	recipients: list[frappe._dict],
	unit: str,
	period: str | None = None,
	context: dict | None = None,
) -> dict[str, list[str]]:
	"""Send one notice about `doc` to each recipient (once per recipient and `period` when a period is
	given); log each one sent. Returns {recipient key: channels that took it}."""
	notification = get_notification(notice_type)
	if not notification or not recipients:
		return {}
	rendered = render_notice(notification, doc, {**notice_context(notice_type, doc), **(context or {})})
	if not rendered:
		return {}
	subject, message, sms_text = rendered
	sent = {}
	for recipient in {r.key: r for r in recipients}.values():
		if period is not None and already_sent(notice_type, doc, recipient, period):
			continue
		via = deliver_to(recipient, subject, message, sms_text, doc, notification)
		if via:
			log_notice(notice_type, doc, unit, recipient, via, subject, period)
			sent[recipient.key] = via
	return sent


def get_notification(notice_type: str):
	"""The enabled standard Notification of this notice, or the administrator's enabled copy of it."""
	standard = NOTIFICATIONS[notice_type]
	if frappe.db.get_value("Notification", standard, "enabled"):
		return frappe.get_doc("Notification", standard)
	copies = frappe.get_all(
		"Notification",
		filters={"enabled": 1, "is_standard": 0, "event": "Custom", "name": ("like", f"{standard}%")},
		pluck="name",
		order_by="name asc",
		limit=1,
	)
	return frappe.get_doc("Notification", copies[0]) if copies else None


def render_notice(notification, doc, extra: dict) -> tuple[str, str, str] | None:
	"""(subject, HTML message, SMS text) of the Notification for `doc`, or None when its condition fails."""
	from frappe.email.doctype.notification.notification import get_context

	context = {**get_context(doc), "alert": notification, "comments": None, **extra}
	if notification.is_standard:
		notification.load_standard_properties(context)
	if notification.condition and not frappe.safe_eval(notification.condition, None, context):
		return None
	subject = frappe.render_template(notification.subject or "", context).strip()
	message = frappe.render_template(notification.message or "", context)
	if notification.message_type == "Markdown" and not notification.is_standard:
		message = frappe.utils.md_to_html(message)
	text = re.sub(r"\s+", " ", strip_html(message)).strip()
	return subject, message, f"【{subject}】{text}"[:SMS_LENGTH]


def deliver_to(recipient, subject: str, message: str, sms_text: str, doc, notification=None) -> list[str]:
	"""Send through every channel the recipient has; return the channels that took it."""
	via = []
	system = (
		notification is None
		or notification.send_system_notification
		or notification.channel == "System Notification"
	)
	if system and recipient.user and system_notification(recipient.user, subject, message, doc):
		via.append(_("System Notification"))
	email_channel = notification is None or notification.channel == "Email"
	if email_channel and recipient.email and frappe.utils.validate_email_address(recipient.email):
		if queue_email(recipient.email, subject, message, doc):
			via.append(_("Email"))
	if recipient.mobile and sms_configured():
		if send_sms_now(recipient.mobile, sms_text, doc):
			via.append(_("SMS"))
	return via


def queue_email(email: str, subject: str, message: str, doc) -> bool:
	"""Queue the email; False when the site has no outgoing email account (logged once per request)."""
	if frappe.flags.no_outgoing_email_account:
		return False
	try:
		frappe.sendmail(
			recipients=[email],
			subject=subject,
			message=message,
			reference_doctype=doc.doctype,
			reference_name=doc.name,
			now=False,
		)
	except frappe.OutgoingEmailError:
		frappe.clear_last_message()
		frappe.flags.no_outgoing_email_account = True
		frappe.log_error(
			title=_("Email notices not sent: no outgoing email account"),
			reference_doctype=doc.doctype,
			reference_name=doc.name,
		)
		return False
	return True


def system_notification(user: str, subject: str, message: str, doc) -> bool:
	from frappe.desk.doctype.notification_settings.notification_settings import is_notifications_enabled

	if not is_notifications_enabled(user):
		return False
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"for_user": user,
			"from_user": frappe.session.user,
			"type": "Alert",
			"subject": subject,
			"email_content": message,
			"document_type": doc.doctype,
			"document_name": doc.name,
		}
	).insert(ignore_permissions=True)
	return True


def sms_configured() -> bool:
	return bool(frappe.db.get_single_value("SMS Settings", "sms_gateway_url"))


# Frappe's `send_sms` would send it, but it waits on the gateway without a timeout and cannot say
# whether the gateway took the message: the request is made here with its settings and helpers.
SMS_TIMEOUT = 10


def send_sms_now(number: str, text: str, doc=None) -> bool:
	"""One SMS through the gateway of SMS Settings (its parameters, headers, GET/POST/JSON, as Frappe's
	`send_sms`), with a timeout. True only when the gateway accepted it (2xx), which is logged as an SMS
	Log where that DocType exists; a refusal or an error is logged in the Error Log and returns False."""
	import requests
	from frappe.core.doctype.sms_settings.sms_settings import (
		create_sms_log,
		get_headers,
		validate_receiver_nos,
	)

	settings = frappe.get_doc("SMS Settings")
	try:
		number = validate_receiver_nos([number])[0]
		args = {settings.message_parameter: text}
		for d in settings.parameters:
			if not d.header:
				args[d.parameter] = d.value
		args[settings.receiver_parameter] = number
		headers = get_headers(settings)
		kwargs = {"headers": headers, "timeout": SMS_TIMEOUT}
		if headers.get("Content-Type") == "application/json":
			kwargs["json"] = args
		elif settings.use_post:
			kwargs["data"] = args
		else:
			kwargs["params"] = args
		send = requests.post if settings.use_post else requests.get
		response = send(settings.sms_gateway_url, **kwargs)
		if not 200 <= response.status_code < 300:
			raise frappe.ValidationError(
				_("The SMS gateway answered {0}: {1}").format(response.status_code, response.text[:200])
			)
	except Exception:
		frappe.log_error(
			title=_("SMS notice failed"),
			reference_doctype=doc and doc.doctype,
			reference_name=doc and doc.name,
		)
		return False
	if frappe.db.exists("DocType", "SMS Log"):
		create_sms_log({"message": text.encode("utf-8"), "receiver_list": [number]}, [number])
	return True


def already_sent(notice_type: str, doc, recipient, period: str) -> bool:
	filters = {
		"notice_type": notice_type,
		"reference_doctype": doc.doctype,
		"reference_name": doc.name,
		"period": period,
	}
	if recipient.stakeholder:
		filters["stakeholder"] = recipient.stakeholder
	else:
		filters["recipient_user"] = recipient.user
	return bool(frappe.db.exists("Consultation Notice Log", filters))


def log_notice(notice_type: str, doc, unit: str, recipient, via: list[str], subject: str, period: str | None):
	frappe.get_doc(
		{
			"doctype": "Consultation Notice Log",
			"notice_type": notice_type,
			"reference_doctype": doc.doctype,
			"reference_name": doc.name,
			"community_unit": unit,
			"stakeholder": recipient.stakeholder,
			"recipient_user": recipient.user,
			"recipient_name": recipient.name,
			"channels": ", ".join(via),
			"sent_on": now_datetime(),
			"subject": subject,
			"period": period,
		}
	).insert(ignore_permissions=True)
