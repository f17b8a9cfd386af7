"""SMS through China's providers: the official SDKs (alibabacloud-dysmsapi20170525,
tencentcloud-sdk-python-sms) against local servers that answer as each provider documents its API and check
the request as the provider would — the action, the registered signature, the template code and its
parameters, and the signature of the request itself (ACS3-HMAC-SHA256, TC3-HMAC-SHA256). Also: plain text
only, the free-text gateway of SMS Settings, no provider at all, and no secret ever returned or logged."""

import json
from pathlib import Path

import frappe
import pytest
from frappe.tests.utils import FrappeTestCase

from community_consultation.notices.sms import (
	MESSAGE_KINDS,
	STAFF_INITIAL_PASSWORD,
	VERIFICATION_CODE,
	mainland_mobile,
	send_sms,
	sms_configured,
)
from community_consultation.procedure.text_policy import plain_text
from community_consultation.tests.http import Client, resource
from community_consultation.tests.providers import (
	ALIBABA_KEY_ID,
	ALIBABA_SECRET,
	TENCENT_SDK_APP_ID,
	TENCENT_SECRET_KEY,
	AlibabaSms,
	TencentSms,
	forget_providers,
	reset_provider_settings,
	use_sms_provider,
)
from community_consultation.tests.shared import committed_records
from community_consultation.tests.users import api_token, make_user


class ProviderTestCase(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("sms_provider_test")
		self.servers = []

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="sms_provider_test")
		forget_providers()
		for server in self.servers:
			server.stop()

	def serve(self, server_class):
		server = server_class()
		self.servers.append(server)
		return server

	def with_wrong_secret(self, provider: str, server_class):
		"""The provider's server, and settings that sign with a secret the provider does not know."""
		server = self.serve(server_class)
		settings = use_sms_provider(provider, server)
		settings.access_key_secret = "not-the-secret"
		settings.save(ignore_permissions=True)
		return server


class TestAlibabaCloud(ProviderTestCase):
	def test_sendsms_is_signed_and_carries_signature_template_and_parameters(self):
		server = self.serve(AlibabaSms)
		use_sms_provider("Alibaba Cloud", server)

		(result,) = send_sms(["+86 138-0013-8000"], VERIFICATION_CODE, {"code": "204817", "minutes": 5})

		assert result.ok, result.error
		(request,) = server.requests
		assert request["verified"], "the ACS3-HMAC-SHA256 signature did not verify"
		assert request["action"] == "SendSms" and request["version"] == "2017-05-25"
		params = request["params"]
		assert params["PhoneNumbers"] == "13800138000"
		assert params["SignName"] == "城乡社区协商"
		assert params["TemplateCode"] == frappe.local.sms_template_codes["Verification Code"]
		assert json.loads(params["TemplateParam"]) == {"code": "204817", "minutes": "5"}
		assert result.message_id == request["biz_id"]
		assert result.provider == "Alibaba Cloud"

	def test_a_request_signed_with_another_secret_is_refused_by_the_provider(self):
		server = self.with_wrong_secret("Alibaba Cloud", AlibabaSms)

		(result,) = send_sms(["13800138000"], VERIFICATION_CODE, {"code": "111111", "minutes": 5})

		assert not result.ok
		assert server.requests and not server.requests[0]["verified"]
		assert "IncompleteSignature" in result.error or "signature" in result.error.lower()
		assert "not-the-secret" not in result.error

	def test_a_business_refusal_is_a_failure_with_the_providers_reason(self):
		server = self.serve(AlibabaSms)
		use_sms_provider("Alibaba Cloud", server)
		server.refuse = "isv.BUSINESS_LIMIT_CONTROL"

		(result,) = send_sms(["13800138000"], VERIFICATION_CODE, {"code": "111111", "minutes": 5})

		assert not result.ok and result.status == "isv.BUSINESS_LIMIT_CONTROL"
		assert "isv.BUSINESS_LIMIT_CONTROL" in result.error

	def test_parameters_are_plain_text_shortened_to_the_providers_limit(self):
		server = self.serve(AlibabaSms)
		use_sms_provider("Alibaba Cloud", server)
		topic = '修缮&nbsp;村道"><script>alert(1)</script>路灯 &#34;&gt;' + "很长" * 30

		(result,) = send_sms(["13800138000"], "proposal_progress", {"topic": topic, "stage": "<b>已受理</b>"})

		assert result.ok, result.error
		values = server.requests[0]["template_param"]
		assert values["stage"] == "已受理"
		assert values["topic"].startswith('修缮 村道">路灯 ">')
		for text in values.values():
			assert "&" not in text and "<" not in text and "alert" not in text
		assert len(values["topic"]) == 35


