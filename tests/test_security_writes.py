"""Hostile writes over HTTP: no one writes into another village, and nothing fails open.

Every attack goes through Frappe's WSGI application (`community_consultation.tests.http.Client`) as the
user who would try it: a clerk of another village, a township officer of another township, a resident,
a guest. Each test fails if the attack comes back (a 2xx, or a record changed in the database).

The child DocTypes and the ways of writing a row are enumerated from metadata: every child DocType of the
app × every write path Frappe offers (`/api/resource/<child>` POST/PUT/DELETE, `frappe.client.insert /
set_value / save / delete`, the desk's `savedocs`, `run_doc_method`, the parent saved with another
parent's row), tried on a record of another county by a user whose role may write that record's DocType.

The records are committed once for the module (requests see only committed data) and removed after it.
"""

import json

import frappe
import pytest
from frappe.utils import add_days, nowdate

from community_consultation.tests.factory import (
	make_outcome,
	make_people,
	make_session,
	make_topic,
	make_unit_tree,
)
from community_consultation.tests.http import Client, api_token, resource
from community_consultation.tests.meetings import make_basis, make_meeting, villagers
from community_consultation.tests.shared import committed_records
from community_consultation.tests.township_factory import make_assignment, make_inspection, make_plan
from community_consultation.tests.users import make_user

APP_UNIT_ROLES = (
	"Township Officer",
	"Community Secretary",
	"Committee Clerk",
	"Building Head",
	"Supervision Committee Member",
)


def app_child_doctypes() -> list[str]:
	"""Every child DocType of the app, from its modules."""
	modules = frappe.get_module_list("community_consultation")
	return sorted(frappe.get_all("DocType", filters={"istable": 1, "module": ("in", modules)}, pluck="name"))


def tables_of(child: str) -> list[tuple[str, str]]:
	"""(parent DocType, table field) pairs that hold rows of `child`."""
	return [
		(df.parent, df.fieldname)
		for df in frappe.get_all(
			"DocField",
			filters={"options": child, "fieldtype": ("in", frappe.model.table_fields)},
			fields=["parent", "fieldname"],
		)
		if not frappe.get_meta(df.parent).istable
	]


# --------------------------------------------------------------------------------------------- world


def build_side(prefix: str) -> frappe._dict:
	"""One county's records: a draft and a concluded session, a filed outcome, a draft meeting with its
	basis, a township assignment, a submitted inspection, a plan, a draft yearly return."""
	units = make_unit_tree(prefix)
	people = make_people(units.village_a, 4, prefix=f"{prefix}居民")
	topic = make_topic(units.village_a, stakeholders=people, title=f"{prefix}路灯维修")
	session = make_session(topic, people)
	outcome = make_outcome(session, progress=[{"percent_complete": 30, "note": "已开工"}])
	draft_topic = make_topic(units.village_a, stakeholders=people, title=f"{prefix}垃圾收集")
	draft_session = make_session(draft_topic, people, conclude=False)
	basis = make_basis(units.village_a, representatives=2)
	meeting = make_meeting(units.village_a, topics=[draft_topic], attendance=villagers(5), submit=False)
	assignment = make_assignment(units.township, [units.village_a, units.village_b])
	inspection = make_inspection(units.village_a)
	plan = make_plan(units.village_a)
	annual = frappe.get_doc(
		{
			"doctype": "Consultation Annual Return",
			"county": units.county,
			"year": 2001,
			"work_summary": "<p>全县各镇村按工作方案开展协商。</p>",
		}
	).insert()
	records = {
		"Consultation Topic": [topic.name],
		"Consultation Session": [draft_session.name, session.name],
		"Consultation Outcome": [outcome.name],
		"Community Meeting": [meeting.name],
		"Meeting Basis": [basis.name],
		"Township Assignment": [assignment.name],
		"Consultation Inspection": [inspection.name],
		"Consultation Plan": [plan.name],
		"Consultation Annual Return": [annual.name],
	}
	for parent, names in records.items():
		for name in names:
			ensure_rows(parent, name)
	return frappe._dict(units=units, people=people, records=records)


