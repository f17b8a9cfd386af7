"""Roles the app once gave Frappe's own workspaces, taken off again.

Earlier versions hid Frappe's Users, Website, Tools, Integrations and Build workspaces from unit roles by
giving those workspaces roles (the System Manager; for Users and Build also the Consultation
Administrator), which hid them from every user of every app on the site without those roles. The sidebar
is now kept to the app's roles in `overrides/workspaces.py`; the rows written then are removed by a patch
and at uninstall, only where they are exactly the ones the app wrote (an administrator's own choice is
kept). The rows are deleted directly (not by saving the workspace, which in developer mode would export
Frappe's standard workspace files).
"""

import frappe

from community_consultation.overrides.workspaces import FRAPPE_WORKSPACES
from community_consultation.setup.roles import SYSTEM_MANAGER

# the roles the app used to give each of Frappe's workspaces
ROLES_ONCE_GIVEN = {workspace: ("System Manager", *keep) for workspace, keep in FRAPPE_WORKSPACES.items()}


def unrestrict_frappe_workspaces():
	for workspace, roles in ROLES_ONCE_GIVEN.items():
		rows = frappe.get_all(
			"Has Role", {"parenttype": "Workspace", "parent": workspace}, pluck="role", order_by="idx"
		)
		if rows and sorted(rows) == sorted(r for r in roles if frappe.db.exists("Role", r)):
			frappe.db.delete("Has Role", {"parenttype": "Workspace", "parent": workspace})
	frappe.clear_cache()
