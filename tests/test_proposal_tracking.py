"""Residents follow what they proposed: /my-proposals lists the signed-in resident's own topics with
their stage, and the resident is told (system notification, email, SMS) each time a topic reaches a
new stage — never about anybody else's proposals. The page works in WeChat's browser."""

from urllib.parse import quote

import frappe
import pytest
from frappe.utils import set_request
from frappe.website.serve import get_response
from test_resident_proposals import propose

from community_consultation.notices.proposal_progress import (
	ACCEPTED,
	DECIDED,
	IMPLEMENTED,
	NOT_ACCEPTED,
	OUTCOME_PUBLIC,
	RECEIVED,
	my_proposals,
)
from community_consultation.tests.factory import make_outcome, make_people, make_session
from community_consultation.tests.users import make_user

WECHAT = (
	"Mozilla/5.0 (Linux; Android 13; V2148A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like "
	"Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 "
	"MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN"
)


@pytest.fixture
def resident(units):
	return make_user("tracker-a@example.com", ["Resident"], first_name="刘海")


@pytest.fixture
def other_resident(units):
	return make_user("tracker-b@example.com", ["Resident"], first_name="赵敏")


def stages(topic: str) -> list[str]:
	return frappe.get_all(
		"Proposal Progress Notice", {"topic": topic}, pluck="stage", order_by="sent_on asc, creation asc"
	)


def notifications(user: str, topic: str) -> list[str]:
	return frappe.get_all(
		"Notification Log",
		{"for_user": user, "document_type": "Consultation Topic", "document_name": topic},
		pluck="subject",
		order_by="creation asc",
	)


def render(path: str, user: str, user_agent: str = WECHAT):
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		set_request(method="GET", path=quote(path), headers={"User-Agent": user_agent})
		response = get_response(path)
		return response.status_code, response.headers.get("Location"), response.get_data(as_text=True)
	finally:
		frappe.local.request = None
		frappe.set_user(previous)


def test_resident_sees_each_stage_of_their_proposal_and_is_told_when_it_moves(units, resident):
	topic = propose(resident, units.village_a, title="小区路灯不亮")
	assert [p.stage for p in my_proposals(resident)] == [RECEIVED]
	assert stages(topic.name) == []  # their own proposal is not news to them

	doc = frappe.get_doc("Consultation Topic", topic.name)
	doc.accept()
	assert stages(topic.name) == [ACCEPTED]
	(subject,) = notifications(resident, topic.name)
	assert "小区路灯不亮" in subject

	people = make_people(units.village_a)
	doc.reload()
	for stakeholder in people:
		doc.append("participants", {"stakeholder": stakeholder})
	doc.save()
	session = make_session(doc, [doc.proposer, *people])
	outcome = make_outcome(session, publicise=False)
	assert stages(topic.name)[-1] == DECIDED
	outcome.reload()
	for stakeholder in outcome.topic_stakeholders():
		outcome.append(
			"notices",
			{"stakeholder": stakeholder, "notified_on": frappe.utils.now_datetime(), "notified_via": "电话"},
		)
	outcome.stakeholders_notified_on = frappe.utils.now_datetime()
	outcome.publicity_from = frappe.utils.nowdate()
	outcome.publicity_to = frappe.utils.add_days(frappe.utils.nowdate(), 9)
	outcome.save()
	assert stages(topic.name)[-1] == OUTCOME_PUBLIC
	outcome.append(
		"progress",
		{
			"update_on": frappe.utils.nowdate(),
			"published_on": frappe.utils.nowdate(),
			"percent_complete": 100,
			"note": "完成",
		},
	)
	outcome.save()
	assert stages(topic.name)[-1] == IMPLEMENTED
	assert len(set(stages(topic.name))) == len(stages(topic.name))  # each stage announced once

	(mine,) = my_proposals(resident)
	assert mine.stage == IMPLEMENTED and all(step.done for step in mine.steps)
	assert mine.outcome_url.endswith("#" + outcome.name)


def test_a_rejected_proposal_shows_why(units, resident):
	topic = propose(resident, units.village_a, title="在广场养鸽子")
	frappe.get_doc("Consultation Topic", topic.name).reject("属于物业管理事项，已转交物业公司处理")
	(mine,) = my_proposals(resident)
	assert mine.stage == NOT_ACCEPTED and mine.rejection_reason.startswith("属于物业管理事项")
	assert stages(topic.name) == [NOT_ACCEPTED]
	status, _location, html = render("/my-proposals", resident)
	assert status == 200 and "属于物业管理事项" in html


def test_a_resident_never_sees_or_hears_of_another_residents_proposal(units, resident, other_resident):
	theirs = propose(other_resident, units.village_a, title="乙的议题")
	mine = propose(resident, units.village_a, title="甲的议题")
	frappe.get_doc("Consultation Topic", theirs.name).accept()
	assert [p.name for p in my_proposals(resident)] == [mine.name]
	assert notifications(resident, theirs.name) == []
	status, _location, html = render("/my-proposals", resident)
	assert status == 200
	assert "甲的议题" in html and "乙的议题" not in html and theirs.name not in html


def test_my_proposals_in_wechat_asks_a_guest_to_log_in_and_speaks_chinese(units, resident):
	status, location, _html = render("/my-proposals", "Guest")
	assert status in (301, 302) and location.endswith("/login?redirect-to=/my-proposals")
	propose(resident, units.village_a, title="楼道灯")
	status, _location, html = render("/my-proposals", resident)
	assert status == 200 and '<html lang="zh"' in html
	assert "楼道灯" in html and frappe._("Received", lang="zh") in html
