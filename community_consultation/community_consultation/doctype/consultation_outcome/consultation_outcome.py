# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _, _lt
from frappe.utils import add_days, cint, date_diff, flt, getdate, now_datetime, nowdate

from community_consultation.community_consultation.doctype.consultation_settings.consultation_settings import (
	get_settings,
)
from community_consultation.community_consultation.doctype.consultation_topic.consultation_topic import (
	update_topic_status,
)
from community_consultation.community_consultation.doctype.implementation_update.implementation_update import (
	ProgressError,
)
from community_consultation.decision_bodies.doctype.community_meeting.community_meeting import (
	MeetingResolutionRequiredError,
	check_resolution,
)
from community_consultation.decision_bodies.four_deliberations import (
	validate_four_deliberations_before_implementation,
)
from community_consultation.notices.delivery import (
	notify_outcome_filed,
	notify_publicity_started,
	send_notices_of_the_day,
	send_outcome_notice,
)
from community_consultation.overrides.payload_guard import validate_field_types
from community_consultation.overrides.row_locking import ensure_series_row, existing_record, lock_row
from community_consultation.permissions import whitelist_action
from community_consultation.procedure import scheduling
from community_consultation.procedure.controller import ProcedureDocument
from community_consultation.procedure.lifecycle import LifeCycle, State, correction_states, follow_state
from community_consultation.procedure.results import CONSENSUS, REFERRED

VILLAGERS_MEETING_ROUTE = "Villagers' Meeting"
LEGAL_PROCEDURE_ROUTE = "Legal Procedure"


def _started(date_field: str):
	return lambda doc: bool(doc.get(date_field)) and getdate(doc.get(date_field)) <= getdate(nowdate())


# the rules' errors, one per rule, so that a test or a client can tell which rule refused
class SessionNotConcludedError(frappe.ValidationError):
	"""An outcome comes from one concluded session that agreed or referred (§二(五)3–4)."""


class CorrectionReasonError(frappe.ValidationError):
	"""A correction states its reason (§二(六))."""


class OutcomeDatesError(frappe.ValidationError):
	"""The outcome's dates are consistent."""


class FilingIncompleteError(frappe.ValidationError):
	"""Filed with both the Party organisation and the committee, with a deadline (§二(五)4)."""


class PublicityError(frappe.ValidationError):
	"""Publicity after filing, long enough, everyone notified (§二(五)4)."""


# a matter for the villagers' meeting needs its decision (§二(一), 二(五)3): community_meeting.check_resolution
MeetingDecisionRequiredError = MeetingResolutionRequiredError


class CompletionError(frappe.ValidationError):
	"""Reported back and dissenters answered before implemented (§二(六))."""


# §二(五)4, 二(六): an outcome's states, judged in this order (community_consultation/procedure/lifecycle.py)
LIFE_CYCLE = LifeCycle(
	"Consultation Outcome",
	(
		State("Draft", lambda doc: doc.docstatus == 0, "{t}.docstatus = 0"),
		*correction_states("Consultation Outcome"),
		State(
			"Implemented",
			lambda doc: flt(doc.percent_complete) >= 100,
			"{t}.docstatus = 1 and {t}.percent_complete >= 100",
			_lt("its progress has not reached 100%"),
			milestone=4,
			colour="green",
		),
		State(
			"Overdue",
			lambda doc: (
				bool(doc.implementation_deadline)
				and getdate(doc.implementation_deadline) < getdate(nowdate())
			),
			"{t}.docstatus = 1 and {t}.percent_complete < 100 and {t}.implementation_deadline < {today}",
			colour="red",
			dated=True,
		),
		State(
			"In Implementation",
			lambda doc: bool(doc.progress),
			"""{t}.docstatus = 1 and exists(select 1 from `tabImplementation Update` iu
			where iu.parent = {t}.name and iu.parenttype = 'Consultation Outcome')""",
			_lt("no progress update has been recorded"),
			milestone=3,
			colour="purple",
			dated=True,
		),
		State(
			"Publicised",
			_started("publicity_from"),
			"{t}.docstatus = 1 and {t}.publicity_from <= {today}",
			_lt("its publicity has not started"),
			milestone=2,
			action="start_publicity",
			colour="cyan",
			dated=True,
		),
		State(
			"Filed",
			lambda doc: doc.docstatus == 1,
			"{t}.docstatus = 1",
			_lt("the outcome has not been filed (submitted)"),
			milestone=1,
			colour="blue",
			dated=True,
		),
	),
	measures={
		# posted publicly today
		"In Publicity": "{t}.docstatus = 1 and {t}.publicity_from <= {today} and {t}.publicity_to >= {today}",
		# implemented, and the first progress update reaching 100% is dated on or before the deadline
		"Implemented on Time": """{t}.docstatus = 1 and {t}.percent_complete >= 100 and (
			select min(iu.update_on) from `tabImplementation Update` iu
			where iu.parent = {t}.name and iu.percent_complete >= 100) <= {t}.implementation_deadline""",
	},
)


