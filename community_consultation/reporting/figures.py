"""Set-based figures for the reports, the annual return and the workspace cards.

Every dataset is one SQL query with the aggregation done in the database. The user's allowed units
(`permissions.unit_condition_sql`) are applied inside each query, so no total ever counts a unit the
user may not see; a report's unit filter takes the unit and its subtree (`UnitScope`, with the tree's
conditions from `unit_tree`).

Child rows are joined on `parent` alone: Consultation Participant is only the sessions' participants
table and Implementation Update only the outcomes' progress table (tests/test_reporting_assumptions.py
keeps it so), which lets the covering indexes (parent, attended) and (parent, percent_complete,
update_on) answer the joins without reading the rows.

Units are rolled up to their county, township and village through the nested set: each level's
units are found by a range scan on `lft` under their ancestor (`unit_tree.within_sql`),
an index range per ancestor, in a derived table materialised once (`unit_tree_sql`) and joined to the
per-unit aggregates by name.

Definitions (work plan 二(五), 二(六)), shared by every report so their figures agree:
- a topic belongs to the period of its `proposed_on`; its level is the topic's `level`; an
  escalation is a topic with `escalated_from` set (it came up from building level, 二(一));
- the states (held, implemented, implemented on time, overdue) are the conditions of the DocTypes'
  life-cycle tables (`LIFE_CYCLE.sql`), so reports, cards and the forms agree;
- a session is held when it is concluded (submitted) and belongs to the period of `starts_on`;
  a second round is a held session with `round_no` > 1; a referral is a held session whose result
  is "Referred to Villagers' Meeting";
- participants are the held sessions' participant rows, attendance those marked attended;
- an outcome is filed when submitted and belongs to the period of `filed_on`; it is implemented when
  its status is Implemented, on time when the first progress update reaching 100% is dated on or
  before `implementation_deadline`; it is overdue when below 100% after its deadline, as of the
  site's today (`nowdate()`, the site's time zone — not the database server's `curdate()`);
  a government-entrusted outcome is reported back when `reported_to_government_on` is set;
- a meeting (Community Meeting) is held when it is concluded (submitted) and belongs to the period of
  `meeting_on`; it is not quorate by its life-cycle table; its resolutions are its items passed or not
  passed; a matter went through 四议两公开 when its topic's sixth stage (the implementation result made
  public) is dated in the period.
"""

import datetime

import frappe
from frappe import _
from frappe.utils import add_days, cint, flt, get_first_day, get_last_day, getdate, nowdate
from frappe.utils.caching import site_cache

from community_consultation.community_consultation.doctype.consultation_outcome.consultation_outcome import (
	LIFE_CYCLE as OUTCOME_LIFE_CYCLE,
)
from community_consultation.community_consultation.doctype.consultation_session.consultation_session import (
	LIFE_CYCLE as SESSION_LIFE_CYCLE,
)
from community_consultation.decision_bodies.authorisation import decides_sql
from community_consultation.decision_bodies.doctype.community_meeting.community_meeting import (
	LIFE_CYCLE as MEETING_LIFE_CYCLE,
)
from community_consultation.decision_bodies.four_deliberations import RESULT_PUBLIC
from community_consultation.permissions import unit_condition_sql, unit_scope
from community_consultation.procedure.results import CONSENSUS, NOT_PASSED, PASSED, REFERRED
from community_consultation.units import tree as unit_tree
from community_consultation.units.tree import VILLAGE_TYPES, within_sql

