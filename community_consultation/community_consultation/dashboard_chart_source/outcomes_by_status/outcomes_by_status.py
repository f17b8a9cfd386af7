# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

"""Dashboard chart source: outcomes by status, counted in the user's units, with translated labels.

Frappe's own Group By chart is permission-aware too, but shows the raw status values (English);
this source counts in one grouped query with the user's allowed units inside it and labels each
status in the user's language."""

import frappe
from frappe import _

from community_consultation.overrides.replica import replica_reads
from community_consultation.reporting.figures import chart_scope

STATUS_ORDER = ("Filed", "Publicised", "In Implementation", "Overdue", "Implemented", "Draft")


@frappe.whitelist()
@replica_reads
def get(chart_name: str | None = None, filters=None, **chart_args) -> dict:
	"""The chart's figures for the caller (the desk also sends the chart's time span and interval,
	which a fixed chart has no use for)."""
	scope = chart_scope("Consultation Outcome", filters)
	counts = dict(
		frappe.db.sql(
			f"""select o.status, count(*) from `tabConsultation Outcome` o
			where o.docstatus < 2 and {scope.sql("o.community_unit", "Consultation Outcome")}
			group by o.status"""
		)
	)
	statuses = [s for s in STATUS_ORDER if counts.get(s)] + sorted(
		s for s in counts if s not in STATUS_ORDER and counts[s]
	)
	return {
		"labels": [_(s) for s in statuses],
		"datasets": [{"name": _("Outcomes"), "values": [counts[s] for s in statuses]}],
	}
