import frappe

from community_consultation.setup.defaults import create_defaults
from community_consultation.setup.roles import create_roles, delete_roles
from community_consultation.setup.workflows import create_default_workflows, delete_app_workflows


def before_install():
	create_roles()


def after_install():
	create_roles()
	create_defaults()
	create_default_workflows()


def before_uninstall():
	delete_app_workflows()
	delete_roles()
	# Frappe drops the app's tables but keeps single DocTypes' values
	frappe.db.delete("Singles", {"doctype": "Consultation Settings"})
