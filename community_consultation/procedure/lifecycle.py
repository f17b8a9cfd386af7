"""The life cycle of a procedure record, defined once per DocType.

Each DocType with a status (topic, session, outcome, meeting; inspection, entrusted matter, referral,
annual return: `LIFE_CYCLE_DOCTYPES`) declares one table, `LIFE_CYCLE` in its controller's
module: its states in the order in which they are judged, each with

- the fact that puts a record there (`reached`, a function of the record),
- the SQL condition that says the same of a stored row (`sql`, on the alias `{t}`, with `{today}` for
  the site's today), for reports, number cards and the migration of existing records,
- the message naming what a record lacks to be there (`missing`),
- its rank when it is also a milestone of the Workflow (`milestone`), and the controller method that
  brings its fact when a workflow action enters it without the fact (`action`),
- what it allows and how it shows: its indicator colour in the desk's list and form (`colour`), whether
  it is not yet settled and so followed (`open`) or changes with the calendar (`dated`), and for a
  topic whether it takes a new session (`takes_sessions`), can be referred to the township
  (`referable`), and the stage its proposer sees (`resident_stage`).

From that one table come:

- the status the list, the form and the reports show: the first state whose fact holds
  (`LifeCycle.status`);
- the workflow state that agrees with it: the furthest milestone whose fact holds at the record's
  docstatus (`LifeCycle.furthest_milestone`), written after every save (`follow_state`); a workflow
  action into a milestone without its fact is refused with the state's message (`check_state`);
- the workflow states of records made before the workflow existed (`migrate_workflow_states`);
- every report's and number card's condition (`LifeCycle.sql`);
- every grouping of states a rule, a query or the desk needs (`LifeCycle.names`, `LifeCycle.status_in`,
  `LifeCycle.for_desk`): a list of states is never typed a second time. The desk reads the tables from
  `frappe.boot.life_cycles` (`boot_session`, public/js/life_cycle.js).

Why two fields, `status` and `workflow_state`: the status has states that are no workflow action — an
outcome becomes Overdue with the calendar and Corrected when amended, a topic Escalated, Referred or
Agreed through its sessions and outcome — and the Workflow belongs to the administrator, who may add
states of their own. Both are computed here from the same facts, in the same save, so they cannot
disagree: every milestone state of the workflow is the furthest milestone of the status's facts.

The three rules that keep an administrator's Workflow coherent with the facts:

1. A state named after a milestone needs its fact: a workflow action into it without the fact is
   refused and changes nothing (unless the state brings its fact, `action`).
2. The state follows the facts: a save that records the fact of a later milestone (a button, a REST
   call, the daily job) moves the record to that state.
3. Who may bring a record to a state is the Workflow's decision: a fact that moves a record to a state
   is refused to a user whose roles have no transition into it.

States an administrator adds under other names need no facts, and the facts never move a record out
of them. A new record (a copy, an amendment) starts at the workflow's first state.
"""

from collections.abc import Callable
from dataclasses import dataclass

import frappe
from frappe import _
from frappe.model.workflow import get_workflow_name, is_transition_condition_satisfied
from frappe.utils import cint, nowdate


class WorkflowStateError(frappe.ValidationError):
	"""A workflow state that the record's facts do not support."""


class WorkflowRoleError(frappe.PermissionError):
	"""A fact that would move the record to a workflow state the user's roles may not enter."""


@dataclass(frozen=True)
class State:
	name: str
	reached: Callable
	sql: str
	missing: str = ""
	milestone: int | None = None
	action: str | None = None
	# the desk's indicator colour, in the list and on the form
	colour: str = "gray"
	# its meaning changes with the calendar: the daily job asks the records in it again
	dated: bool = False
	# a topic's: it takes a new consultation session (§二(五)1, 3)
	takes_sessions: bool = False
	# a village topic's: it can be referred to the township (§三(二))
	referable: bool = False
	# not yet settled, so followed: a topic accepted and not settled (the workspace's "open topics"), an
	# inspection with corrections to close, an entrusted matter awaiting report-backs, a referral that
	# holds its topic
	open: bool = False
	# a topic's: the stage its proposer sees on /my-proposals (notices/proposal_progress.py)
	resident_stage: str | None = None

	def message(self) -> str:
		return str(self.missing) if self.missing else ""


def correction_states(doctype: str) -> tuple[State, State]:
	"""Corrected, then Cancelled: the states of a submitted record of `doctype` that was cancelled, and
	corrected when an amended version replaced it (the correction by cancel + amend)."""
	return (
		State(
			"Corrected",
			lambda doc: doc.docstatus == 2 and bool(frappe.db.exists(doctype, {"amended_from": doc.name})),
			f"{{t}}.docstatus = 2 and exists(select 1 from `tab{doctype}` a where a.amended_from = {{t}}.name)",
			colour="orange",
		),
		State("Cancelled", lambda doc: doc.docstatus == 2, "{t}.docstatus = 2", colour="red"),
	)