# (fieldname, label msgid, fieldtype) of the annual return's fixed figures, in column order
RETURN_FIGURES = (
	("villages", "Villages and Communities", "Int"),
	("topics", "Topics", "Int"),
	("topics_community", "Community-level Topics", "Int"),
	("topics_building", "Building-level Topics", "Int"),
	("escalations", "Escalations from Building Level", "Int"),
	("sessions", "Sessions Held", "Int"),
	("participants", "Participants Invited", "Int"),
	("attended", "Participants Attended", "Int"),
	("attendance_rate", "Attendance Rate (%)", "Percent"),
	("consensus", "Consensus Reached", "Int"),
	("second_rounds", "Second Rounds", "Int"),
	("referrals", "Referrals to Villagers' Meeting", "Int"),
	("outcomes_filed", "Outcomes Filed", "Int"),
	("implemented", "Outcomes Implemented", "Int"),
	("implemented_on_time", "Implemented on Time", "Int"),
	("overdue", "Overdue Outcomes", "Int"),
	("government_entrusted", "Government-entrusted Matters", "Int"),
	("reported_back", "Reported Back to Government", "Int"),
	# 二(一), 二(五)3: the meetings that decide by law, their resolutions, and 四议两公开
	("meetings_held", "Meetings Held (Villagers' / Residents')", "Int"),
	("meetings_inquorate", "of which Not Quorate", "Int"),
	("resolutions_passed", "Resolutions Passed", "Int"),
	("resolutions_not_passed", "Resolutions Not Passed", "Int"),
	("four_deliberations_completed", "Matters through Four Deliberations, Two Disclosures", "Int"),
	# township and village together (§三(二), 三(三), 二(六)): `township_return_parts`
	("township_topics", "Township-level Topics", "Int"),
	("entrusted_assigned", "Entrusted Matters Assigned", "Int"),
	("entrusted_reported_on_time", "Entrusted Matters Reported Back on Time", "Int"),
	("plan_dates", "Consultation Days Planned", "Int"),
	("plan_dates_kept", "Consultation Days Kept", "Int"),
	("inspections", "Inspections", "Int"),
	("corrections_closed", "Inspection Corrections Closed", "Int"),
)

# figures summed from the union of per-unit datasets (everything but the derived rate and `villages`)
_SUMMED = tuple(f for f, _label, _type in RETURN_FIGURES if f not in ("villages", "attendance_rate"))


def get_period(filters: dict) -> tuple[datetime.date, datetime.date]:
	"""The report period from a `year` filter or a `from_date`/`to_date` pair (defaults: this year)."""
	if filters.get("year"):
		year = cint(filters.get("year"))
		if not 1900 < year < 3000:
			frappe.throw(_("{0} is not a valid year.").format(filters.get("year")))
		return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
	today = getdate(nowdate())
	from_date = (
		getdate(filters.get("from_date")) if filters.get("from_date") else datetime.date(today.year, 1, 1)
	)
	to_date = getdate(filters.get("to_date")) if filters.get("to_date") else datetime.date(today.year, 12, 31)
	if from_date > to_date:
		frappe.throw(_("The From Date must not be after the To Date."))
	return from_date, to_date


def datetime_range(field_sql: str, from_date, to_date) -> str:
	"""`field_sql` (a Datetime column) within the days from_date..to_date, index friendly."""
	return (
		f"{field_sql} >= {frappe.db.escape(str(from_date))}"
		f" and {field_sql} < {frappe.db.escape(str(add_days(to_date, 1)))}"
	)


def date_range(field_sql: str, from_date, to_date) -> str:
	return f"{field_sql} between {frappe.db.escape(str(from_date))} and {frappe.db.escape(str(to_date))}"


# the column each dataset's period is read from
PERIOD_COLUMNS = (
	("tabConsultation Topic", "proposed_on"),
	("tabConsultation Session", "starts_on"),
	("tabConsultation Outcome", "filed_on"),
)


@site_cache(ttl=600)
def period_indexes() -> dict[str, str]:
	"""The index each dataset's period column leads, where the site has one: {table: index}."""
	wanted = " or ".join(
		f"(table_name = {frappe.db.escape(table)} and column_name = {frappe.db.escape(column)})"
		for table, column in PERIOD_COLUMNS
	)
	return dict(
		frappe.db.sql(
			f"""select table_name, min(index_name) from information_schema.statistics
			where table_schema = database() and seq_in_index = 1 and ({wanted})
			group by table_name"""
		)
	)


def period_index_hint(table: str, scope: "UnitScope", doctype: str) -> str:
	"""`force index` on the period column's index when the query reads every unit.

	Over ten years one year is a tenth of the rows, yet MariaDB's estimate of the date range is
	about twice the real count, so it scans the whole unit index to group by unit (0.6-1 s a dataset
	at city scale) instead of reading the year's range (0.1 s). A unit filter or a restricted user
	selects far fewer rows through the unit index, so the optimizer keeps its choice then."""
	index = period_indexes().get(table)
	if not index or not scope.whole_site(doctype):
		return ""
	return f"force index (`{index}`)"


