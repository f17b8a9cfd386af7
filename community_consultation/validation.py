"""Malformed input, whichever way it arrives (desk, REST, import): refused with the field's label.

Frappe casts numbers silently (`cint("abc") == 0`); a clerk's or an integration's typo must instead
be refused with a clear message, before anything is written.
"""

import re

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate

INTEGER = re.compile(r"^\s*[+-]?\d+\s*$")
NUMBER = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$")


def validate_field_types(doc):
	"""Numbers must be numbers, dates must be dates and links must exist, in the document and its
	child rows."""
	rows = [doc, *doc.get_all_children()]
	for d in rows:
		for df in d.meta.fields:
			value = d.get(df.fieldname)
			if value is None or value == "":
				continue
			if df.fieldtype in ("Int", "Check") and not _is_integer(value):
				_throw(d, df, _("a whole number"))
			elif df.fieldtype in ("Float", "Percent", "Currency") and not _is_number(value):
				_throw(d, df, _("a number"))
			elif df.fieldtype in ("Date", "Datetime") and not _is_date(value, df.fieldtype):
				_throw(d, df, _("a date") if df.fieldtype == "Date" else _("a date and time"))
			elif df.fieldtype in ("Table", "Table MultiSelect") and not isinstance(value, list):
				_throw(d, df, _("a list of rows"))

	validate_child_links(rows[1:])


def validate_child_links(rows):
	"""Links in child rows must exist. Frappe (v15) skips a missing link whose row also fetches
	values from it; one query per linked DocType covers every row."""
	wanted = {}
	for d in rows:
		for df in d.meta.get_link_fields():
			if d.get(df.fieldname):
				wanted.setdefault(df.options, {}).setdefault(str(d.get(df.fieldname)), (d, df))
	for doctype, values in wanted.items():
		found = {
			str(n).lower()
			for n in frappe.get_all(doctype, filters={"name": ("in", list(values))}, pluck="name")
		}
		for value, (d, df) in values.items():
			if value.lower() not in found:
				frappe.throw(
					_("Row {0}: {1} {2} does not exist.").format(d.idx, _(df.label), frappe.bold(value)),
					frappe.LinkValidationError,
					title=_("Invalid value"),
				)


def _is_integer(value) -> bool:
	if isinstance(value, bool | int):
		return True
	if isinstance(value, float):
		return value.is_integer()
	return isinstance(value, str) and bool(INTEGER.match(value))


def _is_number(value) -> bool:
	if isinstance(value, bool):
		return False
	if isinstance(value, int | float):
		return True
	return isinstance(value, str) and bool(NUMBER.match(value))


def _is_date(value, fieldtype) -> bool:
	if not isinstance(value, str):
		return True  # already a date / datetime object
	try:
		(getdate if fieldtype == "Date" else get_datetime)(value)
		return True
	except Exception:
		frappe.clear_last_message()
		return False


def _throw(d, df, expected):
	label = _(df.label or df.fieldname)
	if d.get("parentfield"):
		label = _("Row {0} of {1}: {2}").format(d.idx, _(d.parentfield.replace("_", " ").title()), label)
	frappe.throw(
		_("{0} must be {1}, not {2}.").format(
			label, expected, frappe.bold(frappe.utils.escape_html(str(d.get(df.fieldname))[:50]))
		),
		frappe.ValidationError,
		title=_("Invalid value"),
	)


class PayloadGuard:
	"""Controller mixin: a payload of the wrong shape is refused with a translated message (HTTP 417)
	before Frappe builds the document from it."""
