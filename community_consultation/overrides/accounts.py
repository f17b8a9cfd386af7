"""Signing in and resetting a password tell an attacker nothing, and refuse with a clear 4xx.

Two Frappe v15 behaviours are changed, for every user of the site (deliberately site-wide: they concern
accounts, not the app's records):

1. Password reset (`frappe.core.doctype.user.user.reset_password`, replaced through
   `override_whitelisted_methods`): Frappe answers "not found" with HTTP 404 for an unknown address,
   "disabled" for a disabled account and "not allowed" for Administrator, so anyone can learn which
   addresses have accounts. `reset_password` calls Frappe's function (its rate limit and the e-mail to a
   real account unchanged) and answers every address the same.
2. A locked account (System Settings → Allow Consecutive Login Attempts): the lock-out is raised as
   `frappe.SecurityException` while Frappe builds the request's LoginManager (frappe/auth.py,
   `get_login_attempt_tracker`), before any hook runs, and, having no HTTP status, it is answered as a
   server error (500). `answer_login_lockout` (`after_request`) turns that answer into 429 Too Many
   Requests with the translated message.

After a Frappe upgrade: compare `reset_password`'s answers and `get_login_attempt_tracker`'s exception with
the above, and run `scripts/test tests/test_security_writes.py -k "password or lock"`.
"""

import json

import frappe
from frappe import _
from frappe.auth import get_login_attempt_tracker
from frappe.core.doctype.user import user as frappe_user


@frappe.whitelist(allow_guest=True, methods=["POST"])
def reset_password(user: str) -> str:
	"""Frappe's password reset, answering every address alike (see the module's docstring)."""
	try:
		frappe_user.reset_password(user)
	except frappe.OutgoingEmailError:
		# the site cannot send e-mail (answered 501, for real accounts only): the administrator reads it in
		# the Error Log, the caller gets the same answer as for any address
		frappe.log_error(title=_("Password reset e-mail not sent"))
	frappe.clear_messages()
	frappe.local.response.pop("http_status_code", None)
	frappe.msgprint(
		_(
			"If {0} is the login of an active account, the instructions to reset its password have been sent."
		).format(frappe.bold(user)),
		title=_("Password Reset"),
	)
	return "instructions sent"


def answer_login_lockout(response=None, request=None) -> None:
	"""`after_request`: a login refused because the account is locked answers 429 with the translated
	message, not a server error."""
	if response is None or request is None or response.status_code != 500:
		return
	form = frappe.local.form_dict or {}
	if not (form.get("cmd") == "login" or request.path == "/api/method/login") or not form.get("usr"):
		return
	# Frappe tracks failures per account and per client address (LoginManager.authenticate)
	keys = (form.usr, frappe.local.request_ip)
	if all(get_login_attempt_tracker(k, raise_locked_exception=False).is_user_allowed() for k in keys if k):
		return
	seconds = frappe.get_system_settings("allow_login_after_fail")
	message = _("Your account has been locked and will resume after {0} seconds").format(seconds)
	response.status_code = 429
	response.headers["Content-Type"] = "application/json; charset=utf-8"
	response.set_data(
		json.dumps(
			{
				"exc_type": "SecurityException",
				"message": message,
				"_server_messages": json.dumps(
					[json.dumps({"message": message, "title": _("Account locked"), "indicator": "red"})]
				),
			}
		)
	)
