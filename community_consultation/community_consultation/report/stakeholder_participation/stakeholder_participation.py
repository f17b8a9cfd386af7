# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

"""Stakeholder participation (work plan 二(三)): who took part in the held sessions, per unit and
stakeholder type — sessions, distinct stakeholders, invitations, attendance."""

import frappe
from frappe import _
from frappe.utils import cint, flt

from community_consultation.community_consultation.doctype.consultation_session.consultation_session import (
	LIFE_CYCLE as SESSION_LIFE_CYCLE,
)
from community_consultation.reporting.figures import (
	ROOMY_TEMP_TABLES,
	UnitScope,
	ancestor_map_sql,
	datetime_range,
	get_period,
)
from community_consultation.units.tree import VILLAGE_TYPES


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	data = []
	for row in get_participation_rows(filters):
		if row.row_type == "total":
			label, indent = _("Total"), 0
		elif row.row_type == "unit":
			label, indent = row.unit, 1
		else:
			label, indent = row.stakeholder_type or _("Not Set"), 2
		data.append({**row, "label": label, "indent": indent})
	return get_columns(), data


def get_columns() -> list[dict]:
	return [
		{"fieldname": "label", "label": _("Unit / Stakeholder Type"), "fieldtype": "Data", "width": 240},
		{"fieldname": "sessions", "label": _("Sessions Held"), "fieldtype": "Int", "width": 100},
		{"fieldname": "stakeholders", "label": _("Stakeholders"), "fieldtype": "Int", "width": 100},
		{"fieldname": "invitations", "label": _("Participants Invited"), "fieldtype": "Int", "width": 110},
		{"fieldname": "attended", "label": _("Participants Attended"), "fieldtype": "Int", "width": 110},
		{
			"fieldname": "attendance_rate",
			"label": _("Attendance Rate (%)"),
			"fieldtype": "Percent",
			"width": 110,
		},
		{"fieldname": "conveners", "label": _("As Convener"), "fieldtype": "Int", "width": 90},
		{"fieldname": "proposers", "label": _("As Proposer"), "fieldtype": "Int", "width": 90},
	]


# ---------------------------------------------------------------------- the query


GROUP_LEVELS = {
	"County": ("County",),
	"Township": ("Township",),
	"Village": VILLAGE_TYPES,
}


def get_participation_rows(filters: dict, user: str | None = None) -> list[dict]:
	"""Stakeholder participation in held sessions, per unit (at the chosen level) and stakeholder type.

	`WITH ROLLUP` gives each unit's subtotal and the grand total (distinct counts recomputed per group).
	Returns rows with `row_type` total, unit or type."""
	from_date, to_date = get_period(filters)
	level = filters.get("group_by") or "Village"
	if level != "Unit" and level not in GROUP_LEVELS:
		frappe.throw(_("Group by County, Township, Village or Unit."))
	group_join = (
		"join (select s2.name as unit, s2.name as ancestor, s2.lft as ancestor_lft from `tabCommunity Unit` s2) gm"
		" on gm.unit = s.community_unit"
		if level == "Unit"
		else f"join {ancestor_map_sql(GROUP_LEVELS[level])} gm on gm.unit = s.community_unit"
	)
	conditions = [
		SESSION_LIFE_CYCLE.sql("Concluded", "s"),
		datetime_range("s.starts_on", from_date, to_date),
		UnitScope(filters.get("community_unit"), user).sql("s.community_unit", "Consultation Session"),
	]
	values = {}
	if filters.get("stakeholder_type"):
		conditions.append("p.stakeholder_type = %(stakeholder_type)s")
		values["stakeholder_type"] = filters.get("stakeholder_type")
	rows = frappe.db.sql(
		f"""{ROOMY_TEMP_TABLES}
		select
			gm.ancestor_lft, max(gm.ancestor) as unit, ifnull(p.stakeholder_type, '') as stakeholder_type,
			count(distinct s.name) as sessions, count(distinct p.stakeholder) as stakeholders,
			count(*) as invitations, sum(p.attended) as attended,
			sum(p.participant_role = 'Convener') as conveners,
			sum(p.participant_role = 'Proposer') as proposers
		from `tabConsultation Session` s
		join `tabConsultation Participant` p on p.parent = s.name
		{group_join}
		where {" and ".join(conditions)}
		group by gm.ancestor_lft, ifnull(p.stakeholder_type, '') with rollup
		""",
		values,
		as_dict=True,
	)
	result, pending, total = [], [], None
	for row in rows:
		for field in ("sessions", "stakeholders", "invitations", "attended", "conveners", "proposers"):
			row[field] = cint(row[field])
		row.attendance_rate = flt(100.0 * row.attended / row.invitations, 1) if row.invitations else 0.0
		if row.ancestor_lft is None:
			row.row_type, row.unit = "total", None
			total = row
		elif row.stakeholder_type is None:
			row.row_type = "unit"
			result.extend([row, *pending])
			pending = []
		else:
			row.row_type = "type"
			pending.append(row)
	return ([total] if total else []) + result
