import frappe

from community_consultation.setup.branding import apply_branding
from community_consultation.setup.defaults import create_defaults
from community_consultation.setup.desk import unrestrict_frappe_workspaces
from community_consultation.setup.roles import create_roles, delete_roles
from community_consultation.setup.site import guest_pages_in_browser_language, hide_error_tracebacks
from community_consultation.setup.workflows import create_default_workflows, delete_app_workflows


def before_install():
	create_roles()


def after_install():
	create_roles()
	create_defaults()
	create_default_workflows()
	hide_error_tracebacks()
	guest_pages_in_browser_language()
	apply_branding(keep_existing=True)


def before_uninstall():
	delete_app_workflows()
	unrestrict_frappe_workspaces()
	delete_roles()
	# Frappe drops the app's tables but keeps single DocTypes' values (and their passwords)
	singles = ("Consultation Settings", "Consultation SMS Settings", "Consultation WeChat Settings")
	frappe.db.delete("Singles", {"doctype": ("in", singles)})
	frappe.db.delete("__Auth", {"doctype": ("in", singles)})
