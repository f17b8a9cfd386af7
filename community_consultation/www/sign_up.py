"""/sign-up: a new resident, whose mobile number the SMS code just confirmed, accepts the personal
information notice, gives their name and chooses their village or community (portal/sms_login.py)."""

import re

import frappe
from frappe import _

from community_consultation.portal.sms_login import NOTICE_ROUTE, redirect_target, ticket_key, village_options
from community_consultation.setup.branding import branding_context

no_cache = 1

JS_MESSAGES = ("Signing in…", "Something went wrong. Please try again.")


def get_context(context):
	ticket = frappe.form_dict.get("ticket") or ""
	if frappe.session.user != "Guest" or not frappe.cache().get_value(ticket_key(ticket)):
		frappe.local.flags.redirect_location = (
			"/login" if frappe.session.user == "Guest" else redirect_target()
		)
		raise frappe.Redirect
	branding_context(context)
	context.title = _("Sign up")
	context.ticket = ticket
	wechat_ticket = frappe.form_dict.get("wechat_ticket") or ""
	context.wechat_ticket = wechat_ticket if re.fullmatch(r"[0-9a-f]{32}", wechat_ticket) else ""
	context.redirect_to = redirect_target()
	context.villages = village_options()
	context.notice_route = NOTICE_ROUTE
	context.js_messages = {message: _(message) for message in JS_MESSAGES}
	context.metatags = {"title": context.title}
	return context
