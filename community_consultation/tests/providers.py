"""Local servers that answer as China's SMS providers and WeChat's API document it, for the tests.

Each runs on 127.0.0.1 in a thread, keeps every request it received, and checks the request as the
provider does: the signature (Alibaba Cloud's ACS3-HMAC-SHA256 over the canonical request; Tencent Cloud's
TC3-HMAC-SHA256), the action, the parameters. A request whose signature does not verify is answered with
the provider's own error and recorded with `verified=False`.

- Alibaba Cloud SMS, SendSms (API 2017-05-25, RPC style, V3 signature):
  help.aliyun.com/zh/sms/developer-reference/api-dysmsapi-2017-05-25-sendsms and
  help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature
- Tencent Cloud SMS, SendSms (API 2021-01-11, TC3-HMAC-SHA256):
  cloud.tencent.com/document/api/382/55981 and cloud.tencent.com/document/api/382/52072
- WeChat Official Account: cgi-bin/token, sns/oauth2/access_token, cgi-bin/message/template/send,
  cgi-bin/message/subscribe/bizsend, cgi-bin/ticket/getticket (developers.weixin.qq.com/doc/offiaccount)
"""

import hashlib
import hmac
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlparse

ALIBABA_KEY_ID = "LTAI5tTestKeyId0001"
ALIBABA_SECRET = "AliSecretForTheLocalServer0001"
TENCENT_SECRET_ID = "AKIDTestSecretId000000000000000001"
TENCENT_SECRET_KEY = "TencentSecretKeyForLocalServer01"
TENCENT_SDK_APP_ID = "1400000001"
WECHAT_APP_ID = "wx0123456789abcdef"
WECHAT_SECRET = "WeChatAppSecretForLocalServer001"


class ProviderServer(ThreadingHTTPServer):
	"""A provider on 127.0.0.1: `handle(method, path, query, headers, body)` → (status, JSON answer).
	`refuse` makes the next answers an error of the provider (a business refusal, not a broken request)."""

	daemon_threads = True
	content_type = "application/json;charset=utf-8"

	def __init__(self):
		self.requests: list[dict] = []
		self.refuse: str | None = None
		server = self

		class Handler(BaseHTTPRequestHandler):
			def _serve(handler):
				url = urlparse(handler.path)
				length = int(handler.headers.get("Content-Length") or 0)
				body = handler.rfile.read(length) if length else b""
				headers = {k.lower(): v for k, v in handler.headers.items()}
				status, answer = server.handle(
					handler.command,
					url.path,
					dict(parse_qsl(url.query, keep_blank_values=True)),
					headers,
					body,
				)
				data = json.dumps(answer, ensure_ascii=False).encode()
				handler.send_response(status)
				handler.send_header("Content-Type", server.content_type)
				handler.send_header("Content-Length", str(len(data)))
				handler.end_headers()
				handler.wfile.write(data)

			do_GET = do_POST = _serve

			def log_message(handler, *args):
				pass

		super().__init__(("127.0.0.1", 0), Handler)
		self.endpoint = f"127.0.0.1:{self.server_address[1]}"
		self.url = f"http://{self.endpoint}"
		threading.Thread(target=self.serve_forever, daemon=True).start()

	def stop(self):
		self.shutdown()
		self.server_close()

	def handle(self, method, path, query, headers, body):
		raise NotImplementedError

	def inbox(self) -> list[dict]:
		"""What reached the phones: [{number, params}] (the test's browser reads its codes here)."""
		return []

	def sent(self) -> list[dict]:
		"""The messages the provider took (signed correctly and not refused)."""
		return [r for r in self.requests if r.get("verified") and r.get("accepted")]

	def to(self, number: str) -> list[dict]:
		"""The requests (taken or refused) for one mobile number."""
		return [r for r in self.requests if (r.get("params") or {}).get("PhoneNumbers") == number]


# ------------------------------------------------------------------------------------ Alibaba Cloud


def acs3_signature(method, path, query, headers, signed_headers, payload_hash, secret) -> str:
	"""The V3 signature as Alibaba Cloud documents it: HMAC-SHA256 of the hashed canonical request."""
	canonical_query = "&".join(f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in sorted(query.items()))
	canonical_headers = "".join(f"{h}:{headers.get(h, '').strip()}\n" for h in signed_headers)
	canonical = "\n".join(
		[method, path or "/", canonical_query, canonical_headers, ";".join(signed_headers), payload_hash]
	)
	to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
	return hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()


