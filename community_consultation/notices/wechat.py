"""WeChat, through the county's Official Account (公众号), by the HTTP calls WeChat documents
(developers.weixin.qq.com/doc/offiaccount):

- web authorisation, snsapi_base (`authorize_url`, `openid_from_code`): inside WeChat's browser a
  resident is sent to open.weixin.qq.com and comes back with a code, exchanged for their openid; the
  openid is bound to their account after the SMS check (portal/wechat_login.py);
- notices as template messages (cgi-bin/message/template/send) or subscription messages
  (cgi-bin/message/subscribe/bizsend), per notice kind as Consultation WeChat Settings maps them
  (`send_wechat`), to residents whose account is bound;
- share cards on public pages (`js_sdk_config`): the JS-SDK signature over the jsapi_ticket.

The access token and the jsapi_ticket are kept in Redis until shortly before they expire. Without the
Official Account enabled in Consultation WeChat Settings, none of this shows or runs (`wechat_enabled`).
"""

import hashlib
import re
import time
from urllib.parse import quote, urlencode

import frappe
from frappe import _

from community_consultation.notices.sms import (
	MESSAGE_KINDS,
	DeliveryResult,
	parameter_pairs,
	shorten,
)
from community_consultation.notices.sms import validate_template_rows as validate_sms_template_rows
from community_consultation.procedure.text_policy import plain_text

SETTINGS = "Consultation WeChat Settings"
API_BASE = "https://api.weixin.qq.com"
OAUTH_BASE = "https://open.weixin.qq.com"
TIMEOUT_SECONDS = 10
TEMPLATE_MESSAGE = "Template Message"
SUBSCRIPTION_MESSAGE = "Subscription Message"
# WeChat's keyword values: a "thing" holds at most 20 characters
FIELD_LENGTH = 20
# errcodes of an access token WeChat no longer takes: fetch a new one and try once more
STALE_TOKEN = (40001, 40014, 42001)
WECHAT_USER_AGENT = re.compile(r"MicroMessenger", re.IGNORECASE)


class WeChatError(Exception):
	"""WeChat answered with an errcode."""

	def __init__(self, errcode, errmsg):
		super().__init__(f"{errcode}: {errmsg}")
		self.errcode = errcode


def get_settings():
	return frappe.get_cached_doc(SETTINGS)


def wechat_enabled() -> bool:
	settings = get_settings()
	return bool(settings.enabled and settings.app_id)


def in_wechat_browser() -> bool:
	request = getattr(frappe.local, "request", None)
	return bool(request and WECHAT_USER_AGENT.search(request.headers.get("User-Agent") or ""))


def api_base() -> str:
	return (get_settings().api_base_url or API_BASE).rstrip("/")


def secret() -> str:
	return get_settings().get_password("app_secret", raise_exception=False) or ""


def call(method: str, path: str, params: dict | None = None, body: dict | None = None) -> dict:
	"""One documented API call; an errcode other than 0 raises WeChatError (never with the secret)."""
	import requests

	url = f"{api_base()}{path}"
	try:
		if method == "GET":
			response = requests.get(url, params=params, timeout=TIMEOUT_SECONDS)
		else:
			response = requests.post(
				url,
				params=params,
				data=frappe.as_json(body or {}, indent=None).encode("utf-8"),
				headers={"Content-Type": "application/json; charset=utf-8"},
				timeout=TIMEOUT_SECONDS,
			)
		answer = response.json()
	except (requests.RequestException, ValueError) as e:
		raise WeChatError(-1, type(e).__name__) from None
	if answer.get("errcode"):
		raise WeChatError(answer.get("errcode"), answer.get("errmsg"))
	return answer


def _cached(key: str, fetch) -> str:
	cache = frappe.cache()
	value = cache.get_value(key)
	if not value:
		value, expires_in = fetch()
		cache.set_value(key, value, expires_in_sec=max(int(expires_in or 7200) - 300, 60))
	return value


def _token_key(name: str) -> str:
	return f"cc:wechat:{name}:{get_settings().app_id}"


def access_token() -> str:
	def fetch():
		answer = call(
			"GET",
			"/cgi-bin/token",
			{"grant_type": "client_credential", "appid": get_settings().app_id, "secret": secret()},
		)
		return answer["access_token"], answer.get("expires_in")

	return _cached(_token_key("access_token"), fetch)


def forget_tokens():
	frappe.cache().delete_value([_token_key("access_token"), _token_key("jsapi_ticket")])


def call_with_token(method: str, path: str, body: dict | None = None, params: dict | None = None) -> dict:
	for attempt in (1, 2):
		try:
			return call(method, path, {**(params or {}), "access_token": access_token()}, body)
		except WeChatError as e:
			if e.errcode not in STALE_TOKEN or attempt == 2:
				raise
			forget_tokens()


# ------------------------------------------------------------------------------------ sign-in


