"""The app's roles: who uses the system (the work plan's 三; docs/roles-and-permissions.md)."""

import frappe

# The role names, named once: every module takes them from here. A role is a person's job; the level of
# a unit of the tree is its type (`units.tree`: TOWNSHIP, VILLAGE …), never a role.
CONSULTATION_ADMINISTRATOR = "Consultation Administrator"
TOWNSHIP_OFFICER = "Township Officer"
COMMUNITY_SECRETARY = "Community Secretary"
COMMITTEE_CLERK = "Committee Clerk"
BUILDING_HEAD = "Building Head"
SUPERVISION_COMMITTEE_MEMBER = "Supervision Committee Member"
RESIDENT = "Resident"
# Frappe's own
SYSTEM_MANAGER = "System Manager"

# (role, desk access)
ROLES = (
	(CONSULTATION_ADMINISTRATOR, 1),
	(TOWNSHIP_OFFICER, 1),
	(COMMUNITY_SECRETARY, 1),
	(COMMITTEE_CLERK, 1),
	(BUILDING_HEAD, 1),
	(SUPERVISION_COMMITTEE_MEMBER, 1),
	(RESIDENT, 0),
)


def create_roles():
	"""Create the app's roles if missing; an administrator's later edits are kept."""
	for role_name, desk_access in ROLES:
		if frappe.db.exists("Role", role_name):
			continue
		frappe.get_doc(
			{"doctype": "Role", "role_name": role_name, "desk_access": desk_access, "is_custom": 0}
		).insert(ignore_permissions=True)


def delete_roles():
	"""On uninstall: the app's roles go, with the users' assignments and custom permissions on them."""
	for role_name, _desk_access in ROLES:
		if not frappe.db.exists("Role", role_name):
			continue
		frappe.db.delete("Has Role", {"role": role_name})
		frappe.db.delete("Custom DocPerm", {"role": role_name})
		frappe.delete_doc("Role", role_name, ignore_permissions=True, force=True)