class UnitScope:
	"""The user's allowed units and a report's unit filter (the unit and its subtree), as SQL.

	The filter unit is resolved once; `sql(field_sql, doctype)` then costs no query for an
	unrestricted user and one (the user's ranges, `unit_condition_sql`) for a restricted one."""

	def __init__(self, unit: str | None = None, user: str | None = None):
		self.unit, self.user = unit, user
		if unit:
			bounds = unit_tree.bounds(unit)
			if not bounds:
				frappe.throw(_("Community Unit {0} does not exist.").format(unit))
			self.lft, self.rgt = bounds

	def whole_site(self, doctype: str) -> bool:
		"""No unit filter and a user restricted to no unit: the query reads every unit's records."""
		return not self.unit and unit_scope(self.user, doctype) is None

	def range_sql(self, alias: str, doctype: str, overlap: bool = False) -> str:
		"""The same scope as a condition on the `lft`/`rgt` of a Community Unit aliased `alias`: the
		unit lies within an allowed subtree, or with `overlap` it lies within one or contains one
		(an ancestor of an allowed unit; nested-set intervals either nest or are disjoint).

		For the unit tree itself: a semi-join there makes MariaDB drive the tree from the allowed
		units and block-join every village to each (1.4 s for one township at city scale), where
		ranges on every level keep the join to the units concerned (tens of ms)."""

		conditions = [unit_tree.ranges_sql(alias, unit_scope(self.user, doctype), overlap)]
		if self.unit:
			conditions.append(unit_tree.ranges_sql(alias, [(self.lft, self.rgt)], overlap))
		return " and ".join(c for c in conditions if c != "1=1") or "1=1"

	def sql(self, field_sql: str, doctype: str) -> str:
		conditions = [unit_condition_sql(field_sql, user=self.user, doctype=doctype)]
		if self.unit:
			conditions.append(unit_tree.units_within_sql(field_sql, [(self.lft, self.rgt)]))
		return " and ".join(c for c in conditions if c != "1=1") or "1=1"


def chart_scope(doctype: str, filters) -> UnitScope:
	"""The start of a dashboard chart source: the user must read `doctype`; the chart counts in the
	unit its filters name, within the user's own units."""
	if not frappe.has_permission(doctype, "read"):
		frappe.throw(_("Not permitted to read {0}").format(_(doctype)), frappe.PermissionError)
	return UnitScope((frappe.parse_json(filters) or {}).get("community_unit"))


def get_categories() -> list[dict]:
	return frappe.get_all(
		"Consultation Category",
		fields=["name", "category_no", "category_name"],
		order_by="category_no asc, name asc",
	)


def get_forms() -> list[dict]:
	return frappe.get_all(
		"Consultation Form", fields=["name", "form_name"], order_by="creation asc, name asc"
	)


# ---------------------------------------------------------------------- annual return


