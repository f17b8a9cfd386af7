"""Malformed payloads are refused, not crashed on: HTTP 417 with a translated message, nothing written.

For every DocType of the module (read from the database, so a new DocType is covered by itself), each
kind of value of the wrong shape: a string where a table belongs, a row that is not an object, a row with
a field its DocType does not have, an object where a Link, a number or a date belongs, a list where text
belongs — in the document and in its tables' rows. Sent through the real WSGI application (`/api/resource`
POST, and PUT on a record; a single through PUT, its only path) and in-process through
`frappe.client.insert`, `save` and `set_value`, and, for the case the issue names (a session's
`notice_channels: "Bulletin Board"`), through `/api/v2`, `run_doc_method` and the desk's `savedocs` too.

REST requests run in a thread of their own with their own database connection and see only committed
data: the records of `records` are committed for this module and deleted again after it.
"""

import json
from dataclasses import dataclass
from urllib.parse import quote

import frappe
import frappe.client
import pytest
from frappe.model import table_fields
from frappe.utils import now_datetime

from community_consultation.overrides.payload_guard import MalformedPayloadError
from community_consultation.tests.factory import full_case, make_outcome, make_topic, session_values
from community_consultation.tests.http import Client, api_token, resource, server_messages
from community_consultation.tests.meetings import make_basis, make_household, make_meeting, villagers
from community_consultation.tests.shared import committed_records
from community_consultation.tests.township_factory import make_township_records
from community_consultation.tests.users import make_user

# every module of the app ("Community Consultation", "Decision Bodies", "Township" …)
MODULES = frappe.get_module_list("community_consultation")
ZH_USER = "malformed-zh@example.com"
API_USER = "malformed-api@example.com"
PASSWORD = "Malformed-Payload-2026!"
# records the factories and requests may create besides the module's own
SIDE_RECORDS = ("User", "User Permission", "Version", "Comment", "Notification Log", "Email Queue", "ToDo")

BAD = {
	"link": {"name": ["like", "%"]},
	"number": {"value": 1},
	"date": {"date": "2026-01-01"},
	"text": ["甲", "乙"],
}
KIND = {
	"Link": "link",
	"Dynamic Link": "link",
	"Int": "number",
	"Float": "number",
	"Percent": "number",
	"Currency": "number",
	"Check": "number",
	"Date": "date",
	"Datetime": "date",
	"Data": "text",
	"Select": "text",
	"Small Text": "text",
	"Text": "text",
	"Long Text": "text",
	"Text Editor": "text",
}


@dataclass
class Case:
	kind: str
	payload: dict
	expect: str  # in the message

	def __str__(self):
		return f"{self.kind}: {json.dumps(self.payload, ensure_ascii=False)}"


def module_doctypes(**filters) -> list[str]:
	return frappe.get_all("DocType", {"module": ("in", MODULES), **filters}, pluck="name", order_by="name")


def child_doctypes(doctype: str) -> list[str]:
	return [df.options for df in frappe.get_meta(doctype).get_table_fields()]


def cases(doctype: str) -> list[Case]:
	"""Each kind of bad value for each field of the DocType and of its tables' rows."""
	out = []
	for df in frappe.get_meta(doctype).fields:
		if df.fieldtype in table_fields:
			table = df.label
			out.append(Case("text for a table", {df.fieldname: "Bulletin Board"}, table))
			out.append(Case("text as a row", {df.fieldname: ["Bulletin Board"]}, f"Row 1 of {table}"))
			out.append(Case("unknown row field", {df.fieldname: [{"no_such_field": "x"}]}, "no_such_field"))
			for cdf in frappe.get_meta(df.options).fields:
				if kind := KIND.get(cdf.fieldtype):
					row = {cdf.fieldname: BAD[kind]}
					out.append(Case(f"row {kind}", {df.fieldname: [row]}, f"Row 1 of {table}: {cdf.label}"))
		elif kind := KIND.get(df.fieldtype):
			out.append(Case(kind, {df.fieldname: BAD[kind]}, df.label))
	return out