class ConsultationOutcome(ProcedureDocument):
	"""A consultation outcome (协商成果), §二(五)4, 二(六). Saving it runs `controller.ProcedureDocument`'s
	order: payload and procedure facts, unit, `validate_rules` (after submit
	`validate_rules_after_submit`), the status from `LIFE_CYCLE` and the workflow state; `before_submit`
	files it; after the write the stakeholders hear of the filing and of the publicity
	(`notices.delivery`), the topic's status follows, and a correction marks the original Corrected."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from community_consultation.community_consultation.doctype.implementation_update.implementation_update import (
			ImplementationUpdate,
		)
		from community_consultation.community_consultation.doctype.outcome_notice.outcome_notice import (
			OutcomeNotice,
		)

		amended_from: DF.Link | None
		community_unit: DF.Link | None
		correction_reason: DF.SmallText | None
		decision: DF.TextEditor
		decision_note: DF.SmallText | None
		dissent_explanation: DF.SmallText | None
		feedback_on: DF.Date | None
		filed_by: DF.Link | None
		filed_on: DF.Datetime | None
		filed_with_committee_on: DF.Date | None
		filed_with_party_on: DF.Date | None
		implementation_deadline: DF.Date
		implementer: DF.Data
		implementer_stakeholder: DF.Link | None
		implementer_type: DF.Literal["Village", "Stakeholder", "Government Entrusted"]
		meeting: DF.Link | None
		naming_series: DF.Literal["OUT-.YYYY.-.#####"]
		notices: DF.Table[OutcomeNotice]
		percent_complete: DF.Percent
		progress: DF.Table[ImplementationUpdate]
		publicity_from: DF.Date | None
		publicity_to: DF.Date | None
		reported_to_government_on: DF.Date | None
		session: DF.Link
		stakeholders_notified_on: DF.Datetime | None
		status: DF.Literal[
			"Draft",
			"Filed",
			"Publicised",
			"In Implementation",
			"Overdue",
			"Implemented",
			"Corrected",
			"Cancelled",
		]
		topic: DF.Link | None
		topic_title: DF.Data | None
		workflow_state: DF.Link | None
	# end: auto-generated types

	LIFE_CYCLE = LIFE_CYCLE
	PROCEDURE_FACTS = {
		"filed_by": _lt("the filing of the outcome"),
		"filed_on": _lt("the filing of the outcome"),
	}

	def before_insert(self):
		ensure_series_row(self)
		self.lock_session()

	def validate_rules(self):
		self.set_from_session()
		self.validate_session_concluded()
		self.validate_correction()
		self.check_rules()

	def validate_rules_after_submit(self):
		self.check_rules()

	def before_submit(self):
		self.validate_filing()
		self.filed_by = frappe.session.user
		self.filed_on = now_datetime()

	def after_insert(self):
		if self.amended_from:
			# the corrected original is kept, cancelled, and now shows as Corrected
			frappe.get_doc("Consultation Outcome", self.amended_from).set_status(update=True)

	def after_submit(self):
		self.set_status(update=True)
		notify_outcome_filed(self)
		update_topic_status(self.topic)

	def after_update_after_submit(self):
		notify_publicity_started(self)
		update_topic_status(self.topic)

	def after_cancel(self):
		self.set_status(update=True)
		update_topic_status(self.topic)

	def check_rules(self):
		self.validate_dates()
		self.validate_publicity()
		self.validate_progress()
		self.validate_meeting_decision()
		self.validate_completion()
		self.percent_complete = self.latest_percent()

	# ------------------------------------------------------------------ rules

	def lock_session(self):
		"""Two outcomes of one session created at the same moment (two clerks, two tabs, a double
		click on Save): the second waits here until the first is saved, and then sees it
		(`validate_session_concluded`). `make_outcome` takes the same lock before it looks for the
		outcome; taking it again in one transaction is free."""
		if self.session:
			lock_row("Consultation Session", self.session)

	def session_info(self):
		if getattr(self, "_session", None) is None or self._session.name != self.session:
			self._session = frappe.db.get_value(
				"Consultation Session",
				self.session,
				["name", "topic", "community_unit", "docstatus", "result"],
				as_dict=True,
			)
			if not self._session:
				frappe.throw(_("Session {0} does not exist.").format(self.session), SessionNotConcludedError)
		return self._session

	def set_from_session(self):
		session = self.session_info()
		self.topic = session.topic
		self.community_unit = session.community_unit

	def validate_session_concluded(self):
		"""§二(五)3–4: an outcome comes from a concluded session that reached consensus or referred the
		matter to the villagers' meeting; a session has one outcome (a correction replaces it)."""
		session = self.session_info()
		if session.docstatus != 1:
			frappe.throw(
				_("The session {0} has not been concluded.").format(self.session), SessionNotConcludedError
			)
		if session.result not in (CONSENSUS, REFERRED):
			frappe.throw(
				_(
					"The session ended without consensus: hold a second consultation or escalate the topic instead of filing an outcome."
				),
				SessionNotConcludedError,
			)
		# a new outcome also sees one committed by a simultaneous save (it waited in lock_session)
		other = existing_record(
			"Consultation Outcome", {"session": self.session}, exclude=self.name, committed=self.is_new()
		)
		if other:
			frappe.throw(
				_("The session already has the outcome {0}.").format(other), SessionNotConcludedError
			)

	def validate_correction(self):
		"""§二(六): an unlawful outcome is corrected by cancelling and amending the filed outcome; the
		amendment states why, and the original is kept."""
		if self.amended_from and not (self.correction_reason or "").strip():
			frappe.throw(
				_("State the reason for correcting the filed outcome {0}.").format(self.amended_from),
				CorrectionReasonError,
			)

	def validate_dates(self):
		if (
			self.publicity_from
			and self.publicity_to
			and getdate(self.publicity_to) < getdate(self.publicity_from)
		):
			frappe.throw(_("Publicity cannot end before it starts."), OutcomeDatesError)
		if self.filed_with_party_on and getdate(self.filed_with_party_on) > getdate(nowdate()):
			frappe.throw(
				_("The filing with the Party organisation cannot be dated in the future."), OutcomeDatesError
			)
		if self.filed_with_committee_on and getdate(self.filed_with_committee_on) > getdate(nowdate()):
			frappe.throw(_("The filing with the committee cannot be dated in the future."), OutcomeDatesError)

	def validate_filing(self):
		"""§二(五)4: filing the outcome means filing it with both the village Party organisation and the
		villagers' (residents') committee; implementation needs a deadline (§二(六))."""
		if not (self.filed_with_party_on and self.filed_with_committee_on):
			frappe.throw(
				_(
					"File the outcome with both the Party organisation and the committee (enter both dates) before submitting it."
				),
				FilingIncompleteError,
				title=_("Filing incomplete"),
			)
		if not self.implementation_deadline:
			frappe.throw(
				_("Set the implementation deadline before filing the outcome."), FilingIncompleteError
			)

	def validate_publicity(self):
		"""§二(五)4: publicity starts only after both filings, lasts at least the minimum days, and
		every stakeholder of the topic has been notified."""
		if not self.publicity_from:
			return
		if not (self.filed_with_party_on and self.filed_with_committee_on):
			frappe.throw(
				_(
					"Publicity starts only after the outcome is filed with the Party organisation and the committee."
				),
				PublicityError,
			)
		filed = max(getdate(self.filed_with_party_on), getdate(self.filed_with_committee_on))
		if getdate(self.publicity_from) < filed:
			frappe.throw(
				_("Publicity cannot start before the outcome was filed ({0}).").format(filed), PublicityError
			)
		if not self.publicity_to:
			frappe.throw(_("Enter the last day of publicity."), PublicityError)
		min_days = cint(get_settings().min_publicity_days)
		if date_diff(self.publicity_to, self.publicity_from) + 1 < min_days:
			frappe.throw(
				_("Publicity lasts at least {0} days.").format(min_days),
				PublicityError,
				title=_("Publicity too short"),
			)
		missing = self.unnotified_stakeholders()
		if missing or not self.stakeholders_notified_on:
			names = ", ".join(frappe.db.get_value("Stakeholder", s, "stakeholder_name") or s for s in missing)
			frappe.throw(
				_(
					"Notify every stakeholder of the topic before publicity starts. Not yet notified: {0}"
				).format(names or _("(record when they were notified)")),
				PublicityError,
				title=_("Stakeholders not notified"),
			)

	def topic_stakeholders(self) -> list[str]:
		"""The topic's proposed participants and the session's participants."""
		names = frappe.get_all(
			"Consultation Topic Stakeholder",
			filters={"parent": self.topic, "parenttype": "Consultation Topic"},
			pluck="stakeholder",
		)
		names += frappe.get_all(
			"Consultation Participant",
			filters={"parent": self.session, "parenttype": "Consultation Session"},
			pluck="stakeholder",
		)
		return list(dict.fromkeys(names))

	def unnotified_stakeholders(self) -> list[str]:
		notified = {n.stakeholder for n in self.notices if n.notified_on}
		return [s for s in self.topic_stakeholders() if s not in notified]

	def validate_progress(self):
		"""§二(六): progress is recorded, after filing, on dated and published updates (each row:
		`ImplementationUpdate.validate_row`)."""
		for row in self.progress:
			row.validate_row()
		if self.progress and self.docstatus == 0:
			frappe.throw(_("Progress is recorded after the outcome is filed."), ProgressError)

	def validate_meeting_decision(self):
		"""§二(一), 二(五)3: a matter whose route is the villagers' meeting (or that a session referred to the
		meeting) is carried out only once a concluded, quorate meeting of the right kind in its village or
		community passed it (`community_meeting.check_resolution`); a legal-procedure matter once its
		procedure's reference is recorded. A linked meeting always has to have passed the topic."""
		route = frappe.db.get_value(
			"Consultation Category",
			frappe.db.get_value("Consultation Topic", self.topic, "category"),
			"decision_route",
		)
		reserved = route == VILLAGERS_MEETING_ROUTE or self.session_info().result == REFERRED
		before = self.get_doc_before_save()
		linked = self.meeting and (not before or before.meeting != self.meeting)
		if linked and not self.flags.ignore_permissions:
			if not frappe.has_permission("Community Meeting", "read", self.meeting):
				# another unit's meeting is neither linked nor described
				frappe.throw(
					_("Community Meeting {0} not found").format(self.meeting), frappe.PermissionError
				)
		if self.meeting or (self.progress and reserved):
			check_resolution(self.meeting, self.topic, self.topic_category())
		if self.progress and route == LEGAL_PROCEDURE_ROUTE and not reserved:
			if not (self.decision_note or "").strip():
				frappe.throw(
					_(
						"This matter is decided by its legal procedure: enter the procedure's reference (Decision Notes) before implementation starts."
					),
					MeetingResolutionRequiredError,
					title=_("Legal procedure required"),
				)
		validate_four_deliberations_before_implementation(self)

	def topic_category(self) -> str | None:
		return frappe.db.get_value("Consultation Topic", self.topic, "category")

	def validate_completion(self):
		"""§二(六): a government-entrusted matter is reported back, and dissenters get an explanation,
		before the outcome counts as implemented."""
		if self.latest_percent() < 100:
			return
		if self.implementer_type == "Government Entrusted" and not self.reported_to_government_on:
			frappe.throw(
				_(
					"Report the result to the entrusting government or department (Reported to Government On) before marking the outcome implemented."
				),
				CompletionError,
			)
		votes_against = frappe.db.get_value("Consultation Session", self.session, "votes_against")
		if cint(votes_against) > 0 and not (self.dissent_explanation or "").strip():
			frappe.throw(
				_(
					"{0} participants voted against: record the explanation given to them before marking the outcome implemented."
				).format(cint(votes_against)),
				CompletionError,
			)

	# ------------------------------------------------------------------ status

	def latest_percent(self) -> float:
		if not self.progress:
			return 0.0
		latest = max(self.progress, key=lambda r: (getdate(r.update_on), r.idx))
		return flt(latest.percent_complete)

	def start_publicity(self):
		"""§二(五)4, the workflow's Start Publicity: publicity starts today for the minimum period; the
		rules on filing and notified stakeholders then decide."""
		self.publicity_from = nowdate()
		if not self.publicity_to:
			self.publicity_to = add_days(
				self.publicity_from, max(cint(get_settings().min_publicity_days), 1) - 1
			)
		self.check_rules()

	def follow_the_calendar(self):
		"""The daily job's question to an open outcome: what does today mean for it? Its status first
		(publicity starting, the deadline passing), then its workflow state, then the notices of the
		day (publicity started, deadline reminder, deadline day, overdue)."""
		before = self.status
		self.set_status(update=True)
		follow_state(self, LIFE_CYCLE)
		if self.status != before:
			update_topic_status(self.topic)
		send_notices_of_the_day(self, became_overdue=self.status == "Overdue" and before != "Overdue")

	# ------------------------------------------------------------------ actions

	@whitelist_action
	def notify_stakeholders(self):
		"""§二(五)4: notify every stakeholder of the topic of the filed outcome."""
		self.check_permission("write")
		if self.docstatus != 1:
			frappe.throw(_("File the outcome before notifying the stakeholders."), FilingIncompleteError)
		send_outcome_notice(self)
		self.save()
		return self.as_dict()


def follow_the_calendar():
	"""Daily: each open outcome whose date may mean something today is asked what (one job, each
	outcome on its own: `scheduling.follow_the_calendar`)."""
	today = nowdate()
	names = frappe.get_all(
		"Consultation Outcome",
		filters={"docstatus": 1, "status": ("in", LIFE_CYCLE.names(dated=True))},
		or_filters={
			"implementation_deadline": (
				"<=",
				add_days(today, max(cint(get_settings().deadline_reminder_days), 0)),
			),
			"publicity_from": ("<=", today),
		},
		pluck="name",
	)
	scheduling.follow_the_calendar("Consultation Outcome", names, _("Outcome status update failed"))


def on_doctype_update():
	frappe.db.add_index("Consultation Outcome", ["filed_on"])
	frappe.db.add_index("Consultation Outcome", ["community_unit", "status"])
	frappe.db.add_index("Consultation Outcome", ["status", "implementation_deadline"])
