# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

"""Dashboard chart source: sessions held per month over the last twelve months, in the user's units.

A custom source rather than Frappe's Count chart: Frappe caches a Dashboard Chart's data under the
chart's name for every user (`frappe.utils.dashboard.cache_source`), so a village clerk could be served
the figures last computed for the whole city. This source is computed for the caller, in one grouped
query with the user's allowed units inside it, and never cached."""

import frappe
from frappe import _
from frappe.utils import add_months, get_first_day, getdate, nowdate

from community_consultation.overrides.replica import replica_reads
from community_consultation.reporting.figures import chart_scope

MONTHS = 12


@frappe.whitelist()
@replica_reads
def get(chart_name: str | None = None, filters=None, **chart_args) -> dict:
	"""The chart's figures for the caller (the desk also sends the chart's time span and interval,
	which a fixed chart has no use for)."""
	scope = chart_scope("Consultation Session", filters)
	this_month = get_first_day(getdate(nowdate()))
	months = [add_months(this_month, i - MONTHS + 1) for i in range(MONTHS)]
	counts = dict(
		frappe.db.sql(
			f"""select date_format(s.starts_on, '%%Y-%%m'), count(*) from `tabConsultation Session` s
			where s.docstatus = 1 and s.starts_on >= %(start)s and s.starts_on < %(end)s
				and {scope.sql("s.community_unit", "Consultation Session")}
			group by date_format(s.starts_on, '%%Y-%%m')""",
			{"start": months[0], "end": add_months(this_month, 1)},
		)
	)
	keys = [m.strftime("%Y-%m") for m in months]
	return {
		"labels": keys,
		"datasets": [{"name": _("Sessions Held"), "values": [counts.get(k, 0) for k in keys]}],
	}
