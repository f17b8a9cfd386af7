"""Residents sign in, and sign up, with a mainland mobile number and a code sent by SMS.

1. `send_code(mobile_no)`: a 6-digit code by SMS (kind `verification_code`), valid `code_valid_minutes`
   (5); only its hash is kept (SMS Verification Code, keyed with the site's encryption key). Refused, and
   no SMS sent: a number that is not a mainland mobile number; a second code to a number within
   `resend_interval_seconds` (60); more than `codes_per_number_per_day` or `codes_per_ip_per_day` (10)
   in a day; a number locked after wrong codes.
2. `verify_code(mobile_no, code)`: the latest code of the number, unexpired and unused, used once. A
   resident with an account is signed in; a new number gets a sign-up ticket for /sign-up. Each wrong code
   counts; after `wrong_codes_allowed` (5) the number is locked for `lock_minutes` (30), for codes sent
   and checked alike. Staff (desk users) sign in with their password, not a code.
3. `sign_up(ticket, full_name, community_unit, accept_notice)`: after accepting the platform's
   personal-information notice (个人信息保护法 art. 14, 17: /personal-information), a Website User with the
   Resident role and the number, and their Stakeholder record in the chosen village or community; signed
   in.

Inside WeChat's browser, a resident who came back from WeChat's authorisation (portal/wechat_login.py)
carries a WeChat ticket: once the SMS check passed, their openid is bound to the account.

The limits are Consultation SMS Settings' "Sign-in by SMS Code" section. Every refusal is a translated
message (`SignInRefused`, HTTP 417 with the message, nothing changed but the count of wrong codes).
"""

import hashlib
import hmac
import secrets

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import add_to_date, cint, get_datetime, now_datetime

from community_consultation.notices.recipients import mobile_account_email
from community_consultation.notices.sms import (
	VERIFICATION_CODE,
	mainland_mobile,
	send_one,
	sign_in_limit,
	sms_configured,
)
from community_consultation.procedure.text_policy import plain_text
from community_consultation.setup.roles import RESIDENT
from community_consultation.units import names
from community_consultation.units import tree as unit_tree

CODES = "SMS Verification Code"
TICKET_MINUTES = 15
SIGN_UP_ROUTE = "sign-up"
NOTICE_ROUTE = "personal-information"
NAME_LENGTH = 40


class SignInRefused(frappe.ValidationError):
	"""A sign-in step refused: its message says why, in the resident's language."""


def refuse(message: str, title: str | None = None):
	frappe.throw(message, SignInRefused, title=title or _("Not signed in"))


def code_hash(mobile: str, code: str) -> str:
	from frappe.utils.password import get_encryption_key

	return hmac.new(get_encryption_key().encode(), f"{mobile}:{code}".encode(), hashlib.sha256).hexdigest()


def client_ip() -> str:
	return getattr(frappe.local, "request_ip", None) or "127.0.0.1"


def valid_mobile(mobile_no: str | None) -> str:
	"""The mainland mobile number, or a translated refusal."""
	mobile = mainland_mobile(mobile_no)
	if not mobile:
		refuse(
			_("Enter a mainland China mobile number: 11 digits starting with 1."), _("Not a mobile number")
		)
	return mobile


# ------------------------------------------------------------------------------------ the rules


def check_not_locked(mobile: str):
	"""Wrong codes are limited: after `wrong_codes_allowed` of them within `lock_minutes`, the number is
	locked until `lock_minutes` after the last one."""
	minutes = sign_in_limit("lock_minutes")
	allowed = sign_in_limit("wrong_codes_allowed")
	wrong = frappe.db.sql(
		f"""select coalesce(sum(wrong_attempts), 0) from `tab{CODES}`
		where mobile_no = %s and modified > %s""",
		(mobile, add_to_date(now_datetime(), minutes=-minutes)),
	)[0][0]
	if allowed and cint(wrong) >= allowed:
		refuse(
			_("Too many wrong codes for this number. Try again in {0} minutes.").format(minutes),
			_("Locked for a while"),
		)


