"""SMS to China's carriers: one function, `send_sms(numbers, kind, params)`, for every text the app sends.

China's carriers take only messages built from a template the provider approved, with a registered
signature (短信签名), sent through the provider's signed API. Consultation SMS Settings holds the provider
(Alibaba Cloud or Tencent Cloud, through their official SDKs), its keys (Password fields), the signature,
and for each kind of message its template code and the mapping of the template's variables to the
message's parameters. Without a provider there, the gateway of Frappe's SMS Settings takes the message as
free text (other providers); without either, nothing is sent and the caller is told so.

Every value that goes into a text is plain text built from plain text (`text_policy.plain_text`): no markup, no HTML
entity, shortened to the provider's longest variable. Secrets are read with `get_password` when a message
is sent and never logged: a failure is reported by its reason alone (`DeliveryResult.error`).

The kinds (`MESSAGE_KINDS`) and the parameters each offers a template:

| kind | sent | parameters |
| --- | --- | --- |
| verification_code | a resident signs in or up (portal/sms_login.py) | code, minutes |
| staff_initial_password | a staff account is made by import | name, login, password, site |
| proposal_progress | a resident's proposal reaches a new stage | topic, stage, link |
| session_notice … correction_overdue | each notice of the catalogue (notices/catalogue.py) | see NOTICE_PARAMETERS |

Every kind also offers `subject`, `text` (the whole message as plain text), `site` and `link`.
"""

import json
import re
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.utils import cint

from community_consultation.notices.catalogue import NOTICE_PARAMETERS, NOTIFICATIONS, notice_kind
from community_consultation.procedure.text_policy import plain_text

SETTINGS = "Consultation SMS Settings"
ALIBABA = "Alibaba Cloud"
TENCENT = "Tencent Cloud"
GATEWAY = "SMS Settings"
TIMEOUT_SECONDS = 10
COMMON_PARAMETERS = ("subject", "text", "site", "link")

VERIFICATION_CODE = "verification_code"
STAFF_INITIAL_PASSWORD = "staff_initial_password"
PROPOSAL_PROGRESS = "proposal_progress"

# kind → (its label in the settings' template table, the parameters its template may use)
MESSAGE_KINDS = {
	VERIFICATION_CODE: ("Verification Code", ("code", "minutes")),
	STAFF_INITIAL_PASSWORD: ("Staff Initial Password", ("name", "login", "password")),
	PROPOSAL_PROGRESS: ("Proposal Progress", ("topic", "stage")),
	**{notice_kind(notice): (notice, NOTICE_PARAMETERS.get(notice, ())) for notice in NOTIFICATIONS},
}

# a mainland China mobile number (11 digits, 1[3-9]…), with or without +86 / 0086
MAINLAND_MOBILE = re.compile(r"^(?:\+?86|0086)?(1[3-9]\d{9})$")


class SmsNotSent(frappe.ValidationError):
	"""No SMS went out: not configured, no template for the kind, or the provider refused."""


@dataclass
class DeliveryResult:
	"""What became of one message to one number (SMS) or openid (WeChat)."""

	number: str
	ok: bool = False
	provider: str = ""
	message_id: str = ""
	status: str = ""
	error: str = ""
	extra: dict = field(default_factory=dict)


# ------------------------------------------------------------------------------------ numbers and text


def mainland_mobile(number: str | None) -> str | None:
	"""The 11-digit mainland mobile number in `number` (spaces, dashes and +86 allowed), or None."""
	digits = re.sub(r"[\s\-()]", "", str(number or ""))
	match = MAINLAND_MOBILE.match(digits)
	return match.group(1) if match else None


def shorten(text: str, limit: int) -> str:
	return text if not limit or len(text) <= limit else text[: max(limit - 1, 1)] + "…"


# ------------------------------------------------------------------------------------ settings


def get_settings():
	return frappe.get_cached_doc(SETTINGS)


def sign_in_limit(fieldname: str) -> int:
	"""A number of Consultation SMS Settings' sign-in and delivery sections (defaults when unset)."""
	value = get_settings().get(fieldname)
	if value in (None, ""):
		value = frappe.get_meta(SETTINGS).get_field(fieldname).default
	return max(cint(value), 0)


def provider_configured() -> bool:
	settings = get_settings()
	return bool(settings.provider and settings.access_key_id and settings.sign_name)


def gateway_configured() -> bool:
	return bool(frappe.db.get_single_value("SMS Settings", "sms_gateway_url"))


def sms_configured(kind: str | None = None) -> bool:
	"""An SMS of `kind` can be sent: a provider with a template for it, or the free-text gateway."""
	if provider_configured():
		return kind is None or bool(template_for(kind))
	return gateway_configured()


def template_for(kind: str):
	label = MESSAGE_KINDS.get(kind, (None,))[0]
	return next((row for row in get_settings().templates if row.kind == label and row.template_code), None)