def ensure_rows(parent: str, name: str):
	"""Every table of the record holds a row (written directly: the attacks need a row to aim at)."""
	doc = frappe.get_doc(parent, name)
	for df in doc.meta.get_table_fields():
		if doc.get(df.fieldname):
			continue
		row = frappe.new_doc(df.options, parent_doc=doc, parentfield=df.fieldname)
		row.update(
			{
				"parent": name,
				"parenttype": parent,
				"parentfield": df.fieldname,
				"idx": 1,
				"docstatus": doc.docstatus,
				**sample_values(df.options),
			}
		)
		row.db_insert()


def sample_values(child: str) -> dict:
	"""A value for each mandatory field of `child` (an existing record for a Link)."""
	values = {}
	for df in frappe.get_meta(child).fields:
		if not df.reqd:
			continue
		if df.fieldtype == "Link":
			values[df.fieldname] = frappe.db.get_value(df.options, {}, "name")
		elif df.fieldtype == "Select":
			values[df.fieldname] = (df.options or "").split("\n")[0] or (df.options or "\n").split("\n")[1]
		elif df.fieldtype in ("Date", "Datetime"):
			values[df.fieldname] = nowdate()
		elif df.fieldtype in ("Int", "Float", "Percent", "Currency", "Check"):
			values[df.fieldname] = 1
		else:
			values[df.fieldname] = "样本"
	return values


@pytest.fixture(scope="module")
def world():
	with committed_records():
		world = frappe._dict(own=build_side("写甲"), target=build_side("写乙"), users={}, tokens={})
		world.attackers = {parent: make_attacker(world, parent) for parent in world.target.records}
		world.clerk = make_user("w-own-clerk@example.com", ["Committee Clerk"], [world.own.units.village_a])
		world.clerk_token = api_token(world.clerk)
		frappe.db.commit()
		yield world


def make_attacker(world, parent: str) -> str:
	"""A user of the own county whose role may write `parent` (else any unit role that reads it), limited
	to the own unit of the level of the target record's unit."""
	roles = [
		p.role
		for p in frappe.get_meta(parent).permissions
		if p.role in APP_UNIT_ROLES and p.permlevel == 0 and p.write
	] or [p.role for p in frappe.get_meta(parent).permissions if p.role in APP_UNIT_ROLES]
	role = roles[0]
	target_unit = frappe.db.get_value(parent, world.target.records[parent][0], unit_field_of(parent))
	level = frappe.db.get_value("Community Unit", target_unit, "unit_type")
	own_unit = next(
		u for u in world.own.units.values() if frappe.db.get_value("Community Unit", u, "unit_type") == level
	)
	key = (role, own_unit)
	if key not in world.users:
		email = f"w-{len(world.users)}-{frappe.scrub(role)}@example.com"
		world.users[key] = make_user(email, [role], [own_unit])
		world.tokens[key] = api_token(world.users[key])
	return world.tokens[key]


def unit_field_of(doctype: str) -> str:
	from community_consultation.unit_tree import unit_field

	return unit_field(doctype)


# ----------------------------------------------------------------------------------------- the paths


def table_state(parent: str, name: str, fieldname: str) -> list:
	"""The rows of the table as stored, read afresh."""
	frappe.db.rollback()
	child = frappe.get_meta(parent).get_field(fieldname).options
	return frappe.db.sql(
		f"select * from `tab{child}` where parent = %s and parenttype = %s and parentfield = %s order by name",
		(name, parent, fieldname),
		as_dict=True,
	)


def changed_field(child: str) -> tuple[str, object]:
	"""A field a clerk edits in a row, and a value to set it to."""
	meta = frappe.get_meta(child)
	for df in meta.fields:
		if df.read_only or df.hidden or df.is_virtual:
			continue
		if df.fieldtype in ("Data", "Small Text", "Text", "Long Text"):
			return df.fieldname, "越权修改"
	for df in meta.fields:
		if not df.read_only and df.fieldtype in ("Int", "Check", "Percent", "Float"):
			return df.fieldname, 90
	# a table the procedure fills (the yearly return's figures): the payload sends a figure all the same
	for df in meta.fields:
		if df.fieldtype in ("Int", "Float", "Percent") and not df.is_virtual:
			return df.fieldname, 90
	for df in meta.fields:
		if df.fieldtype == "Date" and not df.is_virtual:
			return df.fieldname, "2001-01-01"
	for df in meta.fields:
		if df.fieldtype == "Select" and not df.is_virtual:
			return df.fieldname, (df.options or "").split("\n")[-1]
		if df.fieldtype == "Link" and not df.is_virtual:
			return df.fieldname, frappe.get_all(df.options, pluck="name", order_by="creation desc", limit=1)[
				0
			]
	raise AssertionError(f"{child} has no field to change")


