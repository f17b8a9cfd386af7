"""Frappe endpoints that only read, run under `replica_reads` (the replica where the site has one).

Frappe v15 marks the report runs and the list views `frappe.read_only()` but not these, which the
desk calls on every workspace and report page:
- `frappe.desk.doctype.number_card.number_card.get_result` and `get_percentage_difference` (the
  workspace's number cards: counts through `frappe.get_list`, so permissions apply as before);
- `frappe.desk.query_report.export_query` (a report's Export), whose report run goes through the app's
  `prepared_returns.run`, so that an export of a prepared return is the user's own scope's result; an
  app report's text cells a spreadsheet would run as a formula are neutralised (`text_policy.csv_cell`,
  in the CSV and the Excel file alike).

Each wrapper calls Frappe's function unchanged. After a Frappe upgrade, re-check the signatures and
that `export_query` still calls the module-level `run`.
"""

import frappe
from frappe.desk import query_report
from frappe.desk.doctype.number_card import number_card

from community_consultation.overrides.replica import replica_reads


@frappe.whitelist()
@replica_reads
def number_card_result(doc, filters, to_date=None):
	return number_card.get_result(doc, filters, to_date)


@frappe.whitelist()
@replica_reads
def number_card_percentage_difference(doc, filters, result):
	return number_card.get_percentage_difference(doc, filters, result)


@frappe.whitelist()
@replica_reads
def export_query():
	from community_consultation.overrides.prepared_returns import run

	frappe_run = query_report.run
	# one request at a time per worker process: restored below
	query_report.run = _cells_neutralised(run) if _is_app_report() else run
	try:
		return query_report.export_query()
	finally:
		query_report.run = frappe_run


def _is_app_report() -> bool:
	from community_consultation.procedure.text_policy import app_modules

	name = frappe.form_dict.get("report_name")
	return bool(name) and frappe.db.get_value("Report", name, "module") in app_modules()


def _cells_neutralised(run):
	"""`run` whose result rows' text cells are `csv_cell`s (rows are dicts or lists)."""
	from community_consultation.procedure.text_policy import csv_cell

	def run_neutralised(*args, **kwargs):
		out = run(*args, **kwargs)
		for i, row in enumerate(out.get("result") or []):
			if isinstance(row, dict):
				row.update({key: csv_cell(value) for key, value in row.items()})
			elif isinstance(row, list | tuple):
				out["result"][i] = [csv_cell(value) for value in row]
		return out

	return run_neutralised
