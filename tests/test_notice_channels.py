"""The notice channels deliver (§二(五)2, 二(五)4): "SMS" and "WeChat" chosen on a session or an outcome
reach every resident stakeholder who has that channel — by Alibaba Cloud SMS templates and WeChat template
messages, against local servers answering as they document their APIs — and the Consultation Notice Log
says per person what went out by which channel, with the provider's message id, and what failed and why.
A failed message is tried again until it goes out (then the participant counts as notified) or the
attempts run out; none is lost in silence. Stage notices of a resident's proposal go the same way."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime

from community_consultation.notices.delivery import retry_failed_deliveries
from community_consultation.notices.recipients import mobile_account_email
from community_consultation.tests.factory import (
	make_outcome,
	make_session,
	make_stakeholder,
	make_topic,
	make_unit_tree,
	session_values,
)
from community_consultation.tests.providers import (
	AlibabaSms,
	WeChatApi,
	forget_providers,
	use_sms_provider,
	use_wechat,
)
from community_consultation.tests.users import as_user, make_user


class TestNoticeChannels(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.units = make_unit_tree("渠道")
		village = cls.units.village_a
		cls.clerk = make_user("ch-clerk@example.com", ["Committee Clerk"], [village])
		cls.wechat_user = make_user(
			mobile_account_email("13500000002"),
			["Resident"],
			mobile_no="13500000002",
			user_type="Website User",
		)
		cls.texted = make_stakeholder("只有手机的村民", village, mobile_no="13500000001")
		cls.on_wechat = make_stakeholder("绑定微信的村民", village, user=cls.wechat_user)
		cls.unreachable = make_stakeholder("无联系方式的渠道村民", village)
		cls.others = [make_stakeholder(f"渠道村民{i}", village) for i in range(2)]
		cls.people = [*cls.others, cls.texted, cls.on_wechat, cls.unreachable]

	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.savepoint("channel_test")
		self.sms, self.api = AlibabaSms(), WeChatApi()
		use_sms_provider("Alibaba Cloud", self.sms)
		use_wechat(self.api)
		frappe.get_doc(
			{
				"doctype": "WeChat Binding",
				"user": self.wechat_user,
				"openid": "o-channel-1",
				"app_id": "wx0123456789abcdef",
				"bound_on": now_datetime(),
			}
		).insert(ignore_permissions=True)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="channel_test")
		forget_providers()
		self.sms.stop()
		self.api.stop()

	def draft_session(self):
		topic = make_topic(self.units.village_a, stakeholders=self.people, title="渠道测试：修缮文化室")
		doc = frappe.get_doc(
			session_values(
				topic, self.people, notice_published_on=None, notice_channels=[], venue="文化室门口"
			)
		)
		for p in doc.participants:
			p.notified_on = p.notified_via = None
		doc.starts_on = add_to_date(now_datetime(), days=5)
		return doc.insert()

	def publish(self, session, channels):
		with as_user(self.clerk):
			frappe.get_doc("Consultation Session", session.name).publish_notice(channels)
		session.reload()
		return {p.stakeholder: p for p in session.participants}

	def log_of(self, doc, stakeholder):
		name = frappe.db.get_value(
			"Consultation Notice Log", {"reference_name": doc.name, "stakeholder": stakeholder}, "name"
		)
		return frappe.get_doc("Consultation Notice Log", name) if name else None

	def test_sms_and_wechat_on_a_session_reach_each_resident_who_has_them_and_are_logged(self):
		session = self.draft_session()
		rows = self.publish(session, ["Bulletin Board", "SMS", "WeChat"])

		assert rows[self.texted].notified_via == "SMS" and rows[self.texted].notified_on
		assert "WeChat" in rows[self.on_wechat].notified_via
		assert not rows[self.unreachable].notified_on

		(sms,) = [r for r in self.sms.sent() if r["params"]["PhoneNumbers"] == "13500000001"]
		assert sms["params"]["TemplateCode"] == frappe.local.sms_template_codes["Session Notice"]
		values = sms["template_param"]
		assert values["topic"] == "渠道测试：修缮文化室" and values["place"] == "文化室门口"
		assert values["time"] == session.starts_on.strftime("%Y-%m-%d %H:%M")

		(message,) = [r for r in self.api.requests if r.get("accepted")]
		assert message["path"] == "/cgi-bin/message/template/send"
		assert message["message"]["touser"] == "o-channel-1"
		assert message["message"]["template_id"] == "tpl-session_notice"
		assert message["message"]["data"]["thing1"]["value"] == "渠道测试：修缮文化室"
		assert message["message"]["url"].endswith(session.name)

		texted_log = self.log_of(session, self.texted)
		(delivery,) = texted_log.deliveries
		assert (delivery.channel, delivery.status, delivery.provider) == ("SMS", "Sent", "Alibaba Cloud")
		assert delivery.message_id == sms["biz_id"]
		wechat_log = self.log_of(session, self.on_wechat)
		(delivery,) = [d for d in wechat_log.deliveries if d.channel == "WeChat"]
		assert delivery.status == "Sent" and delivery.message_id == str(message["msgid"])

	def test_a_session_without_sms_or_wechat_among_its_channels_sends_neither(self):
		session = self.draft_session()
		rows = self.publish(session, ["Bulletin Board"])
		assert not self.sms.requests and not [r for r in self.api.requests if "message" in r]
		assert not rows[self.texted].notified_on

	def test_a_refused_sms_is_logged_with_its_reason_retried_and_then_counts(self):
		self.sms.refuse = "isv.BUSINESS_LIMIT_CONTROL"
		session = self.draft_session()
		rows = self.publish(session, ["SMS"])
		assert not rows[self.texted].notified_on

		log = self.log_of(session, self.texted)
		(delivery,) = log.deliveries
		assert delivery.status == "Failed" and "isv.BUSINESS_LIMIT_CONTROL" in delivery.error
		assert delivery.attempts == 1 and delivery.next_attempt_on
		assert not log.channels

		# not yet due: nothing is tried
		retry_failed_deliveries()
		assert len(self.sms.to("13500000001")) == 1

		self.sms.refuse = None
		frappe.db.set_value(
			"Notice Delivery", delivery.name, "next_attempt_on", add_to_date(now_datetime(), minutes=-1)
		)
		retry_failed_deliveries()

		log.reload()
		(delivery,) = log.deliveries
		assert delivery.status == "Sent" and delivery.attempts == 2 and delivery.message_id
		assert log.channels == "SMS"
		session.reload()
		row = next(p for p in session.participants if p.stakeholder == self.texted)
		assert row.notified_on and row.notified_via == "SMS"

	def test_a_message_that_keeps_failing_is_given_up_and_shown(self):
		frappe.db.set_single_value("Consultation SMS Settings", "max_attempts", 2)
		forget_providers()
		self.sms.refuse = "isv.OUT_OF_SERVICE"
		session = self.draft_session()
		self.publish(session, ["SMS"])
		log = self.log_of(session, self.texted)
		frappe.db.set_value(
			"Notice Delivery",
			log.deliveries[0].name,
			"next_attempt_on",
			add_to_date(now_datetime(), minutes=-1),
		)
		retry_failed_deliveries()
		log.reload()
		assert log.deliveries[0].status == "Given Up" and log.deliveries[0].attempts == 2
		assert "isv.OUT_OF_SERVICE" in log.deliveries[0].error
		retry_failed_deliveries()
		assert len(self.sms.to("13500000001")) == 2

	def test_publishing_again_retries_what_failed_at_once(self):
		self.sms.refuse = "isv.BUSINESS_LIMIT_CONTROL"
		session = self.draft_session()
		self.publish(session, ["SMS"])
		self.sms.refuse = None
		rows = self.publish(session, [])
		assert rows[self.texted].notified_on
		assert len([r for r in self.sms.sent() if r["params"]["PhoneNumbers"] == "13500000001"]) == 1
		assert (
			frappe.db.count(
				"Consultation Notice Log", {"reference_name": session.name, "stakeholder": self.texted}
			)
			== 1
		)

	def test_an_outcome_with_wechat_only_tells_its_stakeholders_by_wechat_not_sms(self):
		topic = make_topic(self.units.village_a, stakeholders=self.people, title="渠道测试：成果")
		session = make_session(topic, self.people)
		self.sms.requests.clear()
		self.api.requests.clear()
		outcome = make_outcome(session, publicise=False, notice_channels=[{"channel": "WeChat"}])
		assert not self.sms.requests
		(message,) = [r for r in self.api.requests if r.get("accepted")]
		assert message["message"]["template_id"] == "tpl-outcome_filed"
		notified = {n.stakeholder: n.notified_via for n in outcome.notices}
		assert "WeChat" in notified[self.on_wechat]
		assert self.texted not in notified

	def test_a_proposers_stage_notice_goes_by_sms_as_plain_text(self):
		resident = make_user(
			mobile_account_email("13500000009"),
			["Resident"],
			mobile_no="13500000009",
			user_type="Website User",
		)
		topic = make_topic(
			self.units.village_a, title='路灯&nbsp;"><b>坏了</b>', source_channel="Online Submission"
		)
		topic.db_set("owner", resident)
		from community_consultation.notices.proposal_progress import follow_topic

		follow_topic(topic.name)
		texts = [r for r in self.sms.sent() if r["params"]["PhoneNumbers"] == "13500000009"]
		assert texts, self.sms.requests
		values = texts[-1]["template_param"]
		assert values["stage"] == frappe._("Accepted", lang="zh")  # in the resident's language
		assert "&" not in json.dumps(values, ensure_ascii=False) and "<" not in values["topic"]
