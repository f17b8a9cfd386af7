"""The base controller of the procedure's DocTypes (topic, session, outcome).

Every save of a procedure record runs, in this order (Frappe calls the hooks; the DocType's own
parts are the methods named in brackets, in its controller):

0. Frappe's link check, the child rows' links in one query per linked DocType
   (`overrides.child_links`).
1. `before_validate`: the payload's field types (`payload_guard.validate_field_types`) and the facts only
   the procedure makes (`guard_procedure_facts`, from the controller's `PROCEDURE_FACTS`): a value a
   payload sent for such a field is refused (`ProcedureFactError`).
2. `validate`: the unit the user may write in (`permissions.validate_unit_access`), the DocType's
   rules (`validate_rules`), then its status from the life-cycle table (`LIFE_CYCLE.status`) and the
   workflow state that agrees with it (`lifecycle.check_state`).
   After submit, `before_update_after_submit` runs the same three (`validate_rules_after_submit`).
3. Frappe's own `before_submit` / `before_cancel` (in the controller) when submitting or cancelling.
4. After the write: the DocType's side effects (`after_update`, `after_submit`,
   `after_update_after_submit`, `after_cancel`), then the workflow state the facts reached
   (`lifecycle.follow_state`), then the resident who proposed the topic hears of its new stage
   (`proposal_progress.notify_proposer`: once per stage), then the users of the villages a township's
   record concerns are given read of it (`sharing.share_with_concerned_villages`).

So a controller shows its rules in `validate_rules` (and `before_submit`), its side effects in the
`after_*` methods, and its states in `LIFE_CYCLE`; what is common to the three DocTypes is here.
"""

from contextlib import contextmanager

import frappe
from frappe import _
from frappe.model.document import Document

from community_consultation.notices.proposal_progress import notify_proposer
from community_consultation.overrides.child_links import validate_links
from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types
from community_consultation.overrides.row_locking import RowLocking
from community_consultation.permissions import validate_unit_access
from community_consultation.procedure import lifecycle
from community_consultation.township.sharing import share_with_concerned_villages


class ProcedureFactError(frappe.ValidationError):
	"""A payload tried to set a fact that only the procedure makes."""


class DuplicateParticipantError(frappe.ValidationError):
	"""A stakeholder listed twice among a record's participants."""


class ProcedureDocument(PayloadGuard, RowLocking, Document):
	"""Put it in place of `Document`: `class ConsultationOutcome(ProcedureDocument)`.

	A subclass sets `LIFE_CYCLE` (its `lifecycle.LifeCycle`) and `PROCEDURE_FACTS` (fieldname → the
	step of the procedure that makes it, for the message), and defines `validate_rules`."""

	LIFE_CYCLE: lifecycle.LifeCycle
	# fieldname → the procedure step that makes it; computed fields the controller always overwrites
	# (status, counts, percentages) are not listed: whatever a payload sends there is replaced
	PROCEDURE_FACTS: dict[str, str] = {}

	# ------------------------------------------------------------------ the order of a save

	def _validate_links(self):
		"""Frappe's link check, with the child rows' links read in one query per linked DocType."""
		validate_links(self)

	def before_validate(self):
		validate_field_types(self)
		self.guard_procedure_facts()

	def validate(self):
		validate_unit_access(self)
		self.validate_rules()
		self.sync_state()

	def before_update_after_submit(self):
		validate_unit_access(self)
		self.validate_rules_after_submit()
		self.sync_state()

	def on_update(self):
		self.after_update()
		self.after_write()

	def on_submit(self):
		self.after_submit()
		self.after_write()

	def on_update_after_submit(self):
		self.after_update_after_submit()
		self.after_write()

	def on_cancel(self):
		self.after_cancel()
		self.after_write()

	def after_write(self):
		"""What follows every write, whatever the DocType: the workflow state the facts reached, the
		proposer's notice, and the villages a township's record concerns reading it."""
		lifecycle.follow_state(self, self.LIFE_CYCLE)
		notify_proposer(self)
		share_with_concerned_villages(self)

	# ------------------------------------------------------------------ the DocType's parts

	def validate_rules(self):
		"""The DocType's rules of the work plan (its controller)."""

	def validate_rules_after_submit(self):
		"""The rules that apply to a change after submit (its controller)."""

	def after_update(self):
		pass

	def after_submit(self):
		pass

	def after_update_after_submit(self):
		pass

	def after_cancel(self):
		pass

	# ------------------------------------------------------------------ rules the three share

	def validate_unique_participants(self):
		"""§二(三), 二(五)3: a stakeholder takes part once; listed twice, they would be invited, counted and
		notified twice."""
		seen = set()
		for row in self.participants:
			if row.stakeholder in seen:
				frappe.throw(
					_("Row {0}: {1} is listed twice among the participants.").format(
						row.idx, row.stakeholder
					),
					DuplicateParticipantError,
				)
			seen.add(row.stakeholder)

	# ------------------------------------------------------------------ state

	def sync_state(self):
		"""The workflow state that agrees with the facts (a workflow action may bring its fact), then the
		status from the life-cycle table."""
		lifecycle.check_state(self, self.LIFE_CYCLE)
		self.status = self.LIFE_CYCLE.status(self)

	def set_status(self, update: bool = False) -> str:
		"""The status from the facts; with `update`, stored at once (after a change made elsewhere: the
		calendar, a session of the topic, the outcome's correction)."""
		status = self.LIFE_CYCLE.status(self)
		if update and status != self.status:
			self.db_set("status", status, update_modified=False)
		self.status = status
		return status

	# ------------------------------------------------------------------ facts only the procedure makes

	@contextmanager
	def procedure_writes(self, *fieldnames: str):
		"""The procedure itself sets these fields while the block runs (the review, the escalation)."""
		allowed = self.__dict__.setdefault("_procedure_writes", set())
		added = set(fieldnames) - allowed
		allowed.update(added)
		try:
			yield self
		finally:
			allowed.difference_update(added)

	def allow_procedure_facts(self, *fieldnames: str):
		"""For a record the procedure creates (the escalated topic): it may carry these facts."""
		self.__dict__.setdefault("_procedure_writes", set()).update(fieldnames)

	def guard_procedure_facts(self):
		"""A fact the procedure makes comes only from the procedure: on insert such a field is empty, on
		update it is unchanged, unless the procedure's own step (or the Workflow transition whose update
		field writes it) sets it."""
		allowed = self.__dict__.get("_procedure_writes", set())
		before = None if self.is_new() else self.get_doc_before_save()
		for fieldname, step in self.PROCEDURE_FACTS.items():
			value = self.get(fieldname)
			old = before.get(fieldname) if before else None
			if _same(value, old) or fieldname in allowed or lifecycle.set_by_workflow(self, fieldname):
				continue
			frappe.throw(
				_("{0} is recorded by the procedure ({1}) and cannot be entered or changed directly.").format(
					frappe.bold(_(self.meta.get_label(fieldname))), _(step)
				),
				ProcedureFactError,
				title=_("Recorded by the procedure"),
			)


def _same(value, old) -> bool:
	if value in (None, "") and old in (None, ""):
		return True
	return str(value) == str(old)
