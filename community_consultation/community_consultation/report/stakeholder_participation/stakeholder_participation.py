# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

"""Stakeholder participation (work plan 二(三)): who took part in the held sessions, per unit and
stakeholder type — sessions, distinct stakeholders, invitations, attendance."""

import frappe
from frappe import _

from community_consultation.reporting import get_participation_rows


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
