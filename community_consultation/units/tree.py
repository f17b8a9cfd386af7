"""The unit tree (二(一)): county → township/street → village/community → villager group/building/estate.

Community Unit is a Frappe nested set (`NestedSet`, columns `lft` and `rgt`): a unit's subtree is every
unit whose `lft` lies between the unit's own `lft` and `rgt`, and its ancestors are the units whose
(`lft`, `rgt`) enclose its own. Every such check in the app is one of the functions here, in the form the
caller needs:

- Python: `unit_field` (the unit of a record), `bounds`, `within`, `unit_in_ranges`, `outermost`;
- SQL text for `frappe.db.sql`: `within_sql`, `overlaps_sql`, `encloses_sql`, `ranges_sql`,
  `units_within_sql`, `types_sql`;
- frappe.qb: `within_criterion`, `encloses_criterion`, `units_within`.

A *range* is a unit's (lft, rgt); a list of ranges is the set of subtrees a user may see
(`permissions.unit_scope`), where None means every unit and an empty list none. The subtree test is on
`lft` alone (`lft between …`): it is exact in a nested set, and it is one range of the (lft, rgt) index
where `lft >= … and rgt <= …` would read the index to its end.
"""

from contextlib import contextmanager

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import cint

UNIT_DOCTYPE = "Community Unit"

COUNTY = "County"
TOWNSHIP = "Township"
TOWNSHIP_TYPES = (TOWNSHIP,)
# community-level consultation is held by villages and communities (村、社区)
VILLAGE_TYPES = ("Village", "Community")
# building-level micro-consultation (楼栋、小区、村民小组)
BUILDING_LEVEL_TYPES = ("Villager Group", "Building", "Estate")
# units that have units beneath them (Frappe's `is_group`)
GROUP_TYPES = (COUNTY, TOWNSHIP, *VILLAGE_TYPES)
# a unit's type constrains its parent's type
ALLOWED_PARENT_TYPES = {
	COUNTY: (),
	TOWNSHIP: (COUNTY,),
	**{t: (TOWNSHIP,) for t in VILLAGE_TYPES},
	**{t: VILLAGE_TYPES for t in BUILDING_LEVEL_TYPES},
}

Range = tuple[int, int]

# ------------------------------------------------------------------------------------------- Python


def unit_type(unit: str | None) -> str | None:
	return frappe.db.get_value(UNIT_DOCTYPE, unit, "unit_type") if unit else None


def get_consultation_level(unit: str | None) -> str:
	"""§二(一): a villager group, building or estate holds building-level micro-consultation; every other
	unit community-level consultation."""
	return "Building" if unit_type(unit) in BUILDING_LEVEL_TYPES else "Community"


def row_village(unit: str, type_of_unit: str | None, parent: str | None) -> str:
	"""The village or community of a village-level or building-level unit read with its type and parent
	(itself, or its parent), without a query: `village_of` for a unit given by name."""
	return parent if type_of_unit in BUILDING_LEVEL_TYPES else unit


def unit_field(doctype: str) -> str | None:
	"""The field that says which unit a record belongs to: `name` for Community Unit itself, else the
	first Link to Community Unit that User Permissions apply to (`community_unit`, `county`)."""
	if doctype == UNIT_DOCTYPE:
		return "name"
	for df in frappe.get_meta(doctype).get_link_fields():
		if df.options == UNIT_DOCTYPE and not df.ignore_user_permissions:
			return df.fieldname
	return None


@contextmanager
def nested_set_deferred():
	"""Units written inside the block leave the nested set as it is, and it is renumbered once at the
	end (`rebuild_nested_set`). Frappe renumbers it on every insert (every unit to the right of the new
	one, twice): loading a city's 1,300 units one by one that way is quadratic. Read by
	`CommunityUnit.on_update` through `nested_set_is_deferred`."""
	frappe.local.cc_nested_set_deferred = True
	try:
		yield
		frappe.local.cc_nested_set_deferred = False
		rebuild_nested_set()
	finally:
		frappe.local.cc_nested_set_deferred = False


def nested_set_is_deferred() -> bool:
	return bool(getattr(frappe.local, "cc_nested_set_deferred", False))