def one_per_kind(doctype: str) -> list[Case]:
	"""The first case of each kind (REST requests are slower)."""
	return list({c.kind: c for c in reversed(cases(doctype))}.values())


def counts(doctype: str, committed: bool = True) -> dict:
	"""Rows of the DocType and its child tables (a single: its stored values): as committed now (what
	the requests wrote), or in this transaction (what the in-process calls wrote)."""
	if committed:
		frappe.db.rollback()  # a fresh snapshot
	if frappe.get_meta(doctype).issingle:
		return {doctype: frappe.db.get_singles_dict(doctype)}
	return {dt: frappe.db.count(dt) for dt in (doctype, *child_doctypes(doctype))}


# ------------------------------------------------------------------ committed records and REST client


@pytest.fixture(scope="module")
def records():
	"""A record of each DocType that has none on a new site, committed; and a user whose language is
	Chinese. Deleted again after the module."""
	tracked = [*module_doctypes(istable=0, issingle=0), *SIDE_RECORDS]
	with committed_records(tracked):
		case = full_case("畸形")
		outcome = make_outcome(case.session)
		frappe.get_doc(
			{
				"doctype": "Supervision Remark",
				"reference_doctype": "Consultation Topic",
				"reference_name": case.topic.name,
				"remark": "程序合法有序",
			}
		).insert()
		frappe.get_doc(
			{
				"doctype": "Consultation Notice Log",
				"notice_type": frappe.get_meta("Consultation Notice Log")
				.get_options("notice_type")
				.split("\n")[0],
				"reference_doctype": "Consultation Outcome",
				"reference_name": outcome.name,
				"community_unit": case.units.village_a,
				"stakeholder": case.people[0],
				"sent_on": now_datetime(),
			}
		).insert(ignore_permissions=True)
		frappe.get_doc(
			{
				"doctype": "Consultation Annual Return",
				"county": case.units.county,
				"year": now_datetime().year,
				"work_summary": "<p>全县各镇村按工作方案开展协商。</p>",
			}
		).insert()
		make_basis(case.units.village_a)
		make_meeting(case.units.village_a, topics=[case.topic], attendance=villagers(10), submit=False)
		make_household(case.units.village_a)
		make_township_records(case.units, case.people)
		frappe.get_doc(
			{
				"doctype": "Proposal Progress Notice",
				"topic": case.topic.name,
				"community_unit": case.units.village_a,
				"stage": "Accepted",
				"user": "Administrator",
				"sent_on": now_datetime(),
			}
		).insert(ignore_permissions=True)
		frappe.get_doc(
			{
				"doctype": "SMS Verification Code",
				"mobile_no": "13800138000",
				"code_hash": "0" * 64,
				"ip_address": "127.0.0.1",
				"expires_on": now_datetime(),
			}
		).insert(ignore_permissions=True)
		frappe.get_doc(
			{
				"doctype": "WeChat Binding",
				"user": "Administrator",
				"openid": "o-malformed",
				"bound_on": now_datetime(),
			}
		).insert(ignore_permissions=True)
		make_user(ZH_USER, ["System Manager"], language="zh", new_password=PASSWORD)
		case.token = api_token(make_user(API_USER, ["System Manager"]))
		frappe.db.commit()
		case.outcome = outcome
		yield case
		for user in (ZH_USER, API_USER):
			frappe.db.delete("Sessions", {"user": user})
			frappe.db.delete("__Auth", {"doctype": "User", "name": user})
			frappe.db.commit()


@pytest.fixture(scope="module")
def admin(records):
	"""A System Manager with an API token, as an integration calls the API."""
	return Client(records.token)