def get_return_rows(
	from_date, to_date, unit: str | None = None, user: str | None = None
) -> tuple[list[dict], list[dict], list[dict]]:
	"""The annual return's figures per village, with township, county and grand-total rows.

	One query: the four datasets (topics, held sessions, their participants, filed outcomes) are
	aggregated per unit and stacked (UNION ALL), joined to each unit's village, township and county
	through the nested set, and summed `WITH ROLLUP`. Every village in the user's scope is listed,
	those without any consultation with zeros.

	Returns (rows, categories, forms). Each row has `row_type` (total, county, township, village),
	`county`, `township`, `village` and every figure of RETURN_FIGURES plus `category_<i>` and
	`form_<i>` (topics per category and per form of the sessions held)."""
	categories = get_categories()
	forms = get_forms()
	category_fields = [f"category_{i}" for i in range(len(categories))]
	form_fields = [f"form_{i}" for i in range(len(forms))]
	measures = [*_SUMMED, *category_fields, *form_fields]

	def part(unit_sql: str, select: dict[str, str], from_where: str) -> str:
		"""One dataset aggregated per unit, with a zero for every measure it does not give."""
		columns = ", ".join(f"{select.get(m, '0')} as `{m}`" for m in measures)
		return f"select {unit_sql} as unit, {columns} {from_where}"

	scope = UnitScope(unit, user)
	topic_scope = scope.sql("t.community_unit", "Consultation Topic")
	session_scope = scope.sql("s.community_unit", "Consultation Session")
	outcome_scope = scope.sql("o.community_unit", "Consultation Outcome")
	session_hint = period_index_hint("tabConsultation Session", scope, "Consultation Session")
	esc = frappe.db.escape
	held = SESSION_LIFE_CYCLE.sql("Concluded", "s")

	topics = part(
		"t.community_unit",
		{
			"topics": "count(*)",
			"topics_community": "sum(t.level = 'Community')",
			"topics_building": "sum(t.level = 'Building')",
			"escalations": "sum(ifnull(t.escalated_from, '') != '')",
			**{
				field: f"sum(t.category = {esc(c.name)})"
				for field, c in zip(category_fields, categories, strict=True)
			},
		},
		f"""from `tabConsultation Topic` t {period_index_hint("tabConsultation Topic", scope, "Consultation Topic")}
		where {date_range("t.proposed_on", from_date, to_date)} and {topic_scope}
		group by t.community_unit""",
	)
	sessions = part(
		"s.community_unit",
		{
			"sessions": "count(*)",
			"consensus": f"sum(s.result = {esc(CONSENSUS)})",
			"second_rounds": "sum(s.round_no > 1)",
			"referrals": f"sum(s.result = {esc(REFERRED)})",
			**{
				field: f"count(distinct if(s.consultation_form = {esc(f.name)}, s.topic, null))"
				for field, f in zip(form_fields, forms, strict=True)
			},
		},
		f"""from `tabConsultation Session` s {session_hint}
		where {held} and {datetime_range("s.starts_on", from_date, to_date)} and {session_scope}
		group by s.community_unit""",
	)
	participants = part(
		"s.community_unit",
		{"participants": "count(*)", "attended": "sum(p.attended)"},
		f"""from `tabConsultation Session` s {session_hint}
		join `tabConsultation Participant` p on p.parent = s.name
		where {held} and {datetime_range("s.starts_on", from_date, to_date)} and {session_scope}
		group by s.community_unit""",
	)
	outcomes = part(
		"o.community_unit",
		{
			"outcomes_filed": "count(*)",
			"implemented": f"sum({OUTCOME_LIFE_CYCLE.sql('Implemented', 'o')})",
			"implemented_on_time": f"sum({OUTCOME_LIFE_CYCLE.sql('Implemented on Time', 'o')})",
			"overdue": f"sum({OUTCOME_LIFE_CYCLE.sql('Overdue', 'o')})",
			"government_entrusted": "sum(o.implementer_type = 'Government Entrusted')",
			"reported_back": """sum(o.implementer_type = 'Government Entrusted'
				and o.reported_to_government_on is not null)""",
		},
		f"""from `tabConsultation Outcome` o {period_index_hint("tabConsultation Outcome", scope, "Consultation Outcome")}
		where o.docstatus = 1 and {datetime_range("o.filed_on", from_date, to_date)} and {outcome_scope}
		group by o.community_unit""",
	)

	meeting_scope = scope.sql("m.community_unit", "Community Meeting")
	meeting_period = datetime_range("m.meeting_on", from_date, to_date)
	meetings = part(
		"m.community_unit",
		{
			"meetings_held": "count(*)",
			"meetings_inquorate": f"sum({MEETING_LIFE_CYCLE.sql('Not Quorate', 'm')})",
		},
		f"""from `tabCommunity Meeting` m
		where m.docstatus = 1 and {meeting_period} and {meeting_scope}
		group by m.community_unit""",
	)
	resolutions = part(
		"m.community_unit",
		{
			"resolutions_passed": f"sum(mi.result = {esc(PASSED)})",
			"resolutions_not_passed": f"sum(mi.result = {esc(NOT_PASSED)})",
		},
		f"""from `tabCommunity Meeting` m
		join `tabMeeting Agenda Item` mi on mi.parent = m.name and mi.parenttype = 'Community Meeting'
		where m.docstatus = 1 and {meeting_period} and {meeting_scope} and {decides_sql("m", "mi.topic")}
		group by m.community_unit""",
	)
	four_deliberations = part(
		"t.community_unit",
		{"four_deliberations_completed": "count(distinct t.name)"},
		f"""from `tabConsultation Topic` t
		join `tabFour Deliberations Stage` st on st.parent = t.name and st.parenttype = 'Consultation Topic'
		where st.stage = {esc(RESULT_PUBLIC)} and {date_range("st.completed_on", from_date, to_date)}
		and {topic_scope}
		group by t.community_unit""",
	)

	sums = ", ".join(f"ifnull(sum(a.`{m}`), 0) as `{m}`" for m in measures)
	rows = frappe.db.sql(
		f"""{ROOMY_TEMP_TABLES}
		select
			tree.county_lft, tree.township_lft, tree.village_lft,
			max(tree.county) as county, max(tree.township) as township, max(tree.village) as village,
			max(tree.village_type) as village_type,
			count(distinct tree.village) as villages,
			{sums}
		from {unit_tree_sql(scope, "Consultation Topic")} tree
		left join ({topics} union all {sessions} union all {participants} union all {outcomes}
			union all {meetings} union all {resolutions} union all {four_deliberations}
			union all {" union all ".join(township_return_parts(part, scope, from_date, to_date))}) a
			on a.unit = tree.unit
		group by tree.county_lft, tree.township_lft, tree.village_lft with rollup
		""",
		as_dict=True,
	)

	result = []
	for row in rows:
		if row.county_lft is None:
			row.row_type, row.county, row.township, row.village = "total", None, None, None
		elif row.township_lft is None:
			row.row_type, row.township, row.village = "county", None, None
		elif row.village_lft is None:
			row.row_type, row.village = "township", None
		else:
			row.row_type = "village"
		for m in measures:
			row[m] = cint(row[m])
		row.villages = cint(row.villages)
		row.attendance_rate = flt(100.0 * row.attended / row.participants, 1) if row.participants else 0.0
		result.append(row)
	add_township_topics(result, scope, from_date, to_date)
	return _tree_order(result), categories, forms