def rebuild_nested_set():
	"""Number the whole unit tree again (lft, rgt, old_parent) in one pass, keeping the order siblings
	had (new units after them, by code then name), and write only the rows whose numbers changed: run on
	an unchanged tree it writes nothing."""
	rows = frappe.db.sql(
		f"""select name, parent_community_unit, old_parent, lft, rgt, unit_code
		from `tab{UNIT_DOCTYPE}`""",
		as_dict=True,
	)
	children: dict = {}
	for row in rows:
		children.setdefault(row.parent_community_unit or None, []).append(row)
	for siblings in children.values():
		siblings.sort(key=lambda r: (not r.lft, cint(r.lft), r.unit_code or "~", r.name))
	numbers = {}
	counter = 0
	stack = [(row, False) for row in reversed(children.get(None, []))]
	while stack:
		row, closing = stack.pop()
		counter += 1
		if closing:
			numbers[row.name] = (numbers[row.name][0], counter)
			continue
		numbers[row.name] = (counter, None)
		stack.append((row, True))
		stack.extend((child, False) for child in reversed(children.get(row.name, [])))
	for row in rows:
		lft, rgt = numbers.get(row.name, (row.lft, row.rgt))
		if (cint(row.lft), cint(row.rgt), row.old_parent or None) != (
			lft,
			rgt,
			row.parent_community_unit or None,
		):
			frappe.db.sql(
				f"update `tab{UNIT_DOCTYPE}` set lft = %s, rgt = %s, old_parent = %s where name = %s",
				(lft, rgt, row.parent_community_unit or "", row.name),
			)
	frappe.clear_document_cache(UNIT_DOCTYPE)


class RetiredUnitError(frappe.ValidationError):
	"""A record created in, or moved into, a retired unit."""


def validate_unit_not_retired(unit: str | None, doc) -> None:
	"""A unit retired from the division list (`disabled`, `units.importer`) keeps its records and their
	history but takes no new ones: `doc` may not be created in `unit`, nor moved into it, when it is
	retired. `unit` is the value of `doc`'s unit field (for a unit, its parent)."""
	if not unit or not frappe.db.get_value(UNIT_DOCTYPE, unit, "disabled"):
		return
	before = None if doc.is_new() else doc.get_doc_before_save()
	if before and unit in (before.get(unit_field(doc.doctype) or ""), before.get("parent_community_unit")):
		return
	frappe.throw(
		_("{0} is retired: it keeps its records but takes no new ones.").format(frappe.bold(unit)),
		RetiredUnitError,
		title=_("Retired unit"),
	)


def bounds(unit: str | None) -> Range | None:
	"""The (lft, rgt) of `unit`, or None when there is no such unit."""
	row = frappe.db.get_value(UNIT_DOCTYPE, unit, ["lft", "rgt"]) if unit else None
	return (cint(row[0]), cint(row[1])) if row else None


def within(inner: Range | None, outer: Range | None) -> bool:
	"""The unit of range `inner` is the unit of range `outer` or lies beneath it."""
	return bool(inner and outer) and outer[0] <= inner[0] and inner[1] <= outer[1]


def unit_in_ranges(unit: str | None, ranges: list[Range] | None) -> bool:
	"""`unit` lies in one of the subtrees `ranges` (always, when `ranges` is None; never, for no unit)."""
	if ranges is None:
		return True
	inner = bounds(unit)
	return any(within(inner, outer) for outer in ranges)


def outermost(ranges) -> list[Range]:
	"""The ranges that no other of `ranges` contains, in tree order (their subtrees cover all of them)."""
	kept = []
	for lft, rgt in sorted((cint(lft), cint(rgt)) for lft, rgt in ranges):
		if kept and within((lft, rgt), kept[-1]):
			continue
		kept.append((lft, rgt))
	return kept


# ---------------------------------------------------------------------------------------------- SQL


def _bound(value) -> str:
	"""A bound as SQL: an int as a literal, else an SQL expression (another unit's `g.lft`)."""
	return str(int(value)) if isinstance(value, int) else str(value)


def within_sql(alias: str, lft, rgt) -> str:
	"""SQL: the unit aliased `alias` is the unit lft..rgt or beneath it. `lft`/`rgt` are ints or SQL
	expressions (`"g.lft", "g.rgt"` to join a unit to its ancestors `g`)."""
	return f"({alias}.lft between {_bound(lft)} and {_bound(rgt)})"


def overlaps_sql(alias: str, lft, rgt) -> str:
	"""SQL: the unit aliased `alias` lies within lft..rgt or contains it (an ancestor of that unit);
	nested-set ranges either nest or are disjoint."""
	return f"({alias}.rgt >= {_bound(lft)} and {alias}.lft <= {_bound(rgt)})"


def encloses_sql(alias: str, lft, rgt) -> str:
	"""SQL: the unit aliased `alias` is the unit lft..rgt or an ancestor of it."""
	return f"({alias}.lft <= {_bound(lft)} and {alias}.rgt >= {_bound(rgt)})"


def ranges_sql(alias: str, ranges: list[Range] | None, overlap: bool = False) -> str:
	"""SQL: the unit aliased `alias` lies in one of the subtrees `ranges` (with `overlap`, or contains
	one). "1=1" when `ranges` is None, "1=0" when it is empty."""
	if ranges is None:
		return "1=1"
	if not ranges:
		return "1=0"
	test = overlaps_sql if overlap else within_sql
	return "(" + " or ".join(test(alias, lft, rgt) for lft, rgt in ranges) + ")"


