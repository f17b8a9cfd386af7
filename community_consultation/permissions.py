"""Which community units a user may see, and that a user writes only in their own units.

A user is restricted by User Permissions on **Community Unit** (a tree): a permission on a unit
allows that unit and every unit beneath it. A user with no such permission is not restricted
(the Consultation Administrator, county and city staff configured that way, Administrator).

Frappe applies User Permissions itself to list views, forms, `/api/resource`, link search and
reports built on them. `frappe.get_all`, `frappe.qb` and `frappe.db.sql` do not: code that
aggregates with them applies `unit_condition_sql` inside its query, so no total ever counts a unit
the user may not see. What User Permissions cannot express on Frappe's own paths (child rows read on
their own, File, desk endpoints) is in `community_consultation/overrides/`; the tree itself in
`unit_tree`.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import cint

from community_consultation.units import tree as unit_tree
from community_consultation.units.tree import UNIT_DOCTYPE, unit_field, unit_in_ranges


def unit_scope(user: str | None = None, doctype: str | None = None) -> list[unit_tree.Range] | None:
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
	return unit_tree.outermost(rows)


def unit_condition_sql(field_sql: str, user: str | None = None, doctype: str | None = None) -> str:
	"""An SQL condition limiting `field_sql` (a column holding a Community Unit name) to the user's units."""
	return unit_tree.units_within_sql(field_sql, unit_scope(user, doctype))


# ---------------------------------------------------------------------------------------------------
# Writes stay inside the user's units. User Permissions do most of it; these cover what they cannot
# express: a unit that a record takes from a linked record after Frappe's permission check, and a
# record moved from a unit the user may see to one they may not.


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


def validate_linked_stakeholders(doc, before, ranges: list[unit_tree.Range]):
	"""A stakeholder added to a record (proposer, participant, implementer, notice row) is one the user
	may read, or one of a unit above the record's unit (the village committee at a building's
	micro-consultation, the township government). Otherwise saving would fetch the name of another
	village's resident into the record."""
	old = set(_stakeholder_links(before)) if before else set()
	added = [s for s in dict.fromkeys(_stakeholder_links(doc)) if s not in old]
	if not added:
		return
	field = unit_field(doc.doctype)
	own = unit_tree.bounds(doc.get(field)) if field else None
	# one query for every stakeholder added, however many participants the record has; an unknown
	# stakeholder is reported by the link check
	units = frappe.db.sql(
		"""select s.name, u.lft, u.rgt from `tabStakeholder` s
		join `tabCommunity Unit` u on u.name = s.community_unit
		where s.name in %s""",
		(added,),
	)
	for stakeholder, lft, rgt in units:
		theirs = (cint(lft), cint(rgt))
		if any(unit_tree.within(theirs, outer) for outer in ranges) or unit_tree.within(own, theirs):
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