def check_send_limits(mobile: str, ip: str):
	"""At most one code a number per `resend_interval_seconds`, `codes_per_number_per_day` a number and
	`codes_per_ip_per_day` an IP address in a day."""
	interval = sign_in_limit("resend_interval_seconds")
	last = frappe.db.get_value(CODES, {"mobile_no": mobile}, "creation", order_by="creation desc")
	if last and interval:
		wait = interval - int((now_datetime() - get_datetime(last)).total_seconds())
		if wait > 0:
			refuse(
				_("A code was just sent to this number. You can ask for another in {0} seconds.").format(
					wait
				),
				_("Please wait"),
			)
	day_ago = add_to_date(now_datetime(), days=-1)
	caps = (
		(
			{"mobile_no": mobile},
			"codes_per_number_per_day",
			_("This number has had {0} codes today, the most allowed. Try again tomorrow."),
		),
		(
			{"ip_address": ip},
			"codes_per_ip_per_day",
			_("{0} codes were sent from your network today, the most allowed. Try again tomorrow."),
		),
	)
	for filters, setting, message in caps:
		limit = sign_in_limit(setting)
		if frappe.db.count(CODES, {**filters, "creation": (">", day_ago)}) >= limit:
			refuse(message.format(limit), _("Too many codes"))


# ------------------------------------------------------------------------------------ endpoints


