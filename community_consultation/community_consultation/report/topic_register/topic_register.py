# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

"""议题台账 — the register of consultation topics (work plan 二(五)1): every topic of the period, where
it came from, how far it went (rounds, last result) and what became of it (outcome, progress)."""

import frappe
from frappe import _

from community_consultation.community_consultation.doctype.consultation_session.consultation_session import (
	LIFE_CYCLE as SESSION_LIFE_CYCLE,
)
from community_consultation.reporting.figures import (
	UnitScope,
	ancestor_map_sql,
	date_range,
	get_period,
)
from community_consultation.units.tree import VILLAGE_TYPES

OUTCOME_FIELDS = (
	"outcome",
	"outcome_status",
	"outcome_status_label",
	"percent_complete",
	"implementation_deadline",
)
SESSION_FIELDS = ("sessions_held", "rounds", "last_session_on", "last_result", "last_result_label")


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	data = get_topic_register(filters)
	for row in data:
		row.level_label = _(row.level) if row.level else ""
		row.status_label = _(row.status) if row.status else ""
		row.source_label = _(row.source_channel) if row.source_channel else ""
		row.last_result_label = _(row.last_result) if row.last_result else ""
		row.outcome_status_label = _(row.outcome_status) if row.outcome_status else ""
	# what the user may not read is left out (a building head reads no outcomes)
	hidden = set()
	if not frappe.has_permission("Consultation Outcome", "read"):
		hidden.update(OUTCOME_FIELDS)
	if not frappe.has_permission("Consultation Session", "read"):
		hidden.update(SESSION_FIELDS)
	columns = [c for c in get_columns() if c["fieldname"] not in hidden]
	return columns, [{k: v for k, v in row.items() if k not in hidden} for row in data]


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "topic",
			"label": _("Topic"),
			"fieldtype": "Link",
			"options": "Consultation Topic",
			"width": 140,
		},
		{"fieldname": "title", "label": _("Title"), "fieldtype": "Data", "width": 220},
		{"fieldname": "proposed_on", "label": _("Proposed On"), "fieldtype": "Date", "width": 100},
		{
			"fieldname": "community_unit",
			"label": _("Community Unit"),
			"fieldtype": "Link",
			"options": "Community Unit",
			"width": 140,
		},
		{"fieldname": "village", "label": _("Village or Community"), "fieldtype": "Data", "width": 130},
		{"fieldname": "level_label", "label": _("Level"), "fieldtype": "Data", "width": 80},
		{
			"fieldname": "category",
			"label": _("Category"),
			"fieldtype": "Link",
			"options": "Consultation Category",
			"width": 180,
		},
		{"fieldname": "source_label", "label": _("Source Channel"), "fieldtype": "Data", "width": 110},
		{
			"fieldname": "proposer",
			"label": _("Proposer"),
			"fieldtype": "Link",
			"options": "Stakeholder",
			"width": 110,
		},
		{"fieldname": "status_label", "label": _("Status"), "fieldtype": "Data", "width": 100},
		{
			"fieldname": "escalated_from",
			"label": _("Escalated From"),
			"fieldtype": "Link",
			"options": "Consultation Topic",
			"width": 130,
		},
		{"fieldname": "sessions_held", "label": _("Sessions Held"), "fieldtype": "Int", "width": 90},
		{"fieldname": "rounds", "label": _("Rounds"), "fieldtype": "Int", "width": 70},
		{"fieldname": "last_session_on", "label": _("Last Session"), "fieldtype": "Datetime", "width": 150},
		{"fieldname": "last_result_label", "label": _("Last Result"), "fieldtype": "Data", "width": 120},
		{
			"fieldname": "outcome",
			"label": _("Outcome"),
			"fieldtype": "Link",
			"options": "Consultation Outcome",
			"width": 140,
		},
		{
			"fieldname": "outcome_status_label",
			"label": _("Outcome Status"),
			"fieldtype": "Data",
			"width": 110,
		},
		{"fieldname": "percent_complete", "label": _("Progress (%)"), "fieldtype": "Percent", "width": 90},
		{
			"fieldname": "implementation_deadline",
			"label": _("Implementation Deadline"),
			"fieldtype": "Date",
			"width": 110,
		},
	]


# ---------------------------------------------------------------------- the query


def get_topic_register(filters: dict, user: str | None = None) -> list[dict]:
	"""议题台账: every topic of the period with its rounds, last result and outcome, in one query."""
	from_date, to_date = get_period(filters)
	conditions = [
		date_range("t.proposed_on", from_date, to_date),
		UnitScope(filters.get("community_unit"), user).sql("t.community_unit", "Consultation Topic"),
	]
	values = {}
	for field in ("category", "level", "status", "source_channel"):
		if filters.get(field):
			conditions.append(f"t.{field} = %({field})s")
			values[field] = filters.get(field)
	return frappe.db.sql(
		f"""
		select
			t.name as topic, t.title, t.community_unit, vm.ancestor as village, t.level, t.category,
			t.source_channel, t.proposer, t.proposed_on, t.status, t.escalated_from,
			ifnull(s.sessions_held, 0) as sessions_held, ifnull(s.rounds, 0) as rounds,
			s.last_session_on, s.last_result,
			o.name as outcome, o.status as outcome_status, o.percent_complete,
			o.implementation_deadline
		from `tabConsultation Topic` t
		left join {ancestor_map_sql(VILLAGE_TYPES)} vm on vm.unit = t.community_unit
		left join (
			select s.topic, count(*) as sessions_held, max(s.round_no) as rounds,
				max(s.starts_on) as last_session_on,
				substring_index(group_concat(s.result order by s.round_no desc separator '|'), '|', 1)
					as last_result
			from `tabConsultation Session` s
			where {SESSION_LIFE_CYCLE.sql("Concluded", "s")}
			group by s.topic
		) s on s.topic = t.name
		left join `tabConsultation Outcome` o on o.name = (
			select o2.name from `tabConsultation Outcome` o2
			where o2.topic = t.name and o2.docstatus = 1
			order by o2.creation desc limit 1
		)
		where {" and ".join(conditions)}
		order by t.proposed_on desc, t.name desc
		""",
		values,
		as_dict=True,
	)
