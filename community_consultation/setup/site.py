"""Complete a new site's setup for a township deployment in China.

Used by scripts/bootstrap (`bench --site S consultation-setup`): the site lands its users in the
app instead of Frappe's setup wizard, with Asia/Shanghai, CNY and simplified Chinese, and the platform's
name and logo (setup/branding.py).
"""

import frappe

from community_consultation.setup.branding import apply_branding


def complete_setup_for_china(
	language: str = "zh", platform_name: str | None = None, platform_logo: str | None = None
):
	if not frappe.db.exists("Language", language):
		frappe.get_doc(
			{"doctype": "Language", "language_code": language, "language_name": "简体中文"}
		).insert(ignore_permissions=True)
	frappe.db.set_value("Language", language, "enabled", 1)
	settings = frappe.get_single("System Settings")
	settings.update(
		{
			"country": "China" if frappe.db.exists("Country", "China") else settings.country,
			"language": language,
			"time_zone": "Asia/Shanghai",
			"currency": "CNY" if frappe.db.exists("Currency", "CNY") else settings.currency,
			"date_format": "yyyy-mm-dd",
			"time_format": "HH:mm:ss",
			"number_format": "#,###.##",
			"float_precision": 3,
			"first_day_of_the_week": "Monday",
			"enable_scheduler": 1,
		}
	)
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)
	if frappe.db.exists("Currency", "CNY"):
		frappe.db.set_value("Currency", "CNY", "enabled", 1)
		frappe.db.set_default("currency", "CNY")
	frappe.db.set_default("desktop:home_page", "workspace")
	frappe.db.set_single_value("System Settings", "setup_complete", 1)
	frappe.db.set_value("User", "Administrator", {"language": language, "time_zone": "Asia/Shanghai"})
	set_default_workspace("Administrator")
	apply_branding(platform_name, platform_logo, keep_existing=not (platform_name or platform_logo))
	frappe.db.commit()


WORKSPACE = "Community Consultation"


def set_default_workspace(user: str):
	"""The desk opens on the 社区协商 workspace for this user."""
	if frappe.db.exists("Workspace", WORKSPACE):
		frappe.db.set_value("User", user, "default_workspace", WORKSPACE)


def hide_error_tracebacks():
	"""A server error shows no traceback (System Settings → Show Full Error, on by default in Frappe): a
	guest or a resident must not read the code's paths, queries and values. Site-wide, deliberately; an
	administrator may turn it on again while investigating."""
	frappe.db.set_single_value("System Settings", "allow_error_traceback", 0)


def guest_pages_in_browser_language():
	"""Guests' pages follow the browser's language (`overrides/guest_language.py`) until an administrator
	turns it off: set once, when the switch was never saved."""
	if not frappe.db.sql(
		"select 1 from `tabSingles` where doctype = %s and field = %s",
		("Consultation Settings", "guest_pages_in_browser_language"),
	):
		frappe.db.set_single_value("Consultation Settings", "guest_pages_in_browser_language", 1)
