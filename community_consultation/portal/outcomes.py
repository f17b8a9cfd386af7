"""Public outcome pages (主动公开协商成果, 二(五)4; progress published, 二(六)).

Guests read outcomes through these queries only: they pick public fields, so they run without
permission checks. What is public:
- an outcome whose publicity has started (filed, docstatus 1, `publicity_from` on or before today);
- a corrected outcome (cancelled, status Corrected) once its amendment is public, shown as corrected
  with the amendment's reason;
- the published progress updates (`published_on` on or before today) of those outcomes.
Never public: drafts, filed outcomes before their publicity, cancelled outcomes that were not
corrected, participants, phone numbers, votes, dissent and the names of individual implementers.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import getdate, nowdate

from community_consultation.procedure.text_policy import sanitize_rich_text
from community_consultation.township.queries import township_outcomes_concerning
from community_consultation.units import tree as unit_tree

# pages for guests are in Chinese whatever the browser asks for
PUBLIC_LANGUAGE = "zh"


def public_outcomes(unit: str | None = None, today=None, with_progress: bool = True) -> list[frappe._dict]:
	"""The public outcomes of `unit` and the units beneath it (all units if None), newest first,
	each with its published `progress` and, for a corrected outcome, its `corrected_by`."""
	today = getdate(today or nowdate())
	outcome = DocType("Consultation Outcome")
	topic = DocType("Consultation Topic")
	cu = DocType("Community Unit")
	stakeholder = DocType("Stakeholder")
	stakeholder_type = DocType("Stakeholder Type")

	query = (
		frappe.qb.from_(outcome)
		.join(cu)
		.on(cu.name == outcome.community_unit)
		.left_join(topic)
		.on(topic.name == outcome.topic)
		.left_join(stakeholder)
		.on(stakeholder.name == outcome.implementer_stakeholder)
		.left_join(stakeholder_type)
		.on(stakeholder_type.name == stakeholder.stakeholder_type)
		.select(
			outcome.name,
			outcome.docstatus,
			outcome.status,
			outcome.topic_title,
			outcome.community_unit,
			cu.unit_name,
			cu.unit_type,
			cu.parent_community_unit,
			topic.category,
			outcome.decision,
			outcome.meeting,
			outcome.decision_note,
			outcome.topic,
			outcome.implementer_type,
			outcome.implementer,
			stakeholder_type.is_organisation.as_("implementer_is_organisation"),
			outcome.implementation_deadline,
			outcome.publicity_from,
			outcome.publicity_to,
			outcome.percent_complete,
			outcome.amended_from,
			outcome.correction_reason,
		)
		.where(
			((outcome.docstatus == 1) & (outcome.publicity_from <= today))
			# cancelled outcomes are candidates: those corrected by a public amendment are shown
			| (outcome.docstatus == 2)
		)
		.orderby(outcome.publicity_from, order=frappe.qb.desc)
		.orderby(outcome.name, order=frappe.qb.desc)
	)
	if unit:
		bounds = unit_tree.bounds(unit)
		within = unit_tree.within_criterion(cu, [bounds] if bounds else [])
		# §三(二): a township-level outcome is public on the page of each village it concerns too
		township_outcomes = township_outcomes_concerning(unit)
		if township_outcomes:
			within = within | outcome.name.isin(township_outcomes)
		query = query.where(within)
	rows = query.run(as_dict=True)

	visible = _visible(rows, today)
	outcomes = [row for row in rows if row.name in visible]
	progress = _published_progress([row.name for row in outcomes], today) if with_progress else {}
	# the reason is given on the amendment; the corrected original shows it too
	amendments = {row.amended_from: (row.name, row.correction_reason) for row in outcomes if row.amended_from}
	for row in outcomes:
		row.corrected = row.docstatus == 2
		row.corrected_by = None
		if row.corrected and row.name in amendments:
			row.corrected_by, row.correction_reason = amendments[row.name]
		row.progress = progress.get(row.name, [])
		row.decision = sanitize_rich_text(row.decision)
		row.implementer = public_implementer(row)
		for private in ("implementer_is_organisation", "docstatus"):
			row.pop(private, None)
	return outcomes


def _visible(rows: list[frappe._dict], today) -> set[str]:
	"""Filed outcomes whose publicity has started, and corrected originals whose amendment (or the
	amendment's own amendment, …) is visible."""
	visible = {row.name for row in rows if row.docstatus == 1 and getdate(row.publicity_from) <= today}
	amended_by = {}
	for row in rows:
		if row.amended_from:
			amended_by.setdefault(row.amended_from, []).append(row.name)
	corrected = [row.name for row in rows if row.docstatus == 2]
	changed = True
	while changed:
		changed = False
		for name in corrected:
			if name not in visible and any(a in visible for a in amended_by.get(name, [])):
				visible.add(name)
				changed = True
	return visible


def _published_progress(outcomes: list[str], today) -> dict[str, list[frappe._dict]]:
	if not outcomes:
		return {}
	update = DocType("Implementation Update")
	rows = (
		frappe.qb.from_(update)
		.select(update.parent, update.update_on, update.percent_complete, update.note, update.published_on)
		.where(
			(update.parenttype == "Consultation Outcome")
			& (update.parentfield == "progress")
			& update.parent.isin(outcomes)
			& update.published_on.isnotnull()
			& (update.published_on <= today)
		)
		.orderby(update.update_on, order=frappe.qb.desc)
		.orderby(update.idx, order=frappe.qb.desc)
		.run(as_dict=True)
	)
	progress = {}
	for row in rows:
		progress.setdefault(row.pop("parent"), []).append(row)
	return progress


def public_implementer(row) -> str:
	"""The implementer as the public may read it: an organisation's name, never a person's."""
	if row.implementer_type == "Stakeholder" and not row.implementer_is_organisation:
		return _("The stakeholders concerned")
	return row.implementer or ""


def units_with_public_outcomes(today=None) -> list[frappe._dict]:
	"""Villages and communities with public outcomes (their buildings' outcomes included), grouped
	by township: [{township, units: [{name, unit_name, outcomes, latest}]}]."""
	counts = {}
	for row in public_outcomes(today=today, with_progress=False):
		if row.corrected:
			continue
		village = unit_tree.row_village(row.community_unit, row.unit_type, row.parent_community_unit)
		entry = counts.setdefault(village, frappe._dict(outcomes=0, latest=None))
		entry.outcomes += 1
		if row.publicity_from and (not entry.latest or getdate(row.publicity_from) > getdate(entry.latest)):
			entry.latest = row.publicity_from
	if not counts:
		return []
	cu = DocType("Community Unit")
	parent = DocType("Community Unit").as_("parent_unit")
	units = (
		frappe.qb.from_(cu)
		.left_join(parent)
		.on(parent.name == cu.parent_community_unit)
		# a township's record name is its name, with its county when the name repeats (units/names.py)
		.select(cu.name, cu.unit_name, cu.lft, parent.name.as_("township"), parent.name.as_("township_name"))
		.where(cu.name.isin(list(counts)))
		.orderby(parent.lft)
		.orderby(cu.lft)
		.run(as_dict=True)
	)
	groups = []
	for unit in units:
		if not groups or groups[-1].township != unit.township:
			groups.append(frappe._dict(township=unit.township, township_name=unit.township_name, units=[]))
		groups[-1].units.append(
			frappe._dict(
				name=unit.name,
				unit_name=unit.unit_name,
				outcomes=counts[unit.name].outcomes,
				latest=counts[unit.name].latest,
			)
		)
	return groups


def use_public_language(context):
	"""Render a public page in Chinese whatever the visitor's browser language."""
	frappe.local.lang = PUBLIC_LANGUAGE
	context.lang = PUBLIC_LANGUAGE
	if context.get("boot"):
		# <html lang> and the page's scripts follow boot.lang, built before get_context
		context.boot["lang"] = PUBLIC_LANGUAGE
