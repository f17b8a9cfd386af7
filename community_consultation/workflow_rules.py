"""Workflow states that agree with the facts of the procedure, whatever an administrator's workflow says.

The default workflows (setup/workflows.py) name states after the procedure's milestones. Administrators
may change those workflows at will; three rules keep them coherent with the controllers, which remain
the only judges of the work plan's rules (issue 3):

1. A state named after a milestone needs its facts (`MILESTONES`): a topic is "Accepted" only when its
   review accepted it, a session "Held" only with its vote recorded, an outcome "Publicised" only once its
   publicity has started, "Implemented" only at 100%… A workflow action into such a state without the
   facts is refused (it changes nothing). Two actions bring their facts with them: "Notice Published"
   publishes the notice through the channels chosen on the session, and "Publicised" starts the
   publicity today for the minimum period when no dates are set; the controllers then check them.
2. The state follows the facts: when a save records a fact of a later milestone (the Accept button,
   Publish Notice, the vote, a progress update, an imported record), the record moves to that state.
3. Who may bring a record to a state is the workflow's decision: a fact that moves a record to a state
   is refused to a user whose roles have no transition into that state (for example a Committee Clerk
   accepting a topic when only the Community Secretary may "Accept").

States the administrator adds under other names are theirs: they need no facts and the facts never
move a record out of them. Submitting and cancelling set the state of that docstatus (Frappe's own
rule), and the controllers' `before_submit` rules apply to a workflow action exactly as to the
Submit button.
"""

import frappe
from frappe import _
from frappe.model.workflow import get_workflow_name, is_transition_condition_satisfied
from frappe.utils import add_days, cint, flt, getdate, now_datetime, nowdate


def _topic_review(decision):
	return lambda doc: doc.review_decision == decision


def _publicity_started(doc):
	return bool(doc.publicity_from) and getdate(doc.publicity_from) <= getdate(nowdate())


# DocType → state → (rank, the facts it needs)
MILESTONES = {
	"Consultation Topic": {
		"Accepted": (2, _topic_review("Accepted")),
		"Rejected": (2, _topic_review("Rejected")),
	},
	"Consultation Session": {
		"Notice Published": (1, lambda doc: bool(doc.notice_published_on)),
		"Held": (2, lambda doc: bool(doc.result)),
		"Concluded": (3, lambda doc: doc.docstatus == 1),
	},
	"Consultation Outcome": {
		"Filed": (1, lambda doc: doc.docstatus == 1),
		"Publicised": (2, _publicity_started),
		"In Implementation": (3, lambda doc: bool(doc.progress)),
		"Implemented": (4, lambda doc: flt(doc.percent_complete) >= 100),
	},
}
# states that need no facts, by rank
BASE_STATES = {"Draft": 0, "Party Review": 1}


def missing_facts(doctype: str, state: str) -> str:
	"""What a record lacks to be in a milestone state, for the messages."""
	return {
		"Accepted": _("the Party organisation's review has not accepted the topic"),
		"Rejected": _("the Party organisation's review has not rejected the topic"),
		"Notice Published": _("the notice has not been published"),
		"Held": _("the vote and its result have not been recorded"),
		"Concluded": _("the session has not been concluded (submitted)"),
		"Filed": _("the outcome has not been filed (submitted)"),
		"Publicised": _("its publicity has not started"),
		"In Implementation": _("no progress update has been recorded"),
		"Implemented": _("its progress has not reached 100%"),
	}[state]


def get_active_workflow(doctype: str):
	name = get_workflow_name(doctype)
	return frappe.get_cached_doc("Workflow", name) if name else None


def keep_state_with_facts(doc, method=None):
	"""`doc_events` validate / before_update_after_submit of Topic, Session and Outcome: rules 1–3."""
	milestones = MILESTONES.get(doc.doctype)
	workflow = get_active_workflow(doc.doctype) if milestones else None
	if not workflow:
		return
	field = workflow.workflow_state_field
	if doc.is_new() and doc.get(field) != workflow.states[0].state:
		# a copy or an amendment carries its original's state: a new record starts at the first state
		doc.set(field, None)
	before = None if doc.is_new() else doc.get_doc_before_save()
	old_state = (before and before.get(field)) or workflow.states[0].state
	state = doc.get(field) or workflow.states[0].state
	if doc.docstatus == 1 and state_docstatus(workflow, state) != 1:
		# submitting: Frappe moves the record to the first state of docstatus 1
		state = next((s.state for s in workflow.states if cint(s.doc_status) == 1), state)
	moved = state != old_state

	if moved:
		bring_facts(doc, state, old_state)
	target = furthest_milestone(doc, milestones, workflow)
	if state in milestones and not milestones[state][1](doc):
		if moved:
			frappe.throw(
				_("The {0} cannot be moved to {1}: {2}.").format(
					_(doc.doctype), _(state), missing_facts(doc.doctype, state)
				),
				title=_("Not yet"),
			)
		if not target:
			frappe.throw(
				_(
					"The {0} is at {1} in its workflow, but {2}: use the workflow's actions to change this."
				).format(_(doc.doctype), _(state), missing_facts(doc.doctype, state)),
				title=_("Workflow state"),
			)
		# the facts changed under the state (a topic's review changed from Accepted to Rejected)
	elif not target or target == state:
		return
	else:
		current_rank = milestones[state][0] if state in milestones else BASE_STATES.get(state)
		if current_rank is None or milestones[target][0] <= current_rank:
			return
	if not may_enter(workflow, target, doc):
		frappe.throw(
			_("The workflow {0} does not let your roles move this {1} to {2}.").format(
				frappe.bold(workflow.name), _(doc.doctype), _(target)
			),
			frappe.PermissionError,
			title=_("Not permitted by the workflow"),
		)
	doc.flags.workflow_state_to_follow = target