# ---------------------------------------------------------------------------------------------------
# Township and village together (§三(二), 三(三), 二(六)). Per village: the entrusted matters the township
# assigned to it in the period (`assigned_on`) and those it reported back on by the deadline; the dates of
# its consultation plan in the period and those kept (a session or a meeting of the decision bodies
# concluded that day, `consultation_plan.KEPT_SQL`); the inspections of its work (`inspected_on`, submitted) and the
# corrections closed in the period. Per township: its own topics (`proposed_on`), added to the township's,
# county's and total rows, since the township is no village of the tree.


def township_return_parts(part, scope: "UnitScope", from_date, to_date) -> list[str]:
	from community_consultation.township.doctype.consultation_plan.consultation_plan import (
		KEPT_SQL,
	)

	return [
		part(
			"r.village",
			{
				"entrusted_assigned": "count(*)",
				"entrusted_reported_on_time": "sum(r.report_status = 'Reported on Time')",
			},
			f"""from `tabTownship Assignment Village` r join `tabTownship Assignment` a on a.name = r.parent
			where r.parenttype = 'Township Assignment' and a.assigned_on is not null
			and {date_range("a.assigned_on", from_date, to_date)} and {scope.sql("r.village", "Township Assignment")}
			group by r.village""",
		),
		part(
			"p.community_unit",
			{"plan_dates": "count(*)", "plan_dates_kept": f"sum({KEPT_SQL.format(p='p', d='d')})"},
			f"""from `tabConsultation Plan` p join `tabConsultation Plan Date` d
				on d.parent = p.name and d.parenttype = 'Consultation Plan'
			where {date_range("d.planned_on", from_date, to_date)} and {scope.sql("p.community_unit", "Consultation Plan")}
			group by p.community_unit""",
		),
		part(
			"i.community_unit",
			{"inspections": "count(*)"},
			f"""from `tabConsultation Inspection` i
			where i.docstatus = 1 and {date_range("i.inspected_on", from_date, to_date)}
			and {scope.sql("i.community_unit", "Consultation Inspection")}
			group by i.community_unit""",
		),
		part(
			"i.community_unit",
			{"corrections_closed": "count(*)"},
			f"""from `tabConsultation Inspection` i join `tabInspection Correction` c
				on c.parent = i.name and c.parenttype = 'Consultation Inspection'
			where i.docstatus = 1 and {date_range("c.closed_on", from_date, to_date)}
			and {scope.sql("i.community_unit", "Consultation Inspection")}
			group by i.community_unit""",
		),
	]


