"""Sign-in by ticking the household register, in Debian's Chromium: at the door on a phone in WeChat
(360 px, WeChat's user agent) as the village's supervision committee, on /meeting-sign-in — searched by
household number and by name, a few ticks, the count and the quorum shown updating — and in the desk's
Sign In from Register dialog as the clerk, likewise (one tick, then Tick All Shown). What the pages showed
is checked against what the database holds after the walk."""

import frappe
import pytest
from browser_site import PASSWORD, chromium_ready, run_browser, served_world
from frappe.utils.password import update_password

from community_consultation.decision_bodies.doctype.community_meeting.community_meeting import count_of
from community_consultation.decision_bodies.register import import_register
from community_consultation.tests.factory import make_topic
from community_consultation.tests.meetings import meeting_values
from community_consultation.tests.users import make_user

pytestmark = pytest.mark.skipif(bool(chromium_ready()), reason=chromium_ready() or "")

# five adults in three households, and a child
REGISTER = """户号,姓名,户主,与户主关系,出生日期,年龄段,户籍,户代表,身份证号
001,张建国,是,户主,1960-03-01,,户籍,,
001,李秀英,否,配偶,1962-07-15,,户籍,,
001,张小明,否,孙子,2015-09-01,,户籍,,
002,李大山,是,户主,1975-01-20,,户籍,,
002,陈美华,否,配偶,1980-05-05,,非户籍,是,
003,王老五,是,户主,,18岁以上,户籍,,"""


def state_text(present: int, adults: int, households: int) -> str:
	"""The line both pages show: "到会3人：十八周岁以上村（居）民5人中到会3人，3户中2户的代表到会"."""
	counts = frappe._("{0}, {1}").format(count_of("adults", adults, 5), count_of("households", households, 3))
	return frappe._("{0} present: {1}").format(present, counts)


def present(meeting: str) -> list[str]:
	return frappe.db.sql(
		"""select attendee_name from `tabMeeting Attendance` where parent = %s and present = 1
		order by attendee_name""",
		meeting,
		pluck=True,
	)


def phone_steps(meeting: str) -> list[dict]:
	"""At the door: the whole list first, then household 001's adults (two ticks), then one by name."""
	return [
		{"goto": f"/meeting-sign-in?meeting={meeting}", "wait_text": state_text(0, 0, 0)},
		{"fill": "#cc-search", "value": "001", "wait_gone": "李大山"},
		{"click": "#cc-list li:nth-child(1) input", "wait_text": state_text(1, 1, 1)},
		{"click": "#cc-list li:nth-child(2) input", "wait_text": state_text(2, 2, 1)},
		{"fill": "#cc-search", "value": "李大山", "wait_gone": "张建国"},
		{"click": "#cc-list li:nth-child(1) input", "wait_text": state_text(3, 3, 2)},
		{"inspect": True},
	]


def desk_steps(meeting: str) -> list[dict]:
	"""In the form's dialog: household 002 searched, one ticked; then all shown ticked at once."""
	search = ".modal.show input[data-fieldname=txt]"
	return [
		{"goto": f"/app/community-meeting/{meeting}"},
		{
			"click": f"button:has-text('{frappe._('Sign In from Register')}')",
			"wait_text": frappe._("Tick All Shown"),
		},
		{"fill": search, "value": "002", "press": "Tab", "wait_gone": "张建国"},
		{"click": ".modal.show input[data-member] >> nth=0", "wait_text": state_text(1, 1, 1)},
		{"fill": search, "value": "", "press": "Tab", "wait_text": "王老五"},
		{"click": ".modal.show .btn-primary", "wait_text": state_text(5, 5, 3)},
	]


@pytest.fixture(scope="module")
def walks():
	with served_world() as (world, site):
		village = world.units.village_a
		import_register(village, REGISTER.encode(), "register.csv")
		topic = make_topic(village, title="签到走查议题")
		door = frappe.get_doc(meeting_values(village, topics=[topic], typed_basis_reason="")).insert()
		desk = frappe.get_doc(meeting_values(village, topics=[topic], typed_basis_reason="")).insert()
		supervisor = make_user(
			"browser-supervisor@example.com",
			["Supervision Committee Member"],
			[village],
			first_name="甲村监委",
			language="zh",
		)
		update_password(supervisor, PASSWORD)
		frappe.db.commit()
		frappe.local.lang = "zh"  # the users' language, for the lines the pages show
		try:
			phone, at_desk = phone_steps(door.name), desk_steps(desk.name)
			done = frappe._dict(shown_at_the_end=state_text(3, 3, 2))
		finally:
			frappe.local.lang = "en"
		done.phone = run_browser(
			{
				"base": site.base,
				"mode": "walk",
				"width": 360,
				"user": supervisor,
				"password": PASSWORD,
				"steps": phone,
			}
		)
		done.desk = run_browser(
			{
				"base": site.base,
				"mode": "walk",
				"width": 1400,
				"user": world.users.clerk,
				"password": PASSWORD,
				"steps": at_desk,
			}
		)
		frappe.db.rollback()
		done.door_present = present(door.name)
		done.desk_present = present(desk.name)
		done.desk_quorate = frappe.db.get_value("Community Meeting", desk.name, "quorate")
		yield done


def test_the_supervision_committee_ticks_at_the_door_on_a_phone_and_the_quorum_follows(walks):
	failed = [e for e in walks.phone if e.get("error")]
	assert not failed, failed
	page = walks.phone[-1]
	assert page["facts"]["lang"].startswith("zh") and not page["facts"]["scrolls_sideways"]
	assert walks.shown_at_the_end in page["text"], page["text"]
	assert walks.door_present == sorted(["张建国", "李秀英", "李大山"])


def test_the_clerk_ticks_in_the_desk_dialog_one_and_all_shown(walks):
	failed = [e for e in walks.desk if e.get("error")]
	assert not failed, failed
	assert walks.desk_present == sorted(["张建国", "李秀英", "李大山", "陈美华", "王老五"])
	assert walks.desk_quorate == 1
