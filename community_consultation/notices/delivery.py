"""Sending a notice through every channel a recipient has, recording what a channel took, and the
notices that follow the procedure's steps and the calendar."""

import frappe
from frappe import _
from frappe.utils import (
	add_to_date,
	cint,
	date_diff,
	flt,
	getdate,
	now_datetime,
	nowdate,
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
	notice_kind,
	notice_parameters,
)
from community_consultation.notices.recipients import (
	county_staff,
	implementer_recipients,
	stakeholder_recipient,
	unit_stakeholders,
	unit_users,
	user_recipient,
)
from community_consultation.notices.sms import send_one, sign_in_limit, sms_configured
from community_consultation.notices.wechat import openid_of, send_wechat, wechat_configured
from community_consultation.procedure.scheduling import each_on_its_own
from community_consultation.procedure.text_policy import plain_text
from community_consultation.setup.roles import COMMUNITY_SECRETARY, SUPERVISION_COMMITTEE_MEMBER

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
	roles = (COMMUNITY_SECRETARY, SUPERVISION_COMMITTEE_MEMBER)
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
	given); log each one sent or attempted. Returns {recipient key: channels that took it}."""
	notification = get_notification(notice_type)
	if not notification or not recipients:
		return {}
	context = {**notice_context(notice_type, doc), **(context or {})}
	rendered = render_notice(notification, doc, context)
	if not rendered:
		return {}
	subject, html, text = rendered
	message = Message(
		subject=subject,
		html=html,
		kind=notice_kind(notice_type),
		params={**notice_parameters(notice_type, doc, context), "subject": subject, "text": text},
	)
	channels = chosen_channels(doc)
	sent = {}
	for recipient in {r.key: r for r in recipients}.values():
		earlier = earlier_log(notice_type, doc, recipient, period)
		if earlier and period is not None:
			continue
		if earlier and retry_now(earlier):
			via = split_channels(frappe.db.get_value("Consultation Notice Log", earlier, "channels"))
			if via:
				sent[recipient.key] = via
			continue
		via, deliveries = deliver_to(recipient, message, doc, notification, channels)
		if via or deliveries:
			log_notice(notice_type, doc, unit, recipient, via, subject, period, deliveries)
		if via:
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
	"""(subject, HTML message, plain text) of the Notification for `doc`, or None when its condition
	fails. The plain text — for a free-text SMS gateway — is the subject and the message's text, without
	markup or entities."""
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
	subject = plain_text(subject)
	return subject, message, f"【{subject}】{plain_text(message)}"[:SMS_LENGTH]


class Message(frappe._dict):
	"""A notice to send: `subject`, `html` (system notification, email), `kind` and `params` (plain
	values for the SMS and WeChat templates of that kind; `text` is the whole message in plain text)."""


def chosen_channels(doc) -> set[str] | None:
	"""§二(五)2, 二(五)4: the notice channels chosen on the record (a session's, an outcome's), or None when
	the record chooses none: then every channel the recipient has."""
	rows = doc.get("notice_channels") if doc.meta.has_field("notice_channels") else None
	if doc.doctype == "Consultation Session":
		return {row.channel for row in rows or []}
	return {row.channel for row in rows} if rows else None


def deliver_to(
	recipient, message: Message, doc, notification=None, channels: set[str] | None = None
) -> tuple[list[str], list[dict]]:
	"""Send through every channel the recipient has (SMS and WeChat only where `channels` allows them);
	return the channels that took it, and the SMS and WeChat attempts to log (each with its provider's
	message id, or why it failed)."""
	via, deliveries = [], []
	system = (
		notification is None
		or notification.send_system_notification
		or notification.channel == "System Notification"
	)
	if system and recipient.user and system_notification(recipient.user, message.subject, message.html, doc):
		via.append(_("System Notification"))
	email_channel = notification is None or notification.channel == "Email"
	if email_channel and recipient.email and frappe.utils.validate_email_address(recipient.email):
		if queue_email(recipient.email, message.subject, message.html, doc):
			via.append(_("Email"))
	for channel, address, configured in (
		(SMS_CHANNEL, recipient.mobile, lambda: sms_configured(message.kind)),
		(WECHAT_CHANNEL, openid_of(recipient.user), lambda: wechat_configured(message.kind)),
	):
		if address and (channels is None or channel in channels) and configured():
			delivery = attempt(channel, address, message.kind, message.params, doc)
			deliveries.append(delivery)
			if delivery["status"] == SENT:
				via.append(_(channel))
	return via, deliveries


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


# ------------------------------------------------------------------------------------ SMS and WeChat
# Each message to a person by SMS or WeChat is a Notice Delivery row of the notice's log: its provider's
# message id once it went out; else why it failed, and when it is tried again (`retry_failed_deliveries`)
# until it goes out or `max_attempts` failed ("Given Up"). A notice that went out late is recorded as
# if it had gone out at once (`record_late_delivery`).

SMS_CHANNEL = "SMS"
WECHAT_CHANNEL = "WeChat"
SENT = "Sent"
FAILED = "Failed"
GIVEN_UP = "Given Up"


def send_by_channel(channel: str, address: str, kind: str, params: dict):
	if channel == WECHAT_CHANNEL:
		return send_wechat(address, kind, params)
	return send_one(address, kind, params)


def attempt(channel: str, address: str, kind: str, params: dict, doc=None, attempts: int = 0) -> dict:
	"""One attempt of one SMS or WeChat message: the delivery row to log (or to update)."""
	result = send_by_channel(channel, address, kind, params)
	attempts += 1
	row = {
		"channel": channel,
		"kind": kind,
		"provider": result.provider,
		"message_id": result.message_id,
		"attempts": attempts,
		"last_attempt_on": now_datetime(),
		"payload": frappe.as_json({"to": address, "params": params}, indent=None),
	}
	if result.ok:
		return {**row, "status": SENT, "error": None, "next_attempt_on": None}
	given_up = attempts >= max(sign_in_limit("max_attempts"), 1)
	if doc is not None:
		frappe.log_error(
			title=_("{0} notice failed").format(_(channel)),
			message=result.error,
			reference_doctype=doc.doctype,
			reference_name=doc.name,
		)
	return {
		**row,
		"status": GIVEN_UP if given_up else FAILED,
		"error": result.error,
		"next_attempt_on": None
		if given_up
		else add_to_date(now_datetime(), minutes=max(sign_in_limit("retry_minutes"), 1)),
	}


def split_channels(value: str | None) -> list[str]:
	return [c for c in (value or "").split(", ") if c]


def earlier_log(notice_type: str, doc, recipient, period: str | None) -> str | None:
	filters = {"notice_type": notice_type, "reference_doctype": doc.doctype, "reference_name": doc.name}
	filters["period"] = period if period is not None else ("is", "not set")
	if recipient.stakeholder:
		filters["stakeholder"] = recipient.stakeholder
	else:
		filters["recipient_user"] = recipient.user
	return frappe.db.get_value("Consultation Notice Log", filters, "name", order_by="creation desc")


def retry_now(log_name: str) -> bool:
	"""Try the failed deliveries of a log again at once (the clerk publishes the notice again); True when
	the log had any to try."""
	log = frappe.get_doc("Consultation Notice Log", log_name)
	pending = [row for row in log.deliveries if row.status == FAILED]
	for row in pending:
		retry_delivery(log, row)
	return bool(pending)


def retry_delivery(log, row):
	payload = frappe.parse_json(row.payload or "{}")
	values = attempt(
		row.channel, payload.get("to"), row.kind, payload.get("params") or {}, None, row.attempts or 0
	)
	frappe.db.set_value("Notice Delivery", row.name, {k: v for k, v in values.items() if k != "payload"})
	row.update(values)
	if values["status"] == SENT:
		record_late_delivery(log, row.channel)


def retry_failed_deliveries():
	"""Every few minutes: SMS and WeChat messages that failed are tried again when their time comes;
	each log on its own (one failing does not stop the others)."""
	logs = frappe.get_all(
		"Notice Delivery",
		filters={
			"status": FAILED,
			"next_attempt_on": ("<=", now_datetime()),
			"parenttype": "Consultation Notice Log",
		},
		pluck="parent",
		distinct=True,
		limit=500,
	)

	def retry(log):
		for row in log.deliveries:
			if row.status == FAILED and row.next_attempt_on and row.next_attempt_on <= now_datetime():
				retry_delivery(log, row)

	each_on_its_own("Consultation Notice Log", logs, retry, _("Retrying a notice failed"))


def record_late_delivery(log, channel: str):
	"""A message that went out on a later attempt: the log, and the record the notice is about (a session
	participant's `notified_on`, an outcome's `notices`), say so as they would have at once."""
	via = split_channels(log.channels)
	if _(channel) not in via:
		via.append(_(channel))
	frappe.db.set_value("Consultation Notice Log", log.name, "channels", ", ".join(via))
	log.channels = ", ".join(via)
	if not log.stakeholder:
		return
	if log.notice_type == SESSION_NOTICE and log.reference_doctype == "Consultation Session":
		row = frappe.db.get_value(
			"Consultation Participant",
			{
				"parent": log.reference_name,
				"parenttype": "Consultation Session",
				"stakeholder": log.stakeholder,
			},
			["name", "notified_on", "notified_via"],
			as_dict=True,
		)
		if row:
			frappe.db.set_value(
				"Consultation Participant",
				row.name,
				{
					"notified_on": row.notified_on or now_datetime(),
					"notified_via": ", ".join(dict.fromkeys([*split_channels(row.notified_via), *via])),
				},
			)
	elif log.notice_type == OUTCOME_FILED and log.reference_doctype == "Consultation Outcome":
		outcome = frappe.get_doc("Consultation Outcome", log.reference_name)
		if outcome.docstatus == 1 and not any(
			n.stakeholder == log.stakeholder and n.notified_on for n in outcome.notices
		):
			row = outcome.append(
				"notices",
				{
					"stakeholder": log.stakeholder,
					"notified_on": now_datetime(),
					"notified_via": ", ".join(via),
				},
			)
			row.docstatus = 1
			row.db_insert()
			if not outcome.unnotified_stakeholders() and not outcome.stakeholders_notified_on:
				outcome.db_set("stakeholders_notified_on", now_datetime(), update_modified=False)


def log_notice(
	notice_type: str,
	doc,
	unit: str,
	recipient,
	via: list[str],
	subject: str,
	period: str | None,
	deliveries: list[dict] | None = None,
):
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
			"deliveries": deliveries or [],
		}
	).insert(ignore_permissions=True)