def assert_refused(response, case: Case, what: str):
	assert response.status_code == 417, f"{what} {case}: HTTP {response.status_code} {response.text[:300]}"
	assert response.json.get("exc_type") == "MalformedPayloadError", f"{what} {case}: {response.json}"
	assert case.expect in server_messages(response), f"{what} {case}: {server_messages(response)}"


def existing(doctype: str) -> str | None:
	return (frappe.get_all(doctype, pluck="name", order_by="creation desc", limit=1) or [None])[0]


def last_modified(doctype: str, name: str):
	frappe.db.rollback()
	return frappe.db.get_value(doctype, name, "modified")


# ------------------------------------------------------------------ the tests


def test_every_doctype_and_every_child_table_is_covered():
	"""A DocType of the module gets cases of each kind it has fields for; each child DocType is reached
	through a table of some DocType."""
	doctypes = module_doctypes(istable=0)
	assert "Consultation Session" in doctypes and "Consultation Settings" in doctypes
	reached = {dt for parent in doctypes for dt in child_doctypes(parent)}
	assert set(module_doctypes(istable=1)) <= reached
	for doctype in doctypes:
		assert cases(doctype), doctype
	session_kinds = {c.kind for c in cases("Consultation Session")}
	assert {
		"text for a table",
		"text as a row",
		"unknown row field",
		"link",
		"number",
		"text",
	} <= session_kinds


def test_malformed_payload_refused_over_rest_post_and_put(records, admin):
	"""POST a new record and PUT an existing one (a single: PUT, its only path), for every DocType."""
	errors_before = frappe.db.count("Error Log")
	put_on = []
	for doctype in module_doctypes(istable=0):
		single = frappe.get_meta(doctype).issingle
		before = counts(doctype)
		name = doctype if single else existing(doctype)
		modified = name and not single and last_modified(doctype, name)
		for case in one_per_kind(doctype):
			if not single:
				assert_refused(admin.request("post", resource(doctype), json=case.payload), case, "POST")
			if name:
				assert_refused(admin.request("put", resource(doctype, name), json=case.payload), case, "PUT")
		assert counts(doctype) == before, doctype
		if modified:
			assert last_modified(doctype, name) == modified, doctype
		put_on += [doctype] if name else []
	assert frappe.db.count("Error Log") == errors_before  # no 500 anywhere
	# every DocType has a record to PUT on: the catalogues' defaults, the single, and `records`
	assert put_on == module_doctypes(istable=0)


def test_malformed_payload_refused_in_process(records):
	"""`frappe.client.insert` / `save` / `set_value` (as /api/method/frappe.client.* call them): the named
	exception, for every field of each kind, of every DocType."""
	for doctype in module_doctypes(istable=0):
		single = frappe.get_meta(doctype).issingle
		name = doctype if single else existing(doctype)
		before = counts(doctype, committed=False)
		for case in cases(doctype):
			if not single:
				with pytest.raises(MalformedPayloadError) as err:
					frappe.client.insert({"doctype": doctype, **case.payload})
				assert case.expect in str(err.value), f"{doctype} insert {case}: {err.value}"
			if name:
				current = frappe.get_doc(doctype, name).as_dict()
				# the record as the desk sends it back (rows with their standard keys) passes the guard
				frappe.get_doc(json.loads(frappe.as_json(current)))
				with pytest.raises(MalformedPayloadError) as err:
					frappe.client.save({**current, **case.payload})
				assert case.expect in str(err.value), f"{doctype} save {case}: {err.value}"
				((fieldname, value),) = case.payload.items()
				with pytest.raises(MalformedPayloadError):
					frappe.client.set_value(doctype, name, fieldname, value)
		assert counts(doctype, committed=False) == before, doctype


