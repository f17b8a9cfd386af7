# Copyright (c) 2026, community_consultation developers and Contributors
# See license.txt

"""The meetings that decide by law: Organic Law of the Villagers' Committees (2018) art. 21, 22, 24, 26,
28; Urban Residents' Committees Organic Law art. 9; §二(一), 二(五)3 of the work plan."""

import frappe
from frappe.utils import add_days, getdate, now_datetime, nowdate

from community_consultation.decision_bodies.doctype.community_meeting.community_meeting import (
	AttendanceExceedsBasisError,
	AttendanceRecordError,
	ItemDecidedTwiceError,
	MeetingKindUnitError,
	MeetingRecordIncompleteError,
	MeetingResolutionRequiredError,
	NoMeetingBasisError,
	NoticePeriodError,
	NotQuorateError,
	TopicOfAnotherUnitError,
	VotesExceedAttendanceError,
)
from community_consultation.decision_bodies.doctype.meeting_rule.meeting_rule import (
	OverlappingMeetingRuleError,
)
from community_consultation.decision_bodies.four_deliberations import FourDeliberationsError
from community_consultation.tests.factory import (
	full_case,
	make_outcome,
	make_people,
	make_session,
	make_topic,
	make_unit,
)
from community_consultation.tests.meetings import (
	make_basis,
	make_meeting,
	meeting_values,
	representatives,
	villagers,
	vote,
)
from community_consultation.tests.users import as_user, make_user
from community_consultation.tests.utils import ProcedureTestCase

MEETING_CATEGORY = "村(社区)经济社会发展规划和年度计划"
ASSETS_CATEGORY = "集体“三资”、收益分配、成员资格、土地林地宅基地、大额资金"


def progress(percent=10):
	return {"update_on": nowdate(), "published_on": nowdate(), "note": "进展", "percent_complete": percent}


class MeetingTestCase(ProcedureTestCase):
	def setUp(self):
		super().setUp()
		self.case = full_case("会议")
		self.village = self.case.units.village_a
		self.basis = make_basis(self.village, adults=100, households=30, representatives=9)
		self.topic = self.case.topic

	def assertRaisesType(self, error, fn, *args, text=None, **kw):
		with self.assertRaises(error) as ctx:
			fn(*args, **kw)
		if text:
			self.assertIn(text, str(ctx.exception))
		return ctx.exception

	def new(self, kind="Villagers' Meeting", topics=None, **kw):
		return frappe.get_doc(
			meeting_values(self.village, kind, [self.topic] if topics is None else topics, **kw)
		)


class TestMeetingRules(MeetingTestCase):
	def test_rule_in_force_on_the_meetings_date_is_applied_and_kept(self):
		old = frappe.get_all("Meeting Rule", {"meeting_kind": "Villagers' Meeting"}, pluck="name")[0]
		frappe.db.set_value("Meeting Rule", old, "effective_to", "2025-12-31")
		new = frappe.get_doc(
			{
				"doctype": "Meeting Rule",
				"rule_title": "村民会议（2025年修正）",
				"meeting_kind": "Villagers' Meeting",
				"effective_from": "2026-01-01",
				"notice_days": 15,
				"adults_comparison": "More Than",
				"adults_numerator": 1,
				"adults_denominator": 2,
				"pass_comparison": "More Than",
				"pass_numerator": 1,
				"pass_denominator": 2,
			}
		).insert()
		before = self.new(meeting_on="2025-12-20 09:00:00", notice_published_on="2025-12-08")
		before.insert()
		self.assertEqual(before.meeting_rule, old)
		self.assertEqual(before.notice_days, 10)
		self.assertIn("households", before.quorum_summary)
		# under the new rule 13 days' notice is too short, and households no longer count
		after = self.new(notice_published_on=getdate(add_days(nowdate(), -13)))
		self.assertRaisesType(NoticePeriodError, after.insert, text="15 days")
		after.notice_published_on = getdate(add_days(nowdate(), -16))
		after.insert()
		self.assertEqual(after.meeting_rule, new.name)
		self.assertEqual(after.notice_days, 15)
		self.assertNotIn("households", after.quorum_summary)

	def test_two_rules_of_a_kind_cannot_be_in_force_on_one_day(self):
		rule = frappe.get_doc(
			{
				"doctype": "Meeting Rule",
				"rule_title": "重叠",
				"meeting_kind": "Villagers' Meeting",
				"effective_from": "2026-01-01",
				"members_comparison": "At Least",
				"members_numerator": 2,
				"members_denominator": 3,
				"pass_comparison": "More Than",
				"pass_numerator": 1,
				"pass_denominator": 2,
			}
		)
		self.assertRaisesType(OverlappingMeetingRuleError, rule.insert)

	def test_meeting_without_a_quorum_basis_is_refused(self):
		frappe.db.delete("Meeting Basis", {"community_unit": self.village})
		self.assertRaisesType(NoMeetingBasisError, self.new().insert)

	def test_kind_of_meeting_fits_its_unit(self):
		doc = self.new(kind="Residents' Meeting")
		self.assertRaisesType(MeetingKindUnitError, doc.insert)
		self.assertFalse(frappe.db.exists("Community Meeting", {"community_unit": self.village}))


