"""Public outcome pages (/consultation, /consultation/<unit>): readable by guests, in Chinese, only
outcomes whose publicity has started, with their published progress and corrections, and no
personal data."""

from contextlib import contextmanager
from urllib.parse import quote

import frappe
import pytest
from frappe.utils import add_days, now_datetime, nowdate, set_request
from frappe.website.serve import get_response

from community_consultation.portal.outcomes import public_outcomes, units_with_public_outcomes
from community_consultation.tests.factory import (
	make_outcome,
	make_people,
	make_session,
	make_stakeholder,
	make_topic,
	make_unit_tree,
)

PHONE = "13912345678"


@contextmanager
def as_guest_browser(accept_language: str = "en-US,en;q=0.9"):
	"""A guest whose browser asks for English."""
	previous_user, previous_lang = frappe.session.user, frappe.local.lang
	frappe.set_user("Guest")
	try:
		yield
	finally:
		frappe.local.request = None
		frappe.local.lang = previous_lang
		frappe.set_user(previous_user)


def render(path: str, accept_language: str = "en-US,en;q=0.9"):
	with as_guest_browser():
		set_request(method="GET", path=quote(path), headers={"Accept-Language": accept_language})
		frappe.local.lang = "en"
		response = get_response(path)
		return response.status_code, response.get_data(as_text=True)


def case(units, people, title: str, unit: str | None = None, **outcome):
	unit = unit or units.village_a
	topic = make_topic(unit, stakeholders=people, title=title)
	session = make_session(topic, people)
	return make_outcome(session, **outcome)


@pytest.fixture(scope="module")
def village(module_records):
	"""Village A with four residents (one with a phone number and a dissenting vote on record) and
	outcomes in every state that matters to the public: built once, read by every test of the module."""
	units = make_unit_tree("公开")
	frappe.db.set_value("Community Unit", units.village_a, "bulletin_board", "村委会门口公开栏")
	people = make_people(units.village_a)
	frappe.db.set_value("Stakeholder", people[0], "mobile_no", PHONE)
	builders = make_people(units.building, prefix="组民")
	out = frappe._dict(units=units, people=people)

	out.public = case(
		units,
		people,
		"村道路灯维修",
		progress=[{"percent_complete": 40, "note": "已采购路灯二十盏"}],
		dissent_explanation="已向反对的村民张三解释",
	)
	out.draft = case(units, people, "草稿中的议题成果", file=False)
	out.filed_only = case(units, people, "已备案未公示的成果", publicise=False)
	out.future = case(units, people, "下周才公示的成果", publicise=False)
	future = frappe.get_doc("Consultation Outcome", out.future.name)
	for stakeholder in future.topic_stakeholders():
		future.append(
			"notices", {"stakeholder": stakeholder, "notified_on": now_datetime(), "notified_via": "电话"}
		)
	future.stakeholders_notified_on = now_datetime()
	future.publicity_from = add_days(nowdate(), 3)
	future.publicity_to = add_days(nowdate(), 13)
	future.save()

	out.person_implemented = case(
		units,
		people,
		"由村民个人实施的成果",
		implementer_type="Stakeholder",
		implementer="王大伯",
		implementer_stakeholder=people[2],
	)
	firm = make_stakeholder("公开物业服务有限公司", units.village_a, "物业服务企业")
	out.firm_implemented = case(
		units,
		people,
		"由物业公司实施的成果",
		implementer_type="Stakeholder",
		implementer="公开物业服务有限公司",
		implementer_stakeholder=firm,
	)

	# a corrected outcome: the original cancelled, the amendment filed and publicised
	original = case(units, people, "集体收益分配方案", decision="<p>收益按户平均分配。</p>")
	original = frappe.get_doc("Consultation Outcome", original.name)
	original.cancel()
	out.original = original
	out.amendment = make_outcome(
		original.session,
		amended_from=original.name,
		correction_reason="原方案未经村民会议表决，违反村民委员会组织法，依法更正。",
		decision="<p>收益分配方案提交村民会议表决后实施。</p>",
	)
	# an outcome cancelled without correction is withdrawn
	out.withdrawn = case(units, people, "已撤销的成果")
	frappe.get_doc("Consultation Outcome", out.withdrawn.name).cancel()

	out.building = case(units, builders, "一组水塘清淤", unit=units.building)
	out.other_village = case(
		units, make_people(units.village_b, prefix="乙村民"), "乙村的成果", unit=units.village_b
	)
	return out


