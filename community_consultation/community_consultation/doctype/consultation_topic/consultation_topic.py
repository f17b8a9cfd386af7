# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _, _lt
from frappe.utils import escape_html, format_datetime, getdate, nowdate

from community_consultation.decision_bodies.authorisation import decides_sql
from community_consultation.decision_bodies.four_deliberations import validate_stages
from community_consultation.overrides.payload_guard import validate_field_types
from community_consultation.overrides.row_locking import ensure_series_row, existing_record, lock_row
from community_consultation.permissions import whitelist_action
from community_consultation.procedure.controller import ProcedureDocument
from community_consultation.procedure.lifecycle import LifeCycle, State
from community_consultation.procedure.online_proposals import after_topic_insert, before_topic_insert
from community_consultation.procedure.results import (
	CONSENSUS,
	NO_CONSENSUS,
	NOT_PASSED,
	REFERRED,
	sql_literal,
)
from community_consultation.procedure.text_policy import sanitize_rich_text
from community_consultation.units.tree import get_consultation_level


def _accepted_with(fact):
	"""A state of an accepted, saved topic that depends on its sessions, escalation or outcome."""
	return lambda doc: doc.review_decision == "Accepted" and not doc.is_new() and fact(doc)


_LAST_RESULT = """(select s.result from `tabConsultation Session` s where s.topic = {t}.name
	and s.docstatus = 1 order by s.round_no desc limit 1)"""


def _last_result_is(result: str) -> str:
	"""The SQL fact: the topic's last concluded session ended with `result`."""
	return _LAST_RESULT + " = " + sql_literal(result)


_OPEN_SESSION = (
	"exists(select 1 from `tabConsultation Session` s where s.topic = {t}.name and s.docstatus = 0)"
)
_FILED_OUTCOME = """exists(select 1 from `tabConsultation Outcome` o where o.topic = {t}.name
	and o.docstatus = 1"""


# the rules' errors, one per rule, so that a test or a client can tell which rule refused
class TopicInUseError(frappe.ValidationError):
	"""A topic with consultation sessions is kept."""


class CategoryDisabledError(frappe.ValidationError):
	"""A new topic takes an enabled category of the catalogue (§二(二))."""


class ReviewError(frappe.ValidationError):
	"""The Party organisation's review: dated, signed, with a reason to reject (§二(五)1)."""


class PartyConsentRequiredError(frappe.ValidationError):
	"""A category that needs the Party organisation's consent (§二(二)10)."""


class EscalationError(frappe.ValidationError):
	"""Only a building-level topic without consensus goes up (§二(一))."""


# §二(一): a concluded, quorate meeting entitled to decide the matter (art. 24: `authorisation.py`) voted
# it down (community_meeting.py)
_DECIDING_MEETING_ITEMS = """from `tabMeeting Agenda Item` mi join `tabCommunity Meeting` m
	on m.name = mi.parent and mi.parenttype = 'Community Meeting'
	where m.docstatus = 1 and m.quorate = 1 and """ + decides_sql("m", "mi.topic")
_NOT_ADOPTED = (
	"exists(select 1 "
	+ _DECIDING_MEETING_ITEMS
	+ f" and mi.topic = {{t}}.name and mi.result = {sql_literal(NOT_PASSED)})"
)

