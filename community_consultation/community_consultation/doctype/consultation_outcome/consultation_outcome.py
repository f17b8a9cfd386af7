# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import cint, date_diff, flt, getdate, now_datetime, nowdate

from community_consultation.community_consultation.doctype.consultation_settings.consultation_settings import (
	get_settings,
)
from community_consultation.community_consultation.doctype.consultation_topic.consultation_topic import (
	update_topic_status,
)
from community_consultation.locking import existing_record, lock_row
from community_consultation.procedure import ProcedureDocument
from community_consultation.validation import validate_field_types

MEETING_ROUTES = ("Villagers' Meeting", "Legal Procedure")
REFERRED = "Referred to Villagers' Meeting"


def outcome_status(
	docstatus: int,
	percent_complete: float,
	implementation_deadline,
	has_progress: bool,
	publicity_from,
	corrected: bool = False,
	today=None,
) -> str:
	"""§二(五)4, 二(六): an outcome's status follows from its filing, publicity and progress.

	The one definition, used by the controller and by the daily job."""
	today = getdate(today or nowdate())
	if docstatus == 0:
		return "Draft"
	if docstatus == 2:
		return "Corrected" if corrected else "Cancelled"
	if flt(percent_complete) >= 100:
		return "Implemented"
	if implementation_deadline and getdate(implementation_deadline) < today:
		return "Overdue"
	if has_progress:
		return "In Implementation"
	if publicity_from and getdate(publicity_from) <= today:
		return "Publicised"
	return "Filed"


