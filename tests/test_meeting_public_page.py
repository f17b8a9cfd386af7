"""The public outcome page shows the resolution of the meeting that decided a reserved matter, and its
implementation (二(一), 二(五)3, 二(六); Organic Law art. 30: decisions and their implementation are
published)."""

import frappe
from frappe.utils import nowdate
from test_public_outcome_pages import render

from community_consultation.tests.factory import full_case, make_outcome
from community_consultation.tests.meetings import make_basis, make_meeting, villagers

MEETING_CATEGORY = "村(社区)经济社会发展规划和年度计划"


def test_public_page_shows_the_meetings_resolution_and_the_implementation():
	case = full_case("公开会议")
	frappe.db.set_value("Consultation Topic", case.topic.name, "category", MEETING_CATEGORY)
	make_basis(case.units.village_a)
	meeting = make_meeting(
		case.units.village_a,
		topics=[case.topic],
		attendance=villagers(60),
		votes=(45, 10, 5),
		agenda=[
			{
				"topic": case.topic.name,
				"matter": "是否同意维修路灯",
				"resolution": "同意由村委会组织维修路灯。",
			}
		],
	)
	outcome = make_outcome(case.session)
	outcome.meeting = meeting.name
	outcome.append(
		"progress",
		{"update_on": nowdate(), "published_on": nowdate(), "percent_complete": 40, "note": "已采购路灯"},
	)
	outcome.save()
	status, html = render(f"/consultation/{case.units.village_a}")
	assert status == 200
	for expected in ("村(居)民会议决议", "达到法定人数：通过", "同意由村委会组织维修路灯。", "已采购路灯"):
		assert expected in html, expected
