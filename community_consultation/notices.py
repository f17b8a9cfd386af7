"""Notices to participants, stakeholders and staff: system notification, email and SMS.

What is sent, when, and to whom (DOMAIN.md; the work plan's §):

| notice | when | to |
| --- | --- | --- |
| Session Notice (§二(五)2) | the session's notice is published | every participant of the session |
| Outcome Filed (§二(五)4) | the outcome is filed (submitted), or Notify Stakeholders | the topic's stakeholders |
| Publicity Started (§二(五)4) | its publicity starts (at once, or by the daily job) | the topic's stakeholders |
| Deadline Reminder / Deadline Day (§二(六)) | `deadline_reminder_days` before the deadline, and on it | the implementer |
| Outcome Overdue (§三) | the outcome becomes Overdue (daily job) | the Party organisation and the supervision committee |
| Annual Return Reminder (§三) | in December, once a year | the county's staff |

The wording is a standard Notification of this module for each notice (notification/…, event
"Custom": Frappe never sends them by itself, because its recipients by role would reach users of every
village). To change a wording, an administrator disables the standard Notification and makes a copy whose
name starts with the standard one's name; the copy is used while the standard one is disabled. Disabling
both stops that notice.

Recipients are worked out here, always within the record's unit: stakeholders of the record, and users
whose User Permissions on Community Unit cover the record's unit. Each is reached through every channel
they have: a system notification (a user), an email (an address), an SMS (a mobile number, when SMS
Settings has a gateway). A notice is recorded — on the session participant (`notified_on`,
`notified_via`), on the outcome (`notices`) and always in the Consultation Notice Log — only when a channel
took it: an email queued, a system notification created, an SMS the gateway accepted (2xx). An SMS the
gateway refuses is logged in the Error Log and not recorded. A participant with no electronic contact is
notified by the clerk (phone, bulletin board), who records it by hand.
"""

import re
from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import (
	add_days,
	cint,
	date_diff,
	flt,
	format_date,
	format_datetime,
	get_url,
	get_url_to_form,
	getdate,
	now_datetime,
	nowdate,
	strip_html,
)

SESSION_NOTICE = "Session Notice"
OUTCOME_FILED = "Outcome Filed"
PUBLICITY_STARTED = "Publicity Started"
DEADLINE_REMINDER = "Deadline Reminder"
DEADLINE_DAY = "Deadline Day"
OUTCOME_OVERDUE = "Outcome Overdue"
ANNUAL_RETURN = "Annual Return Reminder"

# notice → the standard Notification that words it
NOTIFICATIONS = {
	SESSION_NOTICE: "Consultation Session Notice",
	OUTCOME_FILED: "Consultation Outcome Filed",
	PUBLICITY_STARTED: "Consultation Outcome Publicity",
	DEADLINE_REMINDER: "Consultation Deadline Reminder",
	DEADLINE_DAY: "Consultation Deadline Today",
	OUTCOME_OVERDUE: "Consultation Outcome Overdue",
	ANNUAL_RETURN: "Consultation Annual Return Reminder",
}

PARTY_ORGANISATION_TYPE = "村(社区)党组织"
COMMITTEE_TYPE = "村(居)民委员会"
SUPERVISION_TYPE = "村(居)务监督委员会"
OPEN_OUTCOME_STATUSES = ("Filed", "Publicised", "In Implementation", "Overdue")
SMS_LENGTH = 300
SMS_TIMEOUT = 10


# ------------------------------------------------------------------------------------ the notices


def send_session_notice(session):
	"""§二(五)2: tell every participant the session's topic, time, place, form and rules, with its
	materials. Sets `notified_on` / `notified_via` on each participant the notice reached; the caller
	saves (or `persist_session_notice` does, after a workflow action)."""
	recipients = {row.stakeholder: stakeholder_recipient(row.stakeholder) for row in session.participants}
	pending = [
		r for row in session.participants if not row.notified_on and (r := recipients[row.stakeholder])
	]
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
	"""§三: each county reports its consultation work before the end of December. In December, each
	county's staff (users whose User Permission is on the county) hear of the return once a year,
	with a link to the county's draft return, or to a new one."""
	today = getdate(today or nowdate())
	if today.month != 12:
		return {}
	sent = {}
	for county in frappe.get_all("Community Unit", filters={"unit_type": "County"}, pluck="name"):
		users = county_staff(county)
		if not users:
			continue
		unit = frappe.get_doc("Community Unit", county)
		sent[county] = send_notice(
			ANNUAL_RETURN,
			unit,
			[user_recipient(u) for u in users],
			county,
			period=str(today.year),
			context=annual_return_context(county, today.year),
		)
	return sent


# ------------------------------------------------------------------------------------ doc events


def persist_session_notice(doc, method=None):
	"""on_update of a session: a notice published by the workflow action is sent once the save has
	passed every rule, and who was reached is stored on the participants."""
	if not doc.flags.pop("send_session_notice", None):
		return
	send_session_notice(doc)
	for row in doc.participants:
		if row.notified_on:
			row.db_update()


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


def send_scheduled_notices():
	"""Daily: publicity that started today, the implementers' deadline reminders and deadline-day
	notices, and the December reminder of the annual return. Each outcome on its own, so one failure
	stops no other notice."""
	from community_consultation.community_consultation.doctype.consultation_settings.consultation_settings import (
		get_settings,
	)

	today = getdate(nowdate())
	days = max(cint(get_settings().get("deadline_reminder_days")), 0)
	for name in frappe.get_all(
		"Consultation Outcome",
		filters={"docstatus": 1, "status": ("in", OPEN_OUTCOME_STATUSES), "publicity_from": ("<=", today)},
		pluck="name",
	):
		_run(send_publicity_notice, name)
	for name, deadline in frappe.get_all(
		"Consultation Outcome",
		filters={
			"docstatus": 1,
			"status": ("in", OPEN_OUTCOME_STATUSES),
			"percent_complete": ("<", 100),
			"implementation_deadline": ("between", (today, add_days(today, days))),
		},
		fields=["name", "implementation_deadline"],
		as_list=True,
	):
		notice = DEADLINE_DAY if getdate(deadline) == today else DEADLINE_REMINDER
		if notice == DEADLINE_REMINDER and not days:
			continue
		_run(send_deadline_notice, name, notice)
	try:
		send_annual_return_reminders(today)
	except Exception:
		frappe.log_error(title=_("Annual return reminder failed"))
	_commit()