class AlibabaSms(ProviderServer):
	"""Alibaba Cloud's dysmsapi: SendSms with PhoneNumbers, SignName, TemplateCode, TemplateParam (JSON)."""

	def inbox(self):
		return [{"number": r["params"]["PhoneNumbers"], "params": r["template_param"]} for r in self.sent()]

	def handle(self, method, path, query, headers, body):
		if path == "/_inbox":
			return 200, self.inbox()
		record = {"method": method, "path": path, "query": query, "headers": headers, "body": body}
		self.requests.append(record)
		params = {**query, **dict(parse_qsl(body.decode(), keep_blank_values=True))}
		record["action"] = headers.get("x-acs-action")
		record["version"] = headers.get("x-acs-version")
		record["params"] = params
		request_id = str(uuid.uuid4()).upper()
		auth = headers.get("authorization", "")
		record["verified"] = self.verify(method, path, query, headers, body, auth)
		if not record["verified"]:
			return 400, {
				"Code": "IncompleteSignature",
				"Message": "The request signature does not conform to Aliyun standards.",
				"RequestId": request_id,
			}
		if record["action"] != "SendSms" or record["version"] != "2017-05-25":
			return 404, {
				"Code": "InvalidAction.NotFound",
				"Message": "Specified api is not found",
				"RequestId": request_id,
			}
		if self.refuse:
			record["accepted"] = False
			return 200, {"Code": self.refuse, "Message": "触发号码天级流控", "RequestId": request_id}
		record["accepted"] = True
		record["template_param"] = json.loads(params.get("TemplateParam") or "{}")
		record["biz_id"] = f"{int(time.time() * 1000)}^{len(self.requests)}"
		return 200, {"Code": "OK", "Message": "OK", "BizId": record["biz_id"], "RequestId": request_id}

	@staticmethod
	def verify(method, path, query, headers, body, auth) -> bool:
		if not auth.startswith("ACS3-HMAC-SHA256 "):
			return False
		parts = dict(p.split("=", 1) for p in auth[len("ACS3-HMAC-SHA256 ") :].split(","))
		if parts.get("Credential") != ALIBABA_KEY_ID:
			return False
		payload_hash = hashlib.sha256(body).hexdigest()
		if headers.get("x-acs-content-sha256") != payload_hash:
			return False
		signed = parts.get("SignedHeaders", "").split(";")
		if not {"host", "x-acs-action", "x-acs-date", "x-acs-signature-nonce"} <= set(signed):
			return False
		expected = acs3_signature(method, path, query, headers, signed, payload_hash, ALIBABA_SECRET)
		return hmac.compare_digest(expected, parts.get("Signature", ""))


# ------------------------------------------------------------------------------------ Tencent Cloud


def tc3_signature(secret_key, date, service, string_to_sign) -> str:
	def sign(key, msg):
		return hmac.new(key, msg.encode(), hashlib.sha256).digest()

	key = sign(sign(sign(("TC3" + secret_key).encode(), date), service), "tc3_request")
	return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


