"""Two villages of the same name under different townships are told apart wherever a person reads their
name (units/names.py `display_name`): the resident's /my-proposals, the township's report-back and
correction notices name the village with its township, 车头村委会（石潭镇）, never bare."""

import frappe
import pytest
from frappe.utils import add_days, nowdate
from test_proposal_tracking import render
from test_resident_proposals import propose

from community_consultation.tests.factory import DEFAULT_CATEGORY, make_unit, make_unit_tree
from community_consultation.tests.users import as_user, make_user
from community_consultation.township.doctype.consultation_inspection.consultation_inspection import (
	follow_open_corrections,
)
from community_consultation.township.doctype.township_assignment.township_assignment import (
	follow_report_backs,
)

NAME = "重名村委会"


@pytest.fixture
def twins():
	"""车头村委会 twice: under the tree's township (bare, the first) and under a second township, where it
	carries that township's name."""
	units = make_unit_tree("重名")
	first = make_unit(NAME, "Village", units.township)
	second_township = make_unit("重名二镇", "Township", units.county)
	second = make_unit(NAME, "Village", second_township)
	assert second == f"{NAME}（重名二镇）"
	officer = make_user("twin-officer@example.com", ["Township Officer"], [second_township])
	return frappe._dict(first=first, second=second, township=second_township, officer=officer)


def notified(user: str, doctype: str, name: str) -> str:
	return " ".join(
		f"{row.subject} {row.email_content}"
		for row in frappe.get_all(
			"Notification Log",
			{"for_user": user, "document_type": doctype, "document_name": name},
			["subject", "email_content"],
		)
	)


def test_my_proposals_names_a_repeated_village_with_its_township(twins):
	resident = make_user("twin-resident@example.com", ["Resident"], first_name="陈平")
	topic = propose(resident, twins.second, title="重名村修桥")
	status, _location, html = render("/my-proposals", resident)
	assert status == 200
	assert f"{topic.name} · {twins.second}" in html


def test_report_back_notice_names_a_repeated_village_with_its_township(twins):
	with as_user(twins.officer):
		doc = frappe.get_doc(
			{
				"doctype": "Township Assignment",
				"title": "重名村环境整治",
				"entrusted_by": "县农业农村局",
				"community_unit": twins.township,
				"category": DEFAULT_CATEGORY,
				"description": "<p>报告整治结果。</p>",
				"report_back_by": nowdate(),
				"villages": [{"village": twins.second}],
			}
		).insert()
		doc.assign()
	follow_report_backs(today=add_days(nowdate(), 1))
	assert twins.second in notified(twins.officer, "Township Assignment", doc.name)


def test_correction_notice_names_a_repeated_village_with_its_township(twins):
	with as_user(twins.officer):
		doc = frappe.get_doc(
			{
				"doctype": "Consultation Inspection",
				"community_unit": twins.second,
				"inspected_on": nowdate(),
				"inspecting_body": "镇党委组织办",
				"checked": "协商台账",
				"findings": "<p>台账不全。</p>",
				"corrections": [{"requirement": "补齐台账", "deadline": add_days(nowdate(), 5)}],
			}
		).insert()
		doc.submit()
	follow_open_corrections(today=add_days(nowdate(), 6))
	assert twins.second in notified(twins.officer, "Consultation Inspection", doc.name)


def test_a_residents_pickers_tell_twin_villages_under_twin_townships_apart():
	"""石潭镇 in two counties, each with a 车头村委会: the sign-up's village picker and the proposal form's unit
	picker label them by the township's record name, which carries its county."""
	from community_consultation.community_consultation.web_form.propose_a_consultation_topic.propose_a_consultation_topic import (
		unit_options,
	)
	from community_consultation.portal.sms_login import village_options

	villages = []
	for county in ("重名甲县", "重名乙县"):
		county_unit = make_unit(county, "County")
		township = make_unit("重名石潭镇", "Township", county_unit)
		villages.append(make_unit(NAME, "Village", township))
	assert len(set(villages)) == 2
	for options in (village_options(), unit_options()):
		labels = {o["value"]: o["label"] for o in options if o["value"] in villages}
		assert len(labels) == 2 and len(set(labels.values())) == 2, labels
		assert any("重名乙县" in label for label in labels.values()), labels
