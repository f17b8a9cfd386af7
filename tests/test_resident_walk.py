"""The issue's "done when", walked in Debian's Chromium as a resident on a phone in WeChat (360 px, WeChat's
user agent, a Chinese phone): sign up with a mobile number and the code the local SMS server (answering as
Alibaba Cloud) received, accept the personal information notice, choose the village, propose a topic, follow
it on /my-proposals; the village accepts it and calls a session with SMS among its channels, and the
resident's phone receives the stage notice and the session notice by SMS (seen on the local server); signed
in again by SMS code, the resident sees the new stage. Every page on the way is in Chinese, has no serious or
critical axe violation, and never shows "Frappe"."""

import frappe
import pytest
from browser_site import chromium_ready, run_browser, served_world
from frappe.utils import add_to_date, now_datetime

from community_consultation.portal.sms_login import village_options
from community_consultation.tests.factory import make_people, session_values
from community_consultation.tests.providers import AlibabaSms, reset_provider_settings, use_sms_provider

pytestmark = pytest.mark.skipif(bool(chromium_ready()), reason=chromium_ready() or "")

MOBILE = "13700000077"
SERIOUS = ("serious", "critical")


def sign_in_steps(inbox: str) -> list[dict]:
	return [
		{"goto": "/login", "inspect": True},
		{"fill": "#cc-mobile", "value": MOBILE},
		{"click": "#cc-send-code", "wait_text": "验证码已发送"},
		{"code_for": MOBILE, "inbox": inbox, "into": "#cc-code"},
		{"click": "#cc-sms-form button[type=submit]"},
	]


def checked(report: list[dict]) -> list[dict]:
	"""Every step ran; every page looked at is Chinese, axe-clean and free of "Frappe"."""
	failed = [e for e in report if e.get("error")]
	assert not failed, failed
	pages = [e for e in report if e.get("facts")]
	for entry in pages:
		where = entry["facts"]["url"]
		assert entry.get("status", 200) == 200, entry
		assert entry["facts"]["lang"].startswith("zh"), where
		assert "frappe" not in entry["text"].lower(), (where, entry["text"][:500])
		serious = [v for v in entry["violations"] if v["impact"] in SERIOUS]
		assert serious == [], (where, serious)
		assert not entry["facts"]["scrolls_sideways"], where
	return pages


@pytest.fixture(scope="module")
def walk():
	server = AlibabaSms()
	try:
		with served_world() as (world, site):
			use_sms_provider("Alibaba Cloud", server)
			frappe.db.commit()
			inbox = f"{server.url}/_inbox"
			(village_label,) = [o["label"] for o in village_options() if o["value"] == world.units.village_a]
			first = run_browser(
				{
					"base": site.base,
					"mode": "walk",
					"steps": [
						*sign_in_steps(inbox),
						{"wait_url": "/sign-up", "inspect": True},
						{"fill": "#cc-full-name", "value": "王小明"},
						{"select": "#cc-unit", "label": village_label},
						{"check": "#cc-accept"},
						{
							"click": "#cc-sign-up-form button[type=submit]",
							"wait_url": "/my-proposals",
							"inspect": True,
						},
						{"goto": "/personal-information", "inspect": True},
						{
							"goto": "/propose-topic/new",
							"fill_form": [
								["community_unit", {"select": "浏览甲村"}],
								["category", {"select": "社区服务"}],
								["title", "村口路灯不亮"],
								["description", "村口三盏路灯坏了一个月，晚上看不见路。"],
							],
							"inspect": True,
						},
						{"goto": "/my-proposals", "inspect": True},
					],
				}
			)
			frappe.db.rollback()
			user = frappe.db.get_value("User", {"mobile_no": MOBILE}, "name")
			topic = user and frappe.db.get_value("Consultation Topic", {"owner": user}, "name")
			facts = frappe._dict(user=user, topic=topic, first=first)
			if topic:
				# the village accepts the proposal and calls a session, noticed by SMS
				resident = frappe.db.get_value("Stakeholder", {"user": user}, "name")
				people = [*make_people(world.units.village_a, count=2, prefix="走查"), resident]
				doc = frappe.get_doc("Consultation Topic", topic)
				for person in people:
					doc.append("participants", {"stakeholder": person})
				doc.save()
				doc.accept()
				session = frappe.get_doc(
					session_values(
						doc, people, notice_published_on=None, notice_channels=[], venue="村委会议室"
					)
				)
				for row in session.participants:
					row.notified_on = row.notified_via = None
				session.starts_on = add_to_date(now_datetime(), days=5)
				session.insert()
				session.publish_notice(["Bulletin Board", "SMS"])
				# a later code to the same number: past the minute between two codes
				frappe.db.sql(
					"update `tabSMS Verification Code` set creation=%s",
					add_to_date(now_datetime(), minutes=-2),
				)
				frappe.db.commit()
				facts.session = session.name
				facts.second = run_browser(
					{
						"base": site.base,
						"mode": "walk",
						"steps": [
							*sign_in_steps(inbox),
							{"wait_url": "/my-proposals", "inspect": True},
						],
					}
				)
			facts.inbox = [m for m in server.inbox() if m["number"] == MOBILE]
			facts.world = world
			yield facts
	finally:
		reset_provider_settings()
		server.stop()


def test_a_resident_signs_up_by_sms_in_wechat_and_proposes_a_topic(walk):
	pages = checked(walk.first)
	assert walk.user, "no account was made"
	assert (
		frappe.db.get_value("User", walk.user, "user_type") == "Website User"
		if frappe.db.exists("User", walk.user)
		else True
	)
	assert walk.topic, "the proposal did not arrive"
	paths = [e["facts"]["url"] for e in pages]
	assert paths[:3] == ["/login", "/sign-up", "/my-proposals"], paths
	received = next(e for e in pages if e["step"].get("goto") == "/my-proposals")
	assert "村口路灯不亮" in received["text"]
	assert frappe._("Received", lang="zh") in received["text"]


def test_the_resident_follows_the_proposal_and_receives_its_notices_by_sms(walk):
	assert walk.get("second"), "the village could not accept the proposal"
	page = checked(walk.second)[-1]
	assert page["facts"]["url"] == "/my-proposals"
	assert "村口路灯不亮" in page["text"]
	assert frappe._("In Consultation", lang="zh") in page["text"]
	codes = [m for m in walk.inbox if "code" in m["params"]]
	assert len(codes) == 2
	stages = [m["params"] for m in walk.inbox if "stage" in m["params"]]
	assert any(p["stage"] == frappe._("Accepted", lang="zh") for p in stages), walk.inbox
	sessions = [m["params"] for m in walk.inbox if "place" in m["params"]]
	assert sessions and sessions[-1]["topic"] == "村口路灯不亮" and sessions[-1]["place"] == "村委会议室"