def follow_facts(doc, method=None):
	"""`doc_events` on_update / on_update_after_submit / on_submit: move the record to the state its
	facts reached (rule 2), after Frappe's own check of the state the save asked for."""
	target = doc.flags.pop("workflow_state_to_follow", None)
	if target and doc.get("workflow_state") != target:
		doc.db_set("workflow_state", target, update_modified=False)
		doc.add_comment("Workflow", _(target))


def follow_cancel(doc, method=None):
	"""`doc_events` on_cancel: Frappe sets the state of docstatus 2 only when a workflow action cancels;
	a record cancelled otherwise (the API) takes the workflow's cancelled state too."""
	workflow = get_active_workflow(doc.doctype)
	if not workflow or state_docstatus(workflow, doc.get(workflow.workflow_state_field)) == 2:
		return
	cancelled = next((s.state for s in workflow.states if cint(s.doc_status) == 2), None)
	if cancelled:
		doc.db_set(workflow.workflow_state_field, cancelled, update_modified=False)


def follow_dates():
	"""Daily: a fact that comes with the date — an outcome's publicity that starts on a later day — moves
	the outcome's workflow state too (rule 2; the scheduler acts for the system)."""
	workflow = get_active_workflow("Consultation Outcome")
	if not workflow or state_docstatus(workflow, "Publicised") != 1:
		return
	before = [s for s, (rank, _needs) in MILESTONES["Consultation Outcome"].items() if rank < 2]
	for name in frappe.get_all(
		"Consultation Outcome",
		filters={
			"docstatus": 1,
			"publicity_from": ("<=", nowdate()),
			workflow.workflow_state_field: ("in", before),
		},
		pluck="name",
	):
		doc = frappe.get_doc("Consultation Outcome", name)
		target = furthest_milestone(doc, MILESTONES["Consultation Outcome"], workflow)
		if target and target != doc.get(workflow.workflow_state_field):
			doc.db_set(workflow.workflow_state_field, target, update_modified=False)
			doc.add_comment("Workflow", _(target))


def furthest_milestone(doc, milestones, workflow) -> str | None:
	"""The furthest milestone state of the workflow whose facts the record has, at its docstatus."""
	reached = [
		(rank, state)
		for state, (rank, needs) in milestones.items()
		if state_docstatus(workflow, state) == doc.docstatus and needs(doc)
	]
	return max(reached)[1] if reached else None


def state_docstatus(workflow, state: str) -> int | None:
	row = next((s for s in workflow.states if s.state == state), None)
	return cint(row.doc_status) if row else None


def may_enter(workflow, state: str, doc) -> bool:
	"""Rule 3: the user's roles have a transition into `state` whose condition the record meets."""
	if doc.flags.ignore_permissions or frappe.session.user == "Administrator":
		return True
	roles = set(frappe.get_roles())
	return any(
		t.next_state == state and t.allowed in roles and is_transition_condition_satisfied(t, doc)
		for t in workflow.transitions
	)


def bring_facts(doc, state: str, old_state: str):
	"""The workflow actions that bring their facts with them (rule 1)."""
	if doc.doctype == "Consultation Session" and state == "Notice Published" and not doc.notice_published_on:
		publish_session_notice(doc)
	elif doc.doctype == "Consultation Outcome" and state == "Publicised" and not doc.publicity_from:
		start_publicity(doc)


def publish_session_notice(doc):
	"""§二(五)2 through the workflow: publish the notice now, through the channels chosen on the session;
	the participants are notified once the save has passed every rule (notices.py)."""
	if not doc.notice_channels:
		frappe.throw(
			_("Choose the notice channels on the session before publishing its notice."),
			title=_("Not yet"),
		)
	doc.notice_published_on = now_datetime()
	doc.validate_dates()
	doc.validate_roles(required=True)
	doc.status = doc.derive_status()
	doc.flags.send_session_notice = True


def start_publicity(doc):
	"""§二(五)4 through the workflow: publicity starts today for the minimum period; the controller's
	rules on filing and notified stakeholders then decide."""
	from community_consultation.community_consultation.doctype.consultation_settings.consultation_settings import (
		get_settings,
	)

	doc.publicity_from = nowdate()
	if not doc.publicity_to:
		doc.publicity_to = add_days(doc.publicity_from, max(cint(get_settings().min_publicity_days), 1) - 1)
	doc.check_rules()
