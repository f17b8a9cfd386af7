# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

"""A meeting of the village or community that decides by law (§二(一), 二(五)3).

The work plan sends two kinds of matter to it: what the law reserves to the villagers' (residents')
meeting, which "must be discussed and decided by it, and carried out only once passed" (§二(一)), and
what consultation cannot settle (§二(五)3). Its rules come from the Organic Law of the Villagers'
Committees (2018 text: art. 21 notice, art. 22 quorum and majority, art. 24 reserved matters and the
authorisation of the representatives' meeting, art. 26 the representatives' meeting, art. 28 the group
meeting) and the Urban Residents' Committees Organic Law (the residents' meeting). The figures are not
here: they are the `Meeting Rule` in force on the meeting's date and the `Meeting Basis` of its unit,
both dated data; the meeting keeps which it applied.

Saving it runs `controller.ProcedureDocument`'s order (payload and procedure facts, unit,
`validate_rules`, the status from `LIFE_CYCLE`); `before_submit` concludes it, and a concluded meeting
is locked: it is corrected by cancel and amend, with the reason."""

import frappe
from frappe import _, _lt
from frappe.utils import cint, date_diff, get_datetime, getdate, now, now_datetime

from community_consultation.community_consultation.doctype.consultation_topic.consultation_topic import (
	update_topic_status,
)
from community_consultation.decision_bodies.authorisation import AUTHORISED_BY, authorised, decides_sql
from community_consultation.decision_bodies.doctype.meeting_basis.meeting_basis import basis_in_force
from community_consultation.decision_bodies.doctype.meeting_rule.meeting_rule import (
	reaches,
	rule_in_force,
)
from community_consultation.decision_bodies.register import (
	ADULT_SQL,
	adult_values,
	register_basis,
	register_members,
)
from community_consultation.overrides.row_locking import ensure_series_row, lock_row, own_connection
from community_consultation.permissions import whitelist_action
from community_consultation.procedure.controller import ProcedureDocument
from community_consultation.procedure.lifecycle import LifeCycle, State, correction_states
from community_consultation.procedure.results import NOT_DECIDED, NOT_PASSED, PASSED, sql_literal
from community_consultation.setup.roles import SUPERVISION_COMMITTEE_MEMBER

VILLAGERS_MEETING = "Villagers' Meeting"
VILLAGERS_REPRESENTATIVES = "Villagers' Representatives' Meeting"
VILLAGERS_GROUP = "Villagers' Group Meeting"
RESIDENTS_MEETING = "Residents' Meeting"
RESIDENTS_REPRESENTATIVES = "Residents' Representatives' Meeting"

# the unit each kind of meeting is held in
KIND_UNIT_TYPES = {
	VILLAGERS_MEETING: "Village",
	VILLAGERS_REPRESENTATIVES: "Village",
	VILLAGERS_GROUP: "Villager Group",
	RESIDENTS_MEETING: "Community",
	RESIDENTS_REPRESENTATIVES: "Community",
}
# which attendance rows count towards each basis of the quorum
BASIS_ATTENDANCE = {
	"adults": ("Villager", "Household Representative"),
	"households": ("Household Representative",),
	"members": ("Representative",),
}


def count_of(basis: str, present: int, total: int) -> str:
	""" "412 of 1,030 adults": those present on a basis of the quorum, in the reader's language."""
	present, total = f"{cint(present):,}", f"{cint(total):,}"
	if basis == "adults":
		return _("{0} of {1} adults").format(present, total)
	if basis == "households":
		return _("{0} of {1} households").format(present, total)
	return _("{0} of {1} representatives").format(present, total)


def quorum_counts(meeting) -> list[str]:
	"""The quorum as the meeting's rule counts it ("412 of 1,030 adults", "51 of 290 households"), from
	its stored figures, in the language of whoever reads it: never stored as text."""
	if not meeting.get("meeting_rule"):
		return []
	rule = frappe.get_cached_doc("Meeting Rule", meeting.meeting_rule)
	present = {
		"adults": meeting.get("adults_present"),
		"households": meeting.get("households_present"),
		"members": meeting.get("members_present"),
	}
	total = {
		"adults": meeting.get("basis_adults"),
		"households": meeting.get("basis_households"),
		"members": meeting.get("basis_members"),
	}
	return [count_of(b, present[b], total[b]) for b in BASIS_ATTENDANCE if rule.threshold(b)]


def quorum_summary(meeting) -> str:
	"""`quorum_counts` as one line: "412 of 1,030 adults, 51 of 290 households"."""
	parts = quorum_counts(meeting)
	line = parts[0] if parts else ""
	for part in parts[1:]:
		line = _("{0}, {1}").format(line, part)
	return line


class MeetingKindUnitError(frappe.ValidationError):
	"""A kind of meeting held in a unit that holds no such meeting."""


class NoMeetingRuleError(frappe.ValidationError):
	"""No rule for the kind of meeting is in force on its date."""


class NoMeetingBasisError(frappe.ValidationError):
	"""The unit has no quorum basis dated on or before the meeting."""


class NoticePeriodError(frappe.ValidationError):
	"""The meeting is held before its notice period ended (art. 21), or without notice."""


class AttendanceExceedsBasisError(frappe.ValidationError):
	"""More present than the basis counts (adults, households, representatives)."""


class AttendanceRecordError(frappe.ValidationError):
	"""An attendance row the kind of meeting does not count, or one person or household twice."""


class NotQuorateError(frappe.ValidationError):
	"""The meeting is concluded as deciding while it did not reach its quorum."""


class VotesExceedAttendanceError(frappe.ValidationError):
	"""An item's votes are more than those present."""


class TopicOfAnotherUnitError(frappe.ValidationError):
	"""A resolution on a topic of another village or community."""


class ItemDecidedTwiceError(frappe.ValidationError):
	"""A topic decided twice: listed twice, or already decided by a concluded, quorate meeting."""


