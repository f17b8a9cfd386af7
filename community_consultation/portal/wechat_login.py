"""Signing in inside WeChat's browser with the county's Official Account (web authorisation, snsapi_base).

/login in WeChat's browser offers "Sign in with WeChat" → `start` sends the browser to WeChat's
authorisation page (silent for snsapi_base) with a one-time `state` → WeChat sends it back to `callback`
with a code → the code gives the resident's openid (notices/wechat.py):
- an openid bound to a resident's account signs that resident in;
- an unknown openid is kept for 15 minutes under a WeChat ticket and the resident signs in (or up) by SMS
  code on /login; after the SMS check the openid is bound to their account (`bind_ticket`), so a WeChat
  identity alone never opens an account nor takes over someone else's.
Without the Official Account enabled, both endpoints send the browser to the ordinary /login.
"""

from urllib.parse import quote, urlparse

import frappe
from frappe import _
from frappe.utils import get_url

from community_consultation.notices import wechat

STATE_MINUTES = 10
TICKET_MINUTES = 15
CALLBACK = "/api/method/community_consultation.portal.wechat_login.callback"


def redirect(location: str):
	frappe.local.response["type"] = "redirect"
	frappe.local.response["location"] = location


def safe_target(target: str | None) -> str:
	target = target or ""
	if not target.startswith("/") or target.startswith("//") or "\\" in target:
		return "/my-proposals"
	return target


@frappe.whitelist(allow_guest=True, methods=["GET"])
def start(redirect_to: str | None = None):
	"""Off to WeChat's authorisation, and back to `callback`."""
	target = safe_target(redirect_to or frappe.form_dict.get("redirect-to"))
	if not wechat.wechat_enabled():
		return redirect(f"/login?redirect-to={quote(target)}")
	state = frappe.generate_hash(length=24)
	frappe.cache().set_value(f"cc:wechat-state:{state}", target, expires_in_sec=STATE_MINUTES * 60)
	redirect(wechat.authorize_url(get_url(CALLBACK), state))


@frappe.whitelist(allow_guest=True, methods=["GET"])
def callback(code: str | None = None, state: str | None = None):
	"""WeChat's answer: sign in the resident whose account is bound to the openid, or keep the openid for
	the SMS check."""
	cache = frappe.cache()
	target = cache.get_value(f"cc:wechat-state:{state}") if state else None
	if not wechat.wechat_enabled() or not target or not code:
		return redirect("/login")
	cache.delete_value(f"cc:wechat-state:{state}")
	try:
		openid = wechat.openid_from_code(code)
	except wechat.WeChatError as e:
		frappe.log_error(title=_("WeChat sign-in failed"), message=str(e))
		return redirect(f"/login?redirect-to={quote(target)}&wechat=failed")
	user = wechat.user_of(openid)
	if user and frappe.db.get_value("User", user, "user_type") == "Website User":
		frappe.local.login_manager.login_as(user)
		return redirect(target)
	ticket = frappe.generate_hash(length=32)
	cache.set_value(f"cc:wechat-ticket:{ticket}", openid, expires_in_sec=TICKET_MINUTES * 60)
	redirect(f"/login?redirect-to={quote(target)}&wechat_ticket={ticket}")


def bind_ticket(ticket: str, user: str):
	"""After the SMS check: the openid WeChat gave with this ticket is bound to `user`."""
	key = f"cc:wechat-ticket:{ticket}"
	openid = frappe.cache().get_value(key)
	if openid and wechat.wechat_enabled():
		wechat.bind(user, openid)
		frappe.cache().delete_value(key)


@frappe.whitelist(allow_guest=True, methods=["GET"])
def share_config(url: str) -> dict | None:
	"""The JS-SDK configuration of a public page of this site, for its share card in WeChat; None when
	share cards are off."""
	parsed = urlparse(url or "")
	request = getattr(frappe.local, "request", None)
	own_hosts = {urlparse(get_url()).netloc, request.host if request else None}
	if parsed.scheme not in ("http", "https") or parsed.netloc not in own_hosts:
		return None
	return wechat.js_sdk_config(url)


def consultation_wechat_share() -> bool:
	"""Jinja: a public page in WeChat's browser carries the share card's script (templates/public_page.html)."""
	return wechat.share_cards_enabled() and wechat.in_wechat_browser()
