# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

"""Township Overview (§三(二), 三(三)): every village and community of the officer's units, one row each,
with its open topics, sessions this month, overdue outcomes, entrusted matters awaiting report-back,
whether it is silent, and its open inspection corrections. One query per figure, grouped by village over
all the villages of the report; every figure within the user's units (`permissions.unit_scope`),
each a link to the list it counts."""

from collections.abc import Callable

import frappe
from frappe import _
from frappe.utils import add_months, get_first_day, get_last_day, getdate, nowdate

from community_consultation.community_consultation.doctype.consultation_outcome.consultation_outcome import (
	LIFE_CYCLE as OUTCOME_LIFE_CYCLE,
)
from community_consultation.community_consultation.doctype.consultation_topic.consultation_topic import (
	LIFE_CYCLE as TOPIC_LIFE_CYCLE,
)
from community_consultation.permissions import unit_scope
from community_consultation.township.queries import ACTIVITY_RECORDS, silent_village_months
from community_consultation.units import tree as unit_tree
from community_consultation.units.tree import VILLAGE_TYPES

OPEN_CORRECTIONS = ("Open", "Overdue")


def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = get_data(filters)
	return get_columns(), rows, None, get_chart(rows)


def get_columns():
	return [
		{
			"fieldname": "village",
			"label": _("Village or Community"),
			"fieldtype": "Link",
			"options": "Community Unit",
			"width": 180,
		},
		{
			# Data, not a Link: Frappe's report rows drop a row whose link the user's units do not hold, and
			# a village clerk's row names the township above it
			"fieldname": "township",
			"label": _("Township or Street"),
			"fieldtype": "Data",
			"width": 140,
		},
		{"fieldname": "open_topics", "label": _("Open Topics"), "fieldtype": "Int", "width": 110},
		{
			"fieldname": "sessions_this_month",
			"label": _("Sessions This Month"),
			"fieldtype": "Int",
			"width": 130,
		},
		{"fieldname": "overdue_outcomes", "label": _("Overdue Outcomes"), "fieldtype": "Int", "width": 130},
		{
			"fieldname": "awaiting_report_back",
			"label": _("Entrusted Matters Awaiting Report-back"),
			"fieldtype": "Int",
			"width": 170,
		},
		{
			"fieldname": "last_session",
			"label": _("Last Consultation Activity"),
			"fieldtype": "Datetime",
			"width": 150,
		},
		{"fieldname": "silent", "label": _("Silent"), "fieldtype": "Check", "width": 70},
		{
			"fieldname": "open_corrections",
			"label": _("Open Inspection Corrections"),
			"fieldtype": "Int",
			"width": 150,
		},
	]


def get_data(filters) -> list[dict]:
	"""The villages of the report, then each figure as one query grouped by village over all of them: the
	number of queries does not grow with the villages (tests/test_query_counts.py)."""
	today = getdate(filters.get("date") or nowdate())
	since = add_months(today, -silent_village_months())
	values = {
		"types": VILLAGE_TYPES,
		"open_topics": TOPIC_LIFE_CYCLE.names(open=True),
		"open_corrections": OPEN_CORRECTIONS,
		"month_start": get_first_day(today),
		"month_end": get_last_day(today),
	}
	within = within_units_sql(filters)
	rows = frappe.db.sql(
		f"""select v.name as village, v.parent_community_unit as township
		from `tabCommunity Unit` v
		where v.unit_type in %(types)s and {within("v.name")}
		order by v.lft""",
		values,
		as_dict=True,
	)
	if not rows:
		return rows
	figures = {
		# records of the village or of a unit beneath it (its groups, buildings)
		"open_topics": _by_village("Consultation Topic", "t.status in %(open_topics)s", within, values),
		"sessions_this_month": _by_village(
			"Consultation Session",
			"t.docstatus < 2 and t.starts_on >= %(month_start)s"
			" and t.starts_on < date_add(%(month_end)s, interval 1 day)",
			within,
			values,
		),
		"overdue_outcomes": _by_village(
			"Consultation Outcome", OUTCOME_LIFE_CYCLE.sql("Overdue", "t", str(today)), within, values
		),
		# matters entrusted to the village itself, and corrections asked of it
		"awaiting_report_back": dict(
			frappe.db.sql(
				f"""select r.village, count(*) from `tabTownship Assignment Village` r
				join `tabTownship Assignment` a on a.name = r.parent
				where r.parenttype = 'Township Assignment' and a.assigned_on is not null
				and r.report_status in ('Awaiting Report', 'Overdue') and {within("r.village")}
				group by r.village""",
				values,
			)
		),
		"open_corrections": dict(
			frappe.db.sql(
				f"""select i.community_unit, count(*) from `tabInspection Correction` c
				join `tabConsultation Inspection` i on i.name = c.parent
				where c.parenttype = 'Consultation Inspection' and i.docstatus = 1
				and c.status in %(open_corrections)s and {within("i.community_unit")}
				group by i.community_unit""",
				values,
			)
		),
	}
	last_activity = {}
	for doctype, field in ACTIVITY_RECORDS:
		for village, held_on in _by_village(doctype, "t.docstatus = 1", within, values, latest=field).items():
			if held_on and (village not in last_activity or held_on > last_activity[village]):
				last_activity[village] = held_on
	for row in rows:
		for figure, counts in figures.items():
			row[figure] = int(counts.get(row.village) or 0)
		row.last_session = last_activity.get(row.village)
		row.silent = 1 if not row.last_session or getdate(row.last_session) < since else 0
	return rows


def within_units_sql(filters) -> Callable[[str], str]:
	"""For a column holding a unit's name, the SQL condition that it names a unit within the user's units
	(`permissions.unit_scope`) and the unit chosen in the filter; both read once for all the queries."""
	scope = unit_scope(None, "Consultation Topic")
	chosen = filters.get("community_unit")
	chosen_ranges = [r for r in [unit_tree.bounds(chosen)] if r] if chosen else None
	return lambda field_sql: (
		f"{unit_tree.units_within_sql(field_sql, scope)} and {unit_tree.units_within_sql(field_sql, chosen_ranges)}"
	)


def _by_village(
	doctype: str, condition: str, within: Callable[[str], str], values: dict, latest: str | None = None
) -> dict:
	"""{village: the number of `doctype` records (aliased `t`) meeting `condition` — or, with `latest`,
	the latest value of that field — of the village and the units beneath it}, grouped by the village
	of each record's unit (`unit_tree.village_of_sql`). A village of the report lies within the user's
	units with all it holds, so the records are limited to those units too."""
	figure = f"max(t.{latest})" if latest else "count(*)"
	return dict(
		frappe.db.sql(
			f"""select {unit_tree.village_of_sql("u")} as village, {figure}
			from `tab{doctype}` t join `tabCommunity Unit` u on u.name = t.community_unit
			where {condition} and {within("t.community_unit")}
			group by village""",
			values,
		)
	)


def get_chart(rows):
	if not rows:
		return None
	figures = (
		"open_topics",
		"sessions_this_month",
		"overdue_outcomes",
		"awaiting_report_back",
		"open_corrections",
	)
	labels = {c["fieldname"]: c["label"] for c in get_columns()}
	return {
		"data": {
			"labels": [r.village for r in rows],
			"datasets": [{"name": labels[f], "values": [r[f] for r in rows]} for f in figures],
		},
		"type": "bar",
	}
