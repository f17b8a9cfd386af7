# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

"""Township Overview (§三(二), 三(三)): every village and community of the officer's units, one row each,
with its open topics, sessions this month, overdue outcomes, entrusted matters awaiting report-back,
whether it is silent, and its open inspection corrections. One query per figure, grouped by village over
all the villages of the report; every figure within the user's units (`permissions.unit_condition_sql`),
each a link to the list it counts."""

import frappe
from frappe import _
from frappe.utils import add_months, get_first_day, get_last_day, getdate, nowdate

from community_consultation.community_consultation.doctype.consultation_outcome.consultation_outcome import (
	LIFE_CYCLE as OUTCOME_LIFE_CYCLE,
)
from community_consultation.community_consultation.doctype.consultation_topic.consultation_topic import (
	LIFE_CYCLE as TOPIC_LIFE_CYCLE,
)
from community_consultation.permissions import unit_condition_sql
from community_consultation.township.queries import last_activity_by_village, silent_village_months
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
	villages = _villages_sql(filters)
	values = {
		"types": VILLAGE_TYPES,
		"open_topics": TOPIC_LIFE_CYCLE.names(open=True),
		"open_corrections": OPEN_CORRECTIONS,
		"month_start": get_first_day(today),
		"month_end": get_last_day(today),
	}
	rows = frappe.db.sql(
		f"""select v.name as village, v.parent_community_unit as township
		from `tabCommunity Unit` v where {villages} order by v.lft""",
		values,
		as_dict=True,
	)
	if not rows:
		return rows
	figures = {
		# records of the village or of a unit beneath it (its groups, buildings)
		"open_topics": _count_within("Consultation Topic", "t.status in %(open_topics)s", villages, values),
		"sessions_this_month": _count_within(
			"Consultation Session",
			"t.docstatus < 2 and t.starts_on >= %(month_start)s"
			" and t.starts_on < date_add(%(month_end)s, interval 1 day)",
			villages,
			values,
		),
		"overdue_outcomes": _count_within(
			"Consultation Outcome", OUTCOME_LIFE_CYCLE.sql("Overdue", "t", str(today)), villages, values
		),
		# matters entrusted to the village itself, and corrections asked of it
		"awaiting_report_back": _grouped(
			f"""select r.village, count(*) from `tabTownship Assignment Village` r
			join `tabTownship Assignment` a on a.name = r.parent
			join `tabCommunity Unit` v on v.name = r.village
			where r.parenttype = 'Township Assignment' and a.assigned_on is not null
			and r.report_status in ('Awaiting Report', 'Overdue') and {villages}
			group by r.village""",
			values,
		),
		"open_corrections": _grouped(
			f"""select i.community_unit, count(*) from `tabInspection Correction` c
			join `tabConsultation Inspection` i on i.name = c.parent
			join `tabCommunity Unit` v on v.name = i.community_unit
			where c.parenttype = 'Consultation Inspection' and i.docstatus = 1
			and c.status in %(open_corrections)s and {villages}
			group by i.community_unit""",
			values,
		),
	}
	last_activity = last_activity_by_village(villages, values)
	for row in rows:
		for figure, counts in figures.items():
			row[figure] = counts.get(row.village, 0)
		row.last_session = last_activity.get(row.village)
		row.silent = 1 if not row.last_session or getdate(row.last_session) < since else 0
	return rows


def _villages_sql(filters) -> str:
	"""SQL: the unit aliased `v` is a village or community within the user's units (and the chosen unit)."""
	return f"""v.unit_type in %(types)s
		and {unit_condition_sql("v.name", None, "Consultation Topic")}
		and {unit_tree.subtree_sql("v.name", filters.get("community_unit"))}"""


def _grouped(query: str, values: dict) -> dict:
	"""{village: figure} of a query grouped by village."""
	return dict(frappe.db.sql(query, values))


def _count_within(doctype: str, condition: str, villages: str, values: dict) -> dict:
	"""{village: the number of `doctype` records (aliased `t`) meeting `condition`, of the village or a
	unit beneath it}."""
	return _grouped(
		f"""select v.name, count(*) from `tab{doctype}` t
		join `tabCommunity Unit` u on u.name = t.community_unit
		join `tabCommunity Unit` v on {unit_tree.within_sql("u", "v.lft", "v.rgt")}
		where {condition} and {villages}
		group by v.name""",
		values,
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