class TestTencentCloud(ProviderTestCase):
	def test_sendsms_is_tc3_signed_and_carries_app_signature_template_and_ordered_parameters(self):
		server = self.serve(TencentSms)
		use_sms_provider("Tencent Cloud", server)

		(result,) = send_sms(
			["13900139000"],
			STAFF_INITIAL_PASSWORD,
			{"name": "李文书", "login": "13900139000", "password": "Xy7-kq2"},
		)

		assert result.ok, result.error
		(request,) = server.requests
		assert request["verified"], "the TC3-HMAC-SHA256 signature did not verify"
		assert request["action"] == "SendSms" and request["version"] == "2021-01-11"
		params = request["params"]
		assert params["SmsSdkAppId"] == TENCENT_SDK_APP_ID
		assert params["SignName"] == "城乡社区协商"
		assert params["TemplateId"] == frappe.local.sms_template_codes["Staff Initial Password"]
		assert params["TemplateParamSet"] == ["李文书", "13900139000", "Xy7-kq2"]
		assert params["PhoneNumberSet"] == ["+8613900139000"]
		assert result.message_id == request["statuses"][0]["SerialNo"]

	def test_a_refused_number_is_a_failure_with_the_providers_code(self):
		server = self.serve(TencentSms)
		use_sms_provider("Tencent Cloud", server)
		server.refuse = "LimitExceeded.PhoneNumberDailyLimit"

		(result,) = send_sms(["13900139000"], VERIFICATION_CODE, {"code": "123456", "minutes": 5})

		assert not result.ok
		assert result.status == "LimitExceeded.PhoneNumberDailyLimit"

	def test_a_wrong_secret_key_fails_the_signature(self):
		server = self.with_wrong_secret("Tencent Cloud", TencentSms)

		(result,) = send_sms(["13900139000"], VERIFICATION_CODE, {"code": "123456", "minutes": 5})

		assert not result.ok and "AuthFailure.SignatureFailure" in result.error
		assert not server.requests[0]["verified"]


class TestSettingsAndSecrets(ProviderTestCase):
	def test_every_message_kind_has_its_parameters_and_staff_initial_password_is_one(self):
		assert STAFF_INITIAL_PASSWORD in MESSAGE_KINDS
		assert VERIFICATION_CODE in MESSAGE_KINDS
		labels = frappe.get_meta("SMS Message Template").get_field("kind").options.split("\n")
		assert {label for label, _params in MESSAGE_KINDS.values()} == set(labels)

	def test_a_template_parameter_the_kind_does_not_offer_is_refused(self):
		server = self.serve(AlibabaSms)
		with pytest.raises(frappe.ValidationError, match="venue"):
			use_sms_provider(
				"Alibaba Cloud",
				server,
				[{"kind": "Session Notice", "template_code": "SMS_1", "parameters": "place=venue"}],
			)

	def test_no_provider_configured_sends_nothing_and_says_so(self):
		frappe.db.set_single_value("SMS Settings", "sms_gateway_url", None)
		forget_providers()
		assert not sms_configured(VERIFICATION_CODE)
		(result,) = send_sms(["13800138000"], VERIFICATION_CODE, {"code": "1", "minutes": 5})
		assert not result.ok and result.error

	def test_a_number_outside_the_mainland_is_not_sent(self):
		server = self.serve(AlibabaSms)
		use_sms_provider("Alibaba Cloud", server)
		for number in ("+85291234567", "12345678901", "1380013800", "+1 415 555 0100"):
			assert mainland_mobile(number) is None
			(result,) = send_sms([number], VERIFICATION_CODE, {"code": "1", "minutes": 5})
			assert not result.ok
		assert server.requests == []

	def test_secrets_are_never_written_to_a_log(self):
		server = self.serve(TencentSms)
		use_sms_provider("Tencent Cloud", server)
		server.refuse = "FailedOperation.InsufficientBalanceInSmsPackage"
		send_sms(["13900139000"], VERIFICATION_CODE, {"code": "123456", "minutes": 5})
		server.stop()
		self.servers.remove(server)
		(result,) = send_sms(["13900139000"], VERIFICATION_CODE, {"code": "123456", "minutes": 5})
		assert not result.ok  # the provider is gone: a connection error
		frappe.log_error(title="SMS failed", message=result.error)
		logs = frappe.get_all("Error Log", fields=["error", "method"], limit=50, order_by="creation desc")
		assert all(TENCENT_SECRET_KEY not in (log.error or "") for log in logs)
		bench_logs = Path(frappe.utils.get_bench_path()) / "logs"
		for path in bench_logs.glob("*.log"):
			assert TENCENT_SECRET_KEY not in path.read_text(errors="ignore"), path


def test_plain_text_decodes_entities_and_drops_markup():
	assert plain_text("议题&nbsp;“路灯” &#34;&gt; <b>好</b><script>x()</script>") == '议题 “路灯” "> 好'
	assert plain_text(None) == ""
	assert plain_text("  一  二\n三 ") == "一 二 三"


def test_secrets_are_never_returned_by_the_api():
	server = AlibabaSms()
	with committed_records():
		try:
			use_sms_provider("Alibaba Cloud", server)
			admin = make_user("sms-settings-admin@example.com", ["Consultation Administrator"])
			clerk = make_user("sms-settings-clerk@example.com", ["Committee Clerk"])
			tokens = {user: api_token(user) for user in ("Administrator", admin, clerk)}
			frappe.db.commit()
			for user, token in tokens.items():
				client = Client(token)
				for response in (
					client.get(resource("Consultation SMS Settings", "Consultation SMS Settings")),
					client.method("frappe.client.get", doctype="Consultation SMS Settings"),
					client.method(
						"frappe.client.get_value",
						doctype="Consultation SMS Settings",
						fieldname="access_key_secret",
					),
				):
					assert ALIBABA_SECRET not in response.get_data(as_text=True), (user, response.status_code)
				if user != clerk:  # they read the settings, only not the secret
					read = client.get(resource("Consultation SMS Settings", "Consultation SMS Settings"))
					assert read.status_code == 200 and read.json["data"]["access_key_id"] == ALIBABA_KEY_ID
		finally:
			reset_provider_settings()
	server.stop()
