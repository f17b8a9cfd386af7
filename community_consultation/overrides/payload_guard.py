"""Malformed input, whichever way it arrives (desk, REST, import): refused with the field's label.

One table of what each field type takes (`field_problem`), checked at two moments:

- while Frappe builds or changes the document from a payload (`PayloadGuard`: `frappe.get_doc(dict)`,
  `doc.update`, `doc.set`, `doc.append`, which `/api/resource`, `/api/v2`, `frappe.client.*`,
  `run_doc_method` and the desk's `savedocs` all go through): the payload's shape. A table given
  anything but a list of rows, a row that is not an object or carries a field its DocType does not
  have, an object or a list where a single value belongs. Frappe v15 crashes on these with a
  `TypeError` (HTTP 500), or keeps `str(value)`, or reads the object as filters of a Link's look-up.
- before validation (`validate_field_types`, from `before_validate`): the values' format too. Frappe
  casts numbers silently (`cint("abc") == 0`); a clerk's or an integration's typo must instead be
  refused with a clear message, before anything is written.

Both raise `MalformedPayloadError`, a `ValidationError`: HTTP 417.
"""

import json
import re

import frappe
from frappe import _
from frappe.model import child_table_fields, default_fields, optional_fields, table_fields
from frappe.model.base_document import BaseDocument
from frappe.utils import escape_html, get_datetime, getdate

from community_consultation.procedure.text_policy import PlainTextEscaped

INTEGER = re.compile(r"^\s*[+-]?\d+\s*$")
NUMBER = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$")

# JSON objects and lists (and documents), as opposed to single values
COMPOUND = (dict, list, tuple, set, BaseDocument)
# the standard columns' types (the others are names: Data)
STANDARD_FIELDTYPES = {"docstatus": "Int", "idx": "Int", "creation": "Datetime", "modified": "Datetime"}
STANDARD_KEYS = frozenset((*default_fields, *child_table_fields, *optional_fields))


class MalformedPayloadError(frappe.ValidationError):
	"""A value of the wrong shape or format for its field: refused (HTTP 417), nothing written."""


def field_problem(fieldtype: str | None, value, formats: bool = True) -> str | None:
	"""What a field of `fieldtype` takes, when `value` is not that (None when it is, or is empty).

	Without `formats`, only the shape: a list for a table, a single value for any other field (JSON
	takes anything). With `formats`, also that numbers are numbers and dates are dates."""
	if value is None or fieldtype is None or fieldtype == "JSON":
		return None
	if fieldtype in table_fields:
		return None if isinstance(value, list | tuple) else _expected(fieldtype)
	if isinstance(value, COMPOUND):
		return _expected(fieldtype)
	if not formats or value == "":
		return None
	if fieldtype in ("Int", "Check") and not _is_integer(value):
		return _expected(fieldtype)
	if fieldtype in ("Float", "Percent", "Currency") and not _is_number(value):
		return _expected(fieldtype)
	if fieldtype in ("Date", "Datetime") and not _is_date(value, fieldtype):
		return _expected(fieldtype)
	return None


def _expected(fieldtype: str) -> str:
	"""What a field of this type takes, as the message says it."""
	if fieldtype in table_fields:
		return _("a list of rows")
	if fieldtype in ("Int", "Check"):
		return _("a whole number")
	if fieldtype in ("Float", "Percent", "Currency"):
		return _("a number")
	if fieldtype == "Date":
		return _("a date")
	if fieldtype == "Datetime":
		return _("a date and time")
	if fieldtype in ("Link", "Dynamic Link"):
		return _("the name of one record")
	if fieldtype == "Select":
		return _("one of its options")
	if fieldtype in ("Data", "Small Text", "Text", "Long Text", "Text Editor", "Read Only"):
		return _("text")
	return _("a single value")


def validate_field_types(doc):
	"""Numbers must be numbers, dates must be dates and links must exist, in the document and its
	child rows."""
	_check_fields(doc)
	rows = []
	for df in doc.meta.get_table_fields():
		for position, row in enumerate(doc.get(df.fieldname) or (), 1):
			if not isinstance(row, BaseDocument):  # a list assigned to the attribute
				_throw(_("Row {0} of {1}").format(position, _(df.label)), _("a row of fields"), row)
			_check_fields(row)
			rows.append(row)
	validate_child_links(rows)


def _check_fields(d):
	for df in d.meta.fields:
		value = d.get(df.fieldname)
		if expected := field_problem(df.fieldtype, value):
			_throw(_field_label(d, df.fieldname), expected, value)


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


