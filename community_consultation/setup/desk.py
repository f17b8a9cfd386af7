"""The desk a unit role sees: the 社区协商 workspace, not Frappe's own workspaces.

Frappe's Users, Website, Tools, Integrations and Build workspaces have no roles, so every desk user
sees them in the sidebar; a village clerk, a building head or a township officer has no use for them.
They are given roles (Workspace → Roles, the way an administrator restricts a workspace): the System
Manager, and for Users and Build the Consultation Administrator, who manages the county's users and
forms. Set at install and by a patch, only on a workspace that has no roles yet, so an
administrator's own choice is kept; the rows are written directly (not by saving the workspace,
which in developer mode would export Frappe's standard workspace files).
"""

import frappe

from community_consultation.setup.roles import CONSULTATION_ADMINISTRATOR, SYSTEM_MANAGER

FRAPPE_WORKSPACE_ROLES = {
	"Users": (SYSTEM_MANAGER, CONSULTATION_ADMINISTRATOR),
	"Build": (SYSTEM_MANAGER, CONSULTATION_ADMINISTRATOR),
	"Website": (SYSTEM_MANAGER,),
	"Tools": (SYSTEM_MANAGER,),
	"Integrations": (SYSTEM_MANAGER,),
}


def restrict_frappe_workspaces():
	for workspace, roles in FRAPPE_WORKSPACE_ROLES.items():
		if not frappe.db.exists("Workspace", workspace):
			continue
		if frappe.db.exists("Has Role", {"parenttype": "Workspace", "parent": workspace}):
			continue
		for idx, role in enumerate(roles, start=1):
			if not frappe.db.exists("Role", role):
				continue
			frappe.get_doc(
				{
					"doctype": "Has Role",
					"parenttype": "Workspace",
					"parentfield": "roles",
					"parent": workspace,
					"role": role,
					"idx": idx,
				}
			).db_insert()
	frappe.clear_cache()


def unrestrict_frappe_workspaces():
	"""At uninstall: the roles this module gave, and only those, are taken off again."""
	for workspace, roles in FRAPPE_WORKSPACE_ROLES.items():
		rows = frappe.get_all(
			"Has Role", {"parenttype": "Workspace", "parent": workspace}, pluck="role", order_by="idx"
		)
		if sorted(rows) == sorted(r for r in roles if frappe.db.exists("Role", r)):
			frappe.db.delete("Has Role", {"parenttype": "Workspace", "parent": workspace})
	frappe.clear_cache()