class TencentSms(ProviderServer):
	"""Tencent Cloud's sms (2021-01-11): SendSms with SmsSdkAppId, SignName, TemplateId, TemplateParamSet,
	PhoneNumberSet (+86…); the answer has a SendStatusSet with a SerialNo per number."""

	content_type = "application/json"

	def handle(self, method, path, query, headers, body):
		record = {"method": method, "path": path, "headers": headers, "body": body}
		self.requests.append(record)
		record["action"] = headers.get("x-tc-action")
		record["version"] = headers.get("x-tc-version")
		request_id = str(uuid.uuid4())
		record["verified"] = self.verify(method, path, headers, body)
		if not record["verified"]:
			return 200, {
				"Response": {
					"Error": {
						"Code": "AuthFailure.SignatureFailure",
						"Message": "The provided credentials could not be validated.",
					},
					"RequestId": request_id,
				}
			}
		params = json.loads(body or b"{}")
		record["params"] = params
		if record["action"] != "SendSms" or record["version"] != "2021-01-11":
			return 200, {
				"Response": {
					"Error": {"Code": "InvalidAction", "Message": "no such action"},
					"RequestId": request_id,
				}
			}
		statuses = []
		for number in params.get("PhoneNumberSet") or []:
			if self.refuse:
				statuses.append(
					{
						"SerialNo": "",
						"PhoneNumber": number,
						"Fee": 0,
						"SessionContext": "",
						"Code": self.refuse,
						"Message": "the number of sms messages sent from a single mobile number every day exceeds the upper limit",
						"IsoCode": "CN",
					}
				)
			else:
				statuses.append(
					{
						"SerialNo": f"5000:{uuid.uuid4().int % 10**18}",
						"PhoneNumber": number,
						"Fee": 1,
						"SessionContext": "",
						"Code": "Ok",
						"Message": "send success",
						"IsoCode": "CN",
					}
				)
		record["accepted"] = not self.refuse
		record["statuses"] = statuses
		return 200, {"Response": {"SendStatusSet": statuses, "RequestId": request_id}}

	@staticmethod
	def verify(method, path, headers, body) -> bool:
		auth = headers.get("authorization", "")
		if not auth.startswith("TC3-HMAC-SHA256 "):
			return False
		parts = dict(p.strip().split("=", 1) for p in auth[len("TC3-HMAC-SHA256 ") :].split(","))
		secret_id, date, service, terminator = parts.get("Credential", "").split("/")
		if secret_id != TENCENT_SECRET_ID or terminator != "tc3_request" or service != "sms":
			return False
		signed = parts.get("SignedHeaders", "").split(";")
		canonical_headers = "".join(f"{h}:{headers.get(h, '')}\n" for h in signed)
		canonical = "\n".join(
			[method, path or "/", "", canonical_headers, ";".join(signed), hashlib.sha256(body).hexdigest()]
		)
		timestamp = headers.get("x-tc-timestamp", "0")
		scope = f"{date}/{service}/tc3_request"
		to_sign = f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
		return hmac.compare_digest(
			tc3_signature(TENCENT_SECRET_KEY, date, service, to_sign), parts.get("Signature", "")
		)


# ------------------------------------------------------------------------------------ WeChat


class WeChatApi(ProviderServer):
	"""api.weixin.qq.com and open.weixin.qq.com of an Official Account: access tokens, web authorisation
	codes (`codes`: code → openid, each usable once), template and subscription messages, the JS-SDK
	ticket."""

	def __init__(self):
		self.codes: dict[str, str] = {}
		self.tokens: set[str] = set()
		self.ticket = "bxLdikRXVbTPdHSM05e5u5sUoXNKd8-41ZO3MhKoyN5OfkWITDGgnr2fwJ0m9E8NYzWKVZvdVtaUgWvsdshFKA"
		super().__init__()

	def error(self, code, message):
		return 200, {"errcode": code, "errmsg": message}

	def handle(self, method, path, query, headers, body):
		record = {"method": method, "path": path, "query": query, "body": body}
		self.requests.append(record)
		if path == "/cgi-bin/token":
			if query.get("appid") != WECHAT_APP_ID or query.get("secret") != WECHAT_SECRET:
				return self.error(40125, "invalid appsecret")
			token = uuid.uuid4().hex
			self.tokens.add(token)
			return 200, {"access_token": token, "expires_in": 7200}
		if path == "/sns/oauth2/access_token":
			if query.get("appid") != WECHAT_APP_ID or query.get("secret") != WECHAT_SECRET:
				return self.error(40125, "invalid appsecret")
			openid = self.codes.pop(query.get("code"), None)
			if not openid:
				return self.error(40029, "invalid code")
			return 200, {
				"access_token": uuid.uuid4().hex,
				"expires_in": 7200,
				"refresh_token": "r",
				"openid": openid,
				"scope": "snsapi_base",
			}
		if query.get("access_token") not in self.tokens:
			return self.error(40001, "invalid credential, access_token is invalid or not latest")
		if path == "/cgi-bin/ticket/getticket":
			return 200, {"errcode": 0, "errmsg": "ok", "ticket": self.ticket, "expires_in": 7200}
		if path in ("/cgi-bin/message/template/send", "/cgi-bin/message/subscribe/bizsend"):
			message = json.loads(body or b"{}")
			record["message"] = message
			record["verified"] = True
			if self.refuse:
				record["accepted"] = False
				return self.error(43004, self.refuse)
			record["accepted"] = True
			msgid = int(time.time() * 1000) + len(self.requests)
			record["msgid"] = msgid
			return 200, {"errcode": 0, "errmsg": "ok", "msgid": msgid}
		return self.error(40066, "invalid url")

	def authorize(self, openid: str) -> str:
		"""A code WeChat would give the resident's browser for `openid` (snsapi_base)."""
		code = uuid.uuid4().hex
		self.codes[code] = openid
		return code


