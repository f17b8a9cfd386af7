"""The site as the county's platform (setup/branding.py): its name and logo set once at setup, on the
sign-in, reset and public pages and under e-mails; nothing of the framework a resident can read, in a
Chinese browser or WeChat's."""

import email
import re
from html import unescape

import frappe
import pytest

from community_consultation.setup.branding import DEFAULT_LOGO, apply_branding, platform_logo, platform_name
from community_consultation.tests.http import Client
from community_consultation.tests.shared import committed_records

WECHAT_UA = (
	"Mozilla/5.0 (Linux; Android 13; wv) AppleWebKit/537.36 Mobile Safari/537.36 MicroMessenger/8.0.47.2560"
)
NAME = "清城区城乡社区协商平台"


def visible_text(html: str) -> str:
	html = re.sub(r"<(script|style)\b.*?</\1>|<!--.*?-->", "", html, flags=re.S)
	return unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(scope="module")
def branded():
	with committed_records():
		before = frappe.get_website_settings("app_name")
		try:
			apply_branding(NAME, None)
			frappe.db.commit()
			yield NAME
		finally:
			apply_branding(before or None, None)
			frappe.db.commit()


def test_setup_puts_the_platform_where_frappe_shows_its_own(branded):
	assert platform_name() == NAME and platform_logo() == DEFAULT_LOGO
	assert frappe.db.get_single_value("System Settings", "app_name") == NAME
	assert frappe.db.get_single_value("System Settings", "allow_login_using_mobile_number")
	assert NAME in frappe.db.get_single_value("Website Settings", "brand_html")
	assert frappe.db.get_single_value("Website Settings", "footer_powered") == NAME
	assert frappe.db.get_default("email_footer_address") == NAME
	# run again without a name (a patch, the bootstrap again): what was set stays
	apply_branding(keep_existing=True)
	assert platform_name() == NAME


@pytest.mark.parametrize("path", ["/login", "/update-password", "/personal-information", "/consultation"])
@pytest.mark.parametrize("agent", ["chrome", "wechat"])
def test_pages_a_resident_sees_show_the_platform_in_chinese_and_never_frappe(branded, path, agent):
	client = Client()
	client.headers["Accept-Language"] = "zh-CN,zh;q=0.9"
	if agent == "wechat":
		client.headers["User-Agent"] = WECHAT_UA
	response = client.get(path)
	assert response.status_code == 200
	html = response.get_data(as_text=True)
	assert '<html lang="zh' in html
	text = visible_text(html)
	assert "frappe" not in text.lower(), text[:400]
	assert "frappe-favicon" not in html
	if path in ("/login", "/personal-information"):
		assert NAME in text


def test_emails_carry_the_platforms_name(branded):
	frappe.flags.mute_emails = True
	frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": "品牌测试邮箱",
			"email_id": "brand@example.com",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "127.0.0.1",
			"smtp_port": 25,
		}
	).db_insert()
	frappe.local.outgoing_email_account = {}
	frappe.sendmail(recipients=["resident@example.com"], subject="测试", message="<p>您好</p>", now=False)
	queued = frappe.get_last_doc("Email Queue")
	parts = email.message_from_string(queued.message).walk()
	bodies = [p.get_payload(decode=True).decode() for p in parts if p.get_content_type() == "text/html"]
	assert bodies and NAME in bodies[0]
	frappe.db.rollback()
