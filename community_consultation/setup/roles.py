"""The app's roles: who uses the system (the work plan's 三; docs/roles-and-permissions.md)."""

import frappe

# (role, desk access)
ROLES = (
	("Consultation Administrator", 1),
	("Township Officer", 1),
	("Community Secretary", 1),
	("Committee Clerk", 1),
	("Building Head", 1),
	("Supervision Committee Member", 1),
	("Resident", 0),
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
