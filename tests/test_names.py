"""One name per thing: the report of the annual return's figures is named after the Consultation Annual
Return (a site installed before keeps the report's roles and links), and the role names are written once,
in community_consultation/setup/roles.py."""

import ast
from pathlib import Path

import frappe

from community_consultation.patches.v0_1 import annual_return_figures_report as patch
from community_consultation.setup.roles import ROLES, SYSTEM_MANAGER

APP = Path(__file__).resolve().parent.parent / "community_consultation"


def test_the_report_of_the_annual_return_is_named_after_it():
	assert frappe.db.exists("Report", "Consultation Annual Return Figures")
	assert not frappe.db.exists("Report", "Yearly Consultation Return")
	assert (
		frappe.db.get_value("Report", "Consultation Annual Return Figures", "module")
		== "Community Consultation"
	)
	links = frappe.get_all(
		"Workspace Link", {"link_type": "Report", "parent": "Community Consultation"}, pluck="link_to"
	)
	assert "Consultation Annual Return Figures" in links and "Yearly Consultation Return" not in links


def test_a_site_installed_before_keeps_the_reports_roles_and_links():
	"""The old report as a site installed before holds it, with a role its administrator added and a
	prepared result; the patch merges it into the report under its new name."""
	new = frappe.get_doc("Report", patch.NEW)
	shipped = {row.role for row in new.roles}
	old = frappe.copy_doc(new)
	old.name = old.report_name = patch.OLD
	old.append("roles", {"role": "Blogger"})
	frappe.flags.in_patch = True
	try:
		old.db_insert()
		for row in old.roles:
			row.parent = patch.OLD
			row.db_insert()
		prepared = frappe.get_doc(
			{"doctype": "Prepared Report", "report_name": patch.OLD, "status": "Completed"}
		)
		prepared.db_insert()
		patch.execute()
	finally:
		frappe.flags.in_patch = False
	assert not frappe.db.exists("Report", patch.OLD)
	roles = set(frappe.get_all("Has Role", {"parenttype": "Report", "parent": patch.NEW}, pluck="role"))
	assert roles == shipped | {"Blogger"}
	assert SYSTEM_MANAGER in roles
	assert not frappe.get_all("Has Role", {"parenttype": "Report", "parent": patch.OLD})
	assert frappe.db.get_value("Prepared Report", prepared.name, "report_name") == patch.NEW
	patch.execute()  # run again, it changes nothing
	assert frappe.db.exists("Report", patch.NEW)


def role_literals(path: Path) -> list[tuple[int, str]]:
	names = {role for role, _desk in ROLES}
	tree = ast.parse(path.read_text())
	return [
		(node.lineno, node.value)
		for node in ast.walk(tree)
		if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in names
	]


def test_role_names_are_written_once():
	"""Every module of the app takes the role names from setup/roles.py (its tests may spell them)."""
	found = {}
	for path in APP.rglob("*.py"):
		relative = path.relative_to(APP)
		if relative == Path("setup/roles.py") or "tests" in relative.parts or path.name.startswith("test_"):
			continue
		if literals := role_literals(path):
			found[str(relative)] = literals
	assert found == {}
