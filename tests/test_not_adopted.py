"""A topic a quorate meeting voted down is Not Adopted (§二(一): a reserved matter is carried out only
once passed), and its life-cycle table says what that allows: no new consultation session, no referral
to the township, and its proposer is told it was not adopted, never that it was "Received"."""

import frappe
import pytest
from test_proposal_tracking import render, stages
from test_resident_proposals import propose

from community_consultation.community_consultation.doctype.consultation_session.consultation_session import (
	TopicNotOpenError,
)
from community_consultation.notices.proposal_progress import (
	IN_CONSULTATION,
	NOT_ADOPTED,
	my_proposals,
)
from community_consultation.procedure.results import NO_CONSENSUS
from community_consultation.tests.factory import make_people, make_session, make_topic
from community_consultation.tests.meetings import make_basis, make_meeting, villagers
from community_consultation.tests.users import make_user
from community_consultation.township.doctype.township_referral.township_referral import (
	ReferralNotAllowedError,
)


def vote_down(topic, people):
	"""A first round without consensus, then a quorate villagers' meeting votes the matter down."""
	make_session(topic, people, result=NO_CONSENSUS)
	make_basis(topic.community_unit, adults=100, households=30)
	make_meeting(topic.community_unit, topics=[topic], attendance=villagers(60), votes=(20, 40))
	topic.reload()
	return topic


@pytest.fixture
def resident(units):
	return make_user("not-adopted@example.com", ["Resident"], first_name="孙立")


@pytest.fixture
def voted_down(units):
	people = make_people(units.village_a)
	topic = make_topic(units.village_a, stakeholders=people, title="村集体鱼塘承包方案")
	return frappe._dict(topic=vote_down(topic, people), people=people)


def test_a_topic_a_quorate_meeting_voted_down_is_not_adopted(voted_down):
	assert voted_down.topic.status == "Not Adopted"
	assert frappe.db.get_value("Consultation Topic", voted_down.topic.name, "status") == "Not Adopted"


def test_a_topic_not_adopted_takes_no_new_session(voted_down):
	with pytest.raises(TopicNotOpenError):
		make_session(voted_down.topic, voted_down.people, conclude=False)
	assert not frappe.db.exists("Consultation Session", {"topic": voted_down.topic.name, "docstatus": 0})


def test_a_topic_not_adopted_cannot_be_referred_to_the_township(voted_down):
	with pytest.raises(ReferralNotAllowedError):
		frappe.get_doc(
			{
				"doctype": "Township Referral",
				"topic": voted_down.topic.name,
				"reason": "村民会议未通过，请镇里定夺",
			}
		).insert()
	assert not frappe.db.exists("Township Referral", {"topic": voted_down.topic.name})


def test_the_proposer_of_a_topic_not_adopted_is_told_so(units, resident):
	proposal = propose(resident, units.village_a, title="在村口修建停车场")
	topic = frappe.get_doc("Consultation Topic", proposal.name)
	topic.accept()
	people = make_people(units.village_a)
	topic.reload()
	for stakeholder in people:
		topic.append("participants", {"stakeholder": stakeholder})
	topic.save()
	vote_down(topic, [topic.proposer, *people])

	assert stages(topic.name)[-2:] == [IN_CONSULTATION, NOT_ADOPTED]
	(mine,) = my_proposals(resident)
	assert mine.stage == NOT_ADOPTED
	assert [step.label for step in mine.steps][-1] == frappe._(NOT_ADOPTED)
	assert all(step.done for step in mine.steps) and mine.steps[-1].current and mine.ended
	status, _location, html = render("/my-proposals", resident)
	assert status == 200 and "在村口修建停车场" in html and 'class="cc-badge cc-badge-late"' in html