def authorize_url(redirect_uri: str, state: str) -> str:
	"""Where WeChat's browser goes to authorise silently (snsapi_base) and come back with a code."""
	settings = get_settings()
	base = (settings.oauth_base_url or OAUTH_BASE).rstrip("/")
	query = urlencode(
		{
			"appid": settings.app_id,
			"redirect_uri": redirect_uri,
			"response_type": "code",
			"scope": "snsapi_base",
			"state": state,
		},
		quote_via=quote,
	)
	return f"{base}/connect/oauth2/authorize?{query}#wechat_redirect"


def openid_from_code(code: str) -> str:
	answer = call(
		"GET",
		"/sns/oauth2/access_token",
		{
			"appid": get_settings().app_id,
			"secret": secret(),
			"code": code,
			"grant_type": "authorization_code",
		},
	)
	return answer["openid"]


def bind(user: str, openid: str):
	"""Bind `openid` to `user` (one account per openid; a new binding replaces an older one)."""
	frappe.db.delete("WeChat Binding", {"openid": openid})
	frappe.get_doc(
		{
			"doctype": "WeChat Binding",
			"user": user,
			"openid": openid,
			"app_id": get_settings().app_id,
			"bound_on": frappe.utils.now_datetime(),
		}
	).insert(ignore_permissions=True)


def openid_of(user: str | None) -> str | None:
	if not user or not wechat_enabled():
		return None
	return frappe.db.get_value(
		"WeChat Binding", {"user": user, "app_id": get_settings().app_id}, "openid", order_by="creation desc"
	)


def user_of(openid: str) -> str | None:
	user = frappe.db.get_value("WeChat Binding", {"openid": openid, "app_id": get_settings().app_id}, "user")
	return user if user and frappe.db.get_value("User", user, "enabled") else None


# ------------------------------------------------------------------------------------ messages


def template_for(kind: str):
	label = MESSAGE_KINDS.get(kind, (None,))[0]
	return next((row for row in get_settings().templates if row.kind == label and row.template_id), None)


def wechat_configured(kind: str) -> bool:
	return wechat_enabled() and bool(template_for(kind))


def template_fields(row) -> list[tuple[str, str]]:
	return parameter_pairs(row.fields)


def validate_template_rows(settings):
	validate_sms_template_rows(settings, "fields")


def send_wechat(openid: str, kind: str, params: dict) -> DeliveryResult:
	"""The message of `kind` to `openid` as the template or subscription message the settings map it to;
	the keyword values are plain text, shortened to WeChat's limit. `params["link"]` opens on a tap."""
	row = template_for(kind)
	if not wechat_enabled() or not row:
		return DeliveryResult(
			openid, provider="WeChat", error=_("No WeChat template is set for this message.")
		)
	values = {name: plain_text(value) for name, value in (params or {}).items()}
	data = {
		keyword: {"value": shorten(values.get(parameter, ""), FIELD_LENGTH)}
		for keyword, parameter in template_fields(row)
	}
	if row.message_type == SUBSCRIPTION_MESSAGE:
		path = "/cgi-bin/message/subscribe/bizsend"
		body = {
			"touser": openid,
			"template_id": row.template_id,
			"page": values.get("link", ""),
			"data": data,
		}
	else:
		path = "/cgi-bin/message/template/send"
		body = {"touser": openid, "template_id": row.template_id, "url": values.get("link", ""), "data": data}
	try:
		answer = call_with_token("POST", path, body)
	except WeChatError as e:
		return DeliveryResult(openid, provider="WeChat", status=str(e.errcode), error=str(e)[:500])
	return DeliveryResult(
		openid, ok=True, provider="WeChat", message_id=str(answer.get("msgid") or ""), status="ok"
	)


# ------------------------------------------------------------------------------------ share cards


def jsapi_ticket() -> str:
	def fetch():
		answer = call_with_token("GET", "/cgi-bin/ticket/getticket", params={"type": "jsapi"})
		return answer["ticket"], answer.get("expires_in")

	return _cached(_token_key("jsapi_ticket"), fetch)


def js_sdk_signature(ticket: str, nonce: str, timestamp: int, url: str) -> str:
	"""The JS-SDK signature WeChat documents: SHA-1 of the four fields in this order (the page's URL
	without its #fragment)."""
	url = url.split("#", 1)[0]
	return hashlib.sha1(
		f"jsapi_ticket={ticket}&noncestr={nonce}&timestamp={timestamp}&url={url}".encode()
	).hexdigest()


def share_cards_enabled() -> bool:
	return wechat_enabled() and bool(get_settings().share_cards)


def js_sdk_config(url: str) -> dict | None:
	"""What `wx.config` needs on the page at `url`, or None when share cards are off or WeChat fails."""
	if not share_cards_enabled():
		return None
	try:
		ticket = jsapi_ticket()
	except WeChatError:
		frappe.log_error(
			title=_("WeChat share card not signed"), message=_("WeChat refused the jsapi_ticket.")
		)
		return None
	nonce = frappe.generate_hash(length=16)
	timestamp = int(time.time())
	return {
		"appId": get_settings().app_id,
		"timestamp": timestamp,
		"nonceStr": nonce,
		"signature": js_sdk_signature(ticket, nonce, timestamp, url),
		"jsApiList": ["updateAppMessageShareData", "updateTimelineShareData"],
	}
