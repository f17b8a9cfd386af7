# Copyright (c) 2026, community_consultation developers and Contributors
# See license.txt

import frappe
from frappe.utils import add_to_date, now_datetime

from community_consultation.community_consultation.doctype.consultation_session.consultation_session import (
	NoticeError,
	ResultNotAllowedError,
	SessionRolesError,
	TopicNotOpenError,
	VoteCountError,
)
from community_consultation.tests.factory import (
	held_values,
	make_people,
	make_session,
	make_topic,
	make_unit_tree,
	session_values,
)
from community_consultation.tests.utils import ProcedureTestCase


class TestConsultationSession(ProcedureTestCase):
	def setUp(self):
		super().setUp()
		self.units = make_unit_tree("会议")
		self.people = make_people(self.units.village_a)
		self.topic = make_topic(self.units.village_a, stakeholders=self.people)

	def held(self, **kw):
		values = session_values(self.topic, self.people)
		values.update(held_values())
		values.update(kw)
		return frappe.get_doc(values)

	def assertNotConcluded(self, doc, error=frappe.ValidationError):
		self.assertRefused(doc.submit, error=error)
		if doc.name:
			self.assertEqual(frappe.db.get_value("Consultation Session", doc.name, "docstatus"), 0)

	# §二(五)2
	def test_session_cannot_conclude_before_notice_lead_time(self):
		doc = self.held()
		doc.notice_published_on = add_to_date(doc.starts_on, hours=-10)
		doc.insert()
		self.assertNotConcluded(doc, error=NoticeError)
		doc.reload()
		doc.notice_published_on = add_to_date(doc.starts_on, hours=-72)
		doc.submit()
		self.assertEqual(doc.status, "Concluded")

	def test_session_cannot_conclude_without_notice_or_channel(self):
		doc = self.held(notice_published_on=None)
		doc.insert()
		self.assertNotConcluded(doc)
		doc = self.held(notice_channels=[], round_no=1)
		doc.name = None
		frappe.db.delete("Consultation Session", {"topic": self.topic.name})
		doc.insert()
		self.assertNotConcluded(doc)

	def test_session_cannot_conclude_until_every_participant_notified(self):
		doc = self.held()
		doc.participants[2].notified_on = None
		doc.insert()
		self.assertNotConcluded(doc, error=NoticeError)

	def test_notice_cannot_follow_the_session(self):
		doc = self.held(notice_published_on=add_to_date(now_datetime(), days=1))
		self.assertRefused(doc.insert)

	# §二(五)3
	def test_session_has_exactly_one_convener_and_a_proposer(self):
		doc = self.held()
		doc.participants[2].participant_role = "Convener"
		self.assertRefused(doc.insert, error=SessionRolesError)
		doc = self.held()
		doc.participants[1].participant_role = "Participant"
		self.assertRefused(doc.insert, error=SessionRolesError)
		doc = self.held(notice_published_on=None)
		for p in doc.participants:
			p.participant_role = "Participant"
		doc.insert()  # a draft being prepared may lack them
		self.assertNotConcluded(doc)

	def test_concluded_session_has_four_steps_and_minutes(self):
		for field in (
			"convener_statement",
			"proposer_statement",
			"discussion",
			"minutes",
			"consultation_opinion",
		):
			frappe.db.delete("Consultation Session", {"topic": self.topic.name})
			doc = self.held(**{field: ""})
			doc.insert()
			self.assertNotConcluded(doc)

	def test_vote_counts_non_negative_and_within_attendees(self):
		self.assertRefused(self.held(votes_against=-1, votes_for=3).insert, error=VoteCountError)
		self.assertRefused(self.held(votes_for=4, votes_against=1).insert, error=VoteCountError)
		doc = self.held()
		doc.participants[3].attended = 0
		self.assertRefused(doc.insert)  # 4 votes for, 3 attendees

	def test_consensus_needs_the_threshold(self):
		doc = self.held(votes_for=1, votes_against=3)
		self.assertRefused(doc.insert, error=ResultNotAllowedError)
		doc = self.held(votes_for=2, votes_against=2)  # 50% reaches the default threshold
		doc.insert()
		self.assertEqual(doc.attendees, 4)
		frappe.db.set_single_value("Consultation Settings", "consensus_threshold", 75)
		frappe.clear_document_cache("Consultation Settings", "Consultation Settings")
		self.assertRefused(doc.save)

	# §二(五)3 second consultation
	def test_second_round_only_after_round_without_consensus(self):
		first = make_session(self.topic, self.people, conclude=False)
		self.assertRefused(make_session, self.topic, self.people, conclude=False, round_no=2)
		first.update(held_values())
		first.submit()
		# consensus reached: no second round
		self.assertRefused(make_session, self.topic, self.people, conclude=False)

	def test_rounds_are_numbered_and_unique(self):
		first = make_session(self.topic, self.people, result="No Consensus")
		self.assertEqual(first.round_no, 1)
		self.assertRefused(make_session, self.topic, self.people, conclude=False, round_no=1)
		self.assertRefused(make_session, self.topic, self.people, conclude=False, round_no=3)
		second = make_session(self.topic, self.people, conclude=False)
		self.assertEqual(second.round_no, 2)

	def test_after_last_round_only_referral(self):
		make_session(self.topic, self.people, result="No Consensus")
		second = make_session(self.topic, self.people, conclude=False)
		second.update(held_values("No Consensus"))
		self.assertRefused(second.submit, error=ResultNotAllowedError)
		second.reload()
		second.update(held_values("Referred to Villagers' Meeting"))
		second.submit()
		self.assertEqual(frappe.db.get_value("Consultation Topic", self.topic.name, "status"), "Referred")
		self.assertRefused(make_session, self.topic, self.people, conclude=False, round_no=3)

	def test_topic_must_be_accepted(self):
		draft = make_topic(self.units.village_a, accepted=False, stakeholders=self.people)
		self.assertRefused(make_session, draft, self.people, conclude=False, error=TopicNotOpenError)

	def test_concluded_session_cannot_be_edited(self):
		doc = make_session(self.topic, self.people)
		doc.reload()
		doc.minutes = "改写"
		self.assertRaises(frappe.UpdateAfterSubmitError, doc.save)
		self.assertEqual(doc.concluded_by, "Administrator")
		self.assertTrue(doc.concluded_on)

	def test_publish_notice_records_channels_and_notifications(self):
		if not frappe.db.exists("User", "notice-test@example.com"):
			frappe.get_doc(
				{
					"doctype": "User",
					"email": "notice-test@example.com",
					"first_name": "通知",
					"send_welcome_email": 0,
				}
			).insert(ignore_permissions=True)
		frappe.db.set_value("Stakeholder", self.people[0], "user", "notice-test@example.com")
		doc = frappe.get_doc(
			session_values(self.topic, self.people, notice_published_on=None, notice_channels=[])
		)
		for p in doc.participants:
			p.notified_on = None
		doc.starts_on = add_to_date(now_datetime(), days=5)
		doc.insert()
		doc.publish_notice(["Bulletin Board", "SMS"])
		doc.reload()
		self.assertEqual(doc.status, "Notice Published")
		self.assertEqual({c.channel for c in doc.notice_channels}, {"Bulletin Board", "SMS"})
		notified = {p.stakeholder: p.notified_on for p in doc.participants}
		self.assertTrue(notified[self.people[0]])
		self.assertIsNone(notified[self.people[1]])  # no contact: the clerk phones and records it
		self.assertTrue(
			frappe.db.exists(
				"Notification Log",
				{
					"for_user": "notice-test@example.com",
					"document_type": "Consultation Session",
					"document_name": doc.name,
				},
			)
		)
		self.assertRefused(doc.publish_notice, ["Carrier Pigeon"], error=NoticeError)