# ------------------------------------------------------------------------------------ settings


def sms_templates(provider: str) -> list[dict]:
	"""A template for every kind of message, as a county would register them: Alibaba Cloud's templates
	name their variables, Tencent Cloud's number them."""
	import frappe

	from community_consultation.notices.sms import MESSAGE_KINDS

	rows = []
	for i, (_kind, (label, params)) in enumerate(MESSAGE_KINDS.items()):
		names = list(params) or ["subject"]
		if provider == "Alibaba Cloud":
			parameters = "\n".join(f"{name}={name}" for name in names)
			code = f"SMS_{470000000 + i}"
		else:
			parameters = "\n".join(f"{n}={name}" for n, name in enumerate(names, 1))
			code = str(2000000 + i)
		rows.append({"kind": label, "template_code": code, "parameters": parameters})
	frappe.local.sms_template_codes = {row["kind"]: row["template_code"] for row in rows}
	return rows


def use_sms_provider(provider: str, server: ProviderServer, templates: list[dict] | None = None):
	"""Consultation SMS Settings pointed at a local provider (undone by the test's rollback and
	`forget_providers`)."""
	import frappe

	settings = frappe.get_single("Consultation SMS Settings")
	alibaba = provider == "Alibaba Cloud"
	settings.update(
		{
			"provider": provider,
			"sign_name": "城乡社区协商",
			"access_key_id": ALIBABA_KEY_ID if alibaba else TENCENT_SECRET_ID,
			"access_key_secret": ALIBABA_SECRET if alibaba else TENCENT_SECRET_KEY,
			"sdk_app_id": None if alibaba else TENCENT_SDK_APP_ID,
			"region": "ap-guangzhou",
			"endpoint": server.url,
		}
	)
	settings.set("templates", templates if templates is not None else sms_templates(provider))
	settings.save(ignore_permissions=True)
	return settings


def wechat_templates() -> list[dict]:
	from community_consultation.notices.sms import MESSAGE_KINDS

	rows = []
	for kind, (label, params) in MESSAGE_KINDS.items():
		if kind in ("verification_code", "staff_initial_password"):
			continue
		fields = "\n".join(f"thing{n}={name}" for n, name in enumerate(params or ("subject",), 1))
		rows.append(
			{
				"kind": label,
				"message_type": "Template Message",
				"template_id": f"tpl-{kind}",
				"fields": fields,
			}
		)
	return rows


def use_wechat(server: WeChatApi, share_cards: bool = True):
	import frappe

	settings = frappe.get_single("Consultation WeChat Settings")
	settings.update(
		{
			"enabled": 1,
			"app_id": WECHAT_APP_ID,
			"app_secret": WECHAT_SECRET,
			"share_cards": int(share_cards),
			"api_base_url": server.url,
			"oauth_base_url": server.url,
		}
	)
	settings.set("templates", wechat_templates())
	settings.save(ignore_permissions=True)
	return settings


def forget_providers():
	"""After a test's rollback: no cached settings or tokens of the providers it used."""
	import frappe

	from community_consultation.notices.wechat import forget_tokens

	for doctype in ("Consultation SMS Settings", "Consultation WeChat Settings", "SMS Settings"):
		frappe.clear_document_cache(doctype, doctype)
	forget_tokens()


def reset_provider_settings():
	"""Committed settings back to no provider and no Official Account, and no codes or bindings (for a
	test that committed them)."""
	import frappe

	frappe.db.rollback()
	for doctype, switch in (
		("Consultation SMS Settings", "provider"),
		("Consultation WeChat Settings", "enabled"),
	):
		settings = frappe.get_single(doctype)
		settings.set("templates", [])
		settings.set(switch, None)
		settings.save(ignore_permissions=True)
	frappe.db.delete("SMS Verification Code")
	frappe.db.delete("WeChat Binding")
	frappe.db.commit()
	forget_providers()
