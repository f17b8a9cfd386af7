"""Township and village together (§三(二), 三(三), 二(六)): what the township and its villages read of each
other's matters — the township topics that concern a village (`township_matters`, its public page's
`township_outcomes_concerning`), a topic's links with the township (`links_of_topic`), a village's
report-back judged against its deadline (`report_status`), the village's consultation activity
(`last_activity_sql`, `held_on_day_sql`) and the villages silent for too long (`silent_villages`)."""

import frappe
from frappe.utils import getdate, nowdate

from community_consultation.permissions import check_has_unit, unit_scope
from community_consultation.units import tree as unit_tree
from community_consultation.units.tree import VILLAGE_TYPES, is_township, township_of, unit_type, village_of


def villages_of(township: str) -> list[str]:
	return frappe.get_all(
		"Community Unit",
		filters={"parent_community_unit": township, "unit_type": ("in", VILLAGE_TYPES)},
		pluck="name",
	)


def township_topics_concerning(unit: str) -> list[str]:
	"""Township-level topics that concern `unit` (a village or community, or a unit beneath one)."""
	village = village_of(unit)
	township = township_of(unit)
	if not village or not township:
		return []
	lft, rgt = frappe.db.get_value("Community Unit", village, ["lft", "rgt"])
	return frappe.db.sql_list(
		"""select t.name from `tabConsultation Topic` t where t.community_unit = %(township)s and (
			exists(select 1 from `tabConsultation Topic` v join `tabCommunity Unit` vu on vu.name = v.community_unit
				where v.name = t.escalated_from and vu.lft >= %(lft)s and vu.rgt <= %(rgt)s)
			or exists(select 1 from `tabConsultation Topic Stakeholder` ts
				join `tabStakeholder` s on s.name = ts.stakeholder
				join `tabCommunity Unit` su on su.name = s.community_unit
				where ts.parenttype = 'Consultation Topic' and ts.parent = t.name
				and su.lft >= %(lft)s and su.rgt <= %(rgt)s)
			or exists(select 1 from `tabConsultation Session` cs
				join `tabConsultation Participant` p on p.parent = cs.name and p.parenttype = 'Consultation Session'
				join `tabStakeholder` s on s.name = p.stakeholder
				join `tabCommunity Unit` su on su.name = s.community_unit
				where cs.topic = t.name and cs.docstatus < 2 and su.lft >= %(lft)s and su.rgt <= %(rgt)s))
		order by t.creation desc""",
		{"township": township, "lft": lft, "rgt": rgt},
	)


def township_outcomes_concerning(unit: str) -> list[str]:
	"""The outcomes of the township topics that concern `unit` (its public page shows them)."""
	topics = township_topics_concerning(unit)
	if not topics:
		return []
	return frappe.get_all("Consultation Outcome", filters={"topic": ("in", topics)}, pluck="name")


@frappe.whitelist()
def township_matters(unit: str | None = None) -> list[dict]:
	"""§三(二): the township's matters that concern the user's villages — township topics (their state and
	outcome), with the villages they concern. A summary: the township's records themselves stay the
	township's. `unit`: one of the user's units (else all the villages they may see)."""
	frappe.has_permission("Consultation Topic", "read", throw=True)
	check_has_unit()
	ranges = unit_scope(frappe.session.user, "Consultation Topic")
	if unit:
		frappe.has_permission("Community Unit", "read", unit, throw=True)
		villages = [village_of(unit)]
	elif ranges is None:
		villages = frappe.get_all(
			"Community Unit", filters={"unit_type": ("in", VILLAGE_TYPES)}, pluck="name"
		)
	else:
		villages = [u for u in unit_tree.units_within(ranges) if unit_type(u) in VILLAGE_TYPES] or list(
			{village_of(u) for u in unit_tree.units_within(ranges)} - {None}
		)
	matters = {}
	for village in [v for v in villages if v]:
		for topic in township_topics_concerning(village):
			if topic not in matters:
				row = frappe.db.get_value(
					"Consultation Topic",
					topic,
					["name", "title", "status", "community_unit", "escalated_from"],
					as_dict=True,
				)
				outcome = frappe.db.get_value(
					"Consultation Outcome",
					{"topic": topic, "docstatus": 1},
					["name", "status", "decision", "implementation_deadline", "percent_complete"],
					as_dict=True,
				)
				row.outcome = outcome
				row.villages = []
				matters[topic] = row
			matters[topic].villages.append(village)
	return list(matters.values())


