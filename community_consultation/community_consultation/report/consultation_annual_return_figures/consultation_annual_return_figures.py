# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

"""年度协商工作报表 — the annual return of consultation work (work plan 三: each county reports its
consultation work every year before the end of December).

One row per village or community, under its township and county, with a grand total on top. The
figures come from one set-based query (`community_consultation.reporting.figures.get_return_rows`) that
applies the user's allowed units inside it.
"""

import frappe
from frappe import _

from community_consultation.overrides.prepared_returns import check_unit_scope
from community_consultation.reporting.by_county import return_rows
from community_consultation.reporting.figures import RETURN_FIGURES, get_period

LEVEL_LABELS = {"total": "Total", "county": "County", "township": "Township"}

# which DocType each figure counts: a user who may not read a DocType gets none of its figures
FIGURE_SOURCES = {
	"Consultation Session": (
		"sessions",
		"participants",
		"attended",
		"attendance_rate",
		"consensus",
		"second_rounds",
		"referrals",
	),
	"Consultation Outcome": (
		"outcomes_filed",
		"implemented",
		"implemented_on_time",
		"overdue",
		"government_entrusted",
		"reported_back",
	),
	"Community Meeting": (
		"meetings_held",
		"meetings_inquorate",
		"resolutions_passed",
		"resolutions_not_passed",
	),
}


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	check_unit_scope("Consultation Annual Return Figures", filters)
	from_date, to_date = get_period(filters)
	rows, categories, forms = return_rows(from_date, to_date, unit=filters.get("community_unit"))
	hidden = hidden_figures(forms)
	columns = [c for c in get_columns(categories, forms) if c["fieldname"] not in hidden]
	data = [{k: v for k, v in format_row(row).items() if k not in hidden} for row in rows]
	summary = [s for s in get_summary(rows) if s.pop("fieldname") not in hidden]
	return columns, data, None, None, summary


def hidden_figures(forms: list[dict]) -> set[str]:
	"""The figures of DocTypes the user may not read (a building head reads no outcomes)."""
	hidden = set()
	for doctype, figures in FIGURE_SOURCES.items():
		if not frappe.has_permission(doctype, "read"):
			hidden.update(figures)
			if doctype == "Consultation Session":
				hidden.update(f"form_{i}" for i in range(len(forms)))
	return hidden


def get_columns(categories: list[dict], forms: list[dict]) -> list[dict]:
	figure = {f: (label, fieldtype) for f, label, fieldtype in RETURN_FIGURES}

	def column(fieldname: str, label: str, fieldtype: str = "Int", width: int = 110) -> dict:
		return {"fieldname": fieldname, "label": label, "fieldtype": fieldtype, "width": width}

	def figures(*fieldnames: str) -> list[dict]:
		return [column(f, _(figure[f][0]), figure[f][1]) for f in fieldnames]

	return [
		column("unit", _("Unit"), "Data", 220),
		column("level", _("Level"), "Data", 90),
		*figures("villages", "topics", "topics_community", "topics_building", "escalations"),
		*[
			column(f"category_{i}", _("Topics: {0}").format(c.category_name), width=130)
			for i, c in enumerate(categories)
		],
		*[
			column(f"form_{i}", _("Topics by Form: {0}").format(f.form_name), width=130)
			for i, f in enumerate(forms)
		],
		*figures(
			"sessions",
			"participants",
			"attended",
			"attendance_rate",
			"consensus",
			"second_rounds",
			"referrals",
			"outcomes_filed",
			"implemented",
			"implemented_on_time",
			"overdue",
			"government_entrusted",
			"reported_back",
			"meetings_held",
			"meetings_inquorate",
			"resolutions_passed",
			"resolutions_not_passed",
			"four_deliberations_completed",
		),
	]


def format_row(row: dict) -> dict:
	indent = {"total": 0, "county": 1, "township": 2, "village": 3}[row.row_type]
	if row.row_type == "total":
		unit, level = _("Total"), ""
	else:
		unit = row[row.row_type]
		level = _(row.village_type) if row.row_type == "village" else _(LEVEL_LABELS[row.row_type])
	return {**row, "unit": unit, "level": level, "indent": indent}


def get_summary(rows: list[dict]) -> list[dict]:
	total = next((r for r in rows if r.row_type == "total"), None)
	if not total:
		return []
	return [
		{"fieldname": "topics", "value": total.topics, "label": _("Topics"), "datatype": "Int"},
		{"fieldname": "sessions", "value": total.sessions, "label": _("Sessions Held"), "datatype": "Int"},
		{
			"fieldname": "consensus",
			"value": total.consensus,
			"label": _("Consensus Reached"),
			"datatype": "Int",
			"indicator": "Green",
		},
		{
			"fieldname": "outcomes_filed",
			"value": total.outcomes_filed,
			"label": _("Outcomes Filed"),
			"datatype": "Int",
		},
		{
			"fieldname": "implemented_on_time",
			"value": total.implemented_on_time,
			"label": _("Implemented on Time"),
			"datatype": "Int",
			"indicator": "Green",
		},
		{
			"fieldname": "overdue",
			"value": total.overdue,
			"label": _("Overdue Outcomes"),
			"datatype": "Int",
			"indicator": "Red" if total.overdue else "Green",
		},
	]