def _run(fn, outcome: str, *args):
	try:
		fn(frappe.get_doc("Consultation Outcome", outcome), *args)
		_commit()
	except Exception:
		frappe.db.rollback()
		frappe.log_error(
			title=_("Consultation notice failed"),
			reference_doctype="Consultation Outcome",
			reference_name=outcome,
		)


def _commit():
	if not frappe.flags.in_test:
		frappe.db.commit()


# ------------------------------------------------------------------------------------ recipients


def stakeholder_recipient(stakeholder: str) -> frappe._dict | None:
	contact = frappe.db.get_value(
		"Stakeholder", stakeholder, ["name", "stakeholder_name", "user", "email", "mobile_no"], as_dict=True
	)
	if not contact:
		return None
	user = contact.user and frappe.db.get_value(
		"User", {"name": contact.user, "enabled": 1}, ["name", "email", "mobile_no"], as_dict=True
	)
	return frappe._dict(
		key=contact.name,
		stakeholder=contact.name,
		user=user.name if user else None,
		name=contact.stakeholder_name,
		email=contact.email or (user and user.email),
		mobile=contact.mobile_no or (user and user.mobile_no),
	)


def user_recipient(user: str) -> frappe._dict | None:
	row = frappe.db.get_value(
		"User", {"name": user, "enabled": 1}, ["name", "full_name", "email", "mobile_no"], as_dict=True
	)
	if not row:
		return None
	return frappe._dict(
		key=row.name,
		stakeholder=None,
		user=row.name,
		name=row.full_name or row.name,
		email=row.email,
		mobile=row.mobile_no,
	)


def unit_users(unit: str, roles: tuple[str, ...], doctype: str | None = None) -> list[str]:
	"""Enabled desk users with one of `roles` whose User Permissions on Community Unit cover `unit` (the
	unit or a unit above it), for every DocType or for `doctype`. Users without such a permission see
	every unit and are not anyone's local staff: they are not included."""
	lft, rgt = frappe.db.get_value("Community Unit", unit, ["lft", "rgt"])
	return frappe.db.sql_list(
		"""select distinct u.name from `tabUser` u
		join `tabHas Role` hr on hr.parent = u.name and hr.parenttype = 'User'
		join `tabUser Permission` up on up.user = u.name and up.allow = 'Community Unit'
		join `tabCommunity Unit` cu on cu.name = up.for_value
		where u.enabled = 1 and u.user_type = 'System User' and hr.role in %(roles)s
		and cu.lft <= %(lft)s and cu.rgt >= %(rgt)s
		and (up.apply_to_all_doctypes = 1 or ifnull(up.applicable_for, '') = '' or up.applicable_for = %(doctype)s)
		order by u.name""",
		{"roles": roles, "lft": lft, "rgt": rgt, "doctype": doctype or ""},
	)


def unit_stakeholders(unit: str, stakeholder_types: tuple[str, ...]) -> list[str]:
	"""Enabled stakeholders of these types registered at `unit` or the village/community above it."""
	lft, rgt = frappe.db.get_value("Community Unit", unit, ["lft", "rgt"])
	return frappe.db.sql_list(
		"""select s.name from `tabStakeholder` s
		join `tabCommunity Unit` cu on cu.name = s.community_unit
		where s.enabled = 1 and s.stakeholder_type in %(types)s
		and cu.lft <= %(lft)s and cu.rgt >= %(rgt)s and cu.unit_type not in ('County', 'Township')
		order by s.name""",
		{"types": stakeholder_types, "lft": lft, "rgt": rgt},
	)


def implementer_recipients(outcome) -> list[frappe._dict]:
	"""The implementer: the implementing stakeholder, or — for the village and for government-entrusted
	matters, which the committee reports back on — the committee's clerks and secretary and the
	committee's stakeholder record."""
	recipients = []
	if outcome.implementer_stakeholder:
		recipients.append(stakeholder_recipient(outcome.implementer_stakeholder))
	if outcome.implementer_type != "Stakeholder" or not outcome.implementer_stakeholder:
		roles = ("Committee Clerk", "Community Secretary")
		recipients += [user_recipient(u) for u in unit_users(outcome.community_unit, roles, outcome.doctype)]
		recipients += [
			stakeholder_recipient(s) for s in unit_stakeholders(outcome.community_unit, (COMMITTEE_TYPE,))
		]
	return [r for r in recipients if r]


def county_staff(county: str) -> list[str]:
	return frappe.db.sql_list(
		"""select distinct u.name from `tabUser` u
		join `tabUser Permission` up on up.user = u.name and up.allow = 'Community Unit'
		where u.enabled = 1 and u.user_type = 'System User' and up.for_value = %(county)s
		and (up.apply_to_all_doctypes = 1 or ifnull(up.applicable_for, '') = ''
			or up.applicable_for = 'Consultation Annual Return')
		order by u.name""",
		{"county": county},
	)


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
			rules_of_procedure=frappe.utils.sanitize_html(doc.rules_of_procedure or ""),
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
			decision=frappe.utils.sanitize_html(doc.decision or ""),
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