def row_payload(row: dict) -> dict:
	skip = {*frappe.model.default_fields, *frappe.model.child_table_fields, "doctype"}
	return plain({k: v for k, v in row.items() if k not in skip and not k.startswith("_")})


def plain(value):
	"""`value` as a JSON body carries it (dates as text)."""
	return json.loads(json.dumps(value, default=str))


def attack(path: str, client: Client, parent: str, name: str, fieldname: str, own_name: str | None):
	"""Try to write a row of `parent` `name`'s table `fieldname` by `path`; returns the response."""
	child = frappe.get_meta(parent).get_field(fieldname).options
	rows = table_state(parent, name, fieldname)
	row = rows[0]
	address = {"parent": name, "parenttype": parent, "parentfield": fieldname}
	field, value = changed_field(child)
	if path == "rest_insert":
		return client.request("post", resource(child), json={**row_payload(row), **address})
	if path == "rest_update":
		return client.request("put", resource(child, row.name), json={field: value})
	if path == "rest_delete":
		return client.request("delete", resource(child, row.name))
	if path == "client_insert":
		doc = {"doctype": child, **row_payload(row), **address}
		return client.method("frappe.client.insert", http="post", doc=json.dumps(doc, default=str))
	if path == "client_set_value":
		return client.method(
			"frappe.client.set_value", http="post", doctype=child, name=row.name, fieldname=field, value=value
		)
	if path == "client_save":
		doc = {"doctype": child, **row, field: value}
		return client.method("frappe.client.save", http="post", doc=json.dumps(doc, default=str))
	if path == "client_delete":
		return client.method("frappe.client.delete", http="post", doctype=child, name=row.name)
	if path == "savedocs":
		doc = {"doctype": child, **row, field: value}
		return client.method(
			"frappe.desk.form.save.savedocs", http="post", doc=json.dumps(doc, default=str), action="Save"
		)
	if path == "run_doc_method":
		doc = {"doctype": child, **row, field: value}
		return client.method("run_doc_method", http="post", docs=json.dumps(doc, default=str), method="save")
	if path == "parent_with_foreign_row":
		own = frappe.get_doc(parent, own_name)
		own_rows = [r.as_dict(convert_dates_to_str=True) for r in own.get(fieldname)]
		foreign = {**{k: v for k, v in row.items() if k not in ("parent", "parenttype")}, field: value}
		return client.request(
			"put", resource(parent, own_name), json={fieldname: plain([*own_rows, foreign])}
		)
	raise AssertionError(path)


PATHS = (
	"rest_insert",
	"rest_update",
	"rest_delete",
	"client_insert",
	"client_set_value",
	"client_save",
	"client_delete",
	"savedocs",
	"run_doc_method",
	"parent_with_foreign_row",
)


@pytest.mark.parametrize("path", PATHS)
def test_no_row_is_written_into_another_countys_record_by_any_path(world, path):
	"""Every child DocType × every write path: a user whose role writes the parent DocType, limited to
	their own county's unit, writes no row of the other county's records (draft or submitted)."""
	children = app_child_doctypes()
	assert len(children) >= 17
	leaks = []
	for child in children:
		for parent, fieldname in tables_of(child):
			client = Client(world.attackers[parent])
			own_name = world.own.records[parent][0]
			for name in world.target.records[parent]:
				before = table_state(parent, name, fieldname)
				response = attack(path, client, parent, name, fieldname, own_name)
				after = table_state(parent, name, fieldname)
				if response is None:
					leaks.append(f"{child} in {parent} {name}: no response")
				elif response.status_code < 400 or after != before:
					leaks.append(
						f"{child} in {parent} {name}: HTTP {response.status_code}, changed={after != before}"
					)
				elif response.status_code >= 500:
					leaks.append(
						f"{child} in {parent} {name}: HTTP {response.status_code} (a crash, not a refusal)"
					)
	assert not leaks, "\n".join(leaks)


