"""The language of a guest's pages (the login page a resident reaches from WeChat, the web form's
login prompt): the browser's language, else the site's.

Frappe v15 replaced here: `frappe.auth.HTTPRequest.__init__` calls `set_lang()` before
`set_session()`, so `frappe.translate.get_language()` finds no session user, takes the visitor for a
logged-in user and returns the language the request started with ("en"): guests get English pages
whatever their browser asks for and whatever System Settings say. This `before_request` hook asks
again once the session is known. To re-check after a Frappe upgrade: request /login as a guest with
`Accept-Language: zh-CN` and look at `<html lang>`; drop this hook when Frappe gets it right.
"""

import frappe
from frappe.translate import get_language


def set_guest_language():
	if frappe.session.user == "Guest" and getattr(frappe.local, "request", None):
		frappe.local.lang = get_language()
