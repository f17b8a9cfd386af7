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
from frappe import _
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


# ---------------------------------------------------------------------------------------------------
# Hooks that keep every path to a record inside the user's units (issue 4, "no leaks"). User
# Permissions do most of it; these cover what they cannot express: child-table rows read on their own,
# a unit that a record takes from a linked record after Frappe's permission check, and a record moved
# from a unit the user may see to one they may not.


def unit_field(doctype: str) -> str | None:
	"""The field that says which unit a record belongs to: `name` for Community Unit itself, else the
	first Link to Community Unit that User Permissions apply to (`community_unit`, `county`)."""
	if doctype == UNIT_DOCTYPE:
		return "name"
	for df in frappe.get_meta(doctype).get_link_fields():
		if df.options == UNIT_DOCTYPE and not df.ignore_user_permissions:
			return df.fieldname
	return None


def units_in_scope(ranges: list[tuple[int, int]]) -> list[str]:
	"""The names of the units inside `ranges` (as returned by `unit_scope`)."""
	if not ranges:
		return []
	unit = DocType(UNIT_DOCTYPE)
	within = None
	for lft, rgt in ranges:
		term = (unit.lft >= lft) & (unit.rgt <= rgt)
		within = term if within is None else within | term
	return frappe.qb.from_(unit).select(unit.name).where(within).run(pluck=True)


def unit_in_ranges(unit: str | None, ranges: list[tuple[int, int]] | None) -> bool:
	if ranges is None:
		return True
	bounds = frappe.db.get_value(UNIT_DOCTYPE, unit, ["lft", "rgt"]) if unit else None
	if not bounds:
		return False
	return any(lft <= bounds[0] and bounds[1] <= rgt for lft, rgt in ranges)


def child_table_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""`permission_query_conditions` for "*": rows of this app's child tables, read on their own
	(`frappe.client.get_list("Consultation Participant", parent_doctype=…)`), only from parents inside
	the user's units. Frappe applies User Permissions to the parent's list, never to its child rows."""
	if not doctype:
		return ""
	meta = frappe.get_meta(doctype)
	if not meta.istable or meta.module != "Community Consultation":
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


def file_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""`permission_query_conditions` for File: Frappe lists every file attached to a DocType the user may
	read; a restricted user's list keeps only the files of the records of their units."""
	if unit_scope(user) is None:
		return ""
	parts = []
	scoped = []
	for dt in frappe.get_all(
		"DocType", filters={"module": "Community Consultation", "istable": 0, "issingle": 0}, pluck="name"
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


def validate_unit_access(doc, method=None):
	"""`doc_events` validate / before_update_after_submit of the unit-bound DocTypes.

	A user restricted to some units writes only inside them. Frappe checks User Permissions before the
	controller runs, so it misses a unit the record takes from a linked record during the save (a
	session's unit comes from its topic: changing the topic moves the session) and the unit a saved
	record is moved away from. Checked here, after the controller has set the unit: both the unit before
	and after the save must be the user's. Saves made by the system for a user (`ignore_permissions`,
	e.g. escalating a building topic to the village) are the controller's responsibility."""
	if doc.flags.ignore_permissions:
		return
	ranges = unit_scope(frappe.session.user, doc.doctype)
	if ranges is None:
		return
	field = unit_field(doc.doctype)
	if not field:
		return
	before = None if doc.is_new() else doc.get_doc_before_save()
	for unit in dict.fromkeys(u for u in (doc.get(field), before and before.get(field)) if u):
		if not unit_in_ranges(unit, ranges):
			frappe.throw(
				_(
					"{0} {1} is outside the units you may work in: you cannot record or move a {2} there."
				).format(_(UNIT_DOCTYPE), frappe.bold(unit), _(doc.doctype)),
				frappe.PermissionError,
				title=_("Not your unit"),
			)
	validate_linked_stakeholders(doc, before, ranges)


def validate_linked_stakeholders(doc, before, ranges: list[tuple[int, int]]):
	"""A stakeholder added to a record (proposer, participant, implementer, notice row) is one the user
	may read, or one of a unit above the record's unit (the village committee at a building's
	micro-consultation, the township government). Otherwise saving would fetch the name of another
	village's resident into the record."""
	old = set(_stakeholder_links(before)) if before else set()
	added = [s for s in dict.fromkeys(_stakeholder_links(doc)) if s not in old]
	if not added:
		return
	field = unit_field(doc.doctype)
	own = frappe.db.get_value(UNIT_DOCTYPE, doc.get(field), ["lft", "rgt"]) if field else None
	for stakeholder in added:
		unit = frappe.db.get_value("Stakeholder", stakeholder, "community_unit")
		if not unit:
			continue  # Frappe's link validation reports the unknown stakeholder
		if unit_in_ranges(unit, ranges):
			continue
		bounds = frappe.db.get_value(UNIT_DOCTYPE, unit, ["lft", "rgt"])
		if own and bounds and bounds[0] <= own[0] and own[1] <= bounds[1]:
			continue
		frappe.throw(
			_("Stakeholder {0} belongs to a unit outside yours and cannot be added here.").format(
				frappe.bold(stakeholder)
			),
			frappe.PermissionError,
			title=_("Not your unit"),
		)


def _stakeholder_links(doc):
	for d in [doc, *doc.get_all_children()]:
		for df in d.meta.get_link_fields():
			if df.options == "Stakeholder" and d.get(df.fieldname):
				yield d.get(df.fieldname)
