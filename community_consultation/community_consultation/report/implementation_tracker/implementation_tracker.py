# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

"""成果落实跟踪 — tracking the implementation of filed outcomes (work plan 二(六)): overdue outcomes
first, with the days they are overdue, then the others by deadline."""

import frappe
from frappe import _
from frappe.utils import cint, nowdate

from community_consultation.community_consultation.doctype.consultation_outcome.consultation_outcome import (
	LIFE_CYCLE as OUTCOME_LIFE_CYCLE,
)
from community_consultation.reporting.figures import (
	UnitScope,
	ancestor_map_sql,
	datetime_range,
	get_period,
)
from community_consultation.units.tree import VILLAGE_TYPES


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	data = get_implementation_rows(filters)
	for row in data:
		row.status_label = _(row.status) if row.status else ""
		row.implementer_type_label = _(row.implementer_type) if row.implementer_type else ""
	return get_columns(), data, None, None, get_summary(data)


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "outcome",
			"label": _("Outcome"),
			"fieldtype": "Link",
			"options": "Consultation Outcome",
			"width": 140,
		},
		{"fieldname": "days_overdue", "label": _("Days Overdue"), "fieldtype": "Int", "width": 90},
		{"fieldname": "topic_title", "label": _("Topic"), "fieldtype": "Data", "width": 200},
		{
			"fieldname": "community_unit",
			"label": _("Community Unit"),
			"fieldtype": "Link",
			"options": "Community Unit",
			"width": 140,
		},
		{"fieldname": "village", "label": _("Village or Community"), "fieldtype": "Data", "width": 130},
		{
			"fieldname": "implementer_type_label",
			"label": _("Implementer Type"),
			"fieldtype": "Data",
			"width": 110,
		},
		{"fieldname": "implementer", "label": _("Implementer"), "fieldtype": "Data", "width": 130},
		{"fieldname": "filed_on", "label": _("Filed On"), "fieldtype": "Datetime", "width": 150},
		{"fieldname": "publicity_from", "label": _("Publicity From"), "fieldtype": "Date", "width": 100},
		{"fieldname": "publicity_to", "label": _("Publicity To"), "fieldtype": "Date", "width": 100},
		{
			"fieldname": "implementation_deadline",
			"label": _("Implementation Deadline"),
			"fieldtype": "Date",
			"width": 110,
		},
		{"fieldname": "percent_complete", "label": _("Progress (%)"), "fieldtype": "Percent", "width": 90},
		{
			"fieldname": "last_update_on",
			"label": _("Last Progress Update"),
			"fieldtype": "Date",
			"width": 110,
		},
		{"fieldname": "status_label", "label": _("Status"), "fieldtype": "Data", "width": 110},
		{
			"fieldname": "reported_to_government_on",
			"label": _("Reported to Government On"),
			"fieldtype": "Date",
			"width": 120,
		},
		{
			"fieldname": "topic",
			"label": _("Topic"),
			"fieldtype": "Link",
			"options": "Consultation Topic",
			"width": 130,
		},
	]


def get_summary(data: list[dict]) -> list[dict]:
	overdue = sum(1 for row in data if row.days_overdue > 0)
	return [
		{"value": len(data), "label": _("Outcomes"), "datatype": "Int"},
		{
			"value": overdue,
			"label": _("Overdue Outcomes"),
			"datatype": "Int",
			"indicator": "Red" if overdue else "Green",
		},
		{
			"value": max((row.days_overdue for row in data), default=0),
			"label": _("Most Days Overdue"),
			"datatype": "Int",
			"indicator": "Red" if overdue else "Green",
		},
	]


# ---------------------------------------------------------------------- the query


def get_implementation_rows(filters: dict, user: str | None = None) -> list[dict]:
	"""成果落实跟踪: filed outcomes, overdue first (most days overdue first), then by deadline."""
	conditions = [
		"o.docstatus = 1",
		UnitScope(filters.get("community_unit"), user).sql("o.community_unit", "Consultation Outcome"),
	]
	values = {"today": nowdate()}
	if filters.get("from_date") or filters.get("to_date"):
		from_date, to_date = get_period(
			{"from_date": filters.get("from_date"), "to_date": filters.get("to_date")}
		)
		conditions.append(datetime_range("o.filed_on", from_date, to_date))
	for field in ("implementer_type", "status"):
		if filters.get(field):
			conditions.append(f"o.{field} = %({field})s")
			values[field] = filters.get(field)
	if cint(filters.get("overdue_only")):
		conditions.append(OUTCOME_LIFE_CYCLE.sql("Overdue", "o"))
	elif not cint(filters.get("include_implemented")):
		conditions.append("o.status != 'Implemented'")
	return frappe.db.sql(
		f"""
		select
			o.name as outcome, o.topic, o.topic_title, o.community_unit, vm.ancestor as village,
			o.implementer_type, o.implementer, o.filed_on, o.publicity_from, o.publicity_to,
			o.implementation_deadline, o.percent_complete, o.status,
			(select max(iu.update_on) from `tabImplementation Update` iu where iu.parent = o.name)
				as last_update_on,
			if({OUTCOME_LIFE_CYCLE.sql("Overdue", "o")},
				datediff(%(today)s, o.implementation_deadline), 0) as days_overdue,
			o.reported_to_government_on
		from `tabConsultation Outcome` o
		left join {ancestor_map_sql(VILLAGE_TYPES)} vm on vm.unit = o.community_unit
		where {" and ".join(conditions)}
		order by days_overdue desc, o.implementation_deadline asc, o.name asc
		""",
		values,
		as_dict=True,
	)