# §二(五), 二(六): a topic's states, judged in this order (community_consultation/procedure/lifecycle.py).
# What each allows: a new session only while accepted and unsettled (§二(五)1, 3); a referral to the
# township only before the village settled it or passed it on (§三(二)); the proposer's stage (三(二)).
LIFE_CYCLE = LifeCycle(
	"Consultation Topic",
	(
		State(
			"Rejected",
			lambda doc: doc.review_decision == "Rejected",
			"{t}.review_decision = 'Rejected'",
			_lt("the Party organisation's review has not rejected the topic"),
			milestone=2,
			colour="red",
			resident_stage="Not Accepted",
		),
		State(
			"Draft",
			lambda doc: doc.review_decision != "Accepted",
			"ifnull({t}.review_decision, '') not in ('Accepted', 'Rejected')",
			colour="gray",
			referable=True,
			resident_stage="Received",
		),
		State(
			"Escalated",
			_accepted_with(lambda doc: bool(doc.escalated_topic())),
			"exists(select 1 from `tabConsultation Topic` e where e.escalated_from = {t}.name)",
			colour="yellow",
			resident_stage="In Consultation",
		),
		State(
			"Not Adopted",
			_accepted_with(lambda doc: NOT_PASSED in doc.meeting_results()),
			_NOT_ADOPTED,
			colour="red",
			resident_stage="Not Adopted",
		),
		State(
			"Closed",
			_accepted_with(
				lambda doc: doc.outcome_statuses() and all(s == "Implemented" for s in doc.outcome_statuses())
			),
			_FILED_OUTCOME + ") and not " + _FILED_OUTCOME + " and o.status != 'Implemented')",
			colour="green",
			resident_stage="Closed",
		),
		State(
			"Agreed",
			_accepted_with(
				lambda doc: (
					bool(doc.outcome_statuses())
					or (not doc.has_open_session() and doc.last_result() == CONSENSUS)
				)
			),
			_FILED_OUTCOME + ") or (not " + _OPEN_SESSION + " and " + _last_result_is(CONSENSUS) + ")",
			colour="cyan",
			resident_stage="Agreed",
		),
		State(
			"In Consultation",
			_accepted_with(lambda doc: doc.has_open_session()),
			_OPEN_SESSION,
			colour="purple",
			# a new session is refused by the round order while this one is under way (§二(五)3); a
			# topic is referred with no session under way (§三(二))
			takes_sessions=True,
			open=True,
			resident_stage="In Consultation",
		),
		State(
			"Awaiting Second Round",
			_accepted_with(lambda doc: doc.last_result() == NO_CONSENSUS),
			_last_result_is(NO_CONSENSUS),
			colour="orange",
			takes_sessions=True,
			referable=True,
			open=True,
			resident_stage="In Consultation",
		),
		State(
			"Referred",
			_accepted_with(lambda doc: doc.last_result() == REFERRED),
			_last_result_is(REFERRED),
			colour="yellow",
			open=True,
			resident_stage="In Consultation",
		),
		State(
			"Accepted",
			lambda doc: doc.review_decision == "Accepted",
			"{t}.review_decision = 'Accepted'",
			_lt("the Party organisation's review has not accepted the topic"),
			milestone=2,
			colour="blue",
			takes_sessions=True,
			referable=True,
			open=True,
			resident_stage="Accepted",
		),
	),
	base_states=("Draft", "Party Review"),
)