class TestMeetingQuorum(MeetingTestCase):
	def test_villagers_meeting_quorate_with_over_half_of_adults(self):
		doc = self.new(attendance=villagers(51)).insert()
		self.assertEqual(doc.quorate, 1)
		doc = self.new(attendance=villagers(50)).insert()
		self.assertEqual(doc.quorate, 0)
		self.assertEqual(doc.quorum_summary, "50 of 100 adults, 0 of 30 households")

	def test_quorum_is_counted_for_the_reader_in_their_language(self):
		"""The quorum is kept as numbers and told to whoever reads the meeting in their own language: a
		meeting an English-speaking clerk saved reads in Chinese to a Chinese-speaking one."""
		from frappe.desk.form.load import getdoc

		doc = self.new(attendance=villagers(50) + villagers(12, households=True, prefix="户代表")).insert()
		self.assertEqual(doc.quorum_summary, "62 of 100 adults, 12 of 30 households")
		stored = frappe.db.get_value(
			"Community Meeting", doc.name, ["adults_present", "households_present"], as_dict=True
		)
		self.assertEqual((stored.adults_present, stored.households_present), (62, 12))
		self.assertNotIn("quorum_summary", frappe.db.get_table_columns("Community Meeting"))
		reader = make_user(
			"meeting-reader-zh@example.com", ["Committee Clerk"], [self.village], language="zh"
		)
		with as_user(reader):
			frappe.local.lang = "zh"
			try:
				frappe.response.docs = []
				getdoc("Community Meeting", doc.name)
				shown = frappe.response.docs[0].as_dict()
			finally:
				frappe.local.lang = "en"
		self.assertEqual(
			shown["quorum_summary"], "十八周岁以上村（居）民100人中到会62人，30户中12户的代表到会"
		)

	def test_villagers_meeting_quorate_with_two_thirds_of_households(self):
		doc = self.new(attendance=villagers(20, households=True)).insert()
		self.assertEqual(doc.quorate, 1)
		self.assertEqual(doc.households_present, 20)
		doc = self.new(attendance=villagers(19, households=True)).insert()
		self.assertEqual(doc.quorate, 0)

	def test_inquorate_meeting_cannot_be_concluded_as_deciding(self):
		doc = vote(self.new(attendance=villagers(40)), 30).insert()
		error = self.assertRaisesType(
			NotQuorateError, doc.submit, text="40 of 100 adults, 0 of 30 households"
		)
		self.assertIn("Not quorate", str(error))
		self.assertEqual(frappe.db.get_value("Community Meeting", doc.name, "docstatus"), 0)

	def test_inquorate_meeting_is_recorded_as_held_and_decides_nothing(self):
		doc = self.new(attendance=villagers(40), record_as_inquorate=1).insert()
		doc.submit()
		self.assertEqual(doc.status, "Not Quorate")
		self.assertEqual([r.result for r in doc.agenda], ["Not Decided"])
		# the matter waits for the next meeting, which decides it
		nxt = vote(self.new(attendance=villagers(60)), 40).insert()
		nxt.submit()
		self.assertEqual(nxt.agenda[0].result, "Passed")

	def test_inquorate_meeting_records_no_votes(self):
		doc = vote(self.new(attendance=villagers(40), record_as_inquorate=1), 30)
		self.assertRaisesType(NotQuorateError, doc.insert)

	def test_quorate_meeting_cannot_be_recorded_as_inquorate(self):
		doc = vote(self.new(attendance=villagers(60), record_as_inquorate=1), 0).insert()
		self.assertRaisesType(NotQuorateError, doc.submit)

	def test_attendance_above_the_basis_is_refused(self):
		doc = self.new(attendance=villagers(101))
		self.assertRaisesType(AttendanceExceedsBasisError, doc.insert, text="101 of 100 adults")
		self.assertFalse(frappe.db.exists("Community Meeting", {"community_unit": self.village}))

	def test_a_person_or_household_is_counted_once(self):
		rows = villagers(3, households=True)
		rows[2]["household"] = rows[1]["household"]
		self.assertRaisesType(AttendanceRecordError, self.new(attendance=rows).insert)
		rows = villagers(3)
		rows[2]["attendee_name"] = rows[0]["attendee_name"]
		self.assertRaisesType(AttendanceRecordError, self.new(attendance=rows).insert)

	def test_representatives_meeting_counts_only_representatives_on_the_roster(self):
		doc = self.new(kind="Villagers' Representatives' Meeting", attendance=villagers(5))
		self.assertRaisesType(AttendanceRecordError, doc.insert)
		rows = representatives(self.basis)
		rows[0]["stakeholder"] = self.case.people[0]
		doc = self.new(kind="Villagers' Representatives' Meeting", attendance=rows)
		self.assertRaisesType(AttendanceRecordError, doc.insert, text="roster")

	def test_representatives_meeting_quorate_with_two_thirds_of_members(self):
		doc = self.new(kind="Villagers' Representatives' Meeting", attendance=representatives(self.basis, 6))
		doc.insert()
		self.assertEqual(doc.quorate, 1)
		self.assertEqual(doc.quorum_summary, "6 of 9 representatives")
		doc = self.new(kind="Villagers' Representatives' Meeting", attendance=representatives(self.basis, 5))
		doc.insert()
		self.assertEqual(doc.quorate, 0)

	def test_villagers_group_meeting_needs_two_thirds_of_the_groups_adults_or_households(self):
		group = self.case.units.building
		make_basis(group, adults=30, households=12)
		topic = make_topic(group, title="一组水塘承包")
		values = dict(kind="Villagers' Group Meeting", topics=[topic])
		doc = frappe.get_doc(meeting_values(group, attendance=villagers(20), **values)).insert()
		self.assertEqual(doc.quorate, 1)
		doc = frappe.get_doc(meeting_values(group, attendance=villagers(19), **values)).insert()
		self.assertEqual(doc.quorate, 0)
		doc = frappe.get_doc(
			meeting_values(group, attendance=villagers(8, households=True), **values)
		).insert()
		self.assertEqual(doc.quorate, 1)

	def test_residents_meeting_quorate_with_over_half_of_adults_households_or_group_representatives(self):
		community = make_unit("测试社区", "Community", self.case.units.township)
		make_basis(community, adults=100, households=40, representatives=6)
		topic = make_topic(community, title="小区加装电梯")
		values = dict(kind="Residents' Meeting", topics=[topic])
		doc = frappe.get_doc(meeting_values(community, attendance=villagers(51), **values)).insert()
		self.assertEqual(doc.quorate, 1)
		doc = frappe.get_doc(meeting_values(community, attendance=villagers(50), **values)).insert()
		self.assertEqual(doc.quorate, 0)
		self.assertEqual(doc.quorum_summary, "50 of 100 adults, 0 of 40 households, 0 of 6 representatives")

	def test_sign_in_list_loads_the_roster_unticked(self):
		doc = self.new(kind="Villagers' Representatives' Meeting").insert()
		doc.load_sign_in_list()
		self.assertEqual(len(doc.attendance), 9)
		self.assertEqual(doc.members_present, 0)