def parameter_pairs(text: str | None) -> list[tuple[str, str]]:
	"""[(template variable or keyword, message parameter)] of a template's mapping, in order: one per
	line (or comma), `name=topic`, or `code` for `code=code`."""
	pairs = []
	for line in re.split(r"[\n,，;；]+", text or ""):
		variable, sep, parameter = line.partition("=")
		variable, parameter = variable.strip(), (parameter if sep else variable).strip()
		if variable:
			pairs.append((variable, parameter))
	return pairs


def template_variables(row) -> list[tuple[str, str]]:
	return parameter_pairs(row.parameters)


def validate_template_rows(settings, mapping_field: str = "parameters"):
	"""Each template's parameters are ones its kind offers (a typo would send an empty variable)."""
	labels = {label: kind for kind, (label, _params) in MESSAGE_KINDS.items()}
	for row in settings.templates:
		kind = labels.get(row.kind)
		offered = (*MESSAGE_KINDS[kind][1], *COMMON_PARAMETERS) if kind else ()
		unknown = [p for _v, p in parameter_pairs(row.get(mapping_field)) if p not in offered]
		if unknown:
			frappe.throw(
				_("Row {0}: {1} has no parameter {2}. It offers: {3}").format(
					row.idx, _(row.kind), ", ".join(unknown), ", ".join(offered)
				),
				title=_("Unknown template parameter"),
			)


# ------------------------------------------------------------------------------------ sending


def send_sms(numbers: str | list[str], kind: str, params: dict) -> list[DeliveryResult]:
	"""Send the message of `kind` with `params` to each of `numbers`, one message per number, through
	the configured provider's template (or the free-text gateway of SMS Settings). Returns what became
	of each message; never raises for a message that did not go out (its `error` says why)."""
	if kind not in MESSAGE_KINDS:
		frappe.throw(_("Unknown kind of SMS: {0}").format(kind))
	numbers = [numbers] if isinstance(numbers, str) else list(numbers or [])
	values = {name: plain_text(value) for name, value in (params or {}).items()}
	values.setdefault("site", site_name())
	if provider_configured():
		sender = provider_sender(kind, values)
	elif gateway_configured():
		sender = gateway_sender(values)
	else:
		return [DeliveryResult(n, error=_("No SMS provider is configured.")) for n in numbers]
	results = []
	for raw in numbers:
		number = mainland_mobile(raw)
		if not number:
			results.append(
				DeliveryResult(str(raw), error=_("{0} is not a mainland China mobile number.").format(raw))
			)
			continue
		results.append(sender(number))
	return results


def send_one(number: str, kind: str, params: dict) -> DeliveryResult:
	return send_sms([number], kind, params)[0]


def site_name() -> str:
	from community_consultation.setup.branding import platform_name

	return platform_name()


def provider_sender(kind: str, values: dict):
	settings = get_settings()
	row = template_for(kind)
	if not row:
		error = _("No SMS template is set for {0} in Consultation SMS Settings.").format(
			_(MESSAGE_KINDS[kind][0])
		)
		return lambda number: DeliveryResult(number, provider=settings.provider, error=error)
	limit = sign_in_limit("max_param_length")
	variables = [
		(variable, value if parameter in ("code", "password") else shorten(value, limit))
		for variable, parameter in template_variables(row)
		for value in [values.get(parameter, "")]
	]
	provider = PROVIDERS[settings.provider](settings)
	secret = settings.get_password("access_key_secret", raise_exception=False) or ""

	def send(number):
		try:
			result = provider.send(number, row.template_code, variables, secret)
		except Exception as e:
			result = DeliveryResult(number, error=scrub_secret(f"{type(e).__name__}: {e}", secret)[:500])
		result.provider = settings.provider
		return result

	return send


def scrub_secret(text: str, secret: str) -> str:
	return text.replace(secret, "***") if secret else text


def endpoint_parts(endpoint: str | None, default: str) -> tuple[str, str]:
	"""(scheme, host[:port]) of the settings' endpoint: "https://host", "http://127.0.0.1:9000" or
	"host"."""
	endpoint = (endpoint or "").strip().rstrip("/") or default
	scheme, sep, host = endpoint.partition("://")
	return (scheme.lower(), host) if sep else ("https", endpoint)


class AlibabaCloudSms:
	"""Alibaba Cloud SMS (dysmsapi 2017-05-25) through its official SDK: SendSms, one number a request;
	the answer's BizId is the message id. Signed by the SDK (ACS3-HMAC-SHA256)."""

	ENDPOINT = "dysmsapi.aliyuncs.com"

	def __init__(self, settings):
		self.settings = settings

	def send(self, number: str, template_code: str, variables: list[tuple[str, str]], secret: str):
		from alibabacloud_dysmsapi20170525 import models
		from alibabacloud_dysmsapi20170525.client import Client
		from alibabacloud_tea_openapi import models as openapi
		from darabonba.runtime import RuntimeOptions

		scheme, host = endpoint_parts(self.settings.endpoint, self.ENDPOINT)
		config = openapi.Config(
			access_key_id=self.settings.access_key_id,
			access_key_secret=secret,
			endpoint=host,
			protocol=scheme,
			region_id="cn-hangzhou",
			connect_timeout=TIMEOUT_SECONDS * 1000,
			read_timeout=TIMEOUT_SECONDS * 1000,
		)
		request = models.SendSmsRequest(
			phone_numbers=number,
			sign_name=self.settings.sign_name,
			template_code=template_code,
			template_param=json.dumps(dict(variables), ensure_ascii=False) if variables else None,
		)
		runtime = RuntimeOptions(autoretry=False, max_attempts=1)
		body = Client(config).send_sms_with_options(request, runtime).body
		if body.code != "OK":
			return DeliveryResult(number, status=body.code or "", error=f"{body.code}: {body.message}")
		return DeliveryResult(number, ok=True, message_id=body.biz_id or "", status=body.code)