class MeetingRecordIncompleteError(frappe.ValidationError):
	"""A meeting concluded without its record: held, minutes, recorder, votes, the correction's reason."""


class MeetingResolutionRequiredError(frappe.ValidationError):
	"""Implementation of a reserved matter without a passing resolution of the right meeting."""


# §二(一), 二(五)3: a meeting's states, judged in this order (community_consultation/procedure/lifecycle.py)
LIFE_CYCLE = LifeCycle(
	"Community Meeting",
	(
		*correction_states("Community Meeting"),
		State(
			"Not Quorate",
			lambda doc: doc.docstatus == 1 and not cint(doc.quorate),
			"{t}.docstatus = 1 and {t}.quorate = 0",
			colour="orange",
		),
		State(
			"Concluded",
			lambda doc: doc.docstatus == 1,
			"{t}.docstatus = 1 and {t}.quorate = 1",
			colour="green",
		),
		State(
			"Notice Published",
			lambda doc: bool(doc.notice_published_on),
			"{t}.docstatus = 0 and {t}.notice_published_on is not null",
			colour="blue",
		),
		State("Draft", lambda doc: True, "{t}.docstatus = 0"),
	),
)


class CommunityMeeting(ProcedureDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from community_consultation.community_consultation.doctype.meeting_agenda_item.meeting_agenda_item import (
			MeetingAgendaItem,
		)
		from community_consultation.community_consultation.doctype.meeting_attendance.meeting_attendance import (
			MeetingAttendance,
		)
		from community_consultation.community_consultation.doctype.meeting_authorisation.meeting_authorisation import (
			MeetingAuthorisation,
		)
		from community_consultation.community_consultation.doctype.meeting_notice_channel.meeting_notice_channel import (
			MeetingNoticeChannel,
		)

		adults_present: DF.Int
		agenda: DF.Table[MeetingAgendaItem]
		amended_from: DF.Link | None
		attendance: DF.Table[MeetingAttendance]
		authorised_categories: DF.TableMultiSelect[MeetingAuthorisation]
		basis_adults: DF.Int
		basis_households: DF.Int
		basis_members: DF.Int
		basis_source: DF.Literal["", "Register", "Typed"]
		chaired_by: DF.Data | None
		community_unit: DF.Link
		concluded_by: DF.Link | None
		concluded_on: DF.Datetime | None
		convened_by: DF.Data
		correction_reason: DF.SmallText | None
		households_present: DF.Int
		meeting_basis: DF.Link | None
		meeting_kind: DF.Literal[
			"Villagers' Meeting",
			"Villagers' Representatives' Meeting",
			"Villagers' Group Meeting",
			"Residents' Meeting",
			"Residents' Representatives' Meeting",
		]
		meeting_on: DF.Datetime
		meeting_rule: DF.Link | None
		members_present: DF.Int
		minutes: DF.TextEditor | None
		naming_series: DF.Literal["MTG-.YYYY.-.#####"]
		notice_channels: DF.TableMultiSelect[MeetingNoticeChannel]
		notice_days: DF.Int
		notice_published_on: DF.Date | None
		present_count: DF.Int
		quorate: DF.Check
		quorum_summary: DF.SmallText | None
		record_as_inquorate: DF.Check
		register_as_of: DF.Datetime | None
		recorder: DF.Data | None
		resolution_published_on: DF.Date | None
		status: DF.Literal["Draft", "Notice Published", "Concluded", "Not Quorate", "Corrected", "Cancelled"]
		title: DF.Data | None
		typed_basis_reason: DF.SmallText | None
		urgent: DF.Check
		urgent_reason: DF.SmallText | None
		venue: DF.Data
	# end: auto-generated types
	"""A villagers' (residents') meeting, representatives' meeting or villagers' group meeting."""

	LIFE_CYCLE = LIFE_CYCLE
	PROCEDURE_FACTS = {
		"concluded_by": _lt("the conclusion of the meeting"),
		"concluded_on": _lt("the conclusion of the meeting"),
	}

	@property
	def quorum_summary(self) -> str:
		"""The virtual field Quorum, counted for the reader (`quorum_summary`)."""
		return quorum_summary(self)

	def before_insert(self):
		ensure_series_row(self)

	def validate_rules(self):
		self.validate_kind_fits_unit()
		self.apply_rule_in_force()
		self.apply_basis_in_force()
		self.validate_notice_period()
		self.validate_attendance_from_register()
		self.validate_attendance()
		self.count_attendance()
		self.validate_attendance_within_basis()
		self.judge_quorum()
		self.validate_agenda_topics()
		self.validate_votes()
		self.set_results()
		self.validate_correction()

	def before_submit(self):
		self.validate_quorate_or_recorded_inquorate()
		self.validate_record_complete()
		self.lock_agenda_topics()
		self.validate_not_decided_elsewhere()
		self.set_results(concluding=True)
		self.note_items_it_cannot_decide()
		self.concluded_by = frappe.session.user
		self.concluded_on = now_datetime()

	def after_insert(self):
		if self.amended_from:
			frappe.get_doc("Community Meeting", self.amended_from).set_status(update=True)

	def after_submit(self):
		self.update_topics()

	def after_cancel(self):
		self.set_status(update=True)
		self.update_topics()

	def validate_rules_after_submit(self):
		"""After the meeting only the publication of its resolution is recorded (§二(一), art. 30)."""
		if self.resolution_published_on and getdate(self.resolution_published_on) < getdate(self.meeting_on):
			frappe.throw(
				_("The resolution cannot be made public before the meeting."), MeetingRecordIncompleteError
			)

	# ------------------------------------------------------------------ the rule and the basis

	def validate_kind_fits_unit(self):
		"""Art. 21, 25, 28; Urban Residents' Committees Organic Law: villagers' and representatives'
		meetings are held in a village, group meetings in a villager group, residents' meetings in a
		community."""
		unit_type = frappe.db.get_value("Community Unit", self.community_unit, "unit_type")
		wanted = KIND_UNIT_TYPES.get(self.meeting_kind)
		if unit_type != wanted:
			frappe.throw(
				_("A {0} is held in a {1}; {2} is a {3}.").format(
					_(self.meeting_kind),
					(_(wanted) if wanted else ""),
					frappe.bold(self.community_unit),
					(_(unit_type) if unit_type else ""),
				),
				MeetingKindUnitError,
			)

	def apply_rule_in_force(self):
		"""The rule in force on the meeting's date applies, and the meeting keeps which (the laws were
		amended 2025-10-28, in force 2026-01-01)."""
		name = rule_in_force(self.meeting_kind, self.meeting_on)
		if not name:
			frappe.throw(
				_(
					"No rule for the {0} is in force on {1}: the administrator enters it under Meeting Rule."
				).format(_(self.meeting_kind), getdate(self.meeting_on)),
				NoMeetingRuleError,
			)
		self.meeting_rule = name
		self._rule = frappe.get_cached_doc("Meeting Rule", name)
		self.notice_days = cint(self._rule.notice_days)

	def rule(self):
		if getattr(self, "_rule", None) is None or self._rule.name != self.meeting_rule:
			self._rule = frappe.get_doc("Meeting Rule", self.meeting_rule)
		return self._rule

	def apply_basis_in_force(self):
		"""Art. 22, 26, 28: the quorum counts against the unit's adults, households and representatives
		on the latest basis dated on or before the meeting."""
		name = basis_in_force(self.community_unit, self.meeting_on)
		if not name and self.count_basis_from_register():
			self.meeting_basis = None
			self.basis_members = 0
			self._roster = set()
			return
		if not name:
			frappe.throw(
				_(
					"{0} has no quorum basis (adults, households, representatives) dated on or before {1}: enter it under Meeting Basis."
				).format(frappe.bold(self.community_unit), getdate(self.meeting_on)),
				NoMeetingBasisError,
			)
		basis = frappe.get_doc("Meeting Basis", name)
		self.meeting_basis = name
		self.basis_members = len(basis.representatives)
		self._roster = {r.stakeholder for r in basis.representatives}
		if not self.count_basis_from_register():
			self.basis_adults = cint(basis.adults)
			self.basis_households = cint(basis.households)

	def count_basis_from_register(self) -> bool:
		"""Art. 22, 28 and the archive's 真实、准确、完整 (art. 34): a meeting that counts adults or households
		counts them from the unit's household register (`register.register_basis`: adults 18 or over on the
		meeting's date, households), and keeps the register's state it counted (`register_as_of`). Without a
		register the Meeting Basis's typed figures apply, only with the reason recorded
		(`typed_basis_reason`), and the meeting is marked typed. False when the typed figures apply."""
		if not ({"adults", "households"} & set(self.bases())):
			self.basis_source = None
			self.register_as_of = None
			return False
		counted = register_basis(self.community_unit, self.meeting_on)
		if counted:
			self.basis_source = "Register"
			self.basis_adults, self.basis_households = counted.adults, counted.households
			self.register_as_of = counted.as_of
			self.typed_basis_reason = None
			return True
		if not (self.typed_basis_reason or "").strip():
			frappe.throw(
				_(
					"{0} has no household register: record why the meeting counts against the typed basis (Reason for a Typed Basis), or import the register."
				).format(frappe.bold(self.community_unit)),
				NoMeetingBasisError,
			)
		self.basis_source = "Typed"
		self.register_as_of = None
		return False

	def validate_notice_period(self):
		"""Art. 21: the villagers are told at least the rule's days before the meeting; an urgent meeting
		is convened as soon as needed and states why."""
		if not self.notice_published_on:
			return
		days = date_diff(getdate(self.meeting_on), getdate(self.notice_published_on))
		if days < 0:
			frappe.throw(_("The notice cannot be published after the meeting."), NoticePeriodError)
		if self.urgent:
			if not (self.urgent_reason or "").strip():
				frappe.throw(_("State the reason for convening an urgent meeting."), NoticePeriodError)
			return
		if days < cint(self.notice_days):
			frappe.throw(
				_(
					"The meeting is held {0} days after its notice: the rule {1} requires at least {2} days (or an urgent meeting with its reason)."
				).format(days, frappe.bold(self.meeting_rule), cint(self.notice_days)),
				NoticePeriodError,
			)

	# ------------------------------------------------------------------ attendance and quorum

	def bases(self) -> dict[str, tuple[int, int, bool]]:
		"""The bases of the quorum the rule sets for this kind (adults, households, members)."""
		rule = self.rule()
		return {b: t for b in BASIS_ATTENDANCE if (t := rule.threshold(b))}

	def validate_attendance(self):
		"""Attendance is recorded by person, household representative or representative, as the kind's
		rule counts it; one person and one household once; a representative is on the roster."""
		people, households = set(), set()
		for row in self.attendance:
			self.validate_counted_kind(row)
			person = row.stakeholder or row.register_member or (row.attendee_name or "").strip()
			if person in people:
				frappe.throw(
					_("Attendance row {0}: {1} is recorded twice.").format(row.idx, row.attendee_name),
					AttendanceRecordError,
				)
			people.add(person)
			if row.attends_as == "Household Representative":
				household = (row.household or "").strip()
				if not household:
					frappe.throw(
						_(
							"Attendance row {0}: enter the household a household representative stands for."
						).format(row.idx),
						AttendanceRecordError,
					)
				if household in households:
					frappe.throw(
						_("Attendance row {0}: the household {1} is already represented.").format(
							row.idx, household
						),
						AttendanceRecordError,
					)
				households.add(household)
			if row.attends_as == "Representative":
				self.validate_on_roster(row, self._roster)

	def validate_counted_kind(self, row):
		"""Art. 22, 26, 28: a row attends as the kind's rule counts people (villager, household
		representative, representative)."""
		if row.attends_as not in {kind for b in self.bases() for kind in BASIS_ATTENDANCE[b]}:
			frappe.throw(
				_("Attendance row {0}: a {1} counts no {2}.").format(
					row.idx, _(self.meeting_kind), _(row.attends_as)
				),
				AttendanceRecordError,
			)

	def validate_on_roster(self, row, roster):
		"""Art. 25, 26: a representatives' meeting counts the representatives of its basis's roster."""
		if row.stakeholder not in roster:
			frappe.throw(
				_("Attendance row {0}: {1} is not on the representatives' roster of {2}.").format(
					row.idx, row.attendee_name, self.meeting_basis
				),
				AttendanceRecordError,
			)

	def validate_attendance_from_register(self):
		"""Art. 22 and the village archive's 真实、准确 (art. 34): a meeting counted from the household
		register counts the people of the register — each row a member of the unit's register, 18 or over on
		the meeting's date, once, named and placed in their household by the register — or a person not in
		it, with the reason recorded."""
		if self.basis_source != "Register":
			return
		rows = [r for r in self.attendance if r.attends_as in BASIS_ATTENDANCE["adults"]]
		members = register_members(
			self.community_unit, self.meeting_on, [r.register_member for r in rows if r.register_member]
		)
		for row in rows:
			if not row.register_member:
				if not (row.not_in_register_reason or "").strip():
					frappe.throw(
						_(
							"Attendance row {0}: {1} is not ticked from the household register: tick them from the register, or record why a person not in it is counted."
						).format(row.idx, row.attendee_name),
						AttendanceRecordError,
					)
				continue
			self.place_from_register(row, members.get(row.register_member))

	def place_from_register(self, row, member):
		"""Art. 22, 34: a row ticked from the register is a member of the unit's register (`member`, as
		`register.register_members` reads it, None when not in it), 18 or over on the meeting's date; the
		register names them and places them in their household."""
		if not member:
			frappe.throw(
				_("Attendance row {0}: {1} is not in the household register of {2}.").format(
					row.idx, row.attendee_name or row.register_member, self.community_unit
				),
				AttendanceRecordError,
			)
		if not cint(member.adult):
			frappe.throw(
				_("Attendance row {0}: {1} is under 18 on the day of the meeting.").format(
					row.idx, member.member_name
				),
				AttendanceRecordError,
			)
		row.attendee_name, row.household = member.member_name, member.household_no

	def count_attendance(self):
		"""Those present on each basis. Counted from the register, a household is present when any of its
		members is, and counted once whoever of it attends. A tick counts the same in the database
		(`ATTENDANCE_COUNTS_SQL`)."""
		present = [r for r in self.attendance if cint(r.present)]
		self.present_count = len(present)
		if self.basis_source == "Register":
			# the register's households only: a person not in it represents no household of it
			households = {r.household for r in present if r.register_member and r.household}
		else:
			households = {r.household for r in present if r.attends_as == "Household Representative"}
		self.households_present = len(households)
		self.members_present = sum(1 for r in present if r.attends_as == "Representative")
		self.adults_present = sum(1 for r in present if r.attends_as in BASIS_ATTENDANCE["adults"])

	def present_on(self, basis: str) -> int:
		return {
			"adults": cint(self.adults_present),
			"households": cint(self.households_present),
			"members": cint(self.members_present),
		}[basis]

	def basis_total(self, basis: str) -> int:
		return {
			"adults": self.basis_adults,
			"households": self.basis_households,
			"members": self.basis_members,
		}[basis]

	def validate_attendance_within_basis(self):
		"""Those present cannot be more than the basis counts."""
		for basis in BASIS_ATTENDANCE:
			present, total = self.present_on(basis), self.basis_total(basis)
			if basis in self.bases() or present:
				if present > total:
					frappe.throw(
						_("Attendance above the basis: {0} (basis {1}).").format(
							count_of(basis, present, total), self.meeting_basis
						),
						AttendanceExceedsBasisError,
					)

	def judge_quorum(self):
		"""Art. 22, 26, 28: the meeting may be held when any basis of the rule is reached."""
		self.quorate = int(
			any(
				reaches(self.present_on(basis), self.basis_total(basis), threshold)
				for basis, threshold in self.bases().items()
			)
		)

	def validate_quorate_or_recorded_inquorate(self):
		"""Art. 22: an inquorate meeting decides nothing. It is concluded only as held and not quorate;
		a quorate one is not recorded as inquorate."""
		if not cint(self.quorate) and not cint(self.record_as_inquorate):
			frappe.throw(
				_(
					"Not quorate: {0}. Correct the attendance from the sign-in sheets, or record the meeting as held and not quorate: it then decides nothing and its matters wait for the next meeting."
				).format(self.quorum_summary),
				NotQuorateError,
				title=_("Not quorate"),
			)
		if cint(self.quorate) and cint(self.record_as_inquorate):
			frappe.throw(
				_("The meeting is quorate ({0}): it cannot be recorded as not quorate.").format(
					self.quorum_summary
				),
				NotQuorateError,
			)

	# ------------------------------------------------------------------ agenda, votes, resolutions

	def validate_agenda_topics(self):
		"""§二(一): the meeting decides the matters of its own village or community, each once."""
		lft, rgt = frappe.db.get_value("Community Unit", self.community_unit, ["lft", "rgt"])
		seen = set()
		for row in self.agenda:
			if row.topic in seen:
				frappe.throw(
					_("Agenda row {0}: the topic {1} is on the agenda twice.").format(row.idx, row.topic),
					ItemDecidedTwiceError,
				)
			seen.add(row.topic)
			topic = frappe.db.get_value(
				"Consultation Topic", row.topic, ["community_unit", "review_decision", "title"], as_dict=True
			)
			bounds = (
				frappe.db.get_value("Community Unit", topic.community_unit, ["lft", "rgt"]) if topic else None
			)
			if not bounds or not (lft <= bounds[0] and bounds[1] <= rgt):
				frappe.throw(
					_(
						"Agenda row {0}: the topic {1} belongs to {2}, not to {3}: a meeting decides only its own matters."
					).format(row.idx, row.topic, topic.community_unit if topic else "", self.community_unit),
					TopicOfAnotherUnitError,
				)
			if topic.review_decision != "Accepted":
				frappe.throw(
					_(
						"Agenda row {0}: the topic {1} has not been accepted by the Party organisation's review."
					).format(row.idx, row.topic),
					TopicOfAnotherUnitError,
				)

	def lock_agenda_topics(self):
		"""Two meetings concluding a resolution on one topic at the same moment: the second waits here
		until the first is concluded, and then sees it (`validate_not_decided_elsewhere`). The topics are
		locked in the order of their names, so two meetings sharing several topics never wait on each
		other in a circle."""
		for topic in sorted({row.topic for row in self.agenda if row.topic}):
			lock_row("Consultation Topic", topic)

	def validate_not_decided_elsewhere(self):
		"""A matter is decided once: a topic that a concluded, quorate meeting passed or rejected is not
		put to the vote again (a correction cancels the first meeting and amends it). It also sees a
		meeting concluded by someone else since this transaction began (it waited in
		`lock_agenda_topics`)."""
		for row in self.agenda:
			other = decided_by(row.topic, exclude=self.name, committed=True)
			if other:
				frappe.throw(
					_("Agenda row {0}: the topic {1} was already decided by the meeting {2}.").format(
						row.idx, row.topic, other
					),
					ItemDecidedTwiceError,
				)

	def validate_votes(self):
		"""Votes never exceed those present; an inquorate meeting takes no vote."""
		present = cint(self.present_count)
		for row in self.agenda:
			votes = cint(row.votes_for) + cint(row.votes_against) + cint(row.votes_abstain)
			if votes > present:
				frappe.throw(
					_("Agenda row {0}: {1} votes, but only {2} present.").format(row.idx, votes, present),
					VotesExceedAttendanceError,
				)
			if votes and cint(self.record_as_inquorate):
				frappe.throw(
					_(
						"Agenda row {0}: a meeting that is not quorate decides nothing: record no votes."
					).format(row.idx),
					NotQuorateError,
				)

	def set_results(self, concluding: bool = False):
		"""Art. 22, 26, 28: an item passes by the rule's share of those present (over half); the result
		is derived, never typed. An inquorate meeting decides nothing."""
		threshold = self.rule().threshold("pass")
		present = cint(self.present_count)
		for row in self.agenda:
			votes = cint(row.votes_for) + cint(row.votes_against) + cint(row.votes_abstain)
			if not cint(self.quorate):
				row.result = NOT_DECIDED if (concluding or cint(self.record_as_inquorate)) else None
			elif not votes:
				row.result = None
			else:
				row.result = PASSED if reaches(cint(row.votes_for), present, threshold) else NOT_PASSED

	def note_items_it_cannot_decide(self):
		"""Art. 24 (`authorisation.py`): a representatives' meeting without the villagers' (residents')
		meeting's authorisation for a matter's category records its vote and decides nothing: the clerk is
		told at conclusion, and the villagers' meeting still decides the matter."""
		if self.meeting_kind not in AUTHORISED_BY or not cint(self.quorate):
			return
		for row in self.agenda:
			category = frappe.db.get_value("Consultation Topic", row.topic, "category")
			if row.result in (PASSED, NOT_PASSED) and not authorised(self, category):
				frappe.msgprint(
					_(
						"Agenda row {0}: the {1} holds no authorisation of the {2} to decide matters of the category {3} (Organic Law art. 24): its vote is recorded and decides nothing."
					).format(
						row.idx,
						_(self.meeting_kind),
						_(AUTHORISED_BY[self.meeting_kind]),
						frappe.bold(category or ""),
					),
					alert=True,
				)

	def validate_record_complete(self):
		"""A concluded meeting has its record: held (not in the future), the notice, minutes, recorder,
		and, when quorate, each item's vote."""
		if get_datetime(self.meeting_on) > now_datetime():
			frappe.throw(_("The meeting has not been held yet."), MeetingRecordIncompleteError)
		if not self.notice_published_on:
			frappe.throw(_("Record when the notice of the meeting was published."), NoticePeriodError)
		missing = [
			_(self.meta.get_label(f))
			for f in ("minutes", "recorder")
			if not frappe.utils.strip_html(self.get(f) or "").strip()
		]
		if missing:
			frappe.throw(
				_("Complete the meeting record before concluding it: {0}.").format(", ".join(missing)),
				MeetingRecordIncompleteError,
			)
		if not cint(self.quorate):
			return
		for row in self.agenda:
			if not row.vote_method or not (
				cint(row.votes_for) + cint(row.votes_against) + cint(row.votes_abstain)
			):
				frappe.throw(
					_("Agenda row {0}: record the vote (method, for, against, abstain).").format(row.idx),
					MeetingRecordIncompleteError,
				)

	def validate_correction(self):
		"""A concluded meeting is corrected by cancel and amend; the amendment states why."""
		if self.amended_from and not (self.correction_reason or "").strip():
			frappe.throw(
				_("State the reason for correcting the concluded meeting {0}.").format(self.amended_from),
				MeetingRecordIncompleteError,
			)

	# ------------------------------------------------------------------ after the write

	def update_topics(self):
		for row in self.agenda:
			update_topic_status(row.topic)

	@whitelist_action
	def load_sign_in_list(self):
		"""Fill the attendance from the representatives' roster (a representatives' meeting), unticked:
		the clerk ticks those who signed the paper sheet."""
		self.check_permission("write")
		if "members" not in self.bases():
			frappe.throw(_("Only a representatives' meeting is signed in from the roster."))
		listed = {r.stakeholder for r in self.attendance}
		for row in frappe.get_doc("Meeting Basis", self.meeting_basis).representatives:
			if row.stakeholder not in listed:
				self.append(
					"attendance",
					{
						"attends_as": "Representative",
						"stakeholder": row.stakeholder,
						"attendee_name": row.representative_name,
						"present": 0,
					},
				)
		self.save()
		return self.as_dict()

	def roster_names(self) -> dict[str, str]:
		"""The representatives of the meeting's basis (Art. 25), by Stakeholder, with their names."""
		if not self.meeting_basis:
			return {}
		return {
			r.stakeholder: r.representative_name or r.stakeholder
			for r in frappe.get_doc("Meeting Basis", self.meeting_basis).representatives
		}

	def register_sign_in_sheet(self) -> list[dict]:
		"""The sign-in sheet's lines from the household register (民主决策会议签到表): one per household, with
		its members 18 or over on the meeting's date. Personal data: empty for a reader of the meeting who
		may not read the register (a township officer prints a sheet with blank lines)."""
		if self.basis_source != "Register" or not frappe.has_permission("Village Household", "read"):
			return []
		return frappe.db.sql(
			f"""select h.household_no, group_concat(m.member_name order by m.idx separator '、') as members
			from `tabVillage Household` h
			join `tabHousehold Member` m on m.parent = h.name and m.parenttype = 'Village Household'
			where h.community_unit = %(unit)s and {ADULT_SQL}
			group by h.name, h.household_no order by h.household_no""",
			adult_values(self.community_unit, self.meeting_on),
			as_dict=True,
		)

	def sign_in_state(self, ticked: list[str]) -> dict:
		"""The counts and the quorum for the clerk's screen, and which of `ticked` are now present."""
		return {
			"present_count": self.present_count,
			"adults_present": self.adults_present,
			"households_present": self.households_present,
			"members_present": self.members_present,
			"quorate": self.quorate,
			"quorum_summary": self.quorum_summary,
			"ticked": ticked,
		}


# ------------------------------------------------------------------ sign-in by ticking


def may_record_attendance(meeting: CommunityMeeting, user: str | None = None) -> bool:
	"""Art. 22 and the village archive's 真实、准确 (art. 34); the supervision committee's oversight of village
	affairs (art. 32): who records a meeting's attendance — signs in those who arrive, at the door or from
	the sign-in sheet. The staff who keep the meeting's record, i.e. whoever may write it (its village's or
	community's Community Secretary and Committee Clerk, administrators), and its supervision committee (a
	Supervision Committee Member who reads the meeting: their User Permissions keep them to their own
	village). Recording attendance gives the committee nothing else of the meeting: its rights on it stay
	read only. A township officer, a building head, a resident and a guest record none."""
	if meeting.has_permission("write", user=user):
		return True
	return SUPERVISION_COMMITTEE_MEMBER in frappe.get_roles(user) and meeting.has_permission(
		"read", user=user
	)


def check_may_record_attendance(meeting: CommunityMeeting):
	"""`may_record_attendance`, on a draft meeting only: a concluded meeting's attendance is corrected by
	cancel and amend, with the reason (`validate_correction`)."""
	if not may_record_attendance(meeting):
		frappe.throw(
			_("You may not record the attendance of the meeting {0}.").format(meeting.name),
			frappe.PermissionError,
			title=_("Not permitted"),
		)
	if meeting.docstatus != 0:
		frappe.throw(
			_(
				"The meeting {0} is concluded: its attendance is corrected by cancelling and amending it, with the reason."
			).format(meeting.name),
			AttendanceRecordError,
		)


def meeting_header(name: str) -> CommunityMeeting:
	"""The meeting `name` without its tables (attendance, agenda), in one query whatever the number of rows
	ticked: what the sign-in list and a tick need of it. It is read, never saved."""
	values = frappe.db.get_value("Community Meeting", name, "*", as_dict=True) if name else None
	if not values:
		raise frappe.DoesNotExistError(_("Community Meeting {0} not found").format(name or ""))
	return frappe.get_doc({**values, "doctype": "Community Meeting"})


# `count_attendance` over the rows as written, for a tick that recounts the meeting without loading them:
# those present; the adults (villagers and household representatives); the representatives; the
# households, each once — counted from the register, a household of the register any of whose members
# is present; otherwise a household a household representative stands for
ATTENDANCE_COUNTS_SQL = """select count(*) as present_count,
	coalesce(sum(a.attends_as in %(adults)s), 0) as adults_present,
	coalesce(sum(a.attends_as = 'Representative'), 0) as members_present,
	count(distinct case when {household_counts} then a.household end) as households_present
	from `tabMeeting Attendance` a
	where a.parent = %(meeting)s and a.parenttype = 'Community Meeting' and a.parentfield = 'attendance'
	and a.present = 1"""
REGISTER_HOUSEHOLD_SQL = "coalesce(a.register_member, '') != '' and coalesce(a.household, '') != ''"
REPRESENTED_HOUSEHOLD_SQL = "a.attends_as = 'Household Representative' and coalesce(a.household, '') != ''"


def attendance_counts(meeting: CommunityMeeting) -> frappe._dict:
	"""`ATTENDANCE_COUNTS_SQL` for `meeting`: present_count, adults_present, members_present,
	households_present."""
	household_counts = (
		REGISTER_HOUSEHOLD_SQL if meeting.basis_source == "Register" else REPRESENTED_HOUSEHOLD_SQL
	)
	row = frappe.db.sql(
		ATTENDANCE_COUNTS_SQL.format(household_counts=household_counts),
		{"meeting": meeting.name, "adults": BASIS_ATTENDANCE["adults"]},
		as_dict=True,
	)[0]
	return frappe._dict({key: cint(value) for key, value in row.items()})


COUNTED_FIELDS = ("present_count", "adults_present", "members_present", "households_present", "quorate")


@frappe.whitelist(methods=["POST"])
def tick_attendance(meeting: str, members: list | str, present: int = 1) -> dict:
	"""Sign-in by ticking, at the door or from the sign-in sheet: the people `members` are marked present
	(or, with `present` 0, absent), many at once — the household register's members (Household Member rows)
	of a meeting counted from it, or the representatives (Stakeholders) of a representatives' meeting's
	roster; one not yet listed gets a row. For whoever may record the meeting's attendance, on a draft
	(`check_may_record_attendance`). Returns the counts and the quorum for the clerk's screen.

	A tick costs the same whatever the number of rows already ticked: only the people ticked are checked,
	by the rules a save applies to each row (`validate_counted_kind`, `place_from_register` — in the unit's
	register, 18 or over on the meeting's day — `validate_on_roster`), each found by who they are so that a
	person is listed once; only their rows are written; the counts are recomputed in the database
	(`attendance_counts`: a household counted once) and held to the basis and the quorum
	(`validate_attendance_within_basis`, `judge_quorum`); the change is kept in the meeting's history as a
	save keeps it. Ticks of one meeting wait for each other (its row is locked); a tick that breaks a rule
	writes nothing."""
	names = list(dict.fromkeys(frappe.parse_json(members) if isinstance(members, str) else members or []))
	present = 1 if cint(present) else 0
	lock_row("Community Meeting", meeting)
	doc = meeting_header(meeting)
	check_may_record_attendance(doc)
	by_roster = "members" in doc.bases()
	if not by_roster and doc.basis_source != "Register":
		frappe.throw(_("Only a meeting counted from the household register is signed in from it."))
	key = "stakeholder" if by_roster else "register_member"
	listed = {
		r[key]: r
		for r in frappe.db.sql(
			f"""select name, idx, `{key}`, present, attendee_name from `tabMeeting Attendance`
			where parent = %s and parenttype = 'Community Meeting' and parentfield = 'attendance'
			and `{key}` in %s""",
			(doc.name, tuple(names) or ("",)),
			as_dict=True,
		)
	}
	rows = [listed.get(name) or frappe._dict({key: name, "present": 0}) for name in names]
	if present:
		last = cint(
			frappe.db.sql(
				"""select max(idx) from `tabMeeting Attendance`
				where parent = %s and parenttype = 'Community Meeting' and parentfield = 'attendance'""",
				doc.name,
			)[0][0]
		)
		for row in rows:
			if not row.name:
				last += 1
				row.idx = last
			row.attends_as = "Representative" if by_roster else "Villager"
		check_ticked_rows(doc, rows, by_roster)
	changed = [row for row in rows if row.name and cint(row.present) != present]
	added = [row for row in rows if not row.name] if present else []
	before = {field: cint(doc.get(field)) for field in COUNTED_FIELDS}
	frappe.db.savepoint("tick_attendance")
	try:
		write_ticked_rows(doc, changed, added, present)
		doc.update(attendance_counts(doc))
		doc.validate_attendance_within_basis()
		doc.judge_quorum()
		# the meeting's `modified` moves too: a form opened before the tick is told to reload
		frappe.db.set_value("Community Meeting", doc.name, {f: doc.get(f) for f in COUNTED_FIELDS})
		keep_in_history(doc, before, changed, added, present)
	except Exception:
		frappe.db.rollback(save_point="tick_attendance")
		raise
	return doc.sign_in_state([row[key] for row in rows] if present else [])


def check_ticked_rows(doc: CommunityMeeting, rows: list[frappe._dict], by_roster: bool):
	"""The rules of a save's attendance rows, on the rows ticked present only."""
	if by_roster:
		roster = doc.roster_names()
		for row in rows:
			row.attendee_name = roster.get(row.stakeholder, row.attendee_name or row.stakeholder)
			doc.validate_counted_kind(row)
			doc.validate_on_roster(row, roster)
		return
	found = register_members(doc.community_unit, doc.meeting_on, [row.register_member for row in rows])
	for row in rows:
		doc.validate_counted_kind(row)
		doc.place_from_register(row, found.get(row.register_member))


def write_ticked_rows(doc: CommunityMeeting, changed: list, added: list, present: int):
	"""The rows of a tick, and only them: `changed` marked `present`, `added` inserted (one query each)."""
	stamp, user = now(), frappe.session.user
	if changed:
		frappe.db.sql(
			"""update `tabMeeting Attendance` set present = %s, modified = %s, modified_by = %s
			where name in %s""",
			(present, stamp, user, tuple(row.name for row in changed)),
		)
	if not added:
		return
	fields = (
		"name", "creation", "modified", "owner", "modified_by", "docstatus", "parent", "parenttype",
		"parentfield", "idx", "attends_as", "register_member", "stakeholder", "attendee_name", "household",
		"present",
	)  # fmt: skip
	for row in added:
		row.name = frappe.generate_hash(length=10)
		row.update(
			creation=stamp,
			modified=stamp,
			owner=user,
			modified_by=user,
			docstatus=0,
			parent=doc.name,
			parenttype="Community Meeting",
			parentfield="attendance",
			present=1,
		)
	frappe.db.bulk_insert("Meeting Attendance", fields, [[row.get(f) for f in fields] for row in added])


def keep_in_history(doc: CommunityMeeting, before: dict, changed: list, added: list, present: int):
	"""The tick in the meeting's history (Version, as Frappe records a save: rows added, rows changed, the
	figures changed)."""
	data = {
		"added": [
			["attendance", {f: row.get(f) for f in row if f not in ("creation", "modified")}] for row in added
		],
		"changed": [
			[f, before[f], cint(doc.get(f))] for f in COUNTED_FIELDS if before[f] != cint(doc.get(f))
		],
		"removed": [],
		"row_changed": [
			["attendance", row.idx, row.name, [["present", cint(row.present), present]]] for row in changed
		],
	}
	if data["added"] or data["changed"] or data["row_changed"]:
		frappe.get_doc(
			{
				"doctype": "Version",
				"ref_doctype": doc.doctype,
				"docname": doc.name,
				"data": frappe.as_json(data),
			}
		).insert(ignore_permissions=True)


@frappe.whitelist()
def sign_in_list(meeting: str, txt: str = "", limit: int = 100) -> list[dict]:
	"""Whom the clerk ticks at the door, each marked present or not, whose name or household number
	contains `txt`: a representatives' meeting's roster (`name` the Stakeholder), or the household
	register's members 18 or over on the meeting's date by household (`name` the Household Member row).
	For whoever may record the meeting's attendance (`check_may_record_attendance`; from the register,
	who may also read the register)."""
	doc = meeting_header(meeting)
	check_may_record_attendance(doc)
	if "members" in doc.bases():
		rows = [
			frappe._dict(name=s, member_name=name, household_no="")
			for s, name in doc.roster_names().items()
			if (txt or "") in name
		]
		key = "stakeholder"
	else:
		frappe.has_permission("Village Household", "read", throw=True)
		txt = (txt or "").replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
		rows = frappe.db.sql(
			f"""select m.name, m.member_name, h.household_no from `tabHousehold Member` m
			join `tabVillage Household` h on h.name = m.parent and m.parenttype = 'Village Household'
			where h.community_unit = %(unit)s and {ADULT_SQL}
			and (m.member_name like %(txt)s or h.household_no like %(txt)s)
			order by h.household_no, m.idx limit %(limit)s""",
			{
				**adult_values(doc.community_unit, doc.meeting_on),
				"txt": f"%{txt}%",
				"limit": min(cint(limit) or 100, 500),
			},
			as_dict=True,
		)
		key = "register_member"
	ticked = set(
		frappe.db.sql(
			f"""select `{key}` from `tabMeeting Attendance`
			where parent = %s and parenttype = 'Community Meeting' and parentfield = 'attendance'
			and present = 1 and `{key}` in %s""",
			(doc.name, tuple(r.name for r in rows) or ("",)),
			pluck=True,
		)
	)
	for row in rows:
		row.present = int(row.name in ticked)
	return rows


# the meeting that decided a topic: concluded, quorate, voted, and entitled to decide it (art. 24)
DECIDED_BY_SQL = f"""select m.name from `tabMeeting Agenda Item` i
	join `tabCommunity Meeting` m on m.name = i.parent and i.parenttype = 'Community Meeting'
	where i.topic = %s and m.docstatus = 1 and m.quorate = 1
	and i.result in ({sql_literal(PASSED)}, {sql_literal(NOT_PASSED)})
	and {decides_sql("m", "i.topic")} and m.name != %s limit 1"""


def decided_by(topic: str, exclude: str | None = None, committed: bool = False) -> str | None:
	"""The concluded, quorate meeting that passed or rejected `topic`, as this transaction sees it or,
	with `committed`, also as committed by anyone now (`row_locking.own_connection`)."""
	values = (topic, exclude or "")
	rows = frappe.db.sql(DECIDED_BY_SQL, values)
	if not rows and committed:
		with own_connection() as cursor:
			cursor.execute(DECIDED_BY_SQL, values)
			rows = cursor.fetchall()
	return rows[0][0] if rows else None


def meeting_results(topic: str) -> list[str]:
	"""The results of the concluded, quorate meetings' items on `topic`."""
	return [
		r[0]
		for r in frappe.db.sql(
			f"""select i.result from `tabMeeting Agenda Item` i
			join `tabCommunity Meeting` m on m.name = i.parent and i.parenttype = 'Community Meeting'
			where i.topic = %s and m.docstatus = 1 and m.quorate = 1 and {decides_sql("m", "i.topic")}""",
			topic,
		)
	]


def check_resolution(meeting: str | None, topic: str, category: str | None):
	"""§二(一), 二(五)3; Organic Law art. 22, 24, 26: a reserved or referred matter is carried out only once
	a concluded, quorate meeting of the right kind in its village or community passed it — the villagers'
	(residents') meeting, its group's meeting for a group's matter, or a representatives' meeting holding
	the meeting's recorded authorisation for the matter's category."""
	if not meeting:
		frappe.throw(
			_(
				"This matter must be decided by the villagers' (residents') meeting: link the concluded meeting that passed it before implementation starts."
			),
			MeetingResolutionRequiredError,
			title=_("Meeting decision required"),
		)
	m = frappe.db.get_value(
		"Community Meeting",
		meeting,
		["name", "docstatus", "quorate", "meeting_kind", "community_unit", "meeting_on"],
		as_dict=True,
	)
	if not m or m.docstatus != 1:
		frappe.throw(
			_("The meeting {0} has not been concluded.").format(meeting), MeetingResolutionRequiredError
		)
	if not cint(m.quorate):
		frappe.throw(
			_("The meeting {0} was not quorate: it decided nothing.").format(meeting),
			MeetingResolutionRequiredError,
		)
	if m.meeting_kind in AUTHORISED_BY and not authorised(m, category):
		frappe.throw(
			_(
				"The {0} {1} holds no authorisation of the {2} to decide matters of the category {3} (Organic Law art. 24)."
			).format(
				_(m.meeting_kind), meeting, _(AUTHORISED_BY[m.meeting_kind]), frappe.bold(category or "")
			),
			MeetingResolutionRequiredError,
		)
	result = frappe.db.get_value(
		"Meeting Agenda Item",
		{"parent": meeting, "parenttype": "Community Meeting", "topic": topic},
		"result",
	)
	if result is None:
		frappe.throw(
			_("The meeting {0} did not decide the topic {1}.").format(meeting, topic),
			MeetingResolutionRequiredError,
		)
	if result != PASSED:
		frappe.throw(
			_("The meeting {0} did not pass the topic {1}: the matter is not adopted.").format(
				meeting, topic
			),
			MeetingResolutionRequiredError,
		)
	topic_unit = frappe.db.get_value("Consultation Topic", topic, "community_unit")
	if m.meeting_kind == VILLAGERS_GROUP and m.community_unit != topic_unit:
		frappe.throw(
			_("A villagers' group meeting decides only its own group's matters."),
			MeetingResolutionRequiredError,
		)


def on_doctype_update():
	frappe.db.add_index("Community Meeting", ["community_unit", "meeting_on"])
