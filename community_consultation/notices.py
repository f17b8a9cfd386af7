"""Notices to participants and stakeholders: email, system notification and SMS.

Each notice is recorded against the person it reached (`notified_on`, `notified_via`) only when a
channel actually took it: an email queued, a system notification created, an SMS accepted by the
gateway. A participant with no electronic contact is notified by the clerk (phone, bulletin
board), who records it by hand.
"""

import frappe
from frappe import _
from frappe.utils import format_datetime, get_url_to_form, now_datetime, strip_html


def outgoing_email_configured() -> bool:
	return bool(frappe.db.exists("Email Account", {"enable_outgoing": 1, "default_outgoing": 1}))


def sms_configured() -> bool:
	return bool(frappe.db.get_single_value("SMS Settings", "sms_gateway_url"))


def deliver(stakeholder: str, subject: str, message: str, doc) -> list[str]:
	"""Send one notice to a stakeholder through every channel they can be reached by; return the
	channels that took it."""
	contact = frappe.db.get_value("Stakeholder", stakeholder, ["user", "email", "mobile_no"], as_dict=True)
	if not contact:
		return []
	via = []
	if contact.user and frappe.db.get_value("User", contact.user, "enabled"):
		from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

		make_notification_logs(
			{
				"subject": subject,
				"email_content": message,
				"document_type": doc.doctype,
				"document_name": doc.name,
				"type": "Alert",
				"from_user": frappe.session.user,
			},
			[contact.user],
		)
		via.append(_("System Notification"))
	email = contact.email or (contact.user and frappe.db.get_value("User", contact.user, "email"))
	if email and "@" in email and outgoing_email_configured():
		frappe.sendmail(
			recipients=[email],
			subject=subject,
			message=message,
			reference_doctype=doc.doctype,
			reference_name=doc.name,
			now=False,
		)
		via.append(_("Email"))
	if contact.mobile_no and sms_configured():
		from frappe.core.doctype.sms_settings.sms_settings import send_sms

		try:
			send_sms([contact.mobile_no], strip_html(message)[:300], success_msg=False)
			via.append(_("SMS"))
		except Exception:
			frappe.log_error(
				title=_("SMS notice failed"), reference_doctype=doc.doctype, reference_name=doc.name
			)
	return via


def session_notice_message(session) -> tuple[str, str]:
	materials = "".join(
		f"<li>{frappe.utils.escape_html(m.material_title)}</li>" for m in session.get("materials") or []
	)
	subject = _("Consultation session notice: {0}").format(session.topic_title or session.topic)
	message = _(
		"<p>You are invited to the consultation on <b>{0}</b>.</p>"
		"<p>Time: {1}<br>Place: {2}<br>Form: {3}</p>"
		"<p>Rules of procedure:</p>{4}"
		"<p>Materials:</p><ul>{5}</ul><p><a href='{6}'>Open the session and its materials</a></p>"
	).format(
		frappe.utils.escape_html(session.topic_title or session.topic),
		format_datetime(session.starts_on, "yyyy-MM-dd HH:mm"),
		frappe.utils.escape_html(session.venue or ""),
		frappe.utils.escape_html(session.consultation_form or ""),
		frappe.utils.sanitize_html(session.rules_of_procedure or ""),
		materials,
		get_url_to_form(session.doctype, session.name),
	)
	return subject, message


def send_session_notice(session):
	"""§二(五)2: tell every participant the session's time, place, form and rules, with its materials.

	Sets `notified_on` / `notified_via` on the participants the notice reached; the caller saves."""
	subject, message = session_notice_message(session)
	for row in session.participants:
		if row.notified_on:
			continue
		via = deliver(row.stakeholder, subject, message, session)
		if via:
			row.notified_on = now_datetime()
			row.notified_via = ", ".join(via)


def send_outcome_notice(outcome):
	"""§二(五)4: notify every stakeholder of the topic of the filed outcome (phone, web, in writing).

	Adds a dated row per stakeholder reached to `notices`; sets `stakeholders_notified_on` once every
	stakeholder has a row. The caller saves."""
	subject = _("Consultation outcome filed: {0}").format(outcome.topic_title or outcome.topic)
	message = _(
		"<p>The outcome of the consultation on <b>{0}</b> has been filed.</p>{1}<p><a href='{2}'>Open the outcome</a></p>"
	).format(
		frappe.utils.escape_html(outcome.topic_title or outcome.topic),
		frappe.utils.sanitize_html(outcome.decision or ""),
		get_url_to_form(outcome.doctype, outcome.name),
	)
	done = {n.stakeholder for n in outcome.notices if n.notified_on}
	for stakeholder in outcome.topic_stakeholders():
		if stakeholder in done:
			continue
		via = deliver(stakeholder, subject, message, outcome)
		if via:
			outcome.append(
				"notices",
				{"stakeholder": stakeholder, "notified_on": now_datetime(), "notified_via": ", ".join(via)},
			)
	if not outcome.unnotified_stakeholders() and not outcome.stakeholders_notified_on:
		outcome.stakeholders_notified_on = now_datetime()


def notify_overdue(outcome):
	"""§三: the Party organisation and the supervision committee hear of an overdue outcome."""
	subject = _("Outcome overdue: {0}").format(outcome.topic_title or outcome.topic)
	message = _("<p>The outcome of <b>{0}</b> was due on {1} and is {2}% complete.</p>").format(
		frappe.utils.escape_html(outcome.topic_title or outcome.topic),
		outcome.implementation_deadline,
		outcome.percent_complete or 0,
	)
	for user in unit_users(outcome.community_unit, ("Community Secretary", "Supervision Committee Member")):
		from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

		make_notification_logs(
			{
				"subject": subject,
				"email_content": message,
				"document_type": outcome.doctype,
				"document_name": outcome.name,
				"type": "Alert",
			},
			[user],
		)


def unit_users(unit: str, roles: tuple[str, ...]) -> list[str]:
	"""Enabled users with one of `roles` whose User Permissions cover `unit` (the unit or an ancestor)."""
	lft, rgt = frappe.db.get_value("Community Unit", unit, ["lft", "rgt"])
	return frappe.db.sql_list(
		"""select distinct u.name from `tabUser` u
		join `tabHas Role` hr on hr.parent = u.name and hr.parenttype = 'User'
		join `tabUser Permission` up on up.user = u.name and up.allow = 'Community Unit'
		join `tabCommunity Unit` cu on cu.name = up.for_value
		where u.enabled = 1 and hr.role in %(roles)s and cu.lft <= %(lft)s and cu.rgt >= %(rgt)s""",
		{"roles": roles, "lft": lft, "rgt": rgt},
	)