# the groupings of states the desk reads too (a form's buttons, a link's query, a report's drill-down)
DESK_GROUPS = ("takes_sessions", "referable", "open")


class LifeCycle:
	"""One DocType's states, in the order in which they are judged."""

	def __init__(
		self,
		doctype: str,
		states: tuple[State, ...],
		base_states: tuple[str, ...] = ("Draft",),
		measures: dict[str, str] | None = None,
	):
		self.doctype = doctype
		self.states = states
		self.by_name = {s.name: s for s in states}
		# conditions the reports count that are no state of their own (an outcome implemented on time)
		self.measures = measures or {}
		# workflow states that need no fact, in their order (rank 0, 1 …)
		self.base_states = base_states

	def names(self, **allows) -> tuple[str, ...]:
		"""The states whose properties have the given values, in the table's order:
		`names(takes_sessions=False)` are the states in which a topic takes no new session."""
		return tuple(
			s.name for s in self.states if all(getattr(s, key) == value for key, value in allows.items())
		)

	def status_in(self, alias: str = "t", **allows) -> str:
		"""A SQL condition on the stored status of the row aliased `alias`: it is one of `names(**allows)`."""
		names = self.names(**allows)
		if not names:
			return "(1 = 0)"
		return f"({alias}.status in ({', '.join(frappe.db.escape(n) for n in names)}))"

	def for_desk(self) -> dict:
		"""What the desk reads of the table (`boot_session`): each state's indicator colour, in the table's
		order, and the states of each grouping."""
		return {
			"colours": {s.name: s.colour for s in self.states},
			"groups": {group: self.names(**{group: True}) for group in DESK_GROUPS},
		}

	def status(self, doc) -> str:
		"""The first state whose fact holds."""
		return next(s.name for s in self.states if s.reached(doc))

	def sql(self, state: str, alias: str = "t", today: str | None = None) -> str:
		"""The condition for `state` (or a measure) on the DocType's row aliased `alias`, as of `today`
		(the site's today, not the database server's `curdate()`)."""
		condition = self.by_name[state].sql if state in self.by_name else self.measures[state]
		return "(" + condition.format(t=alias, today=frappe.db.escape(str(today or nowdate()))) + ")"

	def status_sql(self, alias: str = "t", today: str | None = None) -> str:
		"""A SQL expression giving each row's status from its stored facts (the table, in order)."""
		cases = " ".join(
			f"when {self.sql(s.name, alias, today)} then {frappe.db.escape(s.name)}" for s in self.states
		)
		return f"(case {cases} end)"

	def milestones(self) -> list[State]:
		return [s for s in self.states if s.milestone is not None]

	def rank(self, state: str) -> int | None:
		if state in self.by_name and self.by_name[state].milestone is not None:
			return self.by_name[state].milestone
		return self.base_states.index(state) if state in self.base_states else None

	def furthest_milestone(self, doc, workflow) -> str | None:
		"""The furthest milestone state of the workflow whose fact the record has, at its docstatus."""
		reached = [
			(s.milestone, s.name)
			for s in self.milestones()
			if state_docstatus(workflow, s.name) == doc.docstatus and s.reached(doc)
		]
		return max(reached)[1] if reached else None

	def missing(self, state: str) -> str:
		return self.by_name[state].message()


# ------------------------------------------------------------------------- the tables, for the desk

# the DocTypes whose controller declares a `LIFE_CYCLE` (tests/test_life_cycle_tables.py checks that the
# list is complete: every DocType of the app with a table is here)
LIFE_CYCLE_DOCTYPES = (
	"Consultation Topic",
	"Consultation Session",
	"Consultation Outcome",
	"Community Meeting",
	"Consultation Inspection",
	"Township Assignment",
	"Township Referral",
	"Consultation Annual Return",
)


def life_cycle_of(doctype: str) -> LifeCycle:
	"""The table of `doctype`, from its controller."""
	from frappe.model.base_document import get_controller

	return get_controller(doctype).LIFE_CYCLE


def boot_session(bootinfo):
	"""`boot_session` hook: each table's colours and groupings, for the desk's list and form indicators
	and the forms' buttons and queries (public/js/life_cycle.js)."""
	bootinfo.life_cycles = {doctype: life_cycle_of(doctype).for_desk() for doctype in LIFE_CYCLE_DOCTYPES}


# ---------------------------------------------------------------------- the workflow state


def get_active_workflow(doctype: str):
	name = get_workflow_name(doctype)
	return frappe.get_cached_doc("Workflow", name) if name else None


def state_docstatus(workflow, state: str) -> int | None:
	row = next((s for s in workflow.states if s.state == state), None)
	return cint(row.doc_status) if row else None