def add_township_topics(rows: list[dict], scope: "UnitScope", from_date, to_date):
	"""The townships' own topics, on the township's row and the rows above it."""
	counts = dict(
		frappe.db.sql(
			f"""select t.community_unit, count(*) from `tabConsultation Topic` t
			join `tabCommunity Unit` u on u.name = t.community_unit and u.unit_type = 'Township'
			where {date_range("t.proposed_on", from_date, to_date)} and {scope.sql("t.community_unit", "Consultation Topic")}
			group by t.community_unit"""
		)
	)
	if not counts:
		return
	county_of = dict(
		frappe.db.sql(
			"""select tw.name, co.name from `tabCommunity Unit` tw join `tabCommunity Unit` co
			on co.unit_type = 'County' and co.lft < tw.lft and co.rgt > tw.rgt where tw.name in %(names)s""",
			{"names": list(counts)},
		)
	)
	listed = {row.township for row in rows if row.row_type == "township"}
	for row in rows:
		if row.row_type == "township":
			row.township_topics += cint(counts.get(row.township))
		elif row.row_type == "county":
			row.township_topics += sum(
				cint(n) for tw, n in counts.items() if county_of.get(tw) == row.county and tw in listed
			)
		elif row.row_type == "total":
			row.township_topics += sum(cint(n) for tw, n in counts.items() if tw in listed)


def _tree_order(rows: list[dict]) -> list[dict]:
	"""ROLLUP puts a subtotal after its details; a tree shows it before them."""
	ordered, pending = [], {"county": [], "township": []}
	total = None
	for row in rows:
		if row.row_type == "village":
			pending["township"].append(row)
		elif row.row_type == "township":
			pending["county"].extend([row, *pending["township"]])
			pending["township"] = []
		elif row.row_type == "county":
			ordered.extend([row, *pending["county"]])
			pending["county"] = []
		else:
			total = row
	return ([total] if total else []) + ordered


# Grouping hundreds of thousands of participant rows by unit and stakeholder type outgrows MariaDB's
# default 16 MB in-memory temporary table; on disk the city's participation for a year takes 14 s
# instead of under 2 s. Raised for the one statement only.
ROOMY_TEMP_TABLES = "set statement max_heap_table_size = 67108864, tmp_table_size = 67108864 for"

# Deriving units through the nested set is a range join (`unit_tree.within_sql` on the ancestor's columns).
# Merged into a query that groups, MariaDB runs it as a block nested loop over every unit for every
# village (20M comparisons, 1.3 s at city scale); materialised on its own it probes the lft index per
# ancestor ("range checked for each record", 60 ms). `limit` keeps the derived table from being merged.
MATERIALISE = "limit 1000000000"


def unit_tree_sql(scope: "UnitScope", doctype: str) -> str:
	"""A derived table of every unit at or below a village within `scope`, with its village,
	township and county.

	Each unit is joined up to its village, township and county by name (primary key), not by nested-set
	ranges: the tree's levels are strict (`unit_tree.ALLOWED_PARENT_TYPES`: a building-level unit directly
	under its village, a village under its township, a township under its county). The range joins' plan
	depended on the table's statistics: once InnoDB had recalculated them for a freshly imported city,
	MariaDB chose block nested loops over every unit for every village and the city's return took 30 s
	(benchmarks/RESULTS.md); by name it is one primary-key lookup per unit and level whatever the statistics."""
	return f"""(select co.lft as county_lft, co.name as county, tw.lft as township_lft, tw.name as township,
			vl.lft as village_lft, vl.name as village, vl.unit_type as village_type, u.name as unit
		from `tabCommunity Unit` u
		join `tabCommunity Unit` vl on vl.name = {unit_tree.village_of_sql("u")}
			and vl.unit_type in ({unit_tree.types_sql(VILLAGE_TYPES)}) and {scope.range_sql("vl", doctype, overlap=True)}
		join `tabCommunity Unit` tw on tw.name = vl.parent_community_unit
			and tw.unit_type = {frappe.db.escape(unit_tree.TOWNSHIP)} and {scope.range_sql("tw", doctype, overlap=True)}
		join `tabCommunity Unit` co on co.name = tw.parent_community_unit
			and co.unit_type = {frappe.db.escape(unit_tree.COUNTY)} and {scope.range_sql("co", doctype, overlap=True)}
		where {scope.range_sql("u", doctype)}
		{MATERIALISE})"""


def ancestor_map_sql(unit_types: tuple[str, ...]) -> str:
	"""A derived table (unit, ancestor): every unit with its ancestor (or itself) of `unit_types`.

	Driven by the ancestors: one `lft` index range per ancestor, then joined to the records by name."""
	return f"""(select u.name as unit, g.name as ancestor, g.lft as ancestor_lft
		from `tabCommunity Unit` g
		join `tabCommunity Unit` u on {within_sql("u", "g.lft", "g.rgt")}
		where g.unit_type in ({unit_tree.types_sql(unit_types)})
		{MATERIALISE})"""
