"""Residents sign in and sign up with a mobile number and an SMS code, over HTTP as a phone's browser does
(cookies, no token), the code read from what the local Alibaba Cloud server received. The abuse cases of
the issue are refused, each with its translated message, and no SMS goes out for them: two codes in a
minute, the eleventh code of a day (per number and per address), six wrong codes, a code used twice or
expired, a number outside the mainland. Staff sign in with their mobile number and password, not a code.
A clerk confirms that a resident lives in the village, and the resident's proposals show it."""

import json
import re

import frappe
import pytest
from frappe.utils import add_to_date, now_datetime

from community_consultation.portal.sms_login import CODES, code_hash
from community_consultation.tests.factory import make_unit_tree
from community_consultation.tests.http import Client
from community_consultation.tests.providers import AlibabaSms, reset_provider_settings, use_sms_provider
from community_consultation.tests.shared import committed_records
from community_consultation.tests.users import make_resident, make_user

SEND = "community_consultation.portal.sms_login.send_code"
VERIFY = "community_consultation.portal.sms_login.verify_code"
SIGN_UP = "community_consultation.portal.sms_login.sign_up"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def world():
	server = AlibabaSms()
	with committed_records():
		try:
			use_sms_provider("Alibaba Cloud", server)
			units = make_unit_tree("短信")
			resident = make_resident("13700000001", first_name="老住户")
			staff = make_user(
				"sms-staff@example.com", ["Committee Clerk"], [units.village_a], mobile_no="13700000002"
			)
			from frappe.utils.password import update_password

			update_password(staff, "Staff@2026pw")
			frappe.db.commit()
			yield frappe._dict(server=server, units=units, resident=resident, staff=staff)
		finally:
			reset_provider_settings()
			server.stop()


@pytest.fixture(autouse=True)
def fresh_limits(world):
	"""Each test starts with no codes sent and no request counted by the rate limiter."""
	frappe.db.delete(CODES)
	frappe.db.commit()
	frappe.cache.delete_keys("rl:")
	world.server.requests.clear()
	world.server.refuse = None


def sent_earlier(rows: list[dict]):
	"""Codes sent half an hour ago (committed): the day's count without the minute between two codes."""
	earlier = add_to_date(now_datetime(), minutes=-30)
	for row in rows:
		frappe.get_doc(
			{"doctype": CODES, "code_hash": "x", "expires_on": earlier, "sent": 1, **row}
		).db_insert()
	frappe.db.sql(f"update `tab{CODES}` set creation=%s, modified=%s", (earlier, earlier))
	frappe.db.commit()


def phone() -> Client:
	client = Client()
	client.headers["Accept-Language"] = "zh-CN,zh;q=0.9"
	return client


def post(client: Client, cmd: str, **params):
	return client.request("post", f"/api/method/{cmd}", json=params)


def message_of(response) -> str:
	body = response.json
	return " ".join(json.loads(m)["message"] for m in json.loads(body.get("_server_messages") or "[]"))


def last_code(server) -> str:
	return server.sent()[-1]["template_param"]["code"]


def refused(response, english: str):
	"""The request was refused with this message, in Chinese for a Chinese browser."""
	assert response.status_code >= 400, response.get_data(as_text=True)
	text = message_of(response)
	translated = frappe._(english, lang="zh")
	assert translated != english, f"no translation for: {english}"
	pattern = re.escape(translated).replace(r"\{0\}", ".+")
	assert re.fullmatch(pattern, text), (text, translated)
	assert CJK.search(text), text
	return text


