# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _, _lt
from frappe.utils import cint, flt, get_datetime, now_datetime, time_diff_in_hours

from community_consultation.community_consultation.doctype.consultation_settings.consultation_settings import (
	get_settings,
)
from community_consultation.community_consultation.doctype.consultation_topic.consultation_topic import (
	LIFE_CYCLE as TOPIC_LIFE_CYCLE,
)
from community_consultation.community_consultation.doctype.consultation_topic.consultation_topic import (
	update_topic_status,
)
from community_consultation.notices.delivery import send_session_notice
from community_consultation.overrides.payload_guard import validate_field_types
from community_consultation.overrides.row_locking import ensure_series_row, existing_record, lock_row
from community_consultation.permissions import whitelist_action
from community_consultation.procedure.controller import ProcedureDocument
from community_consultation.procedure.lifecycle import LifeCycle, State
from community_consultation.procedure.results import CONSENSUS, NO_CONSENSUS, REFERRED

MAX_TEXT = 65000


# the rules' errors, one per rule, so that a test or a client can tell which rule refused
class TopicNotOpenError(frappe.ValidationError):
	"""Only an accepted, open topic is consulted on (§二(五)1)."""


class RoundOrderError(frappe.ValidationError):
	"""A second consultation follows a round without consensus (§二(五)3)."""


class SessionDatesError(frappe.ValidationError):
	"""The session's dates and texts are consistent."""


class SessionRolesError(frappe.ValidationError):
	"""One convener and at least one proposer (§二(五)3)."""


class VoteCountError(frappe.ValidationError):
	"""Votes are not negative and do not exceed the attendees (§二(五)3)."""


class ResultNotAllowedError(frappe.ValidationError):
	"""The result the votes and the topic's level allow (§二(五)3, 二(一))."""


class NoticeError(frappe.ValidationError):
	"""The notice is published in time, through a channel, to everyone (§二(五)2)."""


class SessionRecordIncompleteError(frappe.ValidationError):
	"""The four steps, the vote and the minutes are recorded (§二(五)3)."""


class SessionInUseError(frappe.ValidationError):
	"""A session with an outcome or a later round is kept."""


# §二(五)2–3: a session's states, judged in this order (community_consultation/procedure/lifecycle.py)
LIFE_CYCLE = LifeCycle(
	"Consultation Session",
	(
		State("Cancelled", lambda doc: doc.docstatus == 2, "{t}.docstatus = 2", colour="red"),
		State(
			"Concluded",
			lambda doc: doc.docstatus == 1,
			"{t}.docstatus = 1",
			_lt("the session has not been concluded (submitted)"),
			milestone=3,
			colour="green",
		),
		State(
			"Held",
			lambda doc: bool(doc.result),
			"{t}.docstatus = 0 and ifnull({t}.result, '') != ''",
			_lt("the vote and its result have not been recorded"),
			milestone=2,
			colour="purple",
		),
		State(
			"Notice Published",
			lambda doc: bool(doc.notice_published_on),
			"{t}.docstatus = 0 and {t}.notice_published_on is not null",
			_lt("the notice has not been published"),
			milestone=1,
			action="set_notice_published",
			colour="blue",
		),
		State("Draft", lambda doc: True, "{t}.docstatus = 0"),
	),
)


