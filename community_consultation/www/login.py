"""/login: the platform's sign-in page, in place of Frappe's ("Login to Frappe", e-mail addresses).

Residents sign in, or sign up, with their mobile number and a code sent by SMS (portal/sms_login.py);
inside WeChat's browser, with WeChat first where the county's Official Account is set up
(portal/wechat_login.py); staff sign in with their mobile number or e-mail and their password (Frappe's
/api/method/login, System Settings "Allow Login using Mobile Number"), and may ask for a new password.
The page shows the platform's name and logo, in the language of the visitor's browser."""

import re

import frappe
from frappe import _

from community_consultation.notices.sms import VERIFICATION_CODE, sms_configured
from community_consultation.notices.wechat import in_wechat_browser, wechat_enabled
from community_consultation.portal.sms_login import NOTICE_ROUTE, redirect_target
from community_consultation.setup.branding import branding_context

no_cache = 1

# what the page's script says (a web page has only the translations its context hands over)
JS_MESSAGES = (
	"Sending…",
	"Get code",
	"Resend in {0} s",
	"A code was sent to {0}. It is valid for {1} minutes.",
	"Signing in…",
	"Something went wrong. Please try again.",
	"If the account exists, an e-mail with a link to set a new password is on its way.",
)


def get_context(context):
	if frappe.session.user != "Guest":
		frappe.local.flags.redirect_location = (
			"/app" if frappe.session.data.user_type == "System User" else redirect_target()
		)
		raise frappe.Redirect
	branding_context(context)
	context.title = _("Sign in to {0}").format(context.platform_name)
	context.sms_available = sms_configured(VERIFICATION_CODE)
	context.wechat_sign_in = wechat_enabled() and in_wechat_browser()
	ticket = frappe.form_dict.get("wechat_ticket") or ""
	context.wechat_ticket = ticket if re.fullmatch(r"[0-9a-f]{32}", ticket) else ""
	context.wechat_failed = frappe.form_dict.get("wechat") == "failed"
	context.redirect_to = redirect_target()
	context.notice_route = NOTICE_ROUTE
	context.js_messages = {message: _(message) for message in JS_MESSAGES}
	context.metatags = {"title": context.title}
	return context