class TestMeetingNotice(MeetingTestCase):
	def test_meeting_cannot_be_held_before_its_notice_period(self):
		doc = self.new(notice_published_on=getdate(add_days(nowdate(), -6)))
		self.assertRaisesType(NoticePeriodError, doc.insert, text="at least 10 days")
		self.assertFalse(frappe.db.exists("Community Meeting", {"community_unit": self.village}))

	def test_urgent_meeting_states_its_reason(self):
		doc = self.new(notice_published_on=getdate(add_days(nowdate(), -2)), urgent=1)
		self.assertRaisesType(NoticePeriodError, doc.insert)
		doc.urgent_reason = "防汛抢险需要立即决定"
		doc.insert()
		self.assertEqual(doc.status, "Notice Published")

	def test_notice_is_not_published_after_the_meeting(self):
		doc = self.new(notice_published_on=nowdate())
		self.assertRaisesType(NoticePeriodError, doc.insert)


class TestMeetingVotes(MeetingTestCase):
	def test_resolution_passes_by_over_half_of_those_present(self):
		doc = vote(self.new(attendance=villagers(60)), 30, 20, 10).insert()
		self.assertEqual(doc.agenda[0].result, "Not Passed")
		doc = vote(self.new(attendance=villagers(60)), 31, 29).insert()
		self.assertEqual(doc.agenda[0].result, "Passed")

	def test_result_is_derived_never_typed(self):
		doc = vote(self.new(attendance=villagers(60)), 10, 50)
		doc.agenda[0].result = "Passed"
		doc.insert()
		self.assertEqual(doc.agenda[0].result, "Not Passed")

	def test_votes_never_exceed_attendance(self):
		doc = vote(self.new(attendance=villagers(60)), 50, 11)
		self.assertRaisesType(VotesExceedAttendanceError, doc.insert, text="61 votes")
		self.assertFalse(frappe.db.exists("Community Meeting", {"community_unit": self.village}))

	def test_resolution_on_a_topic_of_another_village_is_refused(self):
		other = make_topic(self.case.units.village_b, title="乙村事项")
		doc = vote(self.new(topics=[other], attendance=villagers(60)), 40)
		self.assertRaisesType(
			TopicOfAnotherUnitError, doc.insert, text="a meeting decides only its own matters"
		)
		self.assertFalse(frappe.db.exists("Community Meeting", {"community_unit": self.village}))
		self.assertFalse(frappe.db.exists("Meeting Agenda Item", {"topic": other.name}))

	def test_an_item_is_decided_once(self):
		doc = self.new(topics=[self.topic, self.topic])
		self.assertRaisesType(ItemDecidedTwiceError, doc.insert, text="on the agenda twice")
		self.assertFalse(frappe.db.exists("Community Meeting", {"community_unit": self.village}))
		first = make_meeting(self.village, topics=[self.topic], attendance=villagers(60), votes=(40,))
		again = vote(self.new(attendance=villagers(60)), 40).insert()
		self.assertRaisesType(
			ItemDecidedTwiceError, again.submit, text=f"already decided by the meeting {first.name}"
		)
		self.assertEqual(frappe.db.get_value("Community Meeting", again.name, "docstatus"), 0)
		self.assertEqual(
			frappe.get_all(
				"Community Meeting", {"community_unit": self.village, "docstatus": 1}, pluck="name"
			),
			[first.name],
		)

	def test_concluded_meeting_records_each_vote_and_its_minutes(self):
		doc = self.new(attendance=villagers(60)).insert()
		self.assertRaisesType(MeetingRecordIncompleteError, doc.submit)
		doc = vote(self.new(attendance=villagers(60), minutes=""), 40).insert()
		self.assertRaisesType(MeetingRecordIncompleteError, doc.submit)

	def test_meeting_not_yet_held_cannot_be_concluded(self):
		doc = vote(
			self.new(
				attendance=villagers(60),
				meeting_on=add_days(now_datetime(), 12),
				notice_published_on=nowdate(),
			),
			40,
		).insert()
		self.assertRaisesType(MeetingRecordIncompleteError, doc.submit)

	def test_concluded_meeting_is_corrected_by_cancel_and_amend_with_reason(self):
		doc = make_meeting(self.village, topics=[self.topic], attendance=villagers(60), votes=(40,))
		doc.reload()
		doc.venue = "别处"
		self.assertRaises(frappe.ValidationError, doc.save)
		doc.reload()
		doc.cancel()
		amended = frappe.copy_doc(doc, ignore_no_copy=False)
		amended.amended_from = doc.name
		amended.docstatus = 0
		self.assertRaisesType(MeetingRecordIncompleteError, amended.insert)
		amended.correction_reason = "表决票数记录有误"
		amended.insert()
		amended.submit()
		self.assertEqual(frappe.db.get_value("Community Meeting", doc.name, "status"), "Corrected")