class ConsultationSession(ProcedureDocument):
	"""A consultation session (协商会议), §二(五)2–3. Saving it runs `controller.ProcedureDocument`'s
	order: payload and procedure facts, unit, `validate_rules`, the status from `LIFE_CYCLE` and the
	workflow state; `before_submit` concludes it; after the write `after_update` tells the
	participants of a notice just published and updates the topic."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from community_consultation.community_consultation.doctype.consultation_material.consultation_material import (
			ConsultationMaterial,
		)
		from community_consultation.community_consultation.doctype.consultation_participant.consultation_participant import (
			ConsultationParticipant,
		)
		from community_consultation.community_consultation.doctype.session_notice_channel.session_notice_channel import (
			SessionNoticeChannel,
		)

		amended_from: DF.Link | None
		attendees: DF.Int
		community_unit: DF.Link | None
		concluded_by: DF.Link | None
		concluded_on: DF.Datetime | None
		consultation_form: DF.Link
		consultation_opinion: DF.Text | None
		convener_statement: DF.Text | None
		discussion: DF.Text | None
		ends_on: DF.Datetime | None
		level: DF.Literal["", "Community", "Building"]
		materials: DF.Table[ConsultationMaterial]
		minutes: DF.TextEditor | None
		naming_series: DF.Literal["SES-.YYYY.-.#####"]
		notice_channels: DF.TableMultiSelect[SessionNoticeChannel]
		notice_published_on: DF.Datetime | None
		organiser: DF.Data | None
		participants: DF.Table[ConsultationParticipant]
		proposer_statement: DF.Text | None
		recorder: DF.Data | None
		result: DF.Literal["", "Consensus", "No Consensus", "Referred to Villagers' Meeting"]
		round_no: DF.Int
		rules_of_procedure: DF.TextEditor
		starts_on: DF.Datetime
		status: DF.Literal["Draft", "Notice Published", "Held", "Concluded", "Cancelled"]
		topic: DF.Link
		topic_title: DF.Data | None
		venue: DF.Data
		vote_method: DF.Literal["", "Show of Hands", "Ballot"]
		votes_abstain: DF.Int
		votes_against: DF.Int
		votes_for: DF.Int
		workflow_state: DF.Link | None
	# end: auto-generated types

	LIFE_CYCLE = LIFE_CYCLE
	PROCEDURE_FACTS = {
		"concluded_by": _lt("the conclusion of the session"),
		"concluded_on": _lt("the conclusion of the session"),
	}

	def before_insert(self):
		ensure_series_row(self)

	def validate_rules(self):
		self.validate_topic_open()
		self.validate_topic_not_with_township()
		self.set_round_no()
		self.validate_round()
		self.validate_dates()
		self.validate_participants()
		self.attendees = sum(1 for p in self.participants if cint(p.attended))
		self.validate_votes()
		self.validate_result()

	def before_submit(self):
		self.validate_notice()
		self.validate_roles(required=True)
		self.validate_record_complete()
		self.concluded_by = frappe.session.user
		self.concluded_on = now_datetime()

	def before_cancel(self):
		self.validate_nothing_built_on()

	def after_update(self):
		self.notify_participants_of_new_notice()
		update_topic_status(self.topic)

	def after_submit(self):
		update_topic_status(self.topic)

	def after_cancel(self):
		self.set_status(update=True)
		update_topic_status(self.topic)

	def after_delete(self):
		update_topic_status(self.topic)

	# ------------------------------------------------------------------ rules

	def validate_topic_open(self):
		"""§二(五)1, 3: only an accepted topic is consulted on, and only in a state of its life-cycle table
		that takes sessions (not once it is escalated, referred, agreed or voted down)."""
		topic = frappe.db.get_value(
			"Consultation Topic", self.topic, ["status", "review_decision", "community_unit"], as_dict=True
		)
		if not topic:
			frappe.throw(_("Topic {0} does not exist.").format(self.topic), TopicNotOpenError)
		if topic.review_decision != "Accepted":
			frappe.throw(
				_("The topic has not been accepted by the Party organisation's review yet."),
				TopicNotOpenError,
			)
		if self.is_new() and topic.status not in TOPIC_LIFE_CYCLE.names(takes_sessions=True):
			frappe.throw(
				_("The topic is {0}: it takes no further consultation session.").format(_(topic.status)),
				TopicNotOpenError,
			)
		self.community_unit = topic.community_unit

	def validate_topic_not_with_township(self):
		"""§三(二): a topic the village referred to the township waits for the township's decision."""
		from community_consultation.township.doctype.township_referral.township_referral import (
			TopicWithTownshipError,
			awaiting_township,
		)

		referral = awaiting_township(self.topic) if self.is_new() else None
		if referral:
			frappe.throw(
				_("The topic is referred to the township ({0}) and waits for its decision.").format(
					frappe.bold(referral)
				),
				TopicWithTownshipError,
			)

	def set_round_no(self):
		if cint(self.round_no):
			return
		last = frappe.db.sql(
			"""select max(round_no) from `tabConsultation Session`
			where topic=%s and docstatus < 2 and name != %s""",
			(self.topic, self.name or ""),
		)[0][0]
		self.round_no = cint(last) + 1

	def validate_round(self):
		"""§二(五)3: a round n > 1 (second consultation) follows a round n−1 that ended without
		consensus; after the last allowed round the topic can only be referred to the villagers' meeting."""
		n = cint(self.round_no)
		if n < 1:
			frappe.throw(_("The round number starts at 1."), RoundOrderError)
		if frappe.db.exists(
			"Consultation Session",
			{"topic": self.topic, "round_no": n, "docstatus": ("<", 2), "name": ("!=", self.name or "")},
		):
			frappe.throw(_("Round {0} of this topic already exists.").format(n), RoundOrderError)
		max_rounds = cint(get_settings().max_rounds)
		if n > max_rounds:
			frappe.throw(
				_(
					"After {0} rounds without consensus the topic can only be referred to the villagers' (representatives') meeting."
				).format(max_rounds),
				RoundOrderError,
				title=_("No further round"),
			)
		if n > 1:
			previous = frappe.db.get_value(
				"Consultation Session",
				{"topic": self.topic, "round_no": n - 1, "docstatus": 1},
				"result",
			)
			if previous != NO_CONSENSUS:
				frappe.throw(
					_(
						"Round {0} can only be held after round {1} has been concluded without consensus."
					).format(n, n - 1),
					RoundOrderError,
				)

	def validate_dates(self):
		if self.ends_on and get_datetime(self.ends_on) < get_datetime(self.starts_on):
			frappe.throw(_("The session cannot end before it starts."), SessionDatesError)
		if self.notice_published_on and get_datetime(self.notice_published_on) > get_datetime(self.starts_on):
			frappe.throw(_("The notice must be published before the session starts."), SessionDatesError)
		for field in (
			"minutes",
			"rules_of_procedure",
			"discussion",
			"convener_statement",
			"proposer_statement",
		):
			if len(self.get(field) or "") > MAX_TEXT:
				frappe.throw(_("{0} is too long.").format(_(self.meta.get_label(field))), SessionDatesError)

	def validate_participants(self):
		self.validate_unique_participants()
		self.validate_roles(required=bool(self.notice_published_on))

	def validate_roles(self, required: bool):
		"""§二(五)3: a session has exactly one convener and at least one proposer.

		Checked while participants are being added only for "more than one convener"; from the
		notice on (and at conclusion) both conditions must hold."""
		conveners = [p for p in self.participants if p.participant_role == "Convener"]
		proposers = [p for p in self.participants if p.participant_role == "Proposer"]
		if len(conveners) > 1:
			frappe.throw(
				_("A session has exactly one convener; {0} are listed.").format(len(conveners)),
				SessionRolesError,
			)
		if required and len(conveners) != 1:
			frappe.throw(
				_("A session has exactly one convener: mark one participant as Convener."), SessionRolesError
			)
		if required and not proposers:
			frappe.throw(
				_("A session has at least one proposer: mark the topic's proposer as Proposer."),
				SessionRolesError,
			)

	def validate_votes(self):
		"""§二(五)3: vote counts are non-negative and together do not exceed the attendees."""
		counts = (self.votes_for, self.votes_against, self.votes_abstain)
		if any(cint(c) < 0 for c in counts):
			frappe.throw(_("Vote counts cannot be negative."), VoteCountError)
		if sum(cint(c) for c in counts) > cint(self.attendees):
			frappe.throw(
				_("{0} votes were counted but only {1} participants attended.").format(
					sum(cint(c) for c in counts), cint(self.attendees)
				),
				VoteCountError,
			)

	def validate_result(self):
		"""§二(五)3: the result is Consensus only when the votes for reach the threshold; after the last
		allowed round without consensus only referral remains; building-level disagreement is escalated."""
		if not self.result:
			return
		threshold = flt(get_settings().consensus_threshold)
		reached = cint(self.attendees) > 0 and flt(self.votes_for) * 100 >= threshold * cint(self.attendees)
		if self.result == CONSENSUS and not reached:
			frappe.throw(
				_("Consensus needs at least {0}% of the {1} attendees voting for; {2} voted for.").format(
					threshold, cint(self.attendees), cint(self.votes_for)
				),
				ResultNotAllowedError,
				title=_("No basic consensus"),
			)
		level = frappe.db.get_value("Consultation Topic", self.topic, "level")
		if self.result == REFERRED and level == "Building":
			frappe.throw(
				_(
					"A building-level topic without agreement is escalated to community-level consultation, not referred to the villagers' meeting."
				),
				ResultNotAllowedError,
			)
		if (
			self.result == NO_CONSENSUS
			and level != "Building"
			and cint(self.round_no) >= cint(get_settings().max_rounds)
		):
			frappe.throw(
				_(
					"Round {0} is the last allowed round: without consensus the topic must be referred to the villagers' (representatives') meeting."
				).format(self.round_no),
				ResultNotAllowedError,
				title=_("Refer the topic"),
			)

	def validate_notice(self):
		"""§二(五)2: the notice is published at least the lead time before the session, through at
		least one channel, and every participant has been notified."""
		if not self.notice_published_on:
			frappe.throw(_("Publish the session notice before concluding the session."), NoticeError)
		lead = cint(get_settings().notice_lead_time_hours)
		if time_diff_in_hours(self.starts_on, self.notice_published_on) < lead:
			frappe.throw(
				_("The notice must be published at least {0} hours before the session starts.").format(lead),
				NoticeError,
				title=_("Notice too late"),
			)
		if not self.notice_channels:
			frappe.throw(
				_("Record at least one channel through which the notice was published."), NoticeError
			)
		if not self.participants:
			frappe.throw(_("A session needs its participants."), NoticeError)
		missing = [p.stakeholder_name or p.stakeholder for p in self.participants if not p.notified_on]
		if missing:
			frappe.throw(
				_("These participants have not been notified: {0}").format(", ".join(missing)),
				NoticeError,
				title=_("Participants not notified"),
			)

	def validate_record_complete(self):
		"""§二(五)3: a concluded session has its four steps, the vote and the minutes recorded."""
		labels = []
		for field in (
			"convener_statement",
			"proposer_statement",
			"discussion",
			"vote_method",
			"result",
			"consultation_opinion",
			"minutes",
		):
			if not frappe.utils.strip_html(self.get(field) or "").strip():
				labels.append(_(self.meta.get_label(field)))
		if labels:
			frappe.throw(
				_("Record these before concluding the session: {0}").format(", ".join(labels)),
				SessionRecordIncompleteError,
				title=_("Session record incomplete"),
			)

	def validate_nothing_built_on(self):
		if frappe.db.exists("Consultation Outcome", {"session": self.name, "docstatus": ("<", 2)}):
			frappe.throw(_("Cancel the outcome built on this session first."), SessionInUseError)
		if frappe.db.exists(
			"Consultation Session",
			{"topic": self.topic, "round_no": (">", cint(self.round_no)), "docstatus": ("<", 2)},
		):
			frappe.throw(_("A later round of this topic exists; cancel it first."), SessionInUseError)

	# ------------------------------------------------------------------ actions

	@whitelist_action
	def publish_notice(self, channels: list[str] | str | None = None):
		"""§二(五)2: publish the notice now through the given channels; the participants are told once
		the save has passed every rule (`notify_participants_of_new_notice`)."""
		self.check_permission("write")
		if self.docstatus != 0:
			frappe.throw(_("The session is already concluded."), NoticeError)
		if isinstance(channels, str):
			channels = frappe.parse_json(channels) if channels.startswith("[") else [channels]
		if not isinstance(channels, list | tuple | None):
			frappe.throw(_("Choose at least one channel for the notice."), NoticeError)
		for channel in channels or []:
			if not isinstance(channel, str) or not frappe.db.exists("Notice Channel", channel):
				frappe.throw(_("Unknown notice channel {0}").format(frappe.bold(str(channel))), NoticeError)
			if channel not in [c.channel for c in self.notice_channels]:
				self.append("notice_channels", {"channel": channel})
		self.set_notice_published()
		self.save()
		return self.as_dict()

	def set_notice_published(self):
		"""The one implementation of publishing the notice (the button, the REST method and the
		workflow's Publish Notice): now, through the channels chosen on the session."""
		if not self.notice_channels:
			frappe.throw(
				_("Choose the notice channels on the session before publishing its notice."),
				NoticeError,
				title=_("Not yet"),
			)
		self.notice_published_on = now_datetime()
		self.validate_dates()
		self.validate_roles(required=True)
		# this document is publishing its notice now: it tells the participants after the save
		self._publishing_notice = True

	def notify_participants_of_new_notice(self):
		"""After a save that published (or published again) the notice (`set_notice_published`):
		§二(五)2, every participant not yet reached is told, and who was reached is stored on their row.
		A record saved with a notice date of its own (one published on paper) sends nothing."""
		if not self.__dict__.pop("_publishing_notice", False):
			return
		send_session_notice(self)
		for row in self.participants:
			if row.notified_on:
				row.db_update()

	@whitelist_action
	def make_outcome(self) -> str:
		"""Start the outcome of this concluded session; a second call returns the same outcome."""
		self.check_permission("read")
		frappe.has_permission("Consultation Outcome", "create", throw=True)
		# two clicks at once give one outcome: the second waits for the first here, then sees its outcome
		lock_row("Consultation Session", self.name)
		existing = existing_record("Consultation Outcome", {"session": self.name})
		if existing:
			return existing
		outcome = frappe.get_doc(
			{
				"doctype": "Consultation Outcome",
				"session": self.name,
				"decision": self.consultation_opinion,
				"implementer_type": "Village",
				"implementer": frappe.db.get_value("Community Unit", self.community_unit, "committee_name")
				or self.community_unit,
			}
		)
		outcome.flags.ignore_mandatory = True
		outcome.insert()
		return outcome.name


def on_doctype_update():
	frappe.db.add_index("Consultation Session", ["topic", "round_no"])
	frappe.db.add_index("Consultation Session", ["community_unit", "starts_on"])