def check_payload_value(doc, fieldname: str, value):
	"""A value being set on `doc` has the shape its field takes (a key the DocType does not have is
	left to Frappe, which ignores it)."""
	fieldtype = _fieldtype(doc.meta, fieldname)
	if expected := field_problem(fieldtype, value, formats=False):
		_throw(_field_label(doc, fieldname), expected, value)


def check_payload_row(doc, tablefield: str, row, position: int):
	"""A row being added to `doc`'s table is an object of the child DocType's fields, each of the
	shape it takes; a field the child DocType does not have is refused, naming it."""
	table = _(doc.meta.get_label(tablefield))
	if not isinstance(row, dict):
		_throw(_("Row {0} of {1}").format(position, table), _("a row of fields"), row)
	child = frappe.get_meta(doc.get_table_field_doctype(tablefield))
	unknown = [key for key in row if not (child.has_field(key) or _is_standard_key(key))]
	# rows read from the database carry the columns of fields removed since: not the payload's doing
	if unknown and not child.is_virtual:
		columns = set(frappe.db.get_table_columns(child.name))
		unknown = [key for key in unknown if key not in columns]
	if unknown:
		frappe.throw(
			_("{0} is not a field of {1}.").format(
				_("Row {0} of {1}: {2}").format(position, table, frappe.bold(_shown(unknown[0]))),
				_(child.name),
			),
			MalformedPayloadError,
			title=_("Invalid value"),
		)
	for key, value in row.items():
		if expected := field_problem(_fieldtype(child, key), value, formats=False):
			label = _("Row {0} of {1}: {2}").format(position, table, _(child.get_label(key)))
			_throw(label, expected, value)


def _fieldtype(meta, fieldname: str) -> str | None:
	if df := meta.get_field(fieldname):
		return df.fieldtype
	if fieldname in default_fields or fieldname in child_table_fields:
		return STANDARD_FIELDTYPES.get(fieldname, "Data")
	return None


def _is_standard_key(key) -> bool:
	"""Keys Frappe and the desk put in any row besides its fields (`__islocal`, `doctype`, `idx`…)."""
	return isinstance(key, str) and (
		key in STANDARD_KEYS or key.startswith("__") or key in BaseDocument._reserved_keywords
	)


def _field_label(d, fieldname: str) -> str:
	label = _(d.meta.get_label(fieldname))
	if d.get("parentfield") and d.get("parenttype"):
		table = _(frappe.get_meta(d.parenttype).get_label(d.parentfield))
		label = _("Row {0} of {1}: {2}").format(d.idx, table, label)
	return label


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


def _shown(value) -> str:
	"""The value as the payload sent it, short and safe to show."""
	if isinstance(value, BaseDocument):
		value = value.as_dict()
	if not isinstance(value, str):
		value = json.dumps(value, ensure_ascii=False, default=str)
	return escape_html(value[:50])


def _throw(label: str, expected: str, value):
	frappe.throw(
		_("{0} must be {1}, not {2}.").format(label, expected, frappe.bold(_shown(value))),
		MalformedPayloadError,
		title=_("Invalid value"),
	)


class PayloadGuard(PlainTextEscaped):
	"""Controller mixin: a payload of the wrong shape is refused with a translated message (HTTP 417)
	while Frappe builds the document from it, before anything else reads it. (Every app DocType has it:
	it also brings the text policy's `PlainTextEscaped`, plain text formatted escaped.)

	Put it before `Document`: `class NoticeChannel(PayloadGuard, Document)`. It checks what is set
	through `update` / `set` (every field of `frappe.get_doc(dict)`, `doc.update(dict)`) and each row
	added to a table (`append`, as `set` and `extend` do for a list); a child DocType's controller has it
	too, for a row changed on its own (`frappe.client.set_value` on a row, `/api/resource/<child>/<row>`).
	Values read from the database always have the right shape, so loading a document is unchanged."""

	def update(self, d):
		if isinstance(d, dict) and "name" in d:
			check_payload_value(self, "name", d["name"])
		return super().update(d)

	def set(self, key, value, as_value=False):
		if isinstance(value, COMPOUND) or (value is not None and key in self._table_fieldnames):
			check_payload_value(self, key, value)
		return super().set(key, value, as_value=as_value)

	def _init_child(self, value, key):
		if not isinstance(value, BaseDocument):
			check_payload_row(self, key, value, position=len(self.get(key) or ()) + 1)
		return super()._init_child(value, key)
