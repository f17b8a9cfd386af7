"""Which community units a user may see, and that a user writes only in their own units.

A user is restricted by User Permissions on **Community Unit** (a tree): a permission on a unit
allows that unit and every unit beneath it. Only Administrator and the unit-free roles
(`UNIT_FREE_ROLES`: Consultation Administrator, System Manager) are unrestricted without one. Anyone
else with no such permission — a clerk, a township officer or a supervisor whom an administrator has not
yet given a unit, a resident, a guest — sees no unit at all (fail-closed, `lacks_unit`): on Frappe's own
paths through the "*" `permission_query_conditions` and `has_permission` hooks
(`no_unit_query_conditions`, `no_unit_has_permission`), in the app's own queries through `unit_scope`.
County staff who see their whole county hold a permission on the county; city staff one on each county
(or the Consultation Administrator role).

Frappe applies User Permissions itself to list views, forms, `/api/resource`, link search and
reports built on them. `frappe.get_all`, `frappe.qb` and `frappe.db.sql` do not: code that
aggregates with them applies `unit_condition_sql` inside its query, so no total ever counts a unit
the user may not see. What User Permissions cannot express on Frappe's own paths (lists of child rows,
File, desk endpoints) is in `community_consultation/overrides/`; a child row written on its own goes
through its parent (`procedure/child_rows.py`); the tree itself is `units/tree.py`. State-changing
whitelisted methods are `whitelist_action`s (below).
"""

import functools

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import cint

from community_consultation.setup.roles import CONSULTATION_ADMINISTRATOR, SYSTEM_MANAGER
from community_consultation.units import tree as unit_tree
from community_consultation.units.tree import UNIT_DOCTYPE, unit_field, unit_in_ranges

# roles that see every unit without a User Permission (the administrators); every other user needs one
UNIT_FREE_ROLES = (CONSULTATION_ADMINISTRATOR, SYSTEM_MANAGER)


class NoUnitError(frappe.PermissionError):
	"""A user who must have a unit has none: they see and write nothing until an administrator gives one."""


def lacks_unit(user: str | None = None) -> bool:
	"""The user is limited to units but has none: not Administrator, no unit-free role
	(`UNIT_FREE_ROLES`), and no User Permission on Community Unit. Such a user sees nothing."""
	user = user or frappe.session.user
	if user == "Administrator" or frappe.permissions.get_user_permissions(user).get(UNIT_DOCTYPE):
		return False
	return not set(UNIT_FREE_ROLES) & set(frappe.get_roles(user))


def no_unit_message() -> str:
	return _(
		"Your account has no community unit yet, so you see no consultation records. An administrator "
		"must give you your village, community or township (a User Permission on Community Unit)."
	)


def check_has_unit(user: str | None = None):
	"""Throw `NoUnitError`, saying what an administrator must do, for a user who `lacks_unit`."""
	if lacks_unit(user):
		frappe.throw(no_unit_message(), NoUnitError, title=_("No community unit"))


def unit_scope(user: str | None = None, doctype: str | None = None) -> list[unit_tree.Range] | None:
	"""The (lft, rgt) ranges of the subtrees the user may see, or None when unrestricted.

	An empty list means the user may see no unit at all: so for every user who `lacks_unit`
	(fail-closed). A user whose permissions all apply to other DocTypes (`applicable_for`) is not
	limited by them for `doctype`, as Frappe's User Permissions are not."""
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	roots = []
	perms = frappe.permissions.get_user_permissions(user).get(UNIT_DOCTYPE, [])
	for perm in perms:
		applicable_for = perm.get("applicable_for")
		if applicable_for and doctype and applicable_for != doctype:
			continue
		roots.append(perm.get("doc"))
	if not roots:
		return [] if not perms and lacks_unit(user) else None
	unit = DocType(UNIT_DOCTYPE)
	rows = frappe.qb.from_(unit).select(unit.lft, unit.rgt).where(unit.name.isin(list(set(roots)))).run()
	# get_user_permissions lists descendants too: keep only the outermost ranges
	return unit_tree.outermost(rows)


def unit_condition_sql(field_sql: str, user: str | None = None, doctype: str | None = None) -> str:
	"""An SQL condition limiting `field_sql` (a column holding a Community Unit name) to the user's units."""
	return unit_tree.units_within_sql(field_sql, unit_scope(user, doctype))