def test_a_new_number_signs_up_after_the_notice_and_the_village_and_is_signed_in(world):
	client = phone()
	assert post(client, SEND, mobile_no="13700000009").status_code == 200
	code = last_code(world.server)
	assert re.fullmatch(r"\d{6}", code)
	stored = frappe.db.get_value(
		CODES, {"mobile_no": "13700000009"}, ["code_hash", "expires_on"], as_dict=True
	)
	assert stored.code_hash == code_hash("13700000009", code) and code not in stored.code_hash

	answer = post(client, VERIFY, mobile_no="13700000009", code=code).json["message"]
	assert answer["sign_up"] and answer["ticket"]
	ticket = answer["ticket"]

	def sign_up(unit, accept):
		return post(
			client, SIGN_UP, ticket=ticket, full_name="新村民", community_unit=unit, accept_notice=accept
		)

	refused(
		sign_up(world.units.village_a, 0),
		"Please read and accept the personal information notice to sign up.",
	)
	refused(sign_up(world.units.township, 1), "Choose your village or community.")
	assert not frappe.db.exists("User", {"mobile_no": "13700000009"})

	done = post(
		client,
		SIGN_UP,
		ticket=ticket,
		full_name="新村民",
		community_unit=world.units.village_a,
		accept_notice=1,
	)
	assert done.status_code == 200, done.get_data(as_text=True)
	assert done.json["message"]["signed_in"]
	frappe.db.rollback()
	user = frappe.get_doc("User", {"mobile_no": "13700000009"})
	assert user.user_type == "Website User" and {r.role for r in user.roles} == {"Resident"}
	stakeholder = frappe.get_doc("Stakeholder", {"user": user.name})
	assert stakeholder.community_unit == world.units.village_a
	assert stakeholder.mobile_no == "13700000009" and stakeholder.privacy_notice_accepted_on
	assert not stakeholder.email  # the account's placeholder address is no contact

	page = client.get("/my-proposals")
	assert page.status_code == 200
	assert "尚未确认" in page.get_data(as_text=True) or "not yet confirmed" in page.get_data(as_text=True)
	# the ticket was used up
	refused(
		post(
			phone(),
			SIGN_UP,
			ticket=ticket,
			full_name="冒名",
			community_unit=world.units.village_a,
			accept_notice=1,
		),
		"Your sign-up has expired. Sign in with your mobile number again.",
	)


def test_a_resident_with_an_account_signs_in_with_a_code(world):
	client = phone()
	post(client, SEND, mobile_no="137 0000 0001")
	answer = post(client, VERIFY, mobile_no="13700000001", code=last_code(world.server))
	assert answer.status_code == 200 and answer.json["message"]["signed_in"]
	whoami = client.method("frappe.auth.get_logged_user")
	assert whoami.json["message"] == world.resident


def test_two_codes_to_one_number_within_a_minute_are_refused_without_an_sms(world):
	client = phone()
	assert post(client, SEND, mobile_no="13700000003").status_code == 200
	refused(
		post(client, SEND, mobile_no="13700000003"),
		"A code was just sent to this number. You can ask for another in {0} seconds.",
	)
	assert len(world.server.sent()) == 1


def test_the_eleventh_code_of_a_day_is_refused_without_an_sms(world):
	sent_earlier([{"mobile_no": "13700000004", "ip_address": f"10.0.0.{i}"} for i in range(10)])
	refused(
		post(phone(), SEND, mobile_no="13700000004"),
		"This number has had {0} codes today, the most allowed. Try again tomorrow.",
	)
	assert world.server.requests == []


def test_the_eleventh_code_of_a_day_from_one_address_is_refused(world):
	sent_earlier([{"mobile_no": f"1370000010{i}", "ip_address": "127.0.0.1"} for i in range(10)])
	refused(
		post(phone(), SEND, mobile_no="13700000005"),
		"{0} codes were sent from your network today, the most allowed. Try again tomorrow.",
	)
	assert world.server.requests == []


def test_six_wrong_codes_lock_the_number_even_for_the_right_code_and_new_codes(world):
	client = phone()
	post(client, SEND, mobile_no="13700000006")
	right = last_code(world.server)
	wrong = f"{(int(right) + 1) % 10**6:06d}"
	for _ in range(4):
		refused(
			post(client, VERIFY, mobile_no="13700000006", code=wrong),
			"The code is not right. Check the SMS and enter it again.",
		)
	# the fifth wrong code locks the number
	refused(
		post(client, VERIFY, mobile_no="13700000006", code=wrong),
		"Too many wrong codes for this number. Try again in {0} minutes.",
	)
	refused(
		post(client, VERIFY, mobile_no="13700000006", code=right),
		"Too many wrong codes for this number. Try again in {0} minutes.",
	)
	frappe.db.sql(f"update `tab{CODES}` set creation=%s", add_to_date(now_datetime(), minutes=-5))
	frappe.db.commit()
	refused(
		post(client, SEND, mobile_no="13700000006"),
		"Too many wrong codes for this number. Try again in {0} minutes.",
	)
	assert len(world.server.sent()) == 1


