"""Frappe endpoints that only read, run for the app's cards and reports under `replica_reads` (the
replica where the site has one); other apps' cards and reports get Frappe's functions untouched.

Frappe v15 marks the report runs and the list views `frappe.read_only()` but not these, which the
desk calls on every workspace and report page:
- `frappe.desk.doctype.number_card.number_card.get_result` and `get_percentage_difference` (the
  workspace's number cards: counts through `frappe.get_list`, so permissions apply as before);
- `frappe.desk.query_report.export_query` (a report's Export, frappe/desk/query_report.py): it reads the
  request's form, runs the report through the module-level `run` and sends the CSV or Excel file. An app
  report's export must run through the app's `prepared_returns.run_app_report`, so that an export of a
  prepared return is the user's own scope's result, and its text cells a spreadsheet would run as a formula
  must be neutralised (`text_policy.csv_cell`, in the CSV and the Excel file alike): `export_app_report` is
  Frappe's `export_query` with those two changes (Frappe's own `run` and module stay untouched).

After a Frappe upgrade, re-check the signatures, and compare `export_app_report` with Frappe's
`export_query` (`git -C apps/frappe diff <old>..<new> -- frappe/desk/query_report.py`); run
`scripts/test tests/test_prepared_returns.py tests/test_site_wide_changes.py`.
"""

import json

import frappe
from frappe import _
from frappe.desk import query_report
from frappe.desk.doctype.number_card import number_card
from frappe.desk.reportview import clean_params, parse_json

from community_consultation.overrides.replica import replica_reads
from community_consultation.permissions import is_app_doctype, is_app_module


def is_app_card(doc) -> bool:
	card = frappe.parse_json(doc) or {}
	return is_app_module(card.get("module")) or is_app_doctype(card.get("document_type"))


@frappe.whitelist()
def number_card_result(doc, filters, to_date=None):
	if not is_app_card(doc):
		return number_card.get_result(doc, filters, to_date)
	return replica_reads(number_card.get_result)(doc, filters, to_date)


@frappe.whitelist()
def number_card_percentage_difference(doc, filters, result):
	if not is_app_card(doc):
		return number_card.get_percentage_difference(doc, filters, result)
	return replica_reads(number_card.get_percentage_difference)(doc, filters, result)


@frappe.whitelist()
def export_query():
	report_name = frappe.form_dict.get("report_name")
	if not is_app_module(frappe.get_cached_value("Report", report_name, "module")):
		return query_report.export_query()
	return export_app_report()


@replica_reads
def export_app_report():
	"""Frappe v15's `export_query`, the report run through `prepared_returns.run_app_report` and its
	text cells neutralised for spreadsheets."""
	from frappe.desk.query_report import build_xlsx_data, format_duration_fields
	from frappe.desk.utils import get_csv_bytes, pop_csv_params, provide_binary_file

	from community_consultation.overrides.prepared_returns import run_app_report
	from community_consultation.procedure.text_policy import csv_cell

	form_params = frappe._dict(frappe.local.form_dict)
	csv_params = pop_csv_params(form_params)
	clean_params(form_params)
	parse_json(form_params)

	report_name = form_params.report_name
	frappe.permissions.can_export(
		frappe.get_cached_value("Report", report_name, "ref_doctype"), raise_exception=True
	)
	visible_idx = form_params.visible_idx
	if isinstance(visible_idx, str):
		visible_idx = json.loads(visible_idx)
	custom_columns = frappe.parse_json(form_params.custom_columns or "[]")

	data = frappe._dict(
		run_app_report(
			report_name, form_params.filters, custom_columns=custom_columns, are_default_filters=False
		)
	)
	data.filters = form_params.applied_filters
	if not data.columns:
		frappe.respond_as_web_page(
			_("No data to export"), _("You can try changing the filters of your report.")
		)
		return
	for i, row in enumerate(data.get("result") or []):
		if isinstance(row, dict):
			row.update({key: csv_cell(value) for key, value in row.items()})
		elif isinstance(row, list | tuple):
			data.result[i] = [csv_cell(value) for value in row]

	format_duration_fields(data)
	xlsx_data, column_widths = build_xlsx_data(
		data, visible_idx, form_params.include_indentation, include_filters=form_params.include_filters
	)
	if form_params.file_format_type == "CSV":
		content, file_extension = get_csv_bytes(xlsx_data, csv_params), "csv"
	elif form_params.file_format_type == "Excel":
		from frappe.utils.xlsxutils import make_xlsx

		content = make_xlsx(xlsx_data, "Query Report", column_widths=column_widths).getvalue()
		file_extension = "xlsx"
	provide_binary_file(report_name, file_extension, content)