def is_app_module(module: str | None) -> bool:
	"""A Frappe module of this app (Community Consultation, Decision Bodies, Township)."""
	return bool(module) and frappe.local.module_app.get(frappe.scrub(module)) == "community_consultation"


def is_app_doctype(doctype: str | None) -> bool:
	"""A DocType of this app. What the app changes in Frappe's behaviour acts on these, and other apps'
	DocTypes keep Frappe's own (docs/site-wide-changes.md)."""
	if not doctype or not isinstance(doctype, str):
		return False
	return frappe.local_cache("consultation_app_doctype", doctype, lambda: is_app_module(_module_of(doctype)))


def _module_of(doctype: str) -> str | None:
	"""The DocType's module from its cached meta: no query on the (primary) database once it is cached, so
	that the reads the app sends to the replica stay there (docs/deployment.md)."""
	try:
		return frappe.get_meta(doctype).module
	except frappe.DoesNotExistError:
		return None


def is_unit_bound(doctype: str | None) -> bool:
	"""A DocType of this app whose records belong to a unit (Community Unit itself included)."""
	if not doctype:
		return False
	return frappe.local_cache(
		"consultation_unit_bound", doctype, lambda: is_app_doctype(doctype) and bool(unit_field(doctype))
	)


def no_unit_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""`permission_query_conditions` for "*": a user who `lacks_unit` lists no record of the app's
	unit-bound DocTypes. (Frappe restricts nothing for a user without User Permissions.)"""
	if is_unit_bound(doctype) and lacks_unit(user):
		return "1=0"
	return ""


def no_unit_has_permission(doc, ptype=None, user=None, debug=False) -> bool | None:
	"""`has_permission` for "*": a user who `lacks_unit` reads and writes no record of the app's unit-bound
	DocTypes (a record shared with them apart). Other DocTypes and users: Frappe decides."""
	if is_unit_bound(doc.doctype) and lacks_unit(user):
		return False
	return None


def boot_session(bootinfo):
	"""`boot_session` hook: the desk tells a staff user without a unit why they see nothing."""
	if lacks_unit() and _is_staff():
		bootinfo.consultation_no_unit = no_unit_message()


def _is_staff() -> bool:
	from community_consultation.setup.roles import ROLES

	staff = {role for role, desk_access in ROLES if desk_access}
	return bool(staff & set(frappe.get_roles()))


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
	e.g. escalating a building topic to the village) are the controller's responsibility. Whoever
	saves, a retired unit takes no new records (`tree.validate_unit_not_retired`)."""
	field = unit_field(doc.doctype)
	if field and field != "name":
		unit_tree.validate_unit_not_retired(doc.get(field), doc)
	if doc.flags.ignore_permissions:
		return
	ranges = unit_scope(frappe.session.user, doc.doctype)
	if ranges is None:
		return
	check_has_unit()
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


# ---------------------------------------------------------------------------------------------------
# Actions: a whitelisted method that changes records answers POST only.


def whitelist_action(fn):
	"""`@frappe.whitelist(methods=["POST"])` for a method that changes records, holding on every path.

	Frappe v15 checks a whitelisted function's HTTP methods when it is the request's command and in
	`run_doc_method` (`frappe.handler.is_valid_http_method`), but not when a document method is run by
	`GET /api/resource/<doctype>/<name>?run_method=…` (frappe/api/v1.py `read_doc` → `execute_doc_method`,
	which only asks for read permission) nor `/api/v2/document/…/method/…` (frappe/api/v2.py): without
	Frappe's CSRF check, a link or an image could make a signed-in clerk's browser send the notices again.
	So the method itself refuses any request but a POST (calls made outside a request, by the scheduler
	or the code, are not requests)."""

	@functools.wraps(fn)
	def action(*args, **kwargs):
		request = getattr(frappe.local, "request", None)
		if request is not None and request.method != "POST":
			frappe.throw(
				_("{0} changes records and is accepted only as a POST request.").format(fn.__name__),
				frappe.PermissionError,
				title=_("Not permitted"),
			)
		return fn(*args, **kwargs)

	action.changes_records = True
	return frappe.whitelist(methods=["POST"])(action)