@frappe.whitelist()
def links_of_topic(topic: str) -> dict:
	"""What the topic's form shows of its links with the township: the referral waiting on the township
	or decided by it, the township topic that took it up, the assignment it carries out; whether the user
	may refer it, and whether it is a township's matter the user reads for their village."""
	doc = frappe.get_doc("Consultation Topic", topic)
	doc.check_permission("read")
	referral = frappe.db.get_value(
		"Township Referral",
		{"topic": topic},
		["name", "status", "township", "referred_on", "decision_reason", "township_topic"],
		as_dict=True,
		order_by="creation desc",
	)
	assignment = frappe.db.get_value(
		"Township Assignment Village",
		{"topic": topic, "parenttype": "Township Assignment"},
		["parent", "report_status", "reported_on", "report"],
		as_dict=True,
	)
	if assignment:
		assignment.update(
			frappe.db.get_value(
				"Township Assignment",
				assignment.parent,
				["title", "entrusted_by", "report_back_by", "community_unit"],
				as_dict=True,
			)
		)
	own_unit = frappe.has_permission("Consultation Topic", "write", doc)
	return {
		"referral": referral,
		"assignment": assignment,
		# a village's own open topic, for a user who may refer it
		"can_refer": own_unit
		and unit_type(doc.community_unit) in VILLAGE_TYPES
		and frappe.has_permission("Township Referral", "create"),
		# the township's topic, read by a user of a village it concerns
		"township_matter": is_township(doc.community_unit) and not own_unit,
	}


def report_status(report_back_by, reported_on, today=None) -> str:
	"""§二(六): a village's report back on an entrusted matter, judged against the deadline."""
	today = getdate(today or nowdate())
	deadline = getdate(report_back_by)
	if reported_on:
		return "Reported on Time" if getdate(reported_on) <= deadline else "Reported Late"
	return "Overdue" if today > deadline else "Awaiting Report"


# §三(二) regular consultation, §二(四) its forms: a village's consultation activity is a concluded session,
# and equally a concluded meeting of its decision bodies (the villagers' (residents') meeting, the
# representatives' meeting and the villager group's meeting are the first of the work plan's forms) —
# of the village or a unit beneath it. Each: the DocType and the moment it was held.
ACTIVITY_RECORDS = (("Consultation Session", "starts_on"), ("Community Meeting", "meeting_on"))


def _activity_within(doctype: str, unit: str) -> str:
	return f"""from `tab{doctype}` a join `tabCommunity Unit` au on au.name = a.community_unit
		where a.docstatus = 1 and au.lft >= {unit}.lft and au.rgt <= {unit}.rgt"""


def last_activity_sql(unit: str) -> str:
	"""SQL: when the unit aliased `unit` (a `tabCommunity Unit`) or a unit beneath it last held a
	consultation activity (`ACTIVITY_RECORDS`), or null."""
	never = "timestamp('0001-01-01')"
	latest = ", ".join(
		f"coalesce((select max(a.{field}) {_activity_within(doctype, unit)}), {never})"
		for doctype, field in ACTIVITY_RECORDS
	)
	return f"nullif(greatest({latest}), {never})"


def held_on_day_sql(unit: str, day: str) -> str:
	"""SQL: the unit aliased `unit` or a unit beneath it held a consultation activity
	(`ACTIVITY_RECORDS`) on the date `day` (an SQL expression)."""
	held = " or ".join(
		f"exists(select 1 {_activity_within(doctype, unit)} and date(a.{field}) = {day})"
		for doctype, field in ACTIVITY_RECORDS
	)
	return f"({held})"


def silent_village_months() -> int:
	from frappe.utils import cint

	return max(cint(frappe.db.get_single_value("Consultation Settings", "silent_village_months")), 1)


@frappe.whitelist()
def silent_villages(township: str | None = None, today: str | None = None) -> list[dict]:
	"""§三(二) regular consultation: the villages and communities (within the user's units, and under
	`township` if given) that held no consultation activity (a concluded session or meeting of the
	decision bodies, of the village or a unit beneath it: `last_activity_sql`) for the months set in
	Consultation Settings, with the date of their last activity (`last_session`)."""
	from frappe.utils import add_months

	from community_consultation.permissions import unit_condition_sql

	frappe.has_permission("Consultation Session", "read", throw=True)
	check_has_unit()
	since = add_months(getdate(today or nowdate()), -silent_village_months())
	return frappe.db.sql(
		f"""select v.name, v.unit_name, v.parent_community_unit as township,
			{last_activity_sql("v")} as last_session
		from `tabCommunity Unit` v
		where v.unit_type in %(types)s
		and {unit_condition_sql("v.name", None, "Consultation Session")}
		and {unit_tree.subtree_sql("v.name", township)}
		having last_session is null or last_session < %(since)s
		order by v.lft""",
		{"types": VILLAGE_TYPES, "since": since},
		as_dict=True,
	)