class TestMeetingRoute(MeetingTestCase):
	def setUp(self):
		super().setUp()
		frappe.db.set_value("Consultation Topic", self.topic.name, "category", MEETING_CATEGORY)
		self.outcome = make_outcome(self.case.session)

	def start_implementation(self, meeting=None):
		self.outcome.reload()
		self.outcome.meeting = meeting
		self.outcome.append("progress", progress())
		self.outcome.save()

	def test_reserved_matter_cannot_start_implementation_without_a_meeting(self):
		self.assertRaisesType(MeetingResolutionRequiredError, self.start_implementation)
		self.assertFalse(frappe.get_all("Implementation Update", {"parent": self.outcome.name}))

	def test_inquorate_meeting_does_not_open_implementation(self):
		doc = make_meeting(self.village, topics=[self.topic], attendance=villagers(30), record_as_inquorate=1)
		self.assertRaisesType(
			MeetingResolutionRequiredError, self.start_implementation, doc.name, text="not quorate"
		)

	def test_quorate_villagers_meeting_that_passed_it_opens_implementation(self):
		doc = make_meeting(self.village, topics=[self.topic], attendance=villagers(60), votes=(40, 10))
		self.start_implementation(doc.name)
		self.assertEqual(self.outcome.status, "In Implementation")

	def test_failed_vote_closes_the_matter_as_not_adopted(self):
		doc = make_meeting(self.village, topics=[self.topic], attendance=villagers(60), votes=(20, 40))
		self.assertEqual(frappe.db.get_value("Consultation Topic", self.topic.name, "status"), "Not Adopted")
		self.assertRaisesType(
			MeetingResolutionRequiredError, self.start_implementation, doc.name, text="not adopted"
		)

	def test_representatives_meeting_decides_only_with_the_meetings_authorisation(self):
		reps = make_meeting(
			self.village,
			"Villagers' Representatives' Meeting",
			topics=[self.topic],
			attendance=representatives(self.basis, 7),
			votes=(6, 1),
		)
		self.assertRaisesType(
			MeetingResolutionRequiredError, self.start_implementation, reps.name, text="authorisation"
		)
		other = make_topic(self.village, title="授权议题")
		make_meeting(
			self.village,
			topics=[other],
			attendance=villagers(60),
			votes=(50,),
			meeting_on=add_days(now_datetime(), -3),
			authorised_categories=[{"category": MEETING_CATEGORY}],
		)
		self.start_implementation(reps.name)
		self.assertEqual(self.outcome.status, "In Implementation")

	def test_linked_meeting_must_have_decided_the_topic(self):
		other = make_topic(self.village, title="别的议题")
		doc = make_meeting(self.village, topics=[other], attendance=villagers(60), votes=(40,))
		self.outcome.reload()
		self.outcome.meeting = doc.name
		self.assertRaisesType(MeetingResolutionRequiredError, self.outcome.save)