@frappe.whitelist(allow_guest=True, methods=["POST"])
def send_code(mobile_no: str) -> dict:
	"""Send a sign-in code to `mobile_no` (see the module's rules)."""
	if not sms_configured(VERIFICATION_CODE):
		refuse(_("Sign-in by SMS is not available on this site yet. Please ask your village or community."))
	mobile = valid_mobile(mobile_no)
	ip = client_ip()
	check_not_locked(mobile)
	check_send_limits(mobile, ip)
	minutes = sign_in_limit("code_valid_minutes")
	code = f"{secrets.randbelow(10**6):06d}"
	result = send_one(mobile, VERIFICATION_CODE, {"code": code, "minutes": minutes})
	if not result.ok:
		frappe.log_error(title=_("Sign-in code not sent"), message=result.error)
		refuse(_("The code could not be sent. Please try again in a few minutes."), _("Not sent"))
	frappe.get_doc(
		{
			"doctype": CODES,
			"mobile_no": mobile,
			"code_hash": code_hash(mobile, code),
			"ip_address": ip,
			"expires_on": add_to_date(now_datetime(), minutes=minutes),
			"sent": 1,
		}
	).insert(ignore_permissions=True)
	return {"sent": True, "valid_minutes": minutes, "resend_after": sign_in_limit("resend_interval_seconds")}


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=30, seconds=60 * 60)
def verify_code(mobile_no: str, code: str, wechat_ticket: str | None = None) -> dict:
	"""Check the code sent to `mobile_no`: sign in a resident who has an account, or give a new number
	a sign-up ticket."""
	mobile = valid_mobile(mobile_no)
	check_not_locked(mobile)
	row = frappe.db.get_value(
		CODES,
		{"mobile_no": mobile, "sent": 1},
		["name", "code_hash", "expires_on", "used_on", "wrong_attempts"],
		as_dict=True,
		order_by="creation desc",
	)
	code = str(code or "").strip()
	if not row:
		refuse(_("Ask for a code first."), _("No code"))
	if row.used_on:
		refuse(_("This code was already used. Ask for a new one."), _("Code used"))
	if get_datetime(row.expires_on) < now_datetime():
		refuse(_("This code has expired. Ask for a new one."), _("Code expired"))
	if not hmac.compare_digest(row.code_hash, code_hash(mobile, code)):
		# the wrong code is counted even though the request fails
		frappe.db.set_value(CODES, row.name, "wrong_attempts", cint(row.wrong_attempts) + 1)
		frappe.db.commit()
		check_not_locked(mobile)
		refuse(_("The code is not right. Check the SMS and enter it again."), _("Wrong code"))
	frappe.db.set_value(CODES, row.name, "used_on", now_datetime())

	user = frappe.db.get_value(
		"User", {"mobile_no": mobile}, ["name", "enabled", "user_type"], as_dict=True, order_by="creation asc"
	)
	if user and not user.enabled:
		refuse(_("This account is disabled. Please ask your village or community."), _("Account disabled"))
	if user and user.user_type != "Website User":
		refuse(_("Staff sign in with their password."), _("Sign in with your password"))
	if user:
		sign_in(user.name, wechat_ticket)
		return {"signed_in": True, "redirect": redirect_target()}
	ticket = frappe.generate_hash(length=32)
	frappe.cache().set_value(ticket_key(ticket), mobile, expires_in_sec=TICKET_MINUTES * 60)
	return {"sign_up": True, "ticket": ticket, "redirect": f"/{SIGN_UP_ROUTE}?ticket={ticket}"}


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=20, seconds=60 * 60)
def sign_up(
	ticket: str,
	full_name: str,
	community_unit: str,
	accept_notice: int | str = 0,
	wechat_ticket: str | None = None,
) -> dict:
	"""A new resident: the number checked by SMS (`ticket`), the notice accepted, the village chosen."""
	from community_consultation.procedure.online_proposals import get_or_create_resident_stakeholder

	mobile = frappe.cache().get_value(ticket_key(ticket)) if ticket else None
	if not mobile:
		refuse(_("Your sign-up has expired. Sign in with your mobile number again."), _("Expired"))
	if not cint(accept_notice):
		refuse(
			_("Please read and accept the personal information notice to sign up."), _("Notice not accepted")
		)
	name = plain_text(full_name)[:NAME_LENGTH]
	if not name:
		refuse(_("Enter your name."), _("Name missing"))
	if unit_tree.unit_type(community_unit) not in unit_tree.VILLAGE_TYPES:
		refuse(_("Choose your village or community."), _("Village missing"))
	if frappe.db.exists("User", {"mobile_no": mobile}):
		refuse(_("This number already has an account. Sign in with it."), _("Already signed up"))
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": mobile_account_email(mobile),
			"first_name": name,
			"mobile_no": mobile,
			"user_type": "Website User",
			"send_welcome_email": 0,
			"language": frappe.local.lang if frappe.local.lang in ("zh", "en") else "zh",
			"roles": [{"role": RESIDENT}],
		}
	)
	user.flags.no_welcome_mail = True
	user.insert(ignore_permissions=True)
	stakeholder = get_or_create_resident_stakeholder(user.name, community_unit)
	# the account's placeholder address is no contact
	frappe.db.set_value(
		"Stakeholder", stakeholder, {"privacy_notice_accepted_on": now_datetime(), "email": None}
	)
	frappe.cache().delete_value(ticket_key(ticket))
	sign_in(user.name, wechat_ticket)
	return {"signed_in": True, "redirect": redirect_target()}


def ticket_key(ticket: str) -> str:
	return f"cc:sign-up:{ticket}"


def redirect_target() -> str:
	"""Where a resident goes once signed in: the page they came for (this site's own), else their
	proposals."""
	target = frappe.form_dict.get("redirect-to") or frappe.form_dict.get("redirect_to") or ""
	if not target.startswith("/") or target.startswith("//") or "\\" in target:
		return "/my-proposals"
	return target


def sign_in(user: str, wechat_ticket: str | None = None):
	"""Sign `user` in (a session and its cookies, as Frappe's login does) and bind the WeChat of the
	ticket, if any."""
	from community_consultation.portal.wechat_login import bind_ticket

	frappe.local.login_manager.login_as(user)
	if wechat_ticket:
		bind_ticket(wechat_ticket, user)


# ------------------------------------------------------------------------------------ the pages


def village_options() -> list[dict]:
	"""The villages and communities a resident chooses from, each told apart from its namesakes by its
	township (`names.picker_options`)."""
	return names.picker_options(unit_tree.VILLAGE_TYPES)
