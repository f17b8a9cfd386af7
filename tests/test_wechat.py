"""WeChat through the county's Official Account, against a local server answering as WeChat's API
documents it: web authorisation inside WeChat's browser (snsapi_base → openid, bound to the resident's
account after the SMS check, never before), the JS-SDK share-card signature, and nothing of it without an
Official Account configured. (Notices as template messages: tests/test_notice_channels.py.)"""

from urllib.parse import parse_qs, urlparse

import frappe
import pytest

from community_consultation.notices import wechat
from community_consultation.tests.factory import make_unit_tree
from community_consultation.tests.http import Client
from community_consultation.tests.providers import (
	WECHAT_APP_ID,
	AlibabaSms,
	WeChatApi,
	forget_providers,
	reset_provider_settings,
	use_sms_provider,
	use_wechat,
)
from community_consultation.tests.shared import committed_records
from community_consultation.tests.users import make_resident

WECHAT_UA = (
	"Mozilla/5.0 (Linux; Android 13; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 "
	"Chrome/116.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.47.2560 WeChat/arm64 Weixin NetType/WIFI"
)
START = "/api/method/community_consultation.portal.wechat_login.start"
CALLBACK = "/api/method/community_consultation.portal.wechat_login.callback"


@pytest.fixture(scope="module")
def world():
	api, sms = WeChatApi(), AlibabaSms()
	with committed_records():
		try:
			use_wechat(api)
			use_sms_provider("Alibaba Cloud", sms)
			units = make_unit_tree("微信")
			resident = make_resident("13600000001")
			frappe.db.commit()
			yield frappe._dict(api=api, sms=sms, units=units, resident=resident)
		finally:
			reset_provider_settings()
			api.stop()
			sms.stop()


def in_wechat() -> Client:
	client = Client()
	client.headers.update({"User-Agent": WECHAT_UA, "Accept-Language": "zh-CN,zh;q=0.9"})
	return client


def authorise(client: Client, api: WeChatApi, openid: str) -> str:
	"""Through /start to WeChat and back to /callback, as WeChat's browser goes: where it lands."""
	start = client.get(START, {"redirect-to": "/my-proposals"})
	assert start.status_code in (301, 302, 303), start.get_data(as_text=True)
	location = urlparse(start.headers["Location"])
	query = {k: v[0] for k, v in parse_qs(location.query).items()}
	assert location.path == "/connect/oauth2/authorize"
	assert query["appid"] == WECHAT_APP_ID and query["scope"] == "snsapi_base"
	assert query["response_type"] == "code" and query["redirect_uri"].endswith(CALLBACK)
	assert start.headers["Location"].endswith("#wechat_redirect")
	back = client.get(CALLBACK, {"code": api.authorize(openid), "state": query["state"]})
	assert back.status_code in (301, 302, 303)
	return back.headers["Location"]


def test_an_unknown_wechat_user_is_bound_only_after_the_sms_check(world):
	client = in_wechat()
	assert "微信" in client.get("/login").get_data(as_text=True)
	landing = authorise(client, world.api, "o-resident-0001")
	assert landing.startswith("/login?") and "wechat_ticket=" in landing
	assert client.method("frappe.auth.get_logged_user").status_code != 200  # still a guest
	assert not frappe.db.exists("WeChat Binding", {"openid": "o-resident-0001"})

	ticket = parse_qs(urlparse(landing).query)["wechat_ticket"][0]
	client.request(
		"post",
		"/api/method/community_consultation.portal.sms_login.send_code",
		json={"mobile_no": "13600000001"},
	)
	code = world.sms.sent()[-1]["template_param"]["code"]
	answer = client.request(
		"post",
		"/api/method/community_consultation.portal.sms_login.verify_code",
		json={"mobile_no": "13600000001", "code": code, "wechat_ticket": ticket},
	)
	assert answer.status_code == 200, answer.get_data(as_text=True)
	frappe.db.rollback()
	assert frappe.db.get_value("WeChat Binding", {"openid": "o-resident-0001"}, "user") == world.resident

	# next time WeChat alone signs the resident in
	again = in_wechat()
	assert authorise(again, world.api, "o-resident-0001") == "/my-proposals"
	assert again.method("frappe.auth.get_logged_user").json["message"] == world.resident