def units_within_sql(field_sql: str, ranges: list[Range] | None) -> str:
	"""SQL: `field_sql`, a column holding a Community Unit's name, names a unit in one of `ranges`."""
	if ranges is None:
		return "1=1"
	if not ranges:
		return "1=0"
	return (
		f"{field_sql} in (select cu_scope.name from `tabCommunity Unit` cu_scope"
		f" where {ranges_sql('cu_scope', ranges)})"
	)


def subtree_sql(field_sql: str, unit: str | None) -> str:
	"""SQL: `field_sql` names `unit` or a unit beneath it (no condition without a unit: a report filter)."""
	if not unit:
		return "1=1"
	inner = bounds(unit)
	return units_within_sql(field_sql, [inner] if inner else [])


def village_of_sql(alias: str) -> str:
	"""SQL: the village or community of the unit aliased `alias` (`village_of`): itself, or the parent of
	a building-level unit, which sits directly under its village (`ALLOWED_PARENT_TYPES`, §二(一)); null
	for a township or county. A join by name where the nested set would need a range join per village."""
	return (
		f"(case when {alias}.unit_type in ({types_sql(VILLAGE_TYPES)}) then {alias}.name"
		f" when {alias}.unit_type in ({types_sql(BUILDING_LEVEL_TYPES)}) then {alias}.parent_community_unit end)"
	)


def types_sql(unit_types: tuple[str, ...]) -> str:
	"""SQL: the unit types as a list for `unit_type in (…)`."""
	return ", ".join(frappe.db.escape(t) for t in unit_types)


# ------------------------------------------------------------------------------------------ frappe.qb


def within_criterion(unit, ranges: list[Range]):
	"""frappe.qb: the Community Unit table `unit` (a DocType, maybe aliased) lies in one of `ranges`."""
	criterion = None
	for lft, rgt in ranges:
		term = unit.lft.between(lft, rgt)
		criterion = term if criterion is None else criterion | term
	return criterion if criterion is not None else unit.name.isnull() & unit.name.notnull()


def encloses_criterion(unit, inner: Range):
	"""frappe.qb: the Community Unit table `unit` is the unit of range `inner` or an ancestor of it."""
	return (unit.lft <= inner[0]) & (unit.rgt >= inner[1])


def units_within(ranges: list[Range] | None) -> list[str]:
	"""The names of the units in `ranges` (none for None: the caller decides what unrestricted means)."""
	if not ranges:
		return []
	unit = DocType(UNIT_DOCTYPE)
	return frappe.qb.from_(unit).select(unit.name).where(within_criterion(unit, ranges)).run(pluck=True)


# ------------------------------------------------------------------------- the unit a unit belongs to


def is_township(unit: str | None) -> bool:
	return unit_type(unit) in TOWNSHIP_TYPES


def township_of(unit: str | None) -> str | None:
	"""The township (street office) a unit belongs to: itself, or the nearest one above it."""
	return enclosing_unit(unit, TOWNSHIP_TYPES)


def village_of(unit: str | None) -> str | None:
	"""The village or community a unit belongs to: itself, or the one above it (a building's village)."""
	return enclosing_unit(unit, VILLAGE_TYPES)


def enclosing_unit(unit: str | None, unit_types: tuple[str, ...]) -> str | None:
	"""`unit` itself when it is of one of `unit_types`, else the nearest unit of those types above it."""
	if not unit:
		return None
	row = frappe.db.get_value("Community Unit", unit, ["lft", "rgt", "unit_type"], as_dict=True)
	if not row:
		return None
	if row.unit_type in unit_types:
		return unit
	found = frappe.db.sql(
		"""select name from `tabCommunity Unit` where unit_type in %(types)s and lft < %(lft)s
		and rgt > %(rgt)s order by lft desc limit 1""",
		{"types": unit_types, "lft": row.lft, "rgt": row.rgt},
	)
	return found[0][0] if found else None


def validate_village_of_township(village: str, township: str, label: str | None = None):
	"""§三(二): a village or community of this township (not one of another township, not a building)."""
	if unit_type(village) not in VILLAGE_TYPES or township_of(village) != township:
		frappe.throw(
			_("{0} is not a village or community of {1}.").format(
				frappe.bold(village), frappe.bold(township)
			),
			VillageOutsideTownshipError,
			title=label or _("Not of this township"),
		)


class NotATownshipError(frappe.ValidationError):
	"""A record of the township's own work given a unit that is no township or street office."""


class VillageOutsideTownshipError(frappe.ValidationError):
	"""A village or community that does not belong to the township."""
