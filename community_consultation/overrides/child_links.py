"""Links of child rows checked in one query per linked DocType, not one per row.

Replaces, for the procedure DocTypes (`procedure.ProcedureDocument._validate_links`), the child-row
half of Frappe v15's `Document._validate_links` (frappe/model/document.py), which calls
`BaseDocument.get_invalid_links` (frappe/model/base_document.py) for every child row: one
`frappe.db.get_value` per row and Link field (uncached when the link fetches values, as a participant
fetches the stakeholder's name and type). A session of 50 participants paid 50 such queries on every
save and again at conclusion. Here the rows' links are read with one query per linked DocType, with
the same results: the stored name's case, the fetched values (`fetch_from`, `fetch_if_empty`, and on
a submitted record only `allow_on_submit` fields), the same "Could not find" and "Cannot link
cancelled document" errors. The parent's own links and rows with Dynamic Links still go through
Frappe's method.

After a Frappe upgrade: compare `Document._validate_links` and `BaseDocument.get_invalid_links` with
the behaviour above, and run `tests/test_query_counts.py` (the per-row cost) and
`tests/test_rest_input.py` (an unknown stakeholder in a row is refused).
"""

from collections import defaultdict

import frappe
from frappe import _
from frappe.model.docstatus import DocStatus
from frappe.model.utils.link_count import notify_link_count


def validate_links(doc) -> None:
	"""`Document._validate_links` with the child rows' links read in bulk."""
	if doc.flags.ignore_links or doc._action == "cancel":
		return
	invalid, cancelled = doc.get_invalid_links()
	rows = []
	for row in doc.get_all_children():
		if row.meta.get("fields", {"fieldtype": "Dynamic Link"}):
			found = row.get_invalid_links(is_submittable=doc.meta.is_submittable)
			invalid.extend(found[0])
			cancelled.extend(found[1])
		else:
			rows.append(row)
	bulk_invalid, bulk_cancelled = rows_invalid_links(rows, doc.meta.is_submittable)
	invalid.extend(bulk_invalid)
	cancelled.extend(bulk_cancelled)
	if invalid:
		frappe.throw(
			_("Could not find {0}").format(", ".join(each[2] for each in invalid)), frappe.LinkValidationError
		)
	if cancelled:
		frappe.throw(
			_("Cannot link cancelled document: {0}").format(", ".join(each[2] for each in cancelled)),
			frappe.CancelledLinkError,
		)


def rows_invalid_links(rows, is_submittable: bool) -> tuple[list, list]:
	"""(invalid, cancelled) links of `rows`, as `get_invalid_links` gives them, fetched values set."""
	# (linked doctype) -> {name: [(row, link df, fields to fetch)]}
	wanted: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
	sources: dict[str, set[str]] = defaultdict(set)
	for row in rows:
		for df in row.meta.get_link_fields():
			name = row.get(df.fieldname)
			if not name:
				continue
			if not df.options:
				frappe.throw(_("Options not set for link field {0}").format(df.fieldname))
			to_fetch = [
				f
				for f in row.meta.get_fields_to_fetch(df.fieldname)
				if not f.get("fetch_if_empty") or not row.get(f.fieldname)
			]
			wanted[df.options][str(name)].append((row, df, to_fetch))
			sources[df.options].update(f.fetch_from.split(".")[-1] for f in to_fetch)

	invalid, cancelled = [], []
	for doctype, by_name in wanted.items():
		meta = frappe.get_meta(doctype)
		check_cancelled = is_submittable and meta.is_submittable
		fields = ["name", *sorted(sources[doctype]), *(["docstatus"] if check_cancelled else [])]
		found = {
			str(r.name).lower(): r
			for r in frappe.get_all(doctype, filters={"name": ("in", list(by_name))}, fields=fields)
		}
		for name, uses in by_name.items():
			values = found.get(name.lower())
			for row, df, to_fetch in uses:
				message = "{} #{}: {}: {}".format(_("Row"), row.idx, _(df.label, context=df.parent), name)
				if not values:
					invalid.append((df.fieldname, name, message))
					continue
				setattr(row, df.fieldname, values.name)
				for f in to_fetch:
					if row.is_new() or not row.docstatus.is_submitted() or f.allow_on_submit:
						row.set_fetch_from_value(doctype, f, values)
				if not meta.istable:
					notify_link_count(doctype, values.name)
				if (
					df.fieldname != "amended_from"
					and check_cancelled
					and values.docstatus == DocStatus.cancelled()
				):
					cancelled.append((df.fieldname, name, message))
	return invalid, cancelled
