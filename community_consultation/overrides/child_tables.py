"""Lists of the app's child-table rows read on their own stay inside the user's units.

`permission_query_conditions` for "*" in hooks.py: `frappe.client.get_list("Consultation Participant",
parent_doctype=…)` checks that the user may read the parent DocType, and `DatabaseQuery`
(frappe/model/db_query.py) applies User Permissions to the parent's list, never to its child rows:
`child_table_query_conditions` keeps the rows of parents inside the user's units. (A row read, written or
deleted on its own is its parent's: `community_consultation.procedure.child_rows.ChildRow`, the base class of the
app's child-table controllers.)

After a Frappe upgrade: check that `DatabaseQuery.get_permission_query_conditions` still reads the "*"
hook, and run `scripts/test tests/test_permissions.py tests/test_rest_permissions.py`
(`test_child_table_rows_only_of_own_units`, `test_child_rows_of_another_unit_cannot_be_read_or_changed_over_http`).
"""

import frappe

from community_consultation.permissions import unit_condition_sql, unit_scope
from community_consultation.units.tree import unit_field


def child_table_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""`permission_query_conditions` for "*": rows of this app's child tables, read on their own
	(`frappe.client.get_list("Consultation Participant", parent_doctype=…)`), only from parents inside
	the user's units. Frappe applies User Permissions to the parent's list, never to its child rows."""
	if not doctype:
		return ""
	meta = frappe.get_meta(doctype)
	if not meta.istable or frappe.get_doctype_app(doctype) != "community_consultation":
		return ""
	if unit_scope(user, doctype) is None:
		return ""
	parents = frappe.get_all(
		"DocField",
		filters={"options": doctype, "fieldtype": ("in", frappe.model.table_fields)},
		pluck="parent",
		distinct=True,
	)
	scoped, unscoped = [], []
	for parent in parents:
		field = unit_field(parent) if not frappe.get_meta(parent).istable else None
		if not field:
			unscoped.append(parent)
			continue
		condition = unit_condition_sql(f"`tab{parent}`.`{field}`", user, parent)
		scoped.append(
			f"(`tab{doctype}`.parenttype = {frappe.db.escape(parent)} and `tab{doctype}`.parent in"
			f" (select `tab{parent}`.name from `tab{parent}` where {condition}))"
		)
	if unscoped:
		names = ", ".join(frappe.db.escape(p) for p in unscoped)
		scoped.append(f"`tab{doctype}`.parenttype in ({names})")
	return "(" + " or ".join(scoped) + ")" if scoped else "1=0"
