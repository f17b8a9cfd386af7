"""The File list of a unit-restricted user keeps to the files of their units' records.

Frappe v15 lists files by `get_permission_query_conditions` in frappe/core/doctype/file/file.py (the
`permission_query_conditions` hook of Frappe's own hooks.py): a system user sees every public file, their
own, and every file attached to a DocType they may read at all, whichever record it is attached to (a
session's private materials of another village). `file_query_conditions`, the app's
`permission_query_conditions` for File in hooks.py, is added to Frappe's (Frappe joins them with AND):
a file attached to a record of the app's unit-bound DocTypes is listed only when that record is in the
user's units. Reading one file is Frappe's `has_permission` in the same file, which checks the record it
is attached to, and is unchanged.

After a Frappe upgrade: check that File's `get_permission_query_conditions` still lists files by the
attached DocType only (if it checks the record itself, this can go) and that `DatabaseQuery` still
joins all conditions with AND, then run `scripts/test tests/test_permissions.py -k attachments`
(`test_attachments_of_other_units_are_hidden`).
"""

import frappe

from community_consultation.permissions import unit_condition_sql, unit_scope
from community_consultation.units.tree import unit_field


def file_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""`permission_query_conditions` for File: Frappe lists every file attached to a DocType the user may
	read; a restricted user's list keeps only the files of the records of their units."""
	if unit_scope(user) is None:
		return ""
	parts = []
	scoped = []
	for dt in frappe.get_all(
		"DocType",
		filters={
			"module": ("in", frappe.get_module_list("community_consultation")),
			"istable": 0,
			"issingle": 0,
		},
		pluck="name",
	):
		field = unit_field(dt)
		if not field:
			continue
		scoped.append(frappe.db.escape(dt))
		parts.append(
			f"(`tabFile`.attached_to_doctype = {frappe.db.escape(dt)} and `tabFile`.attached_to_name in"
			f" (select `tab{dt}`.name from `tab{dt}` where {unit_condition_sql(f'`tab{dt}`.`{field}`', user, dt)}))"
		)
	if not scoped:
		return ""
	parts.insert(0, f"ifnull(`tabFile`.attached_to_doctype, '') not in ({', '.join(scoped)})")
	return "(" + " or ".join(parts) + ")"
