"""The meetings that decide by law and the township's records have Frappe modules of their own ("Decision
Bodies", "Township"), beside "Community Consultation": a site installed before keeps every record, and
its DocTypes, reports, print formats, cards, charts, notifications and workspaces name their new module
before the DocTypes are synced from their new folders (`[pre_model_sync]`)."""

import json
from pathlib import Path

import frappe

APP = "community_consultation"


def execute():
	for module in frappe.get_module_list(APP):
		if not frappe.db.exists("Module Def", module):
			frappe.get_doc({"doctype": "Module Def", "module_name": module, "app_name": APP}).insert(
				ignore_permissions=True
			)
	for doctype, name, module in standard_records():
		if frappe.db.get_value(doctype, name, "module") not in (None, module):
			frappe.db.set_value(doctype, name, "module", module, update_modified=False)
	frappe.clear_cache()


def standard_records():
	"""(DocType, name, module) of every standard record the app ships, as its file says."""
	app_path = Path(frappe.get_app_path(APP))
	for module in frappe.get_module_list(APP):
		for path in (app_path / frappe.scrub(module)).glob("*/*/*.json"):
			record = json.loads(path.read_text())
			if (
				isinstance(record, dict)
				and record.get("doctype")
				and record.get("name")
				and record.get("module")
			):
				yield record["doctype"], record["name"], record["module"]
