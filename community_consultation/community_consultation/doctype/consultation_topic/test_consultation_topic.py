# Copyright (c) 2026, community_consultation developers and Contributors
# See license.txt

import frappe
from frappe.utils import add_days, nowdate

from community_consultation.community_consultation.doctype.consultation_topic.consultation_topic import (
	EscalationError,
	PartyConsentRequiredError,
	ReviewError,
)
from community_consultation.tests.factory import (
	full_case,
	make_outcome,
	make_people,
	make_session,
	make_topic,
	make_unit_tree,
)
from community_consultation.tests.utils import ProcedureTestCase

CONSENT_CATEGORY = "协商主体提出、经村(社区)党组织同意协商的事项"


class TestConsultationTopic(ProcedureTestCase):
	def test_topic_needing_party_consent_cannot_be_accepted_without_it(self):
		units = make_unit_tree("同意")
		topic = make_topic(units.village_a, accepted=False, category=CONSENT_CATEGORY)
		self.assertEqual(topic.status, "Draft")
		self.assertRefused(topic.accept, error=PartyConsentRequiredError)
		self.assertFalse(frappe.db.get_value("Consultation Topic", topic.name, "review_decision"))
		topic.reload()
		topic.accept(party_consent_on=nowdate())
		self.assertEqual(topic.status, "Accepted")
		self.assertEqual(topic.reviewed_by, "Administrator")

	def test_any_category_marked_for_consent_needs_it(self):
		units = make_unit_tree("同意二")
		frappe.db.set_value(
			"Consultation Category", "法律法规和政策规定要求协商的事项", "requires_party_consent", 1
		)
		topic = make_topic(units.village_a, accepted=False, category="法律法规和政策规定要求协商的事项")
		self.assertRefused(topic.accept, error=PartyConsentRequiredError)

	def test_consent_cannot_be_dated_in_the_future(self):
		units = make_unit_tree("同意三")
		topic = make_topic(units.village_a, accepted=False, category=CONSENT_CATEGORY)
		self.assertRefused(
			topic.accept, party_consent_on=add_days(nowdate(), 3), error=PartyConsentRequiredError
		)

	def test_rejection_needs_a_reason(self):
		units = make_unit_tree("驳回")
		topic = make_topic(units.village_a, accepted=False)
		self.assertRefused(topic.reject, "", error=ReviewError)
		topic.reload()
		topic.reject("不属于本村事务")
		self.assertEqual(topic.status, "Rejected")

	def test_level_is_derived_from_unit(self):
		units = make_unit_tree("层级")
		self.assertEqual(make_topic(units.building, level="Community").level, "Building")
		self.assertEqual(make_topic(units.village_a, level="Building").level, "Community")

	def test_status_is_derived_not_typed(self):
		units = make_unit_tree("状态")
		topic = make_topic(units.village_a, accepted=False)
		topic.status = "Closed"
		topic.save()
		self.assertEqual(topic.status, "Draft")

	def test_status_follows_sessions_and_outcome(self):
		case = full_case("流程", result="No Consensus")
		self.assertEqual(
			frappe.db.get_value("Consultation Topic", case.topic.name, "status"), "Awaiting Second Round"
		)
		second = make_session(case.topic, case.people, conclude=False)
		self.assertEqual(second.round_no, 2)
		self.assertEqual(
			frappe.db.get_value("Consultation Topic", case.topic.name, "status"), "In Consultation"
		)
		second.update(
			{
				"convener_statement": "说明",
				"proposer_statement": "说明",
				"discussion": "讨论",
				"vote_method": "Ballot",
				"votes_for": 4,
				"result": "Consensus",
				"consultation_opinion": "同意",
				"minutes": "记录",
			}
		)
		second.submit()
		self.assertEqual(frappe.db.get_value("Consultation Topic", case.topic.name, "status"), "Agreed")
		outcome = make_outcome(second, progress=[{"percent_complete": 100}])
		self.assertEqual(outcome.status, "Implemented")
		self.assertEqual(frappe.db.get_value("Consultation Topic", case.topic.name, "status"), "Closed")

	def test_accepted_topic_with_sessions_cannot_be_unaccepted(self):
		case = full_case("撤回")
		topic = frappe.get_doc("Consultation Topic", case.topic.name)
		self.assertRefused(lambda: topic.reject("改变主意"), error=ReviewError)


class TestEscalation(ProcedureTestCase):
	def building_topic_without_agreement(self):
		units = make_unit_tree("升级")
		people = make_people(units.building)
		topic = make_topic(units.building, stakeholders=people, title="楼道堆放杂物")
		self.session = make_session(topic, people, result="No Consensus")
		return units, topic

	def test_building_topic_without_agreement_is_escalated_once(self):
		units, topic = self.building_topic_without_agreement()
		topic.reload()
		new_name = topic.escalate()
		again = frappe.get_doc("Consultation Topic", topic.name).escalate()
		self.assertEqual(new_name, again)
		self.assertEqual(frappe.db.count("Consultation Topic", {"escalated_from": topic.name}), 1)
		new = frappe.get_doc("Consultation Topic", new_name)
		self.assertEqual(new.community_unit, units.village_a)
		self.assertEqual(new.level, "Community")
		self.assertEqual(new.source_channel, "Escalation")
		self.assertIn("会议记录", new.escalation_record)
		self.assertIn(self.session.name, new.escalation_record)
		self.assertEqual(frappe.db.get_value("Consultation Topic", topic.name, "status"), "Escalated")
		# the escalated building topic takes no further round
		self.assertRefused(make_session, topic, make_people(units.building), conclude=False)

	def test_only_building_topics_without_agreement_escalate(self):
		case = full_case("不升级")
		self.assertRefused(case.topic.escalate, error=EscalationError)
		units = make_unit_tree("不升级二")
		topic = make_topic(units.building, stakeholders=make_people(units.building))
		self.assertRefused(topic.escalate, error=EscalationError)

	def test_building_topic_is_escalated_not_referred(self):
		units = make_unit_tree("升级三")
		people = make_people(units.building)
		topic = make_topic(units.building, stakeholders=people)
		self.assertRefused(make_session, topic, people, result="Referred to Villagers' Meeting")