class TencentCloudSms:
	"""Tencent Cloud SMS (2021-01-11) through its official SDK: SendSms with the template's parameters
	in order; each number's SerialNo is the message id. Signed by the SDK (TC3-HMAC-SHA256)."""

	ENDPOINT = "sms.tencentcloudapi.com"

	def __init__(self, settings):
		self.settings = settings

	def send(self, number: str, template_code: str, variables: list[tuple[str, str]], secret: str):
		from tencentcloud.common import credential
		from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
		from tencentcloud.common.profile.client_profile import ClientProfile
		from tencentcloud.common.profile.http_profile import HttpProfile
		from tencentcloud.sms.v20210111 import models, sms_client

		scheme, host = endpoint_parts(self.settings.endpoint, self.ENDPOINT)
		http = HttpProfile(protocol=scheme, endpoint=host, reqTimeout=TIMEOUT_SECONDS)
		profile = ClientProfile(httpProfile=http)
		profile.disable_region_breaker = True
		client = sms_client.SmsClient(
			credential.Credential(self.settings.access_key_id, secret),
			self.settings.region or "ap-guangzhou",
			profile,
		)
		request = models.SendSmsRequest()
		request.SmsSdkAppId = self.settings.sdk_app_id
		request.SignName = self.settings.sign_name
		request.TemplateId = template_code
		request.TemplateParamSet = [value for _variable, value in variables]
		request.PhoneNumberSet = ["+86" + number]
		try:
			response = client.SendSms(request)
		except TencentCloudSDKException as e:
			return DeliveryResult(
				number, status=e.get_code() or "", error=f"{e.get_code()}: {e.get_message()}"
			)
		status = (response.SendStatusSet or [None])[0]
		if not status:
			return DeliveryResult(number, error=_("The provider answered without a status."))
		if status.Code != "Ok":
			return DeliveryResult(number, status=status.Code, error=f"{status.Code}: {status.Message}")
		return DeliveryResult(number, ok=True, message_id=status.SerialNo or "", status=status.Code)


PROVIDERS = {ALIBABA: AlibabaCloudSms, TENCENT: TencentCloudSms}


def gateway_sender(values: dict):
	"""The free-text gateway of Frappe's SMS Settings (other providers): the message's `text`."""

	def send(number):
		text = values.get("text") or values.get("subject") or ""
		if values.get("code") and not values.get("text"):
			text = _("Your verification code is {0}. It is valid for {1} minutes.").format(
				values["code"], values.get("minutes") or ""
			)
		return send_through_gateway(number, text)

	return send


def send_through_gateway(number: str, text: str) -> DeliveryResult:
	"""One SMS through the gateway of SMS Settings (its parameters, headers, GET/POST/JSON, as Frappe's
	`send_sms`), with a timeout: Frappe's own waits on the gateway without one and cannot say whether the
	gateway took the message. Taken only on a 2xx answer, then logged as an SMS Log."""
	import requests
	from frappe.core.doctype.sms_settings.sms_settings import create_sms_log, get_headers

	settings = frappe.get_doc("SMS Settings")
	args = {settings.message_parameter: text}
	for d in settings.parameters:
		if not d.header:
			args[d.parameter] = d.value
	args[settings.receiver_parameter] = number
	headers = get_headers(settings)
	kwargs = {"headers": headers, "timeout": TIMEOUT_SECONDS}
	if headers.get("Content-Type") == "application/json":
		kwargs["json"] = args
	elif settings.use_post:
		kwargs["data"] = args
	else:
		kwargs["params"] = args
	send = requests.post if settings.use_post else requests.get
	try:
		response = send(settings.sms_gateway_url, **kwargs)
	except requests.RequestException as e:
		return DeliveryResult(number, provider=GATEWAY, error=f"{type(e).__name__}: {str(e)[:300]}")
	if not 200 <= response.status_code < 300:
		return DeliveryResult(
			number,
			provider=GATEWAY,
			status=str(response.status_code),
			error=_("The SMS gateway answered {0}: {1}").format(response.status_code, response.text[:200]),
		)
	if frappe.db.exists("DocType", "SMS Log"):
		create_sms_log({"message": text.encode("utf-8"), "receiver_list": [number]}, [number])
	return DeliveryResult(number, ok=True, provider=GATEWAY, status=str(response.status_code))
