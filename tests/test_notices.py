"""Notices by system notification, email and SMS: who receives what, and that nobody outside the record's
unit receives anything.

Every test looks at what actually went out — Notification Log rows, Email Queue recipients, the messages a
local SMS gateway (a tiny HTTP server on 127.0.0.1, started by the test) received — and at what was
recorded: the participants' `notified_on`/`notified_via`, the outcome's `notices`, the Consultation Notice
Log. The world: village A (where everything happens) and village B of the same township, each with its
secretary, clerk and supervisor, stakeholders reachable in different ways, and two counties with their
staff.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import frappe
import pytest
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_to_date, getdate, now_datetime, nowdate

from community_consultation.community_consultation.doctype.consultation_outcome.consultation_outcome import (
	follow_the_calendar,
)
from community_consultation.notices import delivery as notices
from community_consultation.notices.delivery import send_annual_return_reminders as annual_return_reminders
from community_consultation.tests.factory import (
	make_outcome,
	make_session,
	make_stakeholder,
	make_topic,
	make_unit_tree,
	session_values,
)
from community_consultation.tests.users import as_user, make_user

SESSION_NOTICE = "Session Notice"


class Gateway(ThreadingHTTPServer):
	"""A local SMS gateway: answers every request with `status` and keeps what it was sent."""

	def __init__(self, status: int = 200):
		self.status, self.messages = status, []

		class Handler(BaseHTTPRequestHandler):
			def do_GET(handler):
				query = parse_qs(urlparse(handler.path).query)
				self.messages.append({k: v[0] for k, v in query.items()})
				handler.send_response(self.status)
				handler.end_headers()
				handler.wfile.write(b"OK")

			def log_message(handler, *args):
				pass

		super().__init__(("127.0.0.1", 0), Handler)
		self.url = f"http://127.0.0.1:{self.server_address[1]}/sms"
		threading.Thread(target=self.serve_forever, daemon=True).start()

	def numbers(self) -> set[str]:
		return {m["to"] for m in self.messages}


GATEWAYS: list[Gateway] = []


def use_gateway(status: int = 200) -> Gateway:
	"""Start a local gateway and point SMS Settings at it (the test's rollback undoes the settings; the
	test's tearDown stops the server)."""
	server = Gateway(status)
	GATEWAYS.append(server)
	settings = frappe.get_single("SMS Settings")
	settings.update(
		{
			"sms_gateway_url": server.url,
			"message_parameter": "text",
			"receiver_parameter": "to",
			"use_post": 0,
		}
	)
	settings.save(ignore_permissions=True)
	return server


def add_outgoing_email_account():
	"""An outgoing email account, so that emails are queued (muted: nothing leaves the machine)."""
	frappe.get_doc(
		{
			"doctype": "Email Account",
			"name": "通知测试邮箱",
			"email_account_name": "通知测试邮箱",
			"email_id": "notices@example.com",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "127.0.0.1",
			"smtp_port": 25,
		}
	).db_insert()
	frappe.local.outgoing_email_account = {}


@pytest.fixture(autouse=True)
def _not_december(monkeypatch):
	"""The daily job also sends the December reminder of the annual return: tested on its own below."""
	monkeypatch.setattr(notices, "send_annual_return_reminders", lambda today=None: {})


def build_world():
	first = make_unit_tree("通知")
	second = make_unit_tree("通知外")
	w = frappe._dict(units=first, county2=second.county)
	w.users = frappe._dict(
		secretary_a=make_user(
			"n-sec-a@example.com", ["Community Secretary"], [first.village_a], mobile_no="13900000001"
		),
		clerk_a=make_user("n-clerk-a@example.com", ["Committee Clerk"], [first.village_a]),
		supervisor_a=make_user("n-scm-a@example.com", ["Supervision Committee Member"], [first.village_a]),
		secretary_b=make_user("n-sec-b@example.com", ["Community Secretary"], [first.village_b]),
		clerk_b=make_user("n-clerk-b@example.com", ["Committee Clerk"], [first.village_b]),
		supervisor_b=make_user("n-scm-b@example.com", ["Supervision Committee Member"], [first.village_b]),
		township=make_user("n-township@example.com", ["Township Officer"], [first.township]),
		county1=make_user("n-county1@example.com", ["Consultation Administrator"], [first.county]),
		county2=make_user("n-county2@example.com", ["Consultation Administrator"], [second.county]),
		resident=make_user("n-resident@example.com", first_name="村民甲"),
	)
	a = first.village_a
	w.people = [
		make_stakeholder("有账号的村民", a, user=w.users.resident),
		make_stakeholder("有邮箱的村民", a, email="n-email@example.com"),
		make_stakeholder("有手机的村民", a, mobile_no="13800000003"),
		make_stakeholder("无联系方式的村民", a),
	]
	w.party_a = make_stakeholder("通知甲村党支部", a, "村(社区)党组织", mobile_no="13800000010")
	w.supervision_a = make_stakeholder(
		"通知甲村监委会", a, "村(居)务监督委员会", email="n-scm-org-a@example.com"
	)
	w.committee_a = make_stakeholder("通知甲村村委会", a, "村(居)民委员会", email="n-committee-a@example.com")
	b = first.village_b
	w.people_b = [
		make_stakeholder("乙村村民", b, email="n-email-b@example.com", mobile_no="13800000020"),
		make_stakeholder("通知乙村党支部", b, "村(社区)党组织", mobile_no="13800000021"),
		make_stakeholder("通知乙村监委会", b, "村(居)务监督委员会", email="n-scm-org-b@example.com"),
		make_stakeholder("通知乙村村委会", b, "村(居)民委员会", email="n-committee-b@example.com"),
	]
	return w


class Sent:
	"""What went out from here on: system notifications, emails and SMS, and the notice log."""

	def __init__(self, gateway_server=None):
		self.gateway = gateway_server
		self.before = {
			dt: set(frappe.get_all(dt, pluck="name"))
			for dt in ("Notification Log", "Email Queue", "Consultation Notice Log")
		}
		self.sms_before = len(gateway_server.messages) if gateway_server else 0

	def new(self, doctype):
		return [n for n in frappe.get_all(doctype, pluck="name") if n not in self.before[doctype]]

	def system(self) -> set[str]:
		return {frappe.db.get_value("Notification Log", n, "for_user") for n in self.new("Notification Log")}

	def system_logs(self):
		return [frappe.get_doc("Notification Log", n) for n in self.new("Notification Log")]

	def emails(self) -> set[str]:
		names = self.new("Email Queue")
		return set(
			frappe.get_all(
				"Email Queue Recipient", filters={"parent": ("in", names or [""])}, pluck="recipient"
			)
		)

	def sms(self) -> set[str]:
		return {m["to"] for m in self.gateway.messages[self.sms_before :]} if self.gateway else set()

	def sms_texts(self) -> list[str]:
		return [m["text"] for m in self.gateway.messages[self.sms_before :]] if self.gateway else []

	def logs(self):
		return [frappe.get_doc("Consultation Notice Log", n) for n in self.new("Consultation Notice Log")]


def draft_session(w, people=None, **kw):
	people = people or w.people
	topic = make_topic(w.units.village_a, stakeholders=people, title="通知测试：村道路灯维修")
	doc = frappe.get_doc(
		session_values(
			topic, people, notice_published_on=None, notice_channels=[], venue="村委会二楼会议室", **kw
		)
	)
	for p in doc.participants:
		p.notified_on = p.notified_via = None
	doc.starts_on = add_to_date(now_datetime(), days=5, hours=2)
	doc.append("materials", {"material_title": "路灯维修预算表"})
	doc.insert()
	return doc


def filed_outcome(w, sms=None, **kw):
	topic = make_topic(w.units.village_a, stakeholders=w.people, title="通知测试：村道路灯维修")
	session = make_session(topic, w.people)
	sent = Sent(sms)
	outcome = make_outcome(session, publicise=False, **kw)
	return outcome, sent


class TestNotices(FrappeTestCase):
	"""One world for the class (users are slow to make); each test runs inside a savepoint."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		add_outgoing_email_account()
		cls.world = build_world()

	def setUp(self):
		frappe.set_user("Administrator")
		frappe.flags.mute_emails = True
		frappe.flags.no_outgoing_email_account = False
		frappe.local.outgoing_email_account = {}
		frappe.db.savepoint("notice_test")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="notice_test")
		frappe.clear_document_cache("SMS Settings", "SMS Settings")
		while GATEWAYS:
			server = GATEWAYS.pop()
			server.shutdown()
			server.server_close()

	def test_session_notice_reaches_each_participant_through_their_channels_and_is_recorded(self):
		world = self.world
		sms = use_gateway(200)
		session = draft_session(world)
		sent = Sent(sms)

		with as_user(world.users.clerk_a):
			frappe.get_doc("Consultation Session", session.name).publish_notice(["Bulletin Board", "SMS"])

		session.reload()
		by_person = {p.stakeholder: p for p in session.participants}
		resident, emailed, texted, unreachable = world.people
		assert set(by_person[resident].notified_via.split(", ")) == {"System Notification", "Email"}
		assert by_person[emailed].notified_via == "Email"
		assert by_person[texted].notified_via == "SMS"
		assert not by_person[unreachable].notified_on  # the clerk phones and records it by hand
		assert all(by_person[p].notified_on for p in (resident, emailed, texted))

		# exactly these people, nobody else
		assert sent.system() == {world.users.resident}
		assert sent.emails() == {world.users.resident, "n-email@example.com"}
		assert sent.sms() == {"13800000003"}
		logs = sent.logs()
		assert {(log.stakeholder, log.notice_type, log.community_unit) for log in logs} == {
			(p, SESSION_NOTICE, world.units.village_a) for p in (resident, emailed, texted)
		}

		# what they were told: topic, time, place, form, rules of procedure, materials and a link
		message = sent.system_logs()[0].email_content
		for part in (
			"通知测试：村道路灯维修",
			"村委会二楼会议室",
			"党群联席会议",
			"一人一票",
			"路灯维修预算表",
			session.name,
		):
			assert part in message, part
		text = sent.sms_texts()[0]
		assert "村委会二楼会议室" in text and session.starts_on.strftime("%Y-%m-%d") in text

	def test_publishing_again_notifies_only_those_not_reached_yet(self):
		world = self.world
		sms = use_gateway(200)
		session = draft_session(world)
		with as_user(world.users.clerk_a):
			frappe.get_doc("Consultation Session", session.name).publish_notice(["Bulletin Board"])
		sent = Sent(sms)
		with as_user(world.users.clerk_a):
			frappe.get_doc("Consultation Session", session.name).publish_notice()
		assert not sent.system() and not sent.emails() and not sent.sms() and not sent.logs()

	def test_sms_refused_by_the_gateway_is_logged_and_not_recorded(self):
		world = self.world
		use_gateway(500)
		session = draft_session(world)
		with as_user(world.users.clerk_a):
			frappe.get_doc("Consultation Session", session.name).publish_notice(["SMS"])
		session.reload()
		texted = world.people[2]
		assert not next(p for p in session.participants if p.stakeholder == texted).notified_on
		# not sent, and not lost: the log shows the failed SMS and why, to be tried again
		log = frappe.get_doc(
			"Consultation Notice Log", {"stakeholder": texted, "reference_name": session.name}
		)
		assert not log.channels
		(delivery,) = log.deliveries
		assert delivery.channel == "SMS" and delivery.status == "Failed" and "500" in delivery.error
		assert frappe.db.exists(
			"Error Log", {"reference_doctype": "Consultation Session", "reference_name": session.name}
		)

	def test_filing_an_outcome_tells_the_topics_stakeholders_and_records_it(self):
		world = self.world
		sms = use_gateway(200)
		outcome, sent = filed_outcome(world, sms)
		outcome.reload()
		resident, emailed, texted, _unreachable = world.people
		assert {n.stakeholder for n in outcome.notices} == {resident, emailed, texted}
		assert not outcome.stakeholders_notified_on  # one stakeholder still to be told by hand
		assert sent.system() == {world.users.resident}
		assert sent.emails() == {world.users.resident, "n-email@example.com"}
		assert sent.sms() == {"13800000003"}
		assert {log.notice_type for log in sent.logs()} == {"Outcome Filed"}

	def test_publicity_start_tells_the_stakeholders_once(self):
		world = self.world
		sms = use_gateway(200)
		outcome, _ = filed_outcome(world, sms)
		outcome.reload()
		outcome.append(
			"notices", {"stakeholder": world.people[3], "notified_on": now_datetime(), "notified_via": "电话"}
		)
		outcome.stakeholders_notified_on = now_datetime()
		outcome.save()
		sent = Sent(sms)
		outcome.publicity_from = nowdate()
		outcome.publicity_to = add_days(nowdate(), 9)
		outcome.save()
		assert {log.notice_type for log in sent.logs()} == {"Publicity Started"}
		assert sent.emails() == {world.users.resident, "n-email@example.com"}
		assert sent.sms() == {"13800000003"}

		again = Sent(sms)
		outcome.publicity_to = add_days(nowdate(), 12)
		outcome.save()
		follow_the_calendar()
		assert not again.logs() and not again.sms() and not again.emails()

	def test_deadline_reminder_and_deadline_day_go_to_the_implementer_in_the_unit(self):
		world = self.world
		sms = use_gateway(200)
		days = frappe.db.get_single_value("Consultation Settings", "deadline_reminder_days")
		outcome, _ = filed_outcome(world, sms, implementation_deadline=add_days(nowdate(), days))
		sent = Sent(sms)
		follow_the_calendar()
		# the village implements: its committee — clerk and secretary of A, the committee's own record
		assert sent.system() == {world.users.clerk_a, world.users.secretary_a}
		assert sent.emails() == {world.users.clerk_a, world.users.secretary_a, "n-committee-a@example.com"}
		assert sent.sms() == {"13900000001"}
		assert {log.notice_type for log in sent.logs()} == {"Deadline Reminder"}

		again = Sent(sms)
		follow_the_calendar()
		assert not again.logs() and not again.system()

		frappe.db.set_value("Consultation Outcome", outcome.name, "implementation_deadline", nowdate())
		today = Sent(sms)
		follow_the_calendar()
		assert {log.notice_type for log in today.logs()} == {"Deadline Day"}
		assert today.system() == {world.users.clerk_a, world.users.secretary_a}

	def test_a_stakeholder_implementer_alone_hears_of_the_deadline(self):
		world = self.world
		sms = use_gateway(200)
		days = frappe.db.get_single_value("Consultation Settings", "deadline_reminder_days")
		filed_outcome(
			world,
			sms,
			implementer_type="Stakeholder",
			implementer="有邮箱的村民",
			implementer_stakeholder=world.people[1],
			implementation_deadline=add_days(nowdate(), days),
		)
		sent = Sent(sms)
		follow_the_calendar()
		assert sent.emails() == {"n-email@example.com"}
		assert not sent.system() and not sent.sms()

	def test_an_overdue_outcome_is_told_to_the_party_organisation_and_supervision_committee_of_its_unit(self):
		world = self.world
		sms = use_gateway(200)
		outcome, _ = filed_outcome(world, sms)
		frappe.db.set_value(
			"Consultation Outcome", outcome.name, "implementation_deadline", add_days(nowdate(), -1)
		)
		outcome.reload()
		sent = Sent(sms)
		notices.notify_overdue(outcome)
		assert sent.system() == {world.users.secretary_a, world.users.supervisor_a}
		assert sent.emails() == {world.users.secretary_a, world.users.supervisor_a, "n-scm-org-a@example.com"}
		assert sent.sms() == {"13900000001", "13800000010"}
		assert {log.notice_type for log in sent.logs()} == {"Outcome Overdue"}
		assert world.users.clerk_a not in sent.system()
		message = sent.system_logs()[0].email_content
		assert outcome.topic_title in message and "0" in message

	def test_the_annual_return_reminder_goes_to_each_countys_staff_in_december(self):
		world = self.world
		year = getdate(nowdate()).year
		draft = frappe.get_doc(
			{"doctype": "Consultation Annual Return", "county": world.units.county, "year": year}
		).insert(ignore_permissions=True)

		november = Sent()
		annual_return_reminders(today=f"{year}-11-30")
		assert not november.logs()

		sent = Sent()
		annual_return_reminders(today=f"{year}-12-01")
		assert sent.system() == {world.users.county1, world.users.county2}
		by_user = {log.for_user: log.email_content for log in sent.system_logs()}
		assert draft.name in by_user[world.users.county1]
		assert "/app/consultation-annual-return/new" in by_user[world.users.county2]
		assert {log.community_unit for log in sent.logs()} == {world.units.county, world.county2}

		again = Sent()
		annual_return_reminders(today=f"{year}-12-15")
		assert not again.logs()

	def test_an_administrators_copy_words_the_notice_while_the_standard_one_is_disabled(self):
		world = self.world
		frappe.db.set_value("Notification", "Consultation Session Notice", "enabled", 0)
		frappe.get_doc(
			{
				"doctype": "Notification",
				"name": "Consultation Session Notice (本县)",
				"subject": "【本县】协商通知：{{ doc.topic_title }}",
				"document_type": "Consultation Session",
				"event": "Custom",
				"channel": "Email",
				"send_system_notification": 1,
				"message_type": "HTML",
				"message": "<p>{{ doc.venue }}，{{ starts_on }}</p>",
				"enabled": 1,
			}
		).insert()
		session = draft_session(world)
		sent = Sent()
		with as_user(world.users.clerk_a):
			frappe.get_doc("Consultation Session", session.name).publish_notice(["Bulletin Board"])
		[log] = sent.system_logs()
		assert log.subject == "【本县】协商通知：通知测试：村道路灯维修"
		assert "村委会二楼会议室" in log.email_content

		frappe.db.set_value("Notification", "Consultation Session Notice (本县)", "enabled", 0)
		session = draft_session(world)
		silent = Sent()
		with as_user(world.users.clerk_a):
			frappe.get_doc("Consultation Session", session.name).publish_notice(["Bulletin Board"])
		assert not silent.system() and not silent.emails() and not silent.logs()
		session.reload()
		assert not any(p.notified_on for p in session.participants)

	def test_clerks_see_who_was_told_only_in_their_own_units(self):
		world = self.world
		session = draft_session(world)
		with as_user(world.users.clerk_a):
			frappe.get_doc("Consultation Session", session.name).publish_notice(["Bulletin Board"])
			assert frappe.get_list("Consultation Notice Log", filters={"reference_name": session.name})
		with as_user(world.users.clerk_b):
			assert not frappe.get_list("Consultation Notice Log", filters={"reference_name": session.name})
