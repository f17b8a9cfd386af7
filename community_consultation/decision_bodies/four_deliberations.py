"""四议两公开 (four deliberations, two disclosures) for the major matters of a village (Organic Law art. 24).

A category marked `four_deliberations` follows, in this order: the village Party organisation's
proposal (提议), the two committees' deliberation (商议), the Party members' assembly's review (审议),
the villagers' (representatives') meeting's resolution (决议); then the resolution made public
(决议公开) and the result of the implementation made public (实施结果公开). Each stage is a row of the
topic's `four_deliberations` table, linking the record that proves it and carrying the supervision
committee's remarks; no stage is skipped, and implementation does not start before the resolution."""

import datetime

import frappe
from frappe import _
from frappe.utils import cint, comma_or, flt, format_date, get_datetime, getdate, nowdate

from community_consultation.decision_bodies.authorisation import decision_of
from community_consultation.procedure.results import PASSED

PROPOSAL = "Party Organisation's Proposal"
DELIBERATION = "Two Committees' Deliberation"
REVIEW = "Party Members' Assembly Review"
RESOLUTION = "Meeting Resolution"
RESOLUTION_PUBLIC = "Resolution Made Public"
RESULT_PUBLIC = "Implementation Result Made Public"
STAGES = (PROPOSAL, DELIBERATION, REVIEW, RESOLUTION, RESOLUTION_PUBLIC, RESULT_PUBLIC)

# the first three stages are proven by a concluded session of a form marked for the stage (the
# Consultation Form's `four_deliberations_stage`, set for the shipped forms by setup.defaults.FORMS)
SESSION_STAGES = (PROPOSAL, DELIBERATION, REVIEW)
# the field of the stage's row that links the record proving it
STAGE_PROOF = {
	PROPOSAL: "session",
	DELIBERATION: "session",
	REVIEW: "session",
	RESOLUTION: "meeting",
	RESOLUTION_PUBLIC: "meeting",
	RESULT_PUBLIC: "outcome",
}
PROOF_DOCTYPES = {
	"session": "Consultation Session",
	"meeting": "Community Meeting",
	"outcome": "Consultation Outcome",
}


class FourDeliberationsError(frappe.ValidationError):
	"""A stage of 四议两公开 skipped, out of order, or without the record that proves it."""


def follows_four_deliberations(category: str | None) -> bool:
	return bool(category) and bool(
		cint(frappe.db.get_value("Consultation Category", category, "four_deliberations"))
	)


def validate_stages(topic):
	"""The topic's stages: in order, none skipped, dated in order and not in the future, each proven by
	its record (a concluded session of the stage's form, the meeting that passed the topic and the
	publication of its resolution, the implemented outcome)."""
	rows = topic.get("four_deliberations") or []
	if rows and not follows_four_deliberations(topic.category):
		frappe.throw(
			_("The category {0} does not follow the four deliberations and two disclosures.").format(
				frappe.bold(topic.category)
			),
			FourDeliberationsError,
		)
	previous = None
	for position, row in enumerate(rows):
		if position >= len(STAGES) or row.stage != STAGES[position]:
			expected = STAGES[position] if position < len(STAGES) else None
			frappe.throw(
				_("Stage {0}: {1} comes next; a stage cannot be skipped or repeated.").format(
					row.idx, _(expected) if expected else _("no further stage")
				),
				FourDeliberationsError,
				title=_("Four deliberations, two disclosures"),
			)
		if not row.completed_on:
			frappe.throw(
				_("Stage {0}: enter the date it was completed.").format(row.idx), FourDeliberationsError
			)
		if getdate(row.completed_on) > getdate(nowdate()):
			frappe.throw(
				_("Stage {0}: a stage cannot be dated in the future.").format(row.idx), FourDeliberationsError
			)
		if previous and getdate(row.completed_on) < getdate(previous):
			frappe.throw(
				_("Stage {0}: it cannot be completed before the stage before it.").format(row.idx),
				FourDeliberationsError,
			)
		previous = row.completed_on
		_validate_proof(topic, row)
	validate_proofs_in_order(rows)


def validate_proofs_in_order(rows):
	"""四议两公开 (Organic Law art. 24, national practice): each stage comes after the one before it —
	as the records that prove them were held, not only as their rows are dated. The proving record of a
	stage (`proof_moment`: the session or meeting held, the resolution or the implementation result made
	public) is not later than the date typed on its row, and not earlier than the previous stage's proving
	record: a deliberation held before the proposal, or a resolution before the Party members' review,
	is refused. Two moments are compared to the minute when both have a time, else by day."""
	previous = None
	for row in rows:
		moment = proof_moment(row)
		if moment is None:
			continue
		if getdate(moment) > getdate(row.completed_on):
			frappe.throw(
				_("Stage {0} ({1}): {2} took place on {3}, after the date entered for the stage.").format(
					row.idx, _(row.stage), row.get(STAGE_PROOF[row.stage]), format_date(getdate(moment))
				),
				FourDeliberationsError,
				title=_("Four deliberations, two disclosures"),
			)
		if previous and _earlier(moment, previous[1]):
			frappe.throw(
				_(
					"Stage {0} ({1}): {2} took place on {3}, before {4}, which proves the stage before it: a stage comes after the one before it."
				).format(
					row.idx,
					_(row.stage),
					row.get(STAGE_PROOF[row.stage]),
					format_date(getdate(moment)),
					previous[0],
				),
				FourDeliberationsError,
				title=_("Four deliberations, two disclosures"),
			)
		previous = (row.get(STAGE_PROOF[row.stage]), moment)