def test_a_state_is_used_once_and_a_forged_one_signs_nobody_in(world):
	client = in_wechat()
	start = client.get(START)
	state = parse_qs(urlparse(start.headers["Location"]).query)["state"][0]
	assert (
		client.get(CALLBACK, {"code": world.api.authorize("o-x"), "state": "forged"}).headers["Location"]
		== "/login"
	)
	client.get(CALLBACK, {"code": world.api.authorize("o-x"), "state": state})
	assert (
		client.get(CALLBACK, {"code": world.api.authorize("o-x"), "state": state}).headers["Location"]
		== "/login"
	)


def test_js_sdk_signature_is_wechats_documented_one():
	# the example of WeChat's JS-SDK documentation (附录1-JS-SDK使用权限签名算法)
	ticket = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg"
	signature = wechat.js_sdk_signature(
		ticket, "Wm3WZYTPz0wzccnW", 1414587457, "http://mp.weixin.qq.com?params=value"
	)
	assert signature == "0f9de62fce790f9a083d5c99e95740ceb90c27ed"


def test_share_card_configuration_for_a_public_page(world):
	url = "http://localhost/consultation?x=1"
	config = (
		in_wechat().method("community_consultation.portal.wechat_login.share_config", url=url).json["message"]
	)
	assert config["appId"] == WECHAT_APP_ID
	assert config["signature"] == wechat.js_sdk_signature(
		world.api.ticket, config["nonceStr"], config["timestamp"], url
	)
	# another site's page is not signed
	assert (
		in_wechat()
		.method("community_consultation.portal.wechat_login.share_config", url="https://evil.example/x")
		.json.get("message")
		is None
	)
	page = in_wechat().get("/consultation").get_data(as_text=True)
	assert "jweixin" in page


def test_without_an_official_account_nothing_of_wechat_shows(world):
	frappe.db.set_single_value("Consultation WeChat Settings", "enabled", 0)
	frappe.db.commit()
	forget_providers()
	try:
		assert not wechat.wechat_enabled()
		client = in_wechat()
		assert client.get(START).headers["Location"].startswith("/login")
		page = client.get("/login").get_data(as_text=True)
		assert "wechat_login.start" not in page
		assert "jweixin" not in client.get("/consultation").get_data(as_text=True)
		assert wechat.js_sdk_config("http://localhost/consultation") is None
		assert wechat.send_wechat("o-resident-0001", "session_notice", {"topic": "x"}).ok is False
	finally:
		frappe.db.set_single_value("Consultation WeChat Settings", "enabled", 1)
		frappe.db.commit()
		forget_providers()


def test_a_notice_mapped_to_a_subscription_message_goes_as_one(world):
	settings = frappe.get_single("Consultation WeChat Settings")
	row = next(r for r in settings.templates if r.kind == "Outcome Filed")
	row.message_type = "Subscription Message"
	row.fields = "thing1=topic\nthing2=unit"
	settings.save(ignore_permissions=True)
	try:
		result = wechat.send_wechat(
			"o-sub-1",
			"outcome_filed",
			{"topic": "<b>修缮</b>&nbsp;文化室", "unit": "微信甲村", "link": "http://localhost/x"},
		)
		assert result.ok and result.message_id
		request = world.api.requests[-1]
		assert request["path"] == "/cgi-bin/message/subscribe/bizsend"
		assert request["message"]["data"] == {
			"thing1": {"value": "修缮 文化室"},
			"thing2": {"value": "微信甲村"},
		}
		assert request["message"]["page"] == "http://localhost/x"
	finally:
		frappe.db.rollback()
		forget_providers()
