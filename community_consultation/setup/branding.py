"""The site as the county's platform: its name and logo on the login, sign-up and password pages, the
public pages, the desk and the e-mails, and nothing of the framework a resident can see.

Set once at setup (`consultation-setup --platform-name … --platform-logo …`, which scripts/bootstrap's
China setup runs with the defaults or what it was given); an administrator changes them later in Website
Settings (App Name, App Logo). Where Frappe shows its own name or logo:

| where | what shows the platform |
| --- | --- |
| login, sign-up, personal-information pages (this app's `www/`) | `platform_name()`, `platform_logo()` |
| the website's navbar and `<title>` (Website Settings `app_name`, `app_logo`, `brand_html`) | set here |
| the website's footer ("Built on Frappe") | Website Settings `footer_powered`, set here |
| the desk's navbar and splash (Navbar Settings `app_logo`, the app's `app_logo_url` hook) | set here |
| e-mails (System Settings `app_name` in their subjects, `email_footer_address` under each) | set here |
"""

import frappe
from frappe import _

DEFAULT_NAME = "城乡社区协商平台"
DEFAULT_LOGO = "/assets/community_consultation/images/platform-logo.svg"


def platform_name() -> str:
	return (
		frappe.get_website_settings("app_name")
		or frappe.db.get_single_value("System Settings", "app_name")
		or DEFAULT_NAME
	)


def platform_logo() -> str:
	return frappe.get_website_settings("app_logo") or DEFAULT_LOGO


def apply_branding(name: str | None = None, logo: str | None = None, keep_existing: bool = False):
	"""Put the platform's name and logo wherever Frappe shows its own. With `keep_existing`, a name or
	logo an administrator already set stays (a patch on an existing site)."""
	website = frappe.get_single("Website Settings")
	if keep_existing and website.app_name and website.app_name != "Frappe":
		name = website.app_name
	if keep_existing and website.app_logo:
		logo = website.app_logo
	name = (name or DEFAULT_NAME).strip()
	logo = (logo or DEFAULT_LOGO).strip()
	escaped = frappe.utils.escape_html(name)
	website.update(
		{
			"app_name": name,
			"app_logo": logo,
			"brand_html": f'<img src="{frappe.utils.escape_html(logo)}" alt="" class="cc-brand-logo"> {escaped}',
			"footer_powered": escaped,
			"disable_signup": 1,
		}
	)
	website.flags.ignore_mandatory = True
	website.save(ignore_permissions=True)
	frappe.db.set_single_value("System Settings", {"app_name": name, "allow_login_using_mobile_number": 1})
	if frappe.db.exists("DocType", "Navbar Settings"):
		frappe.db.set_single_value("Navbar Settings", "app_logo", logo)
	frappe.db.set_default("email_footer_address", name)
	frappe.clear_cache()


def branding_context(context):
	"""What this app's sign-in pages show of the platform."""
	context.platform_name = platform_name()
	context.platform_logo = platform_logo()
	context.no_header = 1
	context.no_breadcrumbs = 1
	context.show_sidebar = False
	return context
