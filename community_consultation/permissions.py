"""Which community units a user may see.

A user is restricted by User Permissions on **Community Unit** (a tree): a permission on a unit
allows that unit and every unit beneath it. A user with no such permission is not restricted
(the Consultation Administrator, county and city staff configured that way, Administrator).

Frappe applies User Permissions itself to list views, forms, `/api/resource`, link search and
reports built on them. `frappe.get_all`, `frappe.qb` and `frappe.db.sql` do not: code that
aggregates with them applies `unit_condition_sql` / `unit_criterion` inside its query, so no total
ever counts a unit the user may not see.
"""

import frappe
from frappe.query_builder import DocType

UNIT_DOCTYPE = "Community Unit"


def unit_scope(user: str | None = None, doctype: str | None = None) -> list[tuple[int, int]] | None:
	"""The (lft, rgt) ranges of the subtrees the user may see, or None when unrestricted.

	An empty list means the user may see no unit at all."""
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	roots = []
	for perm in frappe.permissions.get_user_permissions(user).get(UNIT_DOCTYPE, []):
		applicable_for = perm.get("applicable_for")
		if applicable_for and doctype and applicable_for != doctype:
			continue
		roots.append(perm.get("doc"))
	if not roots:
		return None
	unit = DocType(UNIT_DOCTYPE)
	rows = frappe.qb.from_(unit).select(unit.lft, unit.rgt).where(unit.name.isin(list(set(roots)))).run()
	# get_user_permissions lists descendants too: keep only the outermost ranges
	ranges = []
	for lft, rgt in sorted(rows):
		if ranges and lft >= ranges[-1][0] and rgt <= ranges[-1][1]:
			continue
		ranges.append((lft, rgt))
	return ranges


def unit_condition_sql(field_sql: str, user: str | None = None, doctype: str | None = None) -> str:
	"""An SQL condition limiting `field_sql` (a column holding a Community Unit name) to the user's units."""
	ranges = unit_scope(user, doctype)
	if ranges is None:
		return "1=1"
	if not ranges:
		return "1=0"
	within = " or ".join(
		f"(cu_scope.lft >= {int(lft)} and cu_scope.rgt <= {int(rgt)})" for lft, rgt in ranges
	)
	return f"{field_sql} in (select cu_scope.name from `tabCommunity Unit` cu_scope where {within})"


def unit_criterion(field, user: str | None = None, doctype: str | None = None):
	"""The same condition as `unit_condition_sql`, as a frappe.qb criterion on `field` (or None)."""
	ranges = unit_scope(user, doctype)
	if ranges is None:
		return None
	unit = DocType(UNIT_DOCTYPE).as_("cu_scope")
	if not ranges:
		return field.isnull() & field.notnull()
	within = None
	for lft, rgt in ranges:
		term = (unit.lft >= lft) & (unit.rgt <= rgt)
		within = term if within is None else within | term
	return field.isin(frappe.qb.from_(unit).select(unit.name).where(within))


def subtree_condition_sql(field_sql: str, unit: str | None) -> str:
	"""An SQL condition limiting `field_sql` to `unit` and the units beneath it (a report filter)."""
	if not unit:
		return "1=1"
	lft, rgt = frappe.db.get_value(UNIT_DOCTYPE, unit, ["lft", "rgt"]) or (0, -1)
	return (
		f"{field_sql} in (select cu_sub.name from `tabCommunity Unit` cu_sub"
		f" where cu_sub.lft >= {int(lft)} and cu_sub.rgt <= {int(rgt)})"
	)