class ConsultationOutcome(ProcedureDocument):
	def before_insert(self):
		self.lock_session()

	def before_validate(self):
		validate_field_types(self)

	def validate(self):
		self.set_from_session()
		self.validate_session_concluded()
		self.validate_correction()
		self.check_rules()

	def before_submit(self):
		self.validate_filing()
		self.filed_by = frappe.session.user
		self.filed_on = now_datetime()

	def before_update_after_submit(self):
		self.check_rules()

	def on_submit(self):
		self.set_status(update=True)
		update_topic_status(self.topic)

	def on_update_after_submit(self):
		update_topic_status(self.topic)

	def on_cancel(self):
		self.set_status(update=True)
		update_topic_status(self.topic)

	def after_insert(self):
		if self.amended_from:
			# the corrected original is kept, cancelled, and now shows as Corrected
			frappe.get_doc("Consultation Outcome", self.amended_from).set_status(update=True)

	def check_rules(self):
		self.validate_dates()
		self.validate_publicity()
		self.validate_progress()
		self.validate_meeting_decision()
		self.validate_completion()
		self.percent_complete = self.latest_percent()
		self.set_status()

	# ------------------------------------------------------------------ rules

	def lock_session(self):
		"""Two outcomes of one session created at the same moment (two clerks, two tabs, a double
		click on Save): the second waits here until the first is saved, and then sees it
		(`validate_session_concluded`). `make_outcome` takes this lock before it looks for the outcome."""
		if not self.session or self.flags.session_locked:
			return
		lock_row("Consultation Session", self.session)
		self.flags.session_locked = True

	def session_info(self):
		if getattr(self, "_session", None) is None or self._session.name != self.session:
			self._session = frappe.db.get_value(
				"Consultation Session",
				self.session,
				["name", "topic", "community_unit", "docstatus", "result"],
				as_dict=True,
			)
			if not self._session:
				frappe.throw(_("Session {0} does not exist.").format(self.session))
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
			frappe.throw(_("The session {0} has not been concluded.").format(self.session))
		if session.result not in ("Consensus", REFERRED):
			frappe.throw(
				_(
					"The session ended without consensus: hold a second consultation or escalate the topic instead of filing an outcome."
				)
			)
		# a new outcome also sees one committed by a simultaneous save (it waited in lock_session)
		other = existing_record(
			"Consultation Outcome", {"session": self.session}, exclude=self.name, committed=self.is_new()
		)
		if other:
			frappe.throw(_("The session already has the outcome {0}.").format(other))

	def validate_correction(self):
		"""§二(六): an unlawful outcome is corrected by cancelling and amending the filed outcome; the
		amendment states why, and the original is kept."""
		if self.amended_from and not (self.correction_reason or "").strip():
			frappe.throw(
				_("State the reason for correcting the filed outcome {0}.").format(self.amended_from)
			)

	def validate_dates(self):
		if (
			self.publicity_from
			and self.publicity_to
			and getdate(self.publicity_to) < getdate(self.publicity_from)
		):
			frappe.throw(_("Publicity cannot end before it starts."))
		if self.filed_with_party_on and getdate(self.filed_with_party_on) > getdate(nowdate()):
			frappe.throw(_("The filing with the Party organisation cannot be dated in the future."))
		if self.filed_with_committee_on and getdate(self.filed_with_committee_on) > getdate(nowdate()):
			frappe.throw(_("The filing with the committee cannot be dated in the future."))

	def validate_filing(self):
		"""§二(五)4: filing the outcome means filing it with both the village Party organisation and the
		villagers' (residents') committee; implementation needs a deadline (§二(六))."""
		if not (self.filed_with_party_on and self.filed_with_committee_on):
			frappe.throw(
				_(
					"File the outcome with both the Party organisation and the committee (enter both dates) before submitting it."
				),
				title=_("Filing incomplete"),
			)
		if not self.implementation_deadline:
			frappe.throw(_("Set the implementation deadline before filing the outcome."))

	def validate_publicity(self):
		"""§二(五)4: publicity starts only after both filings, lasts at least the minimum days, and
		every stakeholder of the topic has been notified."""
		if not self.publicity_from:
			return
		if not (self.filed_with_party_on and self.filed_with_committee_on):
			frappe.throw(
				_(
					"Publicity starts only after the outcome is filed with the Party organisation and the committee."
				)
			)
		filed = max(getdate(self.filed_with_party_on), getdate(self.filed_with_committee_on))
		if getdate(self.publicity_from) < filed:
			frappe.throw(_("Publicity cannot start before the outcome was filed ({0}).").format(filed))
		if not self.publicity_to:
			frappe.throw(_("Enter the last day of publicity."))
		min_days = cint(get_settings().min_publicity_days)
		if date_diff(self.publicity_to, self.publicity_from) + 1 < min_days:
			frappe.throw(
				_("Publicity lasts at least {0} days.").format(min_days), title=_("Publicity too short")
			)
		missing = self.unnotified_stakeholders()
		if missing or not self.stakeholders_notified_on:
			names = ", ".join(frappe.db.get_value("Stakeholder", s, "stakeholder_name") or s for s in missing)
			frappe.throw(
				_(
					"Notify every stakeholder of the topic before publicity starts. Not yet notified: {0}"
				).format(names or _("(record when they were notified)")),
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
		"""§二(六): progress is recorded on dated, published updates of 0–100%."""
		for row in self.progress:
			if not 0 <= flt(row.percent_complete) <= 100:
				frappe.throw(_("Row {0}: progress is between 0% and 100%.").format(row.idx))
			if not row.published_on:
				frappe.throw(
					_(
						"Row {0}: record when the progress was published (bulletin board, handbook or WeChat)."
					).format(row.idx)
				)
			if getdate(row.published_on) < getdate(row.update_on):
				frappe.throw(_("Row {0}: progress cannot be published before its date.").format(row.idx))
		if self.progress and self.docstatus == 0:
			frappe.throw(_("Progress is recorded after the outcome is filed."))

	def validate_meeting_decision(self):
		"""§二(一), 二(五)3: a matter whose route is the villagers' meeting or a legal procedure (or that a
		session referred to the meeting) is not closed by consultation alone: implementation starts
		only with the meeting's resolution or the legal-procedure reference."""
		if not self.progress or (self.meeting_decision_ref or "").strip():
			return
		route = frappe.db.get_value(
			"Consultation Category",
			frappe.db.get_value("Consultation Topic", self.topic, "category"),
			"decision_route",
		)
		if route in MEETING_ROUTES or self.session_info().result == REFERRED:
			frappe.throw(
				_(
					"This matter must be decided by the villagers' (representatives') meeting or by its legal procedure: enter the resolution or procedure reference before implementation starts."
				),
				title=_("Meeting decision required"),
			)

	def validate_completion(self):
		"""§二(六): a government-entrusted matter is reported back, and dissenters get an explanation,
		before the outcome counts as implemented."""
		if self.latest_percent() < 100:
			return
		if self.implementer_type == "Government Entrusted" and not self.reported_to_government_on:
			frappe.throw(
				_(
					"Report the result to the entrusting government or department (Reported to Government On) before marking the outcome implemented."
				)
			)
		votes_against = frappe.db.get_value("Consultation Session", self.session, "votes_against")
		if cint(votes_against) > 0 and not (self.dissent_explanation or "").strip():
			frappe.throw(
				_(
					"{0} participants voted against: record the explanation given to them before marking the outcome implemented."
				).format(cint(votes_against))
			)

	# ------------------------------------------------------------------ status

	def latest_percent(self) -> float:
		if not self.progress:
			return 0.0
		latest = max(self.progress, key=lambda r: (getdate(r.update_on), r.idx))
		return flt(latest.percent_complete)

	def set_status(self, update: bool = False):
		corrected = self.docstatus == 2 and bool(
			frappe.db.exists("Consultation Outcome", {"amended_from": self.name})
		)
		status = outcome_status(
			self.docstatus,
			self.latest_percent(),
			self.implementation_deadline,
			bool(self.progress),
			self.publicity_from,
			corrected,
		)
		if update and status != self.status:
			self.db_set("status", status, update_modified=False)
		self.status = status

	# ------------------------------------------------------------------ actions

	@frappe.whitelist()
	def notify_stakeholders(self):
		"""§二(五)4: notify every stakeholder of the topic of the filed outcome."""
		self.check_permission("write")
		if self.docstatus != 1:
			frappe.throw(_("File the outcome before notifying the stakeholders."))
		from community_consultation.notices import send_outcome_notice

		send_outcome_notice(self)
		self.save()
		return self.as_dict()


def update_outcome_statuses():
	"""Daily: outcomes whose status changes with the date (publicity starting, deadline passing)."""
	today = nowdate()
	names = frappe.get_all(
		"Consultation Outcome",
		filters={
			"docstatus": 1,
			"status": ("in", ("Filed", "Publicised", "In Implementation")),
		},
		or_filters={"implementation_deadline": ("<", today), "publicity_from": ("<=", today)},
		pluck="name",
	)
	for name in names:
		# one outcome failing leaves the others moving; the job's transaction commits at its end
		frappe.db.savepoint("outcome_status")
		try:
			doc = frappe.get_doc("Consultation Outcome", name)
			before = doc.status
			doc.set_status(update=True)
			if doc.status != before:
				update_topic_status(doc.topic)
				if doc.status == "Overdue":
					from community_consultation.notices import notify_overdue

					notify_overdue(doc)
		except Exception:
			frappe.db.rollback(save_point="outcome_status")
			frappe.log_error(
				title=_("Outcome status update failed"),
				reference_doctype="Consultation Outcome",
				reference_name=name,
			)


def on_doctype_update():
	frappe.db.add_index("Consultation Outcome", ["filed_on"])
	frappe.db.add_index("Consultation Outcome", ["community_unit", "status"])
	frappe.db.add_index("Consultation Outcome", ["status", "implementation_deadline"])