class ConsultationTopic(ProcedureDocument):
	"""A consultation topic (协商议题), §二(五)1. Saving it runs `controller.ProcedureDocument`'s order:
	payload and procedure facts, unit, `validate_rules`, the status from `LIFE_CYCLE` and the workflow
	state; after the write `after_update`."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from community_consultation.community_consultation.doctype.consultation_topic_stakeholder.consultation_topic_stakeholder import (
			ConsultationTopicStakeholder,
		)
		from community_consultation.community_consultation.doctype.four_deliberations_stage.four_deliberations_stage import (
			FourDeliberationsStage,
		)

		category: DF.Link
		community_unit: DF.Link
		decision_route: DF.Literal["", "Consultation", "Villagers' Meeting", "Legal Procedure"]
		description: DF.TextEditor
		escalated_from: DF.Link | None
		escalation_record: DF.TextEditor | None
		four_deliberations: DF.Table[FourDeliberationsStage]
		four_deliberations_follow: DF.Check
		level: DF.Literal["Community", "Building"]
		naming_series: DF.Literal["TOP-.YYYY.-.#####"]
		participants: DF.Table[ConsultationTopicStakeholder]
		party_consent_on: DF.Date | None
		proposed_on: DF.Date | None
		proposer: DF.Link | None
		rejection_reason: DF.SmallText | None
		requires_party_consent: DF.Check
		review_decision: DF.Literal["", "Accepted", "Rejected"]
		reviewed_by: DF.Link | None
		reviewed_on: DF.Date | None
		source_channel: DF.Literal[
			"Visiting Residents",
			"Speaking for the Masses",
			"Council Member Proposal",
			"Online Submission",
			"Government Entrustment",
			"Stakeholder Proposal",
			"Escalation",
		]
		status: DF.Literal[
			"Draft",
			"Accepted",
			"Rejected",
			"In Consultation",
			"Awaiting Second Round",
			"Escalated",
			"Referred",
			"Agreed",
			"Not Adopted",
			"Closed",
		]
		title: DF.Data
		workflow_state: DF.Link | None
	# end: auto-generated types

	LIFE_CYCLE = LIFE_CYCLE
	PROCEDURE_FACTS = {
		"escalated_from": _lt("the escalation of a building-level topic"),
		"escalation_record": _lt("the escalation of a building-level topic"),
		"review_decision": _lt("the Party organisation's review"),
		"reviewed_on": _lt("the Party organisation's review"),
		"reviewed_by": _lt("the Party organisation's review"),
	}

	def before_insert(self):
		ensure_series_row(self)
		before_topic_insert(self)

	def validate_rules(self):
		self.level = get_consultation_level(self.community_unit)
		self.validate_category_enabled()
		self.validate_unique_participants()
		self.validate_review()
		self.validate_party_consent()
		self.validate_four_deliberations()

	def after_insert(self):
		after_topic_insert(self)

	def after_update(self):
		self.update_status()

	def on_trash(self):
		if frappe.db.exists("Consultation Session", {"topic": self.name, "docstatus": ("<", 2)}):
			frappe.throw(_("A topic that has consultation sessions cannot be deleted."), TopicInUseError)

	def validate_category_enabled(self):
		if self.is_new() and not frappe.db.get_value("Consultation Category", self.category, "enabled"):
			frappe.throw(
				_("The category {0} is disabled.").format(frappe.bold(self.category)), CategoryDisabledError
			)

	def validate_review(self):
		"""§二(五)1: the Party organisation reviews the topic; the review is dated and signed."""
		if self.review_decision == "Rejected" and not (self.rejection_reason or "").strip():
			frappe.throw(_("Give the reason for rejecting the topic."), ReviewError)
		before = self.get_doc_before_save()
		changed = before is None or before.review_decision != self.review_decision
		if not changed:
			return
		if before and before.review_decision == "Accepted" and self.has_sessions():
			frappe.throw(
				_("The topic already has consultation sessions: its review can no longer change."),
				ReviewError,
			)
		if self.review_decision:
			self.reviewed_on = nowdate()
			self.reviewed_by = frappe.session.user
		else:
			self.reviewed_on = self.reviewed_by = None

	def validate_party_consent(self):
		"""§二(二)10: a topic whose category requires the consent of the village Party organisation
		cannot be accepted without the date of that consent."""
		if self.review_decision != "Accepted":
			return
		requires = frappe.db.get_value("Consultation Category", self.category, "requires_party_consent")
		if requires and not self.party_consent_on:
			frappe.throw(
				_(
					"The category {0} needs the consent of the village Party organisation: enter Party Consent On before accepting the topic."
				).format(frappe.bold(self.category)),
				PartyConsentRequiredError,
				title=_("Party consent required"),
			)
		if self.party_consent_on and getdate(self.party_consent_on) > getdate(nowdate()):
			frappe.throw(_("Party Consent On cannot be in the future."), PartyConsentRequiredError)

	def validate_four_deliberations(self):
		"""四议两公开 (Organic Law art. 24 matters): the stages in order, none skipped, each proven by its
		record (`community_consultation.decision_bodies.four_deliberations`)."""
		validate_stages(self)

	def has_sessions(self):
		return bool(frappe.db.exists("Consultation Session", {"topic": self.name, "docstatus": ("<", 2)}))

	# ------------------------------------------------------------------ the facts of LIFE_CYCLE

	def escalated_topic(self) -> str | None:
		return frappe.db.exists("Consultation Topic", {"escalated_from": self.name})

	def meeting_results(self) -> list[str]:
		"""The results of the votes on the topic of the concluded, quorate meetings entitled to decide it."""
		return frappe.db.sql_list(
			"select mi.result " + _DECIDING_MEETING_ITEMS + " and mi.topic = %s", self.name
		)

	def outcome_statuses(self) -> list[str]:
		return frappe.get_all("Consultation Outcome", {"topic": self.name, "docstatus": 1}, pluck="status")

	def has_open_session(self) -> bool:
		return bool(frappe.db.exists("Consultation Session", {"topic": self.name, "docstatus": 0}))

	def last_result(self) -> str | None:
		last = get_last_concluded_session(self.name)
		return last.result if last else None

	def update_status(self):
		"""After a session or outcome of the topic changed: store the status its facts now give."""
		self.set_status(update=True)

	@whitelist_action
	def accept(self, party_consent_on: str | None = None):
		"""The Party organisation's review accepts the topic."""
		self.check_permission("write")
		if party_consent_on:
			self.party_consent_on = party_consent_on
		self.review_decision = "Accepted"
		with self.procedure_writes("review_decision"):
			self.save()
		return self.status

	@whitelist_action
	def reject(self, reason: str):
		"""The Party organisation's review rejects the topic, with its reason."""
		self.check_permission("write")
		self.review_decision = "Rejected"
		self.rejection_reason = reason
		with self.procedure_writes("review_decision"):
			self.save()
		return self.status

	@whitelist_action
	def escalate(self) -> str:
		"""§二(一): a building-level topic that reached no agreement goes up to community-level
		consultation, as a new topic of the village or community above, linked by `escalated_from` and
		carrying the earlier rounds' minutes and votes. Calling it again returns the same topic."""
		self.check_permission("write")
		# two clicks at once give one escalated topic: the second waits for the first here, then sees it
		lock_row("Consultation Topic", self.name)
		existing = existing_record("Consultation Topic", {"escalated_from": self.name})
		if existing:
			return existing
		if self.level != "Building":
			frappe.throw(
				_("Only a building-level topic is escalated to community-level consultation."),
				EscalationError,
			)
		last = get_last_concluded_session(self.name)
		if not last or last.result != NO_CONSENSUS:
			frappe.throw(
				_(
					"A building-level topic is escalated only after a concluded session ended without consensus."
				),
				EscalationError,
			)
		parent_unit = frappe.db.get_value("Community Unit", self.community_unit, "parent_community_unit")
		# the building head may not write in the village: the escalation itself is the authority
		topic = self.taken_up_at(parent_unit, self.get_rounds_record(), ignore_permissions=True)
		self.update_status()
		return topic.name

	def taken_up_at(self, unit: str, record: str, ignore_permissions: bool = False) -> "ConsultationTopic":
		"""§二(一), §三(二): the matter taken up by the unit above (the village above a building, the
		township a village referred it to) is a new Escalation topic of `unit` with this topic's matter,
		proposer and participants, linked by `escalated_from` and carrying `record` (the earlier rounds)."""
		topic = frappe.get_doc(
			{
				"doctype": "Consultation Topic",
				"title": self.title,
				"description": self.description,
				"category": self.category,
				"community_unit": unit,
				"source_channel": "Escalation",
				"proposer": self.proposer,
				"proposed_on": nowdate(),
				"escalated_from": self.name,
				"escalation_record": record,
				"participants": [
					{"stakeholder": p.stakeholder, "interest": p.interest} for p in self.participants
				],
			}
		)
		topic.allow_procedure_facts("escalated_from", "escalation_record")
		return topic.insert(ignore_permissions=ignore_permissions)

	def get_rounds_record(self) -> str:
		"""The earlier rounds' minutes and votes, as HTML kept on the escalated topic."""
		sessions = frappe.get_all(
			"Consultation Session",
			filters={"topic": self.name, "docstatus": 1},
			fields=[
				"name",
				"round_no",
				"starts_on",
				"venue",
				"attendees",
				"votes_for",
				"votes_against",
				"votes_abstain",
				"result",
				"consultation_opinion",
				"minutes",
			],
			order_by="round_no asc",
		)
		parts = []
		for s in sessions:
			parts.append(
				"<h4>{}</h4><p>{}</p><p>{}</p><p>{}</p><div>{}</div>".format(
					escape_html(_("Round {0}: {1}").format(s.round_no, s.name)),
					escape_html(
						_("{0}, {1}").format(format_datetime(s.starts_on, "yyyy-MM-dd HH:mm"), s.venue or "")
					),
					escape_html(
						_("Attendees {0}; for {1}, against {2}, abstaining {3}; result: {4}").format(
							s.attendees, s.votes_for, s.votes_against, s.votes_abstain, _(s.result)
						)
					),
					escape_html(s.consultation_opinion or ""),
					sanitize_rich_text(s.minutes),
				)
			)
		return "".join(parts)


def get_last_concluded_session(topic: str):
	rows = frappe.get_all(
		"Consultation Session",
		filters={"topic": topic, "docstatus": 1},
		fields=["name", "round_no", "result", "votes_against"],
		order_by="round_no desc",
		limit=1,
	)
	return rows[0] if rows else None


def update_topic_status(topic: str | None):
	if topic and frappe.db.exists("Consultation Topic", topic):
		frappe.get_doc("Consultation Topic", topic).update_status()


def on_doctype_update():
	frappe.db.add_index("Consultation Topic", ["proposed_on"])
	frappe.db.add_index("Consultation Topic", ["community_unit", "status"])
	frappe.db.add_index("Consultation Topic", ["community_unit", "creation"])
