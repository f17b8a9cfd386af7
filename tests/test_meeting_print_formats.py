"""The meetings' print formats, rendered to PDF by Frappe (wkhtmltopdf) in simplified Chinese and read
back from the PDF's text layer: the notice with its date and notice period, the sign-in sheet with blank
lines, the minutes with the quorum and each vote, the resolution notice (and an inquorate meeting's)."""

import frappe
import pytest
from test_print_formats import cn_date, flat, pdf_text

from community_consultation.tests.factory import full_case, make_topic
from community_consultation.tests.meetings import make_basis, make_meeting, representatives, villagers

FORMATS = ("民主决策会议通知", "民主决策会议签到表", "民主决策会议记录", "民主决策会议决议公告")


@pytest.fixture
def case():
	case = full_case("会议印刷")
	case.basis = make_basis(case.units.village_a, adults=1030, households=290, representatives=9)
	case.passed = make_meeting(
		case.units.village_a,
		"Villagers' Representatives' Meeting",
		topics=[case.topic],
		attendance=representatives(case.basis, 7),
		votes=(6, 1, 0),
		title="村民代表会议",
	)
	return case


def test_meeting_print_formats_are_standard_and_enabled():
	for name in FORMATS:
		fmt = frappe.get_doc("Print Format", name)
		assert fmt.doc_type == "Community Meeting" and fmt.standard == "Yes" and not fmt.disabled


def test_meeting_notice_pdf_gives_the_notice_date_and_the_matters(case):
	text = flat(pdf_text("Community Meeting", case.passed.name, "民主决策会议通知"))
	assert flat("关于召开村民代表会议的通知") in text
	assert flat(cn_date(case.passed.notice_published_on)) in text
	assert flat(case.topic.title) in text


def test_villagers_meeting_notice_pdf_states_the_ten_days(case):
	doc = make_meeting(case.units.village_a, topics=[case.topic], attendance=villagers(10), submit=False)
	text = flat(pdf_text("Community Meeting", doc.name, "民主决策会议通知"))
	assert flat("依法提前不少于10天") in text


def test_sign_in_sheet_pdf_lists_the_representatives_with_blank_lines(case):
	text = flat(pdf_text("Community Meeting", case.passed.name, "民主决策会议签到表"))
	assert flat("签到表") in text and flat("签名") in text
	assert flat(case.basis.representatives[0].representative_name) in text
	# the roster's nine rows, then blank numbered lines to sign
	assert "24" in text


def test_minutes_pdf_has_the_quorum_and_each_vote(case):
	text = flat(pdf_text("Community Meeting", case.passed.name, "民主决策会议记录"))
	assert flat("代表9人中到会7人") in text
	assert flat("赞成票") in text and flat("通过") in text


def test_resolution_notice_pdf_of_an_inquorate_meeting_says_it_decided_nothing(case):
	other = make_topic(case.units.village_a, title="宅基地使用方案")
	doc = make_meeting(case.units.village_a, attendance=villagers(412), record_as_inquorate=1, topics=[other])
	text = flat(pdf_text("Community Meeting", doc.name, "民主决策会议决议公告"))
	assert flat("未达到法定人数") in text and flat("未作任何决定") in text
	assert flat("十八周岁以上村（居）民1,030人中到会412人") in text


def test_resolution_notice_pdf_qr_code_leads_to_the_units_public_page(case):
	from test_qr_codes import decoded_qr_codes_of

	from community_consultation.portal.qr import unit_page_path

	path = unit_page_path(case.units.village_a)
	texts, expected = decoded_qr_codes_of("Community Meeting", case.passed.name, "民主决策会议决议公告", path)
	assert texts == [expected]
	assert expected.endswith(path)
