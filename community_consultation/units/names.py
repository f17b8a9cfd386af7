"""The record name of a unit, which is what every link, list, report, print format and public page shows.

A unit is named by its official name (车头村委会) while no other unit bears it; a name that repeats
carries its township, a repeated township name its county: 车头村委会（石潭镇）, 石潭镇（清新区）. When
that is still not enough (two 车头村委会 in two 石潭镇 of different counties, or twice in one
township) the county and township both, then the unit's national code. The name is the unit's key
(links hold it), so it is chosen once, when the unit is created or when the list renames it; the code is
the unit's identity for the importer (`units.importer`).
"""

import frappe

OPEN, CLOSE = "（", "）"


def display_name(unit: str | None) -> str:
	"""How a page, a notice or a report names the unit `unit` (its record name) to a person: the record
	name itself — the official name while no other unit bears it, with its township (county) when it
	repeats, 车头村委会（石潭镇）, with its village for a unit beneath one — never the bare `unit_name`,
	which two villages may share."""
	return unit or ""


def picker_options(unit_types, within=None) -> list[dict]:
	"""The units of `unit_types` a resident picks from (the village at sign-up, the unit of a proposal), not
	retired, in tree order: the record name as the value, labelled with the unit above it by its record
	name, which carries its county when a township's name repeats (石潭镇 · 车头村委会, 石潭镇（英德市） ·
	车头村委会), or by the unit's display title on a site whose units have one. `within(unit)`, a
	criterion on the unit's table, narrows them."""
	unit = frappe.qb.DocType("Community Unit")
	parent = frappe.qb.DocType("Community Unit").as_("parent_unit")
	query = (
		frappe.qb.from_(unit)
		.left_join(parent)
		.on(parent.name == unit.parent_community_unit)
		.select(unit.name, unit.unit_name, parent.name.as_("parent_name"))
		.where(unit.unit_type.isin(list(unit_types)))
		.where(unit.disabled == 0)  # a retired unit takes no new residents or topics (units/importer.py)
		.orderby(unit.lft)
	)
	if frappe.get_meta("Community Unit").has_field("title"):
		query = query.select(unit.title)
	if within is not None:
		query = query.where(within(unit))
	return [
		{
			"value": row.name,
			"label": row.get("title")
			or (f"{display_name(row.parent_name)} · {row.unit_name}" if row.parent_name else row.unit_name),
		}
		for row in query.run(as_dict=True)
	]


def candidate_names(unit_name: str, qualifiers: list[str], code: str | None = None) -> list[str]:
	"""The names `unit_name` may take, best first: itself, then qualified by each of `qualifiers` (its
	township, its county and township), then by its code."""
	names = [unit_name, *(f"{unit_name}{OPEN}{q}{CLOSE}" for q in qualifiers if q)]
	if code:
		names.append(f"{unit_name}{OPEN}{code}{CLOSE}")
	return list(dict.fromkeys(names))


def choose_name(candidates: list[str], repeated: bool, taken) -> str | None:
	"""The first of `candidates` no other unit holds (`taken(name)` is true when one does); a repeated
	name never takes the bare name, so that each of its bearers shows where it is."""
	for name in candidates[1:] if repeated and len(candidates) > 1 else candidates:
		if not taken(name):
			return name
	return None


def qualifiers_of(parent: str | None) -> list[str]:
	"""What tells a unit under `parent` apart: the parent's official name, then its parent's and its."""
	if not parent:
		return []
	row = frappe.db.get_value("Community Unit", parent, ["unit_name", "parent_community_unit"])
	if not row:
		return []
	above = frappe.db.get_value("Community Unit", row[1], "unit_name") if row[1] else None
	return [row[0], f"{above}{row[0]}" if above else None]
