"""The language of a guest's pages (the login page a resident reaches from WeChat, the web form's
login prompt): the browser's language, else the site's.

Frappe v15 replaced here: `frappe.auth.HTTPRequest.__init__` calls `set_lang()` before
`set_session()`, so `frappe.translate.get_language()` finds no session user, takes the visitor for a
logged-in user and returns the language the request started with ("en"): guests get English pages
whatever their browser asks for and whatever System Settings say. This `before_request` hook asks
again once the session is known. To re-check after a Frappe upgrade: request /login as a guest with
`Accept-Language: zh-CN` and look at `<html lang>`; drop this hook when Frappe gets it right.

It acts on every guest page of the site, whichever app serves it (the login page is Frappe's): a
deliberate site-wide choice, on by default, which an administrator turns off in Consultation Settings →
Guest Pages in the Browser's Language (docs/site-wide-changes.md).
"""

import frappe
from frappe.translate import get_language


def set_guest_language():
	if (
		frappe.session.user == "Guest"
		and getattr(frappe.local, "request", None)
		and guest_pages_in_browser_language()
	):
		frappe.local.lang = get_language()


def guest_pages_in_browser_language() -> bool:
	"""The switch, in Consultation Settings (set at install and by a patch; on by default)."""
	from community_consultation.community_consultation.doctype.consultation_settings.consultation_settings import (
		get_settings,
	)

	return bool(get_settings().guest_pages_in_browser_language)
