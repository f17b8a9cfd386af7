"""The desk a unit role sees: the 社区协商 workspace, not Frappe's own Users, Website, Tools, Integrations
and Build workspaces (a village clerk, a building head or a township officer has no use for them).

What Frappe v15 does (frappe/desk/desktop.py): `get_workspace_sidebar_items` lists every public workspace
whose roles (Workspace → Roles) the user shares, or every one that has no roles; Frappe's own workspaces
have none, so every desk user sees them. The desk loads the sidebar from it
(frappe/public/js/frappe/views/workspace/workspace.js `get_pages`), and the boot lists the same pages as
`allowed_workspaces` (frappe/boot.py `load_desktop_data`; the awesomebar and the breadcrumbs read it).

Giving those workspaces roles would hide them from every user of every app without the roles named. So
they are taken out of both lists only for a user whose roles are all the app's (`ROLES` in setup/roles.py,
Frappe's automatic roles aside): the Consultation Administrator, who manages the county's users and
forms, keeps Users and Build. A user with any other role — System Manager, a role of another app — sees
what Frappe shows (docs/site-wide-changes.md). Only the sidebar changes: Frappe's permissions decide who
may open a workspace.

After a Frappe upgrade: compare `get_workspace_sidebar_items`' signature and answer (`pages`, each with
`name`) and check that the boot still fills `allowed_workspaces` before the `boot_session` hooks; run
`scripts/test tests/test_site_wide_changes.py`.
"""

import frappe
from frappe.desk import desktop
from frappe.permissions import AUTOMATIC_ROLES

from community_consultation.setup.roles import CONSULTATION_ADMINISTRATOR, ROLES

# Frappe's workspace → the app's roles that keep it in their sidebar
FRAPPE_WORKSPACES = {
	"Users": (CONSULTATION_ADMINISTRATOR,),
	"Build": (CONSULTATION_ADMINISTRATOR,),
	"Website": (),
	"Tools": (),
	"Integrations": (),
}


def hidden_frappe_workspaces(user: str | None = None) -> set[str]:
	"""Frappe's workspaces left out of `user`'s sidebar: none unless every role of the user is the app's."""
	roles = set(frappe.get_roles(user)) - set(AUTOMATIC_ROLES)
	if not roles or not roles <= {role for role, _desk_access in ROLES}:
		return set()
	return {workspace for workspace, keep in FRAPPE_WORKSPACES.items() if not roles & set(keep)}


def without_hidden_workspaces(pages: list) -> list:
	hidden = hidden_frappe_workspaces()
	return [page for page in pages or [] if page.get("name") not in hidden] if hidden else pages


@frappe.whitelist()
def get_workspace_sidebar_items():
	items = desktop.get_workspace_sidebar_items()
	return {**items, "pages": without_hidden_workspaces(items.get("pages"))}


def boot_session(bootinfo):
	"""`boot_session` hook: the boot's `allowed_workspaces` as the sidebar above."""
	if bootinfo.get("allowed_workspaces"):
		bootinfo.allowed_workspaces = without_hidden_workspaces(bootinfo.allowed_workspaces)