# ------------------------------------------------------------------- the own village: the parent decides


def own_rows(world, parent: str, index: int, fieldname: str) -> list:
	"""The rows' own values (a save through the parent stamps every row's `modified`)."""
	return [
		{k: v for k, v in row.items() if k not in ("modified", "modified_by")}
		for row in table_state(parent, world.own.records[parent][index], fieldname)
	]


def test_a_row_written_on_its_own_goes_through_its_parents_rules(world):
	"""POST /api/resource/<child>, PUT and DELETE of a row of the clerk's own draft session are done to the
	session: its rules run (a stakeholder listed twice is refused) and its rows change as through the form."""
	client = Client(world.clerk_token)
	session = world.own.records["Consultation Session"][0]
	rows = own_rows(world, "Consultation Session", 0, "participants")
	address = {"parent": session, "parenttype": "Consultation Session", "parentfield": "participants"}
	twice = client.request(
		"post",
		resource("Consultation Participant"),
		json={**row_payload(rows[0]), **address},
	)
	assert twice.status_code == 417, twice.json
	assert own_rows(world, "Consultation Session", 0, "participants") == rows

	newcomer = make_people(world.own.units.village_a, 5, prefix="写甲居民")[-1]
	frappe.db.commit()
	added = client.request(
		"post",
		resource("Consultation Participant"),
		json={"stakeholder": newcomer, "participant_role": "Participant", **address},
	)
	assert added.status_code == 200, added.json
	assert added.json["data"]["parent"] == session
	after = own_rows(world, "Consultation Session", 0, "participants")
	assert [r["stakeholder"] for r in after if r["name"] == added.json["data"]["name"]] == [newcomer]

	changed = client.request(
		"put", resource("Consultation Participant", added.json["data"]["name"]), json={"notified_via": "短信"}
	)
	assert changed.status_code == 200, changed.json
	removed = client.request("delete", resource("Consultation Participant", added.json["data"]["name"]))
	assert removed.status_code == 202, removed.json
	assert own_rows(world, "Consultation Session", 0, "participants") == rows


def test_a_row_is_added_to_a_submitted_record_only_in_a_table_that_allows_it(world):
	"""A concluded session takes no new participant; a filed outcome takes a progress update (its table
	allows changes on submit) from the clerk who may write it; a row is not submitted on its own."""
	client = Client(world.clerk_token)
	session = world.own.records["Consultation Session"][1]
	rows = own_rows(world, "Consultation Session", 1, "participants")
	refused = client.request(
		"post",
		resource("Consultation Participant"),
		json={
			**row_payload(rows[-1]),
			"participant_role": "Observer",
			"parent": session,
			"parenttype": "Consultation Session",
			"parentfield": "participants",
		},
	)
	assert refused.status_code == 417, refused.json
	assert refused.json["exc_type"] == "UpdateAfterSubmitError"
	assert own_rows(world, "Consultation Session", 1, "participants") == rows

	outcome = world.own.records["Consultation Outcome"][0]
	progress = client.request(
		"post",
		resource("Implementation Update"),
		json={
			"percent_complete": 60,
			"update_on": nowdate(),
			"published_on": nowdate(),
			"note": "过半",
			"parent": outcome,
			"parenttype": "Consultation Outcome",
			"parentfield": "progress",
		},
	)
	assert progress.status_code == 200, progress.json
	assert progress.json["data"]["docstatus"] == 1
	frappe.db.rollback()
	assert frappe.db.get_value("Implementation Update", progress.json["data"]["name"], "percent_complete") == 60

	row = own_rows(world, "Consultation Outcome", 0, "progress")[0]
	cancelled = client.request("put", resource("Implementation Update", row["name"]), json={"docstatus": 2})
	assert cancelled.status_code == 417, cancelled.json
	frappe.db.rollback()
	assert frappe.db.get_value("Implementation Update", row["name"], "docstatus") == 1