def names(outcomes) -> set[str]:
	return {row.name for row in outcomes}


def test_only_outcomes_whose_publicity_started_are_public(village):
	public = names(public_outcomes(village.units.village_a))
	assert village.public.name in public
	assert village.building.name in public  # the village page includes its villager groups
	for hidden in (
		village.draft,
		village.filed_only,
		village.future,
		village.withdrawn,
		village.other_village,
	):
		assert hidden.name not in public, hidden.topic_title
	assert village.other_village.name in names(public_outcomes(village.units.village_b))


def test_future_publicity_appears_on_its_first_day(village):
	assert village.future.name in names(
		public_outcomes(village.units.village_a, today=add_days(nowdate(), 3))
	)


def test_corrected_outcome_is_shown_with_its_correction(village):
	rows = {row.name: row for row in public_outcomes(village.units.village_a)}
	original, amendment = rows[village.original.name], rows[village.amendment.name]
	assert original.corrected and original.corrected_by == village.amendment.name
	assert original.correction_reason == "原方案未经村民会议表决，违反村民委员会组织法，依法更正。"
	assert not amendment.corrected and amendment.amended_from == village.original.name


def test_person_implementer_is_not_named_but_an_organisation_is(village):
	rows = {row.name: row for row in public_outcomes(village.units.village_a)}
	assert rows[village.person_implemented.name].implementer != "王大伯"
	assert rows[village.firm_implemented.name].implementer == "公开物业服务有限公司"


def test_unit_page_renders_for_guests_in_chinese_without_personal_data(village):
	status, html = render(f"/consultation/{village.units.village_a}")
	assert status == 200
	assert '<html lang="zh"' in html
	for expected in (
		"公开甲村协商成果公开",  # the title, in Chinese although the browser asked for English
		"村道路灯维修",
		"一组水塘清淤",
		"由村委会组织维修路灯，30日内完成。",
		"村民委员会",
		"已采购路灯二十盏",
		"已完成40%",
		"公示期限",
		"落实进展",
		"村委会门口公开栏",
		"由物业公司实施的成果",
		"公开物业服务有限公司",
		"相关利益方",
		# the correction
		"已更正",
		"收益按户平均分配。",
		"收益分配方案提交村民会议表决后实施。",
		"原方案未经村民会议表决，违反村民委员会组织法，依法更正。",
		f"本成果是对{village.original.name}的更正。",
	):
		assert expected in html, expected
	for absent in (
		# drafts, filed-only, future publicity, withdrawn, other villages
		"草稿中的议题成果",
		"已备案未公示的成果",
		"下周才公示的成果",
		"已撤销的成果",
		"乙村的成果",
		# personal data: phone numbers, participants' names, individual implementers, dissenters, votes
		PHONE,
		"王大伯",
		"张三",
		"已向反对的村民",
		"赞成",
		"反对",
		"弃权",
		*(frappe.db.get_value("Stakeholder", p, "stakeholder_name") for p in village.people),
		# English keys of statuses
		"In Implementation",
		"Publicised",
	):
		assert absent not in html, absent


def test_index_lists_villages_with_public_outcomes(village):
	groups = units_with_public_outcomes()
	listed = {unit.name: unit for group in groups for unit in group.units}
	assert village.units.village_a in listed and village.units.village_b in listed
	assert village.units.building not in listed  # its outcomes count for its village
	# 村道路灯维修, two implementer cases, the amendment and the villager group's outcome
	assert listed[village.units.village_a].outcomes == 5
	status, html = render("/consultation")
	assert status == 200
	assert "协商成果公开" in html
	assert f'href="/consultation/{quote(village.units.village_a)}"' in html
	assert "公开镇" in html


def test_unknown_unit_is_not_found(village):
	status, _html = render("/consultation/没有这个村")
	assert status == 404
