# Copyright (c) 2026, community_consultation developers and Contributors
# See license.txt

import frappe
from frappe.utils import add_days, nowdate

from community_consultation.community_consultation.doctype.consultation_outcome.consultation_outcome import (
	CompletionError,
	CorrectionReasonError,
	FilingIncompleteError,
	MeetingDecisionRequiredError,
	ProgressError,
	PublicityError,
	follow_the_calendar,
)
from community_consultation.tests.factory import (
	full_case,
	held_values,
	make_outcome,
	make_session,
)
from community_consultation.tests.meetings import make_basis, make_meeting, villagers
from community_consultation.tests.utils import ProcedureTestCase

MEETING_CATEGORY = "村(社区)经济社会发展规划和年度计划"


def progress(percent, **kw):
	return {
		"update_on": nowdate(),
		"published_on": nowdate(),
		"note": "进展",
		"percent_complete": percent,
		**kw,
	}


class TestConsultationOutcome(ProcedureTestCase):
	def setUp(self):
		super().setUp()
		self.case = full_case("成果")

	def assertNotSaved(self, doc, error=frappe.ValidationError):
		self.assertRefused(doc.save, error=error)

	# §二(五)4
	def test_outcome_is_filed_with_both_bodies(self):
		for missing in ("filed_with_party_on", "filed_with_committee_on"):
			doc = make_outcome(self.case.session, file=False, **{missing: None})
			self.assertRefused(doc.submit)
			self.assertEqual(frappe.db.get_value("Consultation Outcome", doc.name, "docstatus"), 0)
			frappe.delete_doc("Consultation Outcome", doc.name)
		doc = make_outcome(self.case.session, publicise=False)
		self.assertEqual(doc.status, "Filed")
		self.assertEqual(doc.filed_by, "Administrator")

	def test_publicity_after_filing_min_days_and_everyone_notified(self):
		doc = make_outcome(self.case.session, publicise=False)
		everyone = doc.topic_stakeholders()

		def attempt(notified, days=10, start=0):
			doc.reload()
			for s in notified:
				doc.append("notices", {"stakeholder": s, "notified_on": frappe.utils.now_datetime()})
			doc.stakeholders_notified_on = frappe.utils.now_datetime() if notified else None
			doc.publicity_from = add_days(nowdate(), start)
			doc.publicity_to = add_days(doc.publicity_from, days - 1)
			doc.save()

		self.assertRefused(attempt, [], error=PublicityError)
		self.assertRefused(attempt, everyone[:-1], error=PublicityError)  # one stakeholder missing
		self.assertRefused(attempt, everyone, days=6, error=PublicityError)  # too short
		self.assertRefused(attempt, everyone, start=-1, error=PublicityError)  # before the filing
		self.assertEqual(frappe.db.get_value("Consultation Outcome", doc.name, "status"), "Filed")
		attempt(everyone, days=7)
		self.assertEqual(doc.status, "Publicised")

	def test_outcome_needs_a_session_with_consensus_or_referral(self):
		case = full_case("无共识", result="No Consensus")
		self.assertRefused(make_outcome, case.session)
		draft = make_session(case.topic, case.people, conclude=False)
		self.assertRefused(make_outcome, draft)

	def test_one_live_outcome_per_session_and_make_outcome_is_idempotent(self):
		first = self.case.session.make_outcome()
		self.assertEqual(self.case.session.make_outcome(), first)
		self.assertRefused(make_outcome, self.case.session)

	# §二(一), 二(五)3
	def test_meeting_route_needs_resolution_before_implementation(self):
		case = full_case("会议决定")
		frappe.db.set_value("Consultation Topic", case.topic.name, "category", MEETING_CATEGORY)
		doc = make_outcome(case.session)
		doc.append("progress", progress(10))
		self.assertNotSaved(doc, error=MeetingDecisionRequiredError)
		doc.reload()
		make_basis(case.units.village_a)
		meeting = make_meeting(
			case.units.village_a, topics=[case.topic], attendance=villagers(60), votes=(40,)
		)
		doc.meeting = meeting.name
		doc.append("progress", progress(10))
		doc.save()
		self.assertEqual(doc.status, "In Implementation")

	def test_referred_session_outcome_needs_meeting_resolution(self):
		case = full_case("提交会议", result="No Consensus")
		second = make_session(case.topic, case.people, conclude=False)
		second.update(held_values("Referred to Villagers' Meeting"))
		second.submit()
		doc = make_outcome(second)
		doc.append("progress", progress(10))
		self.assertNotSaved(doc)

	# §二(六)
	def test_status_follows_progress_and_deadline(self):
		doc = make_outcome(self.case.session, progress=[progress(40)])
		self.assertEqual(doc.status, "In Implementation")
		self.assertEqual(doc.percent_complete, 40)
		frappe.db.set_value(
			"Consultation Outcome", doc.name, "implementation_deadline", add_days(nowdate(), -1)
		)
		follow_the_calendar()
		self.assertEqual(frappe.db.get_value("Consultation Outcome", doc.name, "status"), "Overdue")
		doc.reload()
		doc.append("progress", progress(100))
		doc.save()
		self.assertEqual(doc.status, "Implemented")

	def test_progress_is_published(self):
		doc = make_outcome(self.case.session)
		doc.append("progress", progress(20, published_on=None))
		self.assertNotSaved(doc, error=ProgressError)

	def test_government_entrusted_outcome_reported_before_implemented(self):
		doc = make_outcome(self.case.session, implementer_type="Government Entrusted", implementer="镇农业办")
		doc.append("progress", progress(100))
		self.assertNotSaved(doc, error=CompletionError)
		doc.reload()
		doc.reported_to_government_on = nowdate()
		doc.append("progress", progress(100))
		doc.save()
		self.assertEqual(doc.status, "Implemented")

	def test_dissent_explained_before_implemented(self):
		case = full_case("异议")
		frappe.db.sql("delete from `tabConsultation Session` where topic=%s", case.topic.name)
		frappe.db.set_value("Consultation Topic", case.topic.name, "status", "Accepted")
		session = make_session(case.topic, case.people, votes_for=3, votes_against=1)
		doc = make_outcome(session)
		doc.append("progress", progress(100))
		self.assertNotSaved(doc, error=CompletionError)
		doc.reload()
		doc.dissent_explanation = "已向反对的村民说明理由"
		doc.append("progress", progress(100))
		doc.save()
		self.assertEqual(doc.status, "Implemented")

	def test_implementation_needs_deadline(self):
		doc = make_outcome(self.case.session, file=False)
		doc.implementation_deadline = None
		self.assertRefused(doc.submit, error=FilingIncompleteError)

	# §二(六) correction
	def test_unlawful_outcome_is_corrected_by_cancel_and_amend(self):
		doc = make_outcome(self.case.session)
		doc.reload()
		doc.decision = "改写"
		self.assertRaises(frappe.UpdateAfterSubmitError, doc.save)
		doc.reload()
		doc.cancel()
		self.assertEqual(doc.status, "Cancelled")
		amended = frappe.copy_doc(doc, ignore_no_copy=False)
		amended.amended_from = doc.name
		amended.docstatus = 0
		amended.decision = "<p>依法更正后的决定</p>"
		self.assertRefused(amended.insert, error=CorrectionReasonError)
		amended.correction_reason = "原决定违反《村民委员会组织法》，依法更正"
		amended.insert()
		amended.submit()
		self.assertEqual(frappe.db.get_value("Consultation Outcome", doc.name, "status"), "Corrected")
		self.assertEqual(frappe.db.get_value("Consultation Outcome", doc.name, "docstatus"), 2)
		self.assertEqual(amended.docstatus, 1)
		self.assertIn(amended.status, ("Filed", "Publicised"))