class TestFourDeliberations(MeetingTestCase):
	def setUp(self):
		super().setUp()
		frappe.db.set_value("Consultation Category", ASSETS_CATEGORY, "four_deliberations", 1)
		frappe.db.set_value("Consultation Topic", self.topic.name, "category", ASSETS_CATEGORY)
		self.topic.reload()

	def test_a_stage_cannot_be_skipped(self):
		self.topic.append(
			"four_deliberations",
			{
				"stage": "Two Committees' Deliberation",
				"completed_on": nowdate(),
				"session": self.case.session.name,
			},
		)
		self.assertRaisesType(FourDeliberationsError, self.topic.save, text="cannot be skipped")

	def test_each_stage_is_proven_by_a_session_of_its_form(self):
		self.topic.append(
			"four_deliberations",
			{
				"stage": "Party Organisation's Proposal",
				"completed_on": nowdate(),
				"session": self.case.session.name,
			},
		)
		self.assertRaisesType(FourDeliberationsError, self.topic.save, text="村党组织会议")

	def test_a_stage_is_proven_by_a_concluded_session_of_the_topics_unit(self):
		other = make_topic(self.case.units.village_b, title="乙村党组织会议")
		people_b = make_people(self.case.units.village_b)
		session = make_session(other, people_b, consultation_form="村党组织会议")
		self.topic.append(
			"four_deliberations",
			{"stage": "Party Organisation's Proposal", "completed_on": nowdate(), "session": session.name},
		)
		self.assertRaisesType(FourDeliberationsError, self.topic.save, text="unit")

	def first_stage(self, form="村党组织会议"):
		own = make_topic(self.village, stakeholders=self.case.people, title=f"{form}提议")
		session = make_session(own, self.case.people, consultation_form=form)
		return {"stage": "Party Organisation's Proposal", "completed_on": nowdate(), "session": session.name}

	def test_a_stage_is_proven_by_a_session_of_a_form_marked_for_it(self):
		"""Which stage a session proves is the form's data (Proves the Stage), not its name."""
		frappe.get_doc(
			{
				"doctype": "Consultation Form",
				"form_name": "村党支部委员会会议",
				"four_deliberations_stage": "Party Organisation's Proposal",
			}
		).insert()
		self.topic.append("four_deliberations", self.first_stage("村党支部委员会会议"))
		self.topic.save()
		self.assertEqual(len(self.topic.four_deliberations), 1)
		# a form the administrator no longer marks proves nothing, whatever its name
		self.topic.reload()
		self.topic.four_deliberations = []
		self.topic.save()
		frappe.db.set_value("Consultation Form", "村党组织会议", "four_deliberations_stage", None)
		self.topic.append("four_deliberations", self.first_stage())
		self.assertRaisesType(FourDeliberationsError, self.topic.save, text="村党支部委员会会议")
		self.assertFalse(frappe.db.exists("Four Deliberations Stage", {"parent": self.topic.name}))

	def test_a_stage_no_form_proves_is_refused_naming_the_setting(self):
		frappe.db.set_value(
			"Consultation Form",
			{"four_deliberations_stage": "Party Organisation's Proposal"},
			"four_deliberations_stage",
			None,
		)
		self.topic.append("four_deliberations", self.first_stage())
		self.assertRaisesType(FourDeliberationsError, self.topic.save, text="Proves the Stage")

	def test_shipped_forms_are_marked_on_existing_sites_and_administrators_marks_kept(self):
		from community_consultation.patches.v0_1 import four_deliberations_stage_of_forms

		forms = ("村党组织会议", "村“两委”联席会议", "党员大会")
		frappe.db.set_value("Consultation Form", {"name": ("in", forms)}, "four_deliberations_stage", None)
		frappe.db.set_value(
			"Consultation Form", "党员大会", "four_deliberations_stage", "Two Committees' Deliberation"
		)
		four_deliberations_stage_of_forms.execute()
		marked = dict(
			frappe.get_all(
				"Consultation Form",
				filters={"name": ("in", forms)},
				fields=["name", "four_deliberations_stage"],
				as_list=True,
			)
		)
		self.assertEqual(
			marked,
			{
				"村党组织会议": "Party Organisation's Proposal",
				"村“两委”联席会议": "Two Committees' Deliberation",
				"党员大会": "Two Committees' Deliberation",
			},
		)

	def test_supervision_remark_on_a_stage_shows_on_its_row_for_the_reader(self):
		"""Art. 24, 32: the supervision committee's remarks on a stage are its Supervision Remarks on the
		topic naming the stage; the stage's row shows them, in the reader's language."""
		from community_consultation.community_consultation.doctype.supervision_remark.supervision_remark import (
			StageRemarkError,
		)

		self.topic.append("four_deliberations", self.first_stage())
		self.topic.save()
		member = make_user("stage-supervisor@example.com", ["Supervision Committee Member"], [self.village])
		remark = {
			"doctype": "Supervision Remark",
			"reference_doctype": "Consultation Topic",
			"reference_name": self.topic.name,
			"remark_on": nowdate(),
			"finding": "Concern",
			"remark": "提议未附村民意见汇总",
		}
		with as_user(member):
			self.assertRaisesType(
				StageRemarkError, frappe.get_doc({**remark, "stage": "Meeting Resolution"}).insert
			)
			self.assertFalse(frappe.db.exists("Supervision Remark", {"reference_name": self.topic.name}))
			frappe.get_doc({**remark, "stage": "Party Organisation's Proposal"}).insert()
			row = frappe.get_doc("Consultation Topic", self.topic.name).four_deliberations[0]
			self.assertIn("Concern: 提议未附村民意见汇总", row.supervision_remarks)
			frappe.local.lang = "zh"
			try:
				shown = frappe.get_doc("Consultation Topic", self.topic.name).four_deliberations[0]
				self.assertIn("存在问题：提议未附村民意见汇总", shown.as_dict()["supervision_remarks"])
			finally:
				frappe.local.lang = "en"
		other = make_user(
			"stage-supervisor-b@example.com", ["Supervision Committee Member"], [self.case.units.village_b]
		)
		with as_user(other):
			self.assertRaisesType(
				frappe.PermissionError,
				frappe.get_doc({**remark, "stage": "Party Organisation's Proposal"}).insert,
			)

	def test_implementation_cannot_start_before_the_resolution(self):
		outcome = make_outcome(self.case.session)
		doc = make_meeting(self.village, topics=[self.topic], attendance=villagers(60), votes=(40,))
		outcome.reload()
		outcome.meeting = doc.name
		outcome.append("progress", progress())
		self.assertRaisesType(FourDeliberationsError, outcome.save)

	def test_the_six_stages_in_order_complete_the_matter(self):
		sessions = {}
		for stage, form in (
			("Party Organisation's Proposal", "村党组织会议"),
			("Two Committees' Deliberation", "村“两委”联席会议"),
			("Party Members' Assembly Review", "党员大会"),
		):
			own = make_topic(self.village, stakeholders=self.case.people, title=f"{form}议题")
			sessions[stage] = make_session(own, self.case.people, consultation_form=form).name
		for stage, session in sessions.items():
			self.topic.append(
				"four_deliberations", {"stage": stage, "completed_on": nowdate(), "session": session}
			)
		meeting = make_meeting(self.village, topics=[self.topic], attendance=villagers(60), votes=(40,))
		self.topic.append(
			"four_deliberations",
			{"stage": "Meeting Resolution", "completed_on": nowdate(), "meeting": meeting.name},
		)
		self.topic.save()
		# the resolution is public only once the meeting records it
		self.topic.append(
			"four_deliberations",
			{"stage": "Resolution Made Public", "completed_on": nowdate(), "meeting": meeting.name},
		)
		self.assertRaisesType(FourDeliberationsError, self.topic.save, text="made public")
		self.topic.reload()
		meeting.reload()
		meeting.resolution_published_on = nowdate()
		meeting.save()
		outcome = make_outcome(self.case.session)
		outcome.meeting = meeting.name
		outcome.append("progress", progress(100))
		outcome.save()
		self.assertEqual(outcome.status, "Implemented")
		self.topic.append(
			"four_deliberations",
			{"stage": "Resolution Made Public", "completed_on": nowdate(), "meeting": meeting.name},
		)
		self.topic.append(
			"four_deliberations",
			{
				"stage": "Implementation Result Made Public",
				"completed_on": nowdate(),
				"outcome": outcome.name,
			},
		)
		self.topic.save()
		self.assertEqual(len(self.topic.four_deliberations), 6)
