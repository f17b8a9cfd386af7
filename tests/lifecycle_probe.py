"""Reads a site's state for tests/test_lifecycle.py; run with the bench's Python from its sites folder:

	python lifecycle_probe.py fingerprint|residue|installed SITE

Prints JSON. Standalone (not a test module): it connects to a site other than the test site.
"""

import hashlib
import json
import sys
from pathlib import Path

import frappe

APP = "community_consultation"
APP_DIR = Path(__file__).resolve().parent.parent / APP
# the app's Frappe modules, as the checkout lists them
MODULES = [m.strip() for m in (APP_DIR / "modules.txt").read_text().splitlines() if m.strip()]

# DocTypes whose records belong to a module (uninstall deletes them with it)
MODULE_LINKED = (
	"Workspace",
	"Report",
	"Page",
	"Print Format",
	"Notification",
	"Number Card",
	"Dashboard Chart",
	"Dashboard",
	"Web Form",
	"Custom Field",
	"Property Setter",
	"Client Script",
	"Server Script",
	"Module Onboarding",
	"Onboarding Step",
)
# (DocType, field naming a DocType): records that configure one of the app's DocTypes
POINTING_AT_DOCTYPE = (
	("Custom Field", "dt"),
	("Property Setter", "doc_type"),
	("Custom DocPerm", "parent"),
	("Workflow", "document_type"),
	("Notification", "document_type"),
	("Print Format", "doc_type"),
	("Report", "ref_doctype"),
	("Web Form", "doc_type"),
	("Number Card", "document_type"),
	("Dashboard Chart", "document_type"),
	("Client Script", "dt"),
	("Server Script", "reference_doctype"),
)


def app_doctypes_in_checkout() -> dict[str, dict]:
	"""Every DocType the app ships, by name, from its JSON files."""
	found = {}
	for path in APP_DIR.glob("*/doctype/*/*.json"):
		data = json.loads(path.read_text())
		if isinstance(data, dict) and data.get("doctype") == "DocType" and path.stem == path.parent.name:
			found[data["name"]] = data
	return found


def digest(row: dict) -> str:
	return hashlib.sha1(json.dumps(row, sort_keys=True, default=str).encode()).hexdigest()[:12]


def rows(doctype: str, filters=None) -> dict[str, str]:
	if not frappe.db.table_exists(doctype):
		return {}
	return {
		str(r.get("name")): digest(r)
		for r in frappe.get_all(doctype, filters=filters, fields=["*"], order_by="name", limit_page_length=0)
	}


def fingerprint() -> dict[str, dict[str, str]]:
	"""A digest of every row the app's install and migrations write, by table and record name."""
	doctypes = frappe.get_all("DocType", filters={"module": ("in", MODULES)}, pluck="name")
	state = {"DocType": rows("DocType", {"module": ("in", MODULES)})}
	for child in ("DocField", "DocPerm", "DocType Action", "DocType Link", "DocType State", "Custom DocPerm"):
		state[child] = rows(child, {"parent": ("in", doctypes)})
	for doctype, fieldname in POINTING_AT_DOCTYPE:
		state[f"{doctype} on app DocTypes"] = rows(doctype, {fieldname: ("in", doctypes)})
	for doctype in MODULE_LINKED:
		if frappe.get_meta(doctype).has_field("module"):
			state[f"{doctype} of the module"] = rows(doctype, {"module": ("in", MODULES)})
	workflows = frappe.get_all("Workflow", filters={"document_type": ("in", doctypes)}, pluck="name")
	for child in ("Workflow Document State", "Workflow Transition"):
		state[child] = rows(child, {"parent": ("in", workflows)})
	for doctype in ("Role", "Workflow State", "Workflow Action Master", "Patch Log", "Module Def"):
		state[doctype] = rows(doctype)
	state["Scheduled Job Type"] = rows("Scheduled Job Type", {"method": ("like", f"{APP}.%")})
	state["Singles"] = {
		f"{r.doctype}.{r.field}": digest(r)
		for r in frappe.db.sql(
			"select doctype, field, value from `tabSingles` where doctype in %s order by doctype, field",
			[tuple(doctypes) or ("",)],
			as_dict=True,
		)
	}
	for doctype in doctypes:  # the app's own records (catalogue, forms, types, settings …)
		meta = frappe.get_meta(doctype)
		if not meta.issingle:
			state[f"records of {doctype}"] = rows(doctype)
	return state


def installed_apps() -> list[str]:
	"""The installed apps as the database holds them (not a cached copy)."""
	value = frappe.db.sql(
		"select defvalue from `tabDefaultValue` where parent='__global' and defkey='installed_apps'"
	)
	return json.loads(value[0][0]) if value and value[0][0] else []


def residue() -> dict[str, list]:
	"""What an uninstall left behind of the app."""
	shipped = app_doctypes_in_checkout()
	tables = set(frappe.db.get_tables(cached=False))
	left = {
		"DocType rows of the module": frappe.get_all(
			"DocType", filters={"module": ("in", MODULES)}, pluck="name"
		),
		"DocType rows of shipped DocTypes": frappe.get_all(
			"DocType", filters={"name": ("in", list(shipped))}, pluck="name"
		),
		"tables of shipped DocTypes": sorted(f"tab{name}" for name in shipped if f"tab{name}" in tables),
		"Module Def": frappe.get_all("Module Def", filters={"name": ("in", MODULES)}, pluck="name"),
		"Singles rows": frappe.db.sql_list(
			"select distinct doctype from `tabSingles` where doctype in %s", [tuple(shipped) or ("",)]
		),
		"installed_apps": [a for a in installed_apps() if a == APP],
	}
	for doctype in MODULE_LINKED:
		if frappe.get_meta(doctype).has_field("module"):
			left[f"{doctype} of the module"] = frappe.get_all(
				doctype, filters={"module": ("in", MODULES)}, pluck="name"
			)
	for doctype, fieldname in POINTING_AT_DOCTYPE:
		if frappe.db.table_exists(doctype):
			left[f"{doctype} on app DocTypes"] = frappe.get_all(
				doctype, filters={fieldname: ("in", list(shipped))}, pluck="name"
			)
	return {key: value for key, value in left.items() if value}


def installed() -> dict:
	shipped = app_doctypes_in_checkout()
	return {
		"installed_apps": installed_apps(),
		"missing_doctypes": sorted(set(shipped) - set(frappe.get_all("DocType", pluck="name"))),
		"roles": frappe.get_all("Role", pluck="name"),
	}


if __name__ == "__main__":
	command, site = sys.argv[1], sys.argv[2]
	frappe.init(site, sites_path=".")
	frappe.connect()
	try:
		print(json.dumps({"fingerprint": fingerprint, "residue": residue, "installed": installed}[command]()))
	finally:
		frappe.destroy()
