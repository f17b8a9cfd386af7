# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

"""议题台账 — the register of consultation topics (work plan 二(五)1): every topic of the period, where
it came from, how far it went (rounds, last result) and what became of it (outcome, progress)."""

import frappe
from frappe import _

from community_consultation.reporting import get_topic_register

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