def planned_state(doc, life_cycle: LifeCycle, workflow) -> tuple[str, str, str | None]:
	"""(the state the save asked for, the state before it, the state the facts move the record to)."""
	field = workflow.workflow_state_field
	first = workflow.states[0].state
	before = None if doc.is_new() else doc.get_doc_before_save()
	old_state = (before and before.get(field)) or first
	state = doc.get(field) or first
	if doc.docstatus == 1 and state_docstatus(workflow, state) != 1:
		# submitting: Frappe moves the record to the first state of docstatus 1
		state = next((s.state for s in workflow.states if cint(s.doc_status) == 1), state)
	target = life_cycle.furthest_milestone(doc, workflow)
	if not target or target == state:
		return state, old_state, None
	if state in life_cycle.by_name and life_cycle.by_name[state].milestone is not None:
		if not life_cycle.by_name[state].reached(doc):
			# the facts changed under the state (a topic's review changed from Accepted to Rejected)
			return state, old_state, target
	current_rank = life_cycle.rank(state)
	if current_rank is None or life_cycle.by_name[target].milestone <= current_rank:
		return state, old_state, None
	return state, old_state, target


def check_state(doc, life_cycle: LifeCycle):
	"""Validate: rules 1 and 3 for the state the save asks for and the one its facts reach."""
	workflow = get_active_workflow(doc.doctype)
	if not workflow:
		return
	field = workflow.workflow_state_field
	if doc.is_new() and doc.get(field) != workflow.states[0].state:
		# a copy or an amendment carries its original's state: a new record starts at the first state
		doc.set(field, None)
	state, old_state, target = planned_state(doc, life_cycle, workflow)
	moved = state != old_state
	milestone = life_cycle.by_name.get(state)
	if moved and milestone and milestone.action and not milestone.reached(doc):
		# the workflow action that brings its fact (Publish Notice, Start Publicity)
		getattr(doc, milestone.action)()
		state, old_state, target = planned_state(doc, life_cycle, workflow)
	if milestone and milestone.milestone is not None and not milestone.reached(doc):
		if moved:
			frappe.throw(
				_("The {0} cannot be moved to {1}: {2}.").format(
					_(doc.doctype), _(state), life_cycle.missing(state)
				),
				WorkflowStateError,
				title=_("Not yet"),
			)
		if not target:
			frappe.throw(
				_(
					"The {0} is at {1} in its workflow, but {2}: use the workflow's actions to change this."
				).format(_(doc.doctype), _(state), life_cycle.missing(state)),
				WorkflowStateError,
				title=_("Workflow state"),
			)
	if target and not may_enter(workflow, target, doc):
		frappe.throw(
			_("The workflow {0} does not let your roles move this {1} to {2}.").format(
				frappe.bold(workflow.name), _(doc.doctype), _(target)
			),
			WorkflowRoleError,
			title=_("Not permitted by the workflow"),
		)


def follow_state(doc, life_cycle: LifeCycle):
	"""After the save: rule 2, the record moves to the state its facts reached; a record cancelled
	otherwise than by a workflow action (the API) takes the workflow's cancelled state too."""
	workflow = get_active_workflow(doc.doctype)
	if not workflow:
		return
	field = workflow.workflow_state_field
	if doc.docstatus == 2:
		if state_docstatus(workflow, doc.get(field)) != 2:
			cancelled = next((s.state for s in workflow.states if cint(s.doc_status) == 2), None)
			if cancelled:
				doc.db_set(field, cancelled, update_modified=False)
		return
	_state, _old, target = planned_state(doc, life_cycle, workflow)
	if target and doc.get(field) != target:
		doc.db_set(field, target, update_modified=False)
		doc.add_comment("Workflow", _(target))


def may_enter(workflow, state: str, doc) -> bool:
	"""Rule 3: the user's roles have a transition into `state` whose condition the record meets."""
	if doc.flags.ignore_permissions or frappe.session.user == "Administrator":
		return True
	roles = set(frappe.get_roles())
	return any(
		t.next_state == state and t.allowed in roles and is_transition_condition_satisfied(t, doc)
		for t in workflow.transitions
	)


def set_by_workflow(doc, fieldname: str) -> bool:
	"""The save moves the record into a workflow state whose *update field* writes `fieldname` with the
	value it now has (Frappe checks that the user may make that transition)."""
	workflow = get_active_workflow(doc.doctype)
	if not workflow:
		return False
	field = workflow.workflow_state_field
	before = None if doc.is_new() else doc.get_doc_before_save()
	state = doc.get(field)
	if not state or (before and before.get(field) == state):
		return False
	return any(
		s.state == state
		and s.update_field == fieldname
		and (s.update_value or "") == (doc.get(fieldname) or "")
		for s in workflow.states
	)


def migrate_workflow_states(doctype: str, life_cycle: LifeCycle):
	"""Records made before the workflow existed take the furthest milestone their stored facts give
	(Frappe gives them the first state of their docstatus)."""
	workflow = get_active_workflow(doctype)
	if not workflow:
		return
	for state in sorted(life_cycle.milestones(), key=lambda s: s.milestone):
		docstatus = state_docstatus(workflow, state.name)
		if docstatus is None:
			continue
		frappe.db.sql(
			f"""update `tab{doctype}` t set t.`{workflow.workflow_state_field}` = %s
			where t.docstatus = %s and {life_cycle.sql(state.name)}""",
			(state.name, docstatus),
		)
