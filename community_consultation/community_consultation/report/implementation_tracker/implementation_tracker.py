# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

"""成果落实跟踪 — tracking the implementation of filed outcomes (work plan 二(六)): overdue outcomes
first, with the days they are overdue, then the others by deadline."""

import frappe
from frappe import _

from community_consultation.reporting import get_implementation_rows


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