def test_a_code_is_single_use_and_expires(world):
	client = phone()
	post(client, SEND, mobile_no="13700000001")
	code = last_code(world.server)
	assert post(client, VERIFY, mobile_no="13700000001", code=code).status_code == 200
	refused(
		post(phone(), VERIFY, mobile_no="13700000001", code=code),
		"This code was already used. Ask for a new one.",
	)

	frappe.db.sql(f"update `tab{CODES}` set creation=%s", add_to_date(now_datetime(), minutes=-10))
	frappe.db.commit()
	post(phone(), SEND, mobile_no="13700000001")
	code = last_code(world.server)
	frappe.db.sql(
		f"update `tab{CODES}` set expires_on=%s where used_on is null",
		add_to_date(now_datetime(), minutes=-1),
	)
	frappe.db.commit()
	refused(
		post(phone(), VERIFY, mobile_no="13700000001", code=code), "This code has expired. Ask for a new one."
	)


@pytest.mark.parametrize("number", ["+852 9123 4567", "12345678901", "0755-12345678", "abc"])
def test_a_number_outside_the_mainland_is_refused_without_an_sms(world, number):
	refused(
		post(phone(), SEND, mobile_no=number),
		"Enter a mainland China mobile number: 11 digits starting with 1.",
	)
	assert world.server.requests == []
	assert not frappe.db.exists(CODES, {"ip_address": "127.0.0.1"})


def test_staff_sign_in_with_mobile_number_and_password_not_with_a_code(world):
	client = phone()
	post(client, SEND, mobile_no="13700000002")
	refused(
		post(client, VERIFY, mobile_no="13700000002", code=last_code(world.server)),
		"Staff sign in with their password.",
	)
	answer = client.request("post", "/api/method/login", json={"usr": "13700000002", "pwd": "Staff@2026pw"})
	assert answer.status_code == 200, answer.get_data(as_text=True)
	assert client.method("frappe.auth.get_logged_user").json["message"] == world.staff


def test_a_clerk_confirms_that_the_resident_lives_in_the_village(world):
	stakeholder = frappe.get_doc(
		{
			"doctype": "Stakeholder",
			"stakeholder_name": "老住户",
			"stakeholder_type": "户籍居民",
			"community_unit": world.units.village_a,
			"user": world.resident,
			"mobile_no": "13700000001",
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	try:
		client = phone()
		post(client, SEND, mobile_no="13700000001")
		post(client, VERIFY, mobile_no="13700000001", code=last_code(world.server))
		assert "尚未确认" in client.get("/my-proposals").get_data(as_text=True)

		frappe.set_user(world.staff)
		# the flag cannot be typed in
		doc = frappe.get_doc("Stakeholder", stakeholder.name)
		doc.residence_confirmed_on = "2020-01-01"
		doc.save()
		assert not frappe.db.get_value("Stakeholder", stakeholder.name, "residence_confirmed_on")
		frappe.get_doc("Stakeholder", stakeholder.name).confirm_residence()
		frappe.set_user("Administrator")
		frappe.db.commit()
		confirmed = frappe.db.get_value(
			"Stakeholder", stakeholder.name, ["residence_confirmed_on", "residence_confirmed_by"]
		)
		assert confirmed[0] and confirmed[1] == world.staff
		assert "确认" in client.get("/my-proposals").get_data(as_text=True)
		assert "尚未确认" not in client.get("/my-proposals").get_data(as_text=True)
	finally:
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.delete_doc("Stakeholder", stakeholder.name, force=True, ignore_permissions=True)
		frappe.db.commit()