def _earlier(moment, than) -> bool:
	if isinstance(moment, datetime.datetime) and isinstance(than, datetime.datetime):
		return moment < than
	return getdate(moment) < getdate(than)


def proof_moment(row) -> datetime.datetime | datetime.date | None:
	"""When the record proving the stage took place: the session's start (the first three stages), the
	meeting (its resolution), the publication of its resolution, and the implementation result's
	publication (the first progress update at 100%, published on)."""
	name = row.get(STAGE_PROOF[row.stage])
	if not name:
		return None
	if row.stage in SESSION_STAGES:
		return get_datetime(frappe.db.get_value("Consultation Session", name, "starts_on"))
	if row.stage == RESOLUTION:
		return get_datetime(frappe.db.get_value("Community Meeting", name, "meeting_on"))
	if row.stage == RESOLUTION_PUBLIC:
		published = frappe.db.get_value("Community Meeting", name, "resolution_published_on")
		return getdate(published) if published else None
	published = frappe.db.sql(
		"""select min(published_on) from `tabImplementation Update`
		where parent = %s and parenttype = 'Consultation Outcome' and percent_complete >= 100""",
		name,
	)[0][0]
	return getdate(published) if published else None


def _validate_proof(topic, row):
	field = STAGE_PROOF[row.stage]
	for other in PROOF_DOCTYPES:
		if other != field:
			row.set(other, None)
	name = row.get(field)
	if not name:
		frappe.throw(
			_("Stage {0} ({1}): link the {2} that proves it.").format(
				row.idx, _(row.stage), _(PROOF_DOCTYPES[field])
			),
			FourDeliberationsError,
		)
	if field == "session":
		# the Party organisation's, the two committees' and the Party members' meetings are the village's
		# own sessions (often on a topic of their own: a topic takes no further session once agreed)
		s = frappe.db.get_value(
			"Consultation Session",
			name,
			["topic", "docstatus", "consultation_form", "community_unit", "starts_on"],
			as_dict=True,
		)
		if (
			not s
			or s.docstatus != 1
			or s.community_unit != topic.community_unit
			or getdate(s.starts_on) > getdate(row.completed_on)
		):
			_refuse(row, name, _("a concluded session of the topic's unit held by the stage's date"))
		if (
			frappe.db.get_value("Consultation Form", s.consultation_form, "four_deliberations_stage")
			!= row.stage
		):
			_refuse(
				row,
				name,
				_("a session held as {0}").format(comma_or(stage_forms(row.stage), add_quotes=False)),
			)
	elif field == "meeting":
		# a meeting entitled to decide the topic (a representatives' meeting only with its authorisation)
		if decision_of(name, topic.name) != PASSED:
			_refuse(row, name, _("a concluded, quorate meeting that passed this topic"))
		if row.stage == RESOLUTION_PUBLIC and not frappe.db.get_value(
			"Community Meeting", name, "resolution_published_on"
		):
			_refuse(row, name, _("a meeting whose resolution was made public (Resolution Made Public On)"))
	elif field == "outcome":
		o = frappe.db.get_value(
			"Consultation Outcome", name, ["topic", "docstatus", "percent_complete"], as_dict=True
		)
		if not o or o.topic != topic.name or o.docstatus != 1 or flt(o.percent_complete) < 100:
			_refuse(row, name, _("an implemented outcome of this topic"))


def stage_forms(stage: str) -> list[str]:
	"""The consultation forms whose concluded sessions prove `stage` (administrators mark them)."""
	forms = frappe.get_all(
		"Consultation Form", filters={"four_deliberations_stage": stage}, pluck="name", order_by="name"
	)
	if not forms:
		frappe.throw(
			_(
				"No consultation form proves the stage {0}: the administrator marks one under Consultation Form (Proves the Stage)."
			).format(_(stage)),
			FourDeliberationsError,
		)
	return forms


def _refuse(row, name, what):
	frappe.throw(
		_("Stage {0} ({1}): {2} is not {3}.").format(row.idx, _(row.stage), name, what),
		FourDeliberationsError,
		title=_("Four deliberations, two disclosures"),
	)


def stages_done(topic_name: str) -> list[str]:
	return frappe.get_all(
		"Four Deliberations Stage",
		filters={"parent": topic_name, "parenttype": "Consultation Topic"},
		pluck="stage",
		order_by="idx asc",
	)


def validate_four_deliberations_before_implementation(outcome):
	"""Implementation of a 四议两公开 matter does not start before the meeting's resolution (stage 4)."""
	if not outcome.progress or not follows_four_deliberations(outcome.topic_category()):
		return
	if RESOLUTION not in stages_done(outcome.topic):
		frappe.throw(
			_(
				"The matter follows the four deliberations and two disclosures: record the stages up to the meeting's resolution on the topic before implementation starts."
			),
			FourDeliberationsError,
			title=_("Four deliberations, two disclosures"),
		)