def test_child_row_changed_on_its_own_refused(records, admin):
	"""A row of a child table saved on its own (`frappe.client.set_value` on the row, PUT on
	/api/resource/<child DocType>/<row>)."""
	row = frappe.get_all(
		"Consultation Participant", {"parent": records.session.name}, ["name", "modified"], limit=1
	)[0]
	for fieldname, value, label in (
		("stakeholder", BAD["link"], "Stakeholder"),
		("attended", BAD["number"], "Attended"),
		("notified_via", BAD["text"], "Notified Via"),
	):
		with pytest.raises(MalformedPayloadError, match=label):
			frappe.client.set_value("Consultation Participant", row.name, fieldname, value)
		case = Case("row", {fieldname: value}, label)
		assert_refused(
			admin.request("put", resource("Consultation Participant", row.name), json=case.payload),
			case,
			"PUT",
		)
	assert last_modified("Consultation Participant", row.name) == row.modified


def session_payload(records, **change) -> dict:
	values = session_values(records.topic, records.people)
	values = json.loads(frappe.as_json(values))
	values.update(change)
	return values


def test_text_for_a_table_refused_on_every_path(records, admin):
	"""The issue's case: `notice_channels: "Bulletin Board"` on a Consultation Session, by every path that
	builds a document from a payload."""
	payload = session_payload(records, notice_channels="Bulletin Board")
	case = Case("text for a table", payload, "Notice Channels")
	before = counts("Consultation Session")
	assert_refused(admin.request("post", resource("Consultation Session"), json=payload), case, "POST v1")
	put = admin.request("put", resource("Consultation Session", records.session.name), json=payload)
	assert_refused(put, case, "PUT v1")
	v2 = "/api/v2/document/Consultation%20Session"
	for response in (
		admin.request("post", v2, json=payload),
		admin.request("patch", f"{v2}/{quote(records.session.name)}", json=payload),
	):
		assert response.status_code == 417, response.text[:300]
		assert "Notice Channels" in json.dumps(response.json, ensure_ascii=False)
	assert counts("Consultation Session") == before

	from frappe.desk.form.save import savedocs
	from frappe.handler import run_doc_method

	before = counts("Consultation Session", committed=False)
	for call in (
		lambda: frappe.client.insert(payload),
		lambda: frappe.client.save(
			{**frappe.get_doc("Consultation Session", records.session.name).as_dict(), **payload}
		),
		lambda: savedocs(json.dumps(payload), "Save"),
		lambda: run_doc_method("validate", docs=json.dumps(payload)),
	):
		with pytest.raises(MalformedPayloadError, match="Notice Channels"):
			call()
	assert counts("Consultation Session", committed=False) == before

	# the same payload with the table as rows is taken (a new topic: the records' topic is agreed)
	topic = make_topic(records.units.village_a, stakeholders=records.people, title="另一议题")
	good = json.loads(frappe.as_json(session_values(topic, records.people)))
	assert frappe.client.insert(good)["notice_channels"][0]["channel"] == "Bulletin Board"


def test_message_in_chinese_for_a_chinese_user(records):
	"""A user whose language is Chinese reads the refusal in Chinese (over REST, logged in with a session,
	and in-process with the user's language)."""
	http = Client()
	login = http.request("post", "/api/method/login", json={"usr": ZH_USER, "pwd": PASSWORD})
	assert login.status_code == 200, login.text[:300]
	payload = session_payload(records, notice_channels="Bulletin Board")
	response = http.request("post", resource("Consultation Session"), json=payload)
	assert response.status_code == 417, response.text[:300]
	message = server_messages(response)
	assert "必须是" in message and "行列表" in message, message

	frappe.set_user(ZH_USER)
	frappe.set_user_lang(ZH_USER)
	try:
		for change, expected in (
			({"notice_channels": ["Bulletin Board"]}, "必须是"),
			({"participants": [{"no_such_field": 1}]}, "不是"),
			({"topic": BAD["link"]}, "必须是"),
		):
			with pytest.raises(MalformedPayloadError) as err:
				frappe.client.insert(session_payload(records, **change))
			assert expected in str(err.value), str(err.value)
	finally:
		frappe.local.lang = "en"
