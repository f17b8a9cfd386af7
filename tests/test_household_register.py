"""The household register of a village (`decision_bodies/register.py`, Village Household): imported from
the village's spreadsheet (CSV or XLSX, one line per person) all or nothing, with its errors by line in
the user's language; a second import updates, moves and removes without duplicates; ID-card numbers are
kept masked only. It is personal data: over REST, search, reports and exports, a clerk of another
village, a township officer and a guest read none of it, and every export is logged.

The records are committed for this module (the requests see only committed data) and deleted after it."""

import json

import frappe
import pytest
from frappe.utils.xlsxutils import make_xlsx

from community_consultation.decision_bodies.register import (
	HouseholdRegisterError,
	import_register,
	mask_id_card,
)
from community_consultation.tests.factory import make_unit_tree
from community_consultation.tests.http import Client, api_token, resource
from community_consultation.tests.shared import TRACKED, committed_records
from community_consultation.tests.users import as_user, make_user
from community_consultation.units.importer import ImportRowsError

HEADER = ["户号", "姓名", "户主", "与户主关系", "出生日期", "年龄段", "户籍", "户代表", "身份证号"]
# three households, six people: 张 (two adults, a child), 李 (an adult, a non-registered adult, the
# representative not the head), 王 (an adult known by age group only)
REGISTER = [
	HEADER,
	["001", "张建国", "是", "户主", "1960-03-01", "", "户籍", "", "440123196003011234"],
	["001", "李秀英", "否", "配偶", "1962-07-15", "", "户籍", "", ""],
	["001", "张小明", "否", "孙子", "2015-09-01", "", "户籍", "", ""],
	["002", "李大山", "是", "户主", "1975-01-20", "", "户籍", "", ""],
	["002", "陈美华", "否", "配偶", "1980-05-05", "", "非户籍", "是", ""],
	["003", "王老五", "是", "户主", "", "18岁以上", "户籍", "", ""],
]


def csv_of(rows) -> bytes:
	return "\n".join(",".join(str(c) for c in row) for row in rows).encode("utf-8")


@pytest.fixture(scope="module")
def world():
	with committed_records((*TRACKED, "Access Log")):
		units = make_unit_tree("户籍")
		w = frappe._dict(units=units)
		w.clerk = make_user("register-clerk@example.com", ["Committee Clerk"], [units.village_a])
		w.supervisor = make_user(
			"register-supervisor@example.com", ["Supervision Committee Member"], [units.village_a]
		)
		w.clerk_b = make_user("register-clerk-b@example.com", ["Committee Clerk"], [units.village_b])
		w.officer = make_user("register-officer@example.com", ["Township Officer"], [units.township])
		w.building_head = make_user("register-building@example.com", ["Building Head"], [units.building])
		w.supervisor_b = make_user(
			"register-supervisor-b@example.com", ["Supervision Committee Member"], [units.village_b]
		)
		w.resident = make_user("register-resident@example.com", ["Resident"])
		with as_user(w.clerk):
			w.first = import_register(units.village_a, csv_of(REGISTER), "register.csv")
		# the API tokens are made (and committed) here, for the requests to see them
		w.client = {
			key: Client(api_token(w[key]))
			for key in (
				"clerk",
				"supervisor",
				"clerk_b",
				"officer",
				"building_head",
				"supervisor_b",
				"resident",
			)
		}
		w.client["guest"] = Client()
		frappe.db.commit()
		yield w


def register_of(unit: str) -> dict[str, list[tuple]]:
	return {
		h.household_no: [
			(m.member_name, m.is_head, m.household_representative, m.residence)
			for m in frappe.get_doc("Village Household", h.name).members
		]
		for h in frappe.get_all("Village Household", {"community_unit": unit}, ["name", "household_no"])
	}


def test_a_village_imports_its_register_from_a_spreadsheet(world):
	assert (world.first.created, world.first.members) == (3, 6)
	register = register_of(world.units.village_a)
	assert sorted(register) == ["001", "002", "003"]
	assert register["002"] == [("李大山", 1, 0, "Registered"), ("陈美华", 0, 1, "Non-registered")]
	household = frappe.get_doc(
		"Village Household", {"community_unit": world.units.village_a, "household_no": "002"}
	)
	assert (household.head_name, household.representative_name) == ("李大山", "陈美华")
	# the ID-card number is kept masked only
	head = frappe.get_doc(
		"Village Household", {"community_unit": world.units.village_a, "household_no": "001"}
	).members[0]
	assert head.id_card_masked == "**************1234"
	assert not frappe.db.sql("select 1 from `tabHousehold Member` where id_card_masked like %s", "%440123%")


def test_a_second_import_updates_moves_and_removes_without_duplicates(world):
	changed = [
		HEADER,
		# 张小明 moves from 001 to 002; 李秀英 is now 001's representative; 003 left the village; 004 is new
		["001", "张建国", "是", "户主", "1960-03-01", "", "户籍", "", ""],
		["001", "李秀英", "否", "配偶", "1962-07-15", "", "户籍", "是", ""],
		["002", "李大山", "是", "户主", "1975-01-20", "", "户籍", "", ""],
		["002", "陈美华", "否", "配偶", "1980-05-05", "", "非户籍", "是", ""],
		["002", "张小明", "否", "外孙", "2015-09-01", "", "户籍", "", ""],
		["004", "赵四", "是", "户主", "1990-02-02", "", "户籍", "", ""],
	]
	try:
		with as_user(world.clerk):
			counts = import_register(world.units.village_a, make_xlsx(changed, "户籍").getvalue(), "r.xlsx")
		assert (counts.created, counts.updated, counts.unchanged, counts.removed) == (1, 2, 0, 1)
		register = register_of(world.units.village_a)
		assert sorted(register) == ["001", "002", "004"]
		assert [m[0] for m in register["001"]] == ["张建国", "李秀英"]
		assert [m[0] for m in register["002"]] == ["李大山", "陈美华", "张小明"]
		# the same file again changes nothing
		with as_user(world.clerk):
			again = import_register(world.units.village_a, csv_of(changed), "r.csv")
		assert (again.created, again.updated, again.unchanged, again.removed) == (0, 0, 3, 0)
		assert frappe.db.count("Village Household", {"community_unit": world.units.village_a}) == 3
	finally:
		frappe.db.rollback()


def test_a_malformed_register_file_writes_nothing_and_lists_its_errors_by_line_in_chinese(world):
	bad = [
		HEADER,
		["005", "钱一", "是", "户主", "1970-01-01", "", "户籍", "", ""],
		["005", "钱二", "是", "户主", "不详", "", "户籍", "", ""],  # a second head, no date
		["006", "孙三", "否", "子", "2030-01-01", "", "外地", "", ""],  # no head, future, bad 户籍
		["", "周五", "是", "户主", "", "", "户籍", "", ""],  # no household number, no birth date
	]
	before = frappe.db.count("Village Household")
	frappe.local.lang = "zh"
	try:
		with as_user(world.clerk):
			with pytest.raises(ImportRowsError) as refused:
				import_register(world.units.village_a, csv_of(bad), "bad.csv")
	finally:
		frappe.local.lang = "en"
	messages = str(refused.value)
	assert {line for line, _message in refused.value.errors} == {2, 3, 4, 5}, messages
	for line in (3, 4, 5):
		assert f"第 {line} 行" in messages, messages
	assert "户主" in messages and "出生日期" in messages
	assert frappe.db.count("Village Household") == before
	with as_user(world.clerk):
		with pytest.raises(ImportRowsError):
			import_register(world.units.village_a, csv_of([["户号", "名字"], ["1", "x"]]), "cols.csv")
		with pytest.raises(ImportRowsError):
			import_register(world.units.village_a, b"PK\x03\x04", "register.pdf")
	assert frappe.db.count("Village Household") == before


def test_a_household_keeps_the_registers_rules_in_the_desk(world):
	doc = frappe.get_doc(
		"Village Household", {"community_unit": world.units.village_a, "household_no": "003"}
	)
	doc.append("members", {"member_name": "王小五", "is_head": 1, "age_group": "Under 18"})
	with as_user(world.clerk), pytest.raises(HouseholdRegisterError):
		doc.save()
	frappe.db.rollback()
	assert mask_id_card(" 44012319900101123X ") == "**************123X"


# ------------------------------------------------------------------------------------ who reads it


def test_the_village_staff_and_supervision_committee_read_the_register_over_rest(world):
	for key in ("clerk", "supervisor"):
		client = world.client[key]
		listed = client.get(resource("Village Household"), {"fields": json.dumps(["household_no"])})
		assert listed.status_code == 200, listed.json
		assert sorted(r["household_no"] for r in listed.json["data"]) == ["001", "002", "003"]


@pytest.mark.parametrize("who", ["clerk_b", "officer", "building_head", "guest"])
def test_no_one_else_reads_the_register_over_rest_search_reports_or_exports(world, who):
	client = world.client[who]
	name = frappe.get_value("Village Household", {"community_unit": world.units.village_a})
	row = frappe.get_value("Household Member", {"parent": name}, "name")
	for path in (resource("Village Household"), resource("Household Member")):
		got = client.get(path, {"fields": json.dumps(["name"])})
		assert got.status_code in (403, 404) or not got.json.get("data"), (path, got.json)
	for path in (resource("Village Household", name), resource("Household Member", row)):
		assert client.get(path).status_code in (403, 404)
	calls = [
		("frappe.desk.search.search_link", {"doctype": "Village Household", "txt": "", "page_length": "50"}),
		(
			"frappe.desk.search.search_link",
			{"doctype": "Village Household", "txt": "00", "ignore_user_permissions": "1"},
		),
		(
			"frappe.client.get_list",
			{"doctype": "Household Member", "parent": "Village Household", "fields": ["member_name"]},
		),
		("frappe.client.get_count", {"doctype": "Village Household"}),
		("frappe.desk.reportview.get", {"doctype": "Village Household", "fields": ["name"]}),
		("frappe.utils.global_search.search", {"text": "张建国"}),
	]
	for method, params in calls:
		got = client.method(method, **params)
		text = json.dumps(got.json, ensure_ascii=False)
		assert "张建国" not in text and name not in text, (method, text)
		message = got.json.get("message") if got.status_code == 200 else None
		if isinstance(message, dict):
			message = message.get("values")
		if method != "frappe.utils.global_search.search":
			assert not message, (method, text)
	exported = client.method(
		"community_consultation.decision_bodies.register.export_register",
		http="post",
		community_unit=world.units.village_a,
	)
	assert exported.status_code in (403, 404), exported.json
	assert "张建国" not in json.dumps(exported.json, ensure_ascii=False)
	pdf = client.get(
		"/api/method/frappe.utils.print_format.download_pdf", {"doctype": "Village Household", "name": name}
	)
	assert pdf.status_code in (403, 404)


def test_an_export_of_the_register_is_logged(world):
	frappe.db.rollback()
	client = world.client["supervisor"]
	exported = client.method(
		"community_consultation.decision_bodies.register.export_register",
		http="post",
		community_unit=world.units.village_a,
	)
	assert exported.status_code == 200, exported.json
	lines = exported.json["message"].splitlines()
	assert lines[0].startswith('"户号","姓名"') and len(lines) == 7
	assert "440123" not in exported.json["message"]
	frappe.db.rollback()
	logs = frappe.get_all(
		"Access Log",
		{"export_from": "Village Household", "report_name": world.units.village_a},
		["user", "file_type"],
	)
	assert {(log.user, log.file_type) for log in logs} >= {(world.supervisor, "CSV")}
	# a refused export is neither served nor logged
	refused = world.client["clerk_b"].method(
		"community_consultation.decision_bodies.register.export_register",
		http="post",
		community_unit=world.units.village_a,
	)
	assert refused.status_code in (403, 404)
	frappe.db.rollback()
	assert len(
		frappe.get_all(
			"Access Log", {"export_from": "Village Household", "report_name": world.units.village_a}
		)
	) == len(logs)


def post_household(client, unit: str, number: str, member: dict):
	"""A household of one member, POSTed over REST."""
	values = {"community_unit": unit, "household_no": number, "members": [member]}
	return client.request("post", resource("Village Household"), json=values)


def test_a_register_file_is_refused_in_another_village(world):
	with as_user(world.clerk_b), pytest.raises(frappe.PermissionError):
		import_register(world.units.village_a, csv_of(REGISTER), "register.csv")
	rest = post_household(
		world.client["clerk_b"],
		world.units.village_a,
		"099",
		{"member_name": "外村人", "is_head": 1, "age_group": "18 or Over"},
	)
	assert rest.status_code == 403, rest.json


# ------------------------------------------------------------------------------------ the basis


def test_a_meetings_basis_is_counted_from_the_register_on_its_date(world):
	from frappe.utils import add_days, add_years, getdate, now_datetime

	from community_consultation.decision_bodies.doctype.community_meeting.community_meeting import (
		NoMeetingBasisError,
	)
	from community_consultation.tests.factory import make_topic
	from community_consultation.tests.meetings import make_basis, meeting_values, villagers

	held = add_days(now_datetime(), -1)
	eighteen = add_years(getdate(held), -18)
	rows = [
		HEADER,
		["101", "吴大", "是", "户主", "1970-01-01", "", "户籍", "", ""],
		["101", "吴二", "否", "子", str(eighteen), "", "户籍", "", ""],  # 18 on the meeting's day
		["101", "吴三", "否", "子", str(add_days(eighteen, 1)), "", "户籍", "", ""],  # 18 the day after
		["102", "郑一", "是", "户主", "", "18岁以上", "非户籍", "", ""],
		["102", "郑二", "否", "女", "", "未满18岁", "非户籍", "", ""],
	]
	try:
		village = world.units.village_b
		make_basis(village, adults=500, households=200)  # typed figures, not applied with a register
		topics = [make_topic(village, title="名册基数议题")]
		meeting = frappe.get_doc(
			meeting_values(village, topics=topics, attendance=villagers(2), typed_basis_reason="")
		)
		with pytest.raises(NoMeetingBasisError):
			meeting.insert()
		typed = frappe.get_doc(meeting_values(village, topics=topics, attendance=villagers(2))).insert()
		assert (typed.basis_source, typed.basis_adults, typed.basis_households) == ("Typed", 500, 200)
		import_register(village, csv_of(rows), "b.csv")
		# two people not in the register, counted with the reason
		outside = [{**row, "not_in_register_reason": "经村委会确认的常住人员"} for row in villagers(2)]
		meeting = frappe.get_doc(
			meeting_values(village, topics=topics, attendance=outside, typed_basis_reason="")
		)
		meeting.insert()
		assert (meeting.basis_source, meeting.basis_adults, meeting.basis_households) == ("Register", 3, 2)
		assert meeting.register_as_of
		assert meeting.quorate  # 2 of 3 adults: over half
		html = frappe.get_print("Community Meeting", meeting.name, "民主决策会议记录")
		assert "按户籍名册统计" in html or "counted from the household register" in html, html
		printed = frappe.get_print("Community Meeting", typed.name, "民主决策会议记录")
		assert "本村尚未导入户籍名册" in printed and (
			"未按户籍名册统计" in printed or "typed basis" in printed
		)
	finally:
		frappe.db.rollback()


# ------------------------------------------------------------------------------------ sign-in


@pytest.fixture(scope="module")
def register_meeting(world):
	"""A draft villagers' meeting of village A, counted from its register (five adults, three
	households), committed for the requests."""
	from community_consultation.tests.factory import make_topic
	from community_consultation.tests.meetings import meeting_values

	topic = make_topic(world.units.village_a, title="名册签到议题")
	doc = frappe.get_doc(
		meeting_values(world.units.village_a, topics=[topic], typed_basis_reason="")
	).insert()
	frappe.db.commit()
	return doc.name


def member(unit: str, name: str) -> str:
	return frappe.db.sql(
		"""select m.name from `tabHousehold Member` m join `tabVillage Household` h on h.name = m.parent
		where h.community_unit = %s and m.member_name = %s""",
		(unit, name),
	)[0][0]


TICK = "community_consultation.decision_bodies.doctype.community_meeting.community_meeting.tick_attendance"


def tick(client, meeting, members, present=1):
	return client.method(TICK, http="post", meeting=meeting, members=json.dumps(members), present=present)


def test_attendance_is_ticked_from_the_register_and_the_quorum_follows_over_rest(world, register_meeting):
	clerk, village = world.client["clerk"], world.units.village_a
	doc = frappe.get_doc("Community Meeting", register_meeting)
	assert (doc.basis_source, doc.basis_adults, doc.basis_households) == ("Register", 5, 3)
	found = clerk.method(
		"community_consultation.decision_bodies.doctype.community_meeting.community_meeting.sign_in_list",
		meeting=register_meeting,
		txt="001",
	)
	assert found.status_code == 200, found.json
	# the household's adults, not its child
	assert [r["member_name"] for r in found.json["message"]] == ["张建国", "李秀英"]
	# two of household 001 and one of 002, ticked at once: three adults, two households
	ticked = tick(clerk, register_meeting, [member(village, n) for n in ("张建国", "李秀英", "李大山")])
	assert ticked.status_code == 200, ticked.json
	state = ticked.json["message"]
	assert (state["adults_present"], state["households_present"], state["quorate"]) == (3, 2, 1)
	# untick 002's only one: two of five adults is not over half, one of three households not two-thirds
	state = tick(clerk, register_meeting, [member(village, "李大山")], present=0).json["message"]
	assert (state["adults_present"], state["households_present"], state["quorate"]) == (2, 1, 0)
	# a child is not counted
	refused = tick(clerk, register_meeting, [member(village, "张小明")])
	assert refused.status_code == 417 and refused.json.get("exc_type") == "AttendanceRecordError"
	# a person not in the register only with a reason
	doc = clerk.get(resource("Community Meeting", register_meeting)).json["data"]
	outsider = {
		"attends_as": "Villager",
		"attendee_name": "外来务工人员",
		"household": "外来户",
		"present": 1,
	}
	doc["attendance"].append(outsider)
	refused = clerk.request("put", resource("Community Meeting", register_meeting), json=doc)
	assert refused.status_code == 417 and refused.json.get("exc_type") == "AttendanceRecordError"
	doc["attendance"][-1]["not_in_register_reason"] = "长期居住本村的非户籍居民，经村委会确认"
	saved = clerk.request("put", resource("Community Meeting", register_meeting), json=doc)
	assert saved.status_code == 200, saved.json
	assert (saved.json["data"]["adults_present"], saved.json["data"]["households_present"]) == (3, 1)
	# another village's clerk can neither list nor tick
	other = world.client["clerk_b"]
	assert tick(other, register_meeting, [member(village, "王老五")]).status_code in (403, 404)
	listed = other.method(
		"community_consultation.decision_bodies.doctype.community_meeting.community_meeting.sign_in_list",
		meeting=register_meeting,
	)
	assert listed.status_code in (403, 404) and "张建国" not in json.dumps(listed.json, ensure_ascii=False)


def test_the_sign_in_sheet_prints_one_line_per_household_from_the_register(world, register_meeting):
	with as_user(world.clerk):
		html = frappe.get_print("Community Meeting", register_meeting, "民主决策会议签到表")
	assert "张建国、李秀英" in html and "李大山、陈美华" in html and "王老五" in html
	assert "张小明" not in html
	# a township officer reads the meeting (its attendance), not the register: no household lines
	with as_user(world.officer):
		frappe.has_permission("Community Meeting", "read", register_meeting, throw=True)
		html = frappe.get_print("Community Meeting", register_meeting, "民主决策会议签到表")
	assert "陈美华" not in html and "王老五" not in html


def test_a_representatives_meeting_is_ticked_from_its_roster_over_rest(world):
	from community_consultation.tests.factory import make_stakeholder, make_topic
	from community_consultation.tests.meetings import make_basis, make_meeting

	basis = make_basis(world.units.village_b, representatives=3)
	meeting = make_meeting(
		world.units.village_b,
		"Villagers' Representatives' Meeting",
		topics=[make_topic(world.units.village_b, title="代表会议签到议题")],
		submit=False,
	)
	outsider = make_stakeholder("乙村非代表村民", world.units.village_b)
	frappe.db.commit()
	try:
		clerk = world.client["clerk_b"]
		listed = clerk.method(
			"community_consultation.decision_bodies.doctype.community_meeting.community_meeting.sign_in_list",
			meeting=meeting.name,
		)
		assert listed.status_code == 200, listed.json
		roster = [r["name"] for r in listed.json["message"]]
		assert roster == [r.stakeholder for r in basis.representatives]
		state = tick(clerk, meeting.name, roster[:2]).json["message"]
		assert (state["present_count"], state["quorate"]) == (2, 1)  # two-thirds of three
		refused = tick(clerk, meeting.name, [outsider])
		assert refused.status_code == 417 and refused.json.get("exc_type") == "AttendanceRecordError"
		# the other village's clerk cannot tick it
		assert tick(world.client["clerk"], meeting.name, roster[2:]).status_code in (403, 404)
	finally:
		frappe.db.rollback()
		frappe.delete_doc("Community Meeting", meeting.name, force=True, ignore_permissions=True)
		frappe.db.commit()


def test_the_door_page_is_for_the_meetings_own_staff_only(world, register_meeting):
	path = f"/meeting-sign-in?meeting={register_meeting}"
	page = world.client["clerk"].get(path)
	assert page.status_code == 200
	assert "tick_attendance" in page.get_data(as_text=True)
	# the village's supervision committee ticks at the door too (community_meeting.may_record_attendance)
	assert world.client["supervisor"].get(path).status_code == 200
	for who in ("clerk_b", "supervisor_b", "officer", "building_head", "resident"):
		refused = world.client[who].get(path)
		assert refused.status_code == 403, who
		text = refused.get_data(as_text=True)
		assert "张建国" not in text
		# the refusal says why: this meeting's attendance is not theirs to record
		assert f"attendance of the meeting {register_meeting}" in text, who
	guest = world.client["guest"].get(path)
	assert guest.status_code in (301, 302, 303) and "/login" in guest.headers["Location"]


def upload(client, unit: str, file_url: str):
	"""The desk's Import Register of an uploaded file, as `client`."""
	return client.method(
		"community_consultation.decision_bodies.register.import_register_file",
		http="post",
		community_unit=unit,
		file_url=file_url,
	)


def test_the_desk_upload_imports_a_file_and_a_household_saved_over_rest_keeps_the_id_masked(world):
	frappe.set_user(world.clerk)
	try:
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "register.csv",
				"is_private": 1,
				"content": csv_of(
					[*REGISTER[:2], ["009", "冯九", "是", "户主", "1988-08-08", "", "户籍", "", ""]]
				),
			}
		).insert()
	finally:
		frappe.set_user("Administrator")
	frappe.db.commit()
	try:
		imported = upload(world.client["clerk"], world.units.village_a, file.file_url)
		assert imported.status_code == 200, imported.json
		assert imported.json["message"]["created"] == 1 and imported.json["message"]["removed"] == 2
		saved = post_household(
			world.client["clerk"],
			world.units.village_a,
			"010",
			{
				"member_name": "褚十",
				"is_head": 1,
				"age_group": "18 or Over",
				"id_card_masked": "440123199001011234",
			},
		)
		assert saved.status_code == 200, saved.json
		assert saved.json["data"]["members"][0]["id_card_masked"] == "**************1234"
		# another village's clerk cannot import into this register
		refused = upload(world.client["clerk_b"], world.units.village_a, file.file_url)
		assert refused.status_code in (403, 404)
	finally:
		# the register as the module's other tests expect it
		frappe.db.rollback()
		import_register(world.units.village_a, csv_of(REGISTER), "register.csv")
		frappe.delete_doc("File", file.name, force=True, ignore_permissions=True)
		frappe.db.commit()


def test_meetings_recorded_before_the_register_keep_their_typed_figures():
	from community_consultation.patches.v0_1.meetings_keep_their_typed_basis import execute

	meetings = frappe.get_all(
		"Community Meeting", {"meeting_kind": "Villagers' Meeting"}, pluck="name", limit=1
	)
	if not meetings:
		pytest.skip("no villagers' meeting on the site")
	frappe.db.set_value("Community Meeting", meetings[0], {"basis_source": None, "typed_basis_reason": None})
	execute()
	row = frappe.db.get_value(
		"Community Meeting", meetings[0], ["basis_source", "typed_basis_reason"], as_dict=True
	)
	frappe.db.rollback()
	assert row.basis_source == "Typed" and row.typed_basis_reason


def test_birth_dates_are_read_as_village_spreadsheets_write_them():
	import datetime

	from community_consultation.decision_bodies.register import parse_date

	day = datetime.date(1970, 1, 31)
	for cell in (
		"1970-01-31",
		"1970/1/31",
		"1970.1.31",
		"1970年1月31日",
		"19700131",
		day,
		datetime.datetime(1970, 1, 31, 8),
		# 出生年月, a year and month only: the month's last day, never 18 too early
		"1970-01",
		"1970.1",
		"1970年1月",
		"197001",
	):
		assert parse_date(cell) == day, cell
	assert parse_date("2008.02") == datetime.date(2008, 2, 29)
	for cell in ("不详", "1970-02-30", "1970-13", "31/01/1970x", "1970"):
		assert parse_date(cell) is None, cell


def test_a_villages_own_headings_are_read_and_the_columns_the_register_does_not_keep_read_past():
	"""序号, 性别, 联系电话 and 备注 are read past and stored nowhere; 户编号, 是否户主, 关系, 出生年月 and
	身份证号码 are the register's columns under a village's own headings."""
	own = [
		["序号", "户编号", "姓名", "性别", "是否户主", "关系", "出生年月", "联系电话", "身份证号码", "备注"],
		["1", "101", "赵一", "男", "是", "户主", "1968.05", "13800000001", "440123196805011234", "组长"],
		["2", "101", "钱二", "女", "否", "配偶", "1970.11", "13800000002", "", ""],
	]
	village = make_unit_tree("户籍别名").village_a
	counts = import_register(village, csv_of(own), "own.csv")
	assert counts.created == 1 and counts.members == 2
	assert counts.read_past == "序号、性别、联系电话、备注"
	stored = frappe.get_doc("Village Household", {"community_unit": village, "household_no": "101"})
	head = next(m for m in stored.members if m.member_name == "赵一")
	assert str(head.birth_date) == "1968-05-31" and head.is_head and head.relation == "户主"
	assert head.id_card_masked.endswith("1234") and "440123" not in head.id_card_masked
	assert "13800000001" not in json.dumps(stored.as_dict(), default=str)


# ------------------------------------------------------------------- who records attendance, and its cost

SIGN_IN_LIST = (
	"community_consultation.decision_bodies.doctype.community_meeting.community_meeting.sign_in_list"
)


def present_rows(meeting: str) -> list[tuple]:
	return frappe.db.sql(
		"""select register_member, present from `tabMeeting Attendance`
		where parent = %s and parenttype = 'Community Meeting' order by idx""",
		meeting,
	)


def test_the_villages_supervision_committee_records_attendance_and_no_one_else(world, register_meeting):
	"""`community_meeting.may_record_attendance`: the village's clerk and its supervision committee tick;
	the committee of another village, a township officer, a resident and a guest neither list nor tick;
	ticking gives the committee nothing else of the meeting (a PUT of it is refused)."""
	village = world.units.village_a
	wang = member(village, "王老五")
	supervisor = world.client["supervisor"]
	listed = supervisor.method(SIGN_IN_LIST, meeting=register_meeting, txt="王")
	assert listed.status_code == 200, listed.json
	assert [r["member_name"] for r in listed.json["message"]] == ["王老五"]
	before = present_rows(register_meeting)
	for who in ("supervisor_b", "officer", "resident", "guest"):
		client = world.client[who]
		refused = tick(client, register_meeting, [wang])
		assert refused.status_code in (401, 403, 404), (who, refused.status_code)
		listed = client.method(SIGN_IN_LIST, meeting=register_meeting, txt="")
		assert listed.status_code in (401, 403, 404), (who, listed.status_code)
		assert "张建国" not in json.dumps(listed.json, ensure_ascii=False), who
	frappe.db.rollback()
	assert present_rows(register_meeting) == before
	try:
		ticked = tick(supervisor, register_meeting, [wang])
		assert ticked.status_code == 200, ticked.json
		assert ticked.json["message"]["ticked"] == [wang]
		frappe.db.rollback()
		assert (wang, 1) in present_rows(register_meeting)
		# the committee's rights on the meeting itself stay read only
		doc = supervisor.get(resource("Community Meeting", register_meeting)).json["data"]
		doc["venue"] = "监委会改写的地点"
		refused = supervisor.request("put", resource("Community Meeting", register_meeting), json=doc)
		assert refused.status_code == 403, refused.json
		frappe.db.rollback()
		assert frappe.db.get_value("Community Meeting", register_meeting, "venue") != "监委会改写的地点"
	finally:
		assert tick(world.client["clerk"], register_meeting, [wang], present=0).status_code == 200
		frappe.db.rollback()


def test_the_clerk_and_the_committee_ticking_at_once_list_a_person_once_and_count_both(
	world, register_meeting
):
	"""Ticks of one meeting wait for each other (the meeting's row is locked): the clerk and the supervision
	committee ticking the same person at the same moment list them once, and the stored counts are those of
	all the rows."""
	from community_consultation.decision_bodies.doctype.community_meeting.community_meeting import (
		tick_attendance,
	)
	from community_consultation.tests.concurrency import race

	village = world.units.village_a
	wang, li = member(village, "王老五"), member(village, "李大山")
	ticks = {world.clerk: [wang, li], world.supervisor: [wang]}
	try:
		clerks = race(
			lambda: None,
			lambda _nothing: tick_attendance(register_meeting, ticks[frappe.session.user]),
			ticks,
		)
		assert all(c.ok for c in clerks), [c.error for c in clerks]
		frappe.db.rollback()
		rows = [m for m, _present in present_rows(register_meeting)]
		assert rows.count(wang) == 1 and rows.count(li) == 1
		doc = frappe.get_doc("Community Meeting", register_meeting)
		stored = (doc.present_count, doc.adults_present, doc.households_present, doc.quorate)
		doc.count_attendance()
		doc.judge_quorum()
		assert stored == (doc.present_count, doc.adults_present, doc.households_present, doc.quorate)
		assert doc.households_present == 3  # 001, 002 and 003
	finally:
		frappe.db.rollback()
		with as_user(world.clerk):
			tick_attendance(register_meeting, [wang, li], present=0)
		frappe.db.commit()


def test_a_tick_checks_and_writes_only_the_ticked_rows_and_counts_as_a_save_counts(world):
	"""A tick (`community_meeting.tick_attendance`) holds the rules a save holds, on the people ticked;
	writes only their rows; counts a household once, in the database, as `count_attendance` counts; is
	kept in the meeting's history; and is refused on a concluded meeting."""
	from community_consultation.decision_bodies.doctype.community_meeting.community_meeting import (
		AttendanceRecordError,
		tick_attendance,
	)
	from community_consultation.tests.factory import make_topic
	from community_consultation.tests.meetings import meeting_values

	village = world.units.village_a
	people = {n: member(village, n) for n in ("张建国", "李秀英", "张小明", "李大山", "陈美华")}
	try:
		with as_user(world.clerk):
			topic = make_topic(village, title="计票一致议题")
			doc = frappe.get_doc(meeting_values(village, topics=[topic], typed_basis_reason="")).insert()
			# one household's two adults: two adults, one household
			state = tick_attendance(doc.name, [people["张建国"], people["李秀英"], people["张建国"]])
			assert (state["adults_present"], state["households_present"], state["quorate"]) == (2, 1, 0)
			first = dict(
				frappe.db.sql(
					"select register_member, modified from `tabMeeting Attendance` where parent = %s",
					doc.name,
				)
			)
			assert len(first) == 2  # a person ticked twice is listed once
			# a child is refused, and the tick writes nothing, not even its adult
			with pytest.raises(AttendanceRecordError):
				tick_attendance(doc.name, [people["李大山"], people["张小明"]])
			assert len(present_rows(doc.name)) == 2
			state = tick_attendance(doc.name, [people["李大山"], people["陈美华"]])
			assert (state["adults_present"], state["households_present"], state["quorate"]) == (4, 2, 1)
			state = tick_attendance(doc.name, [people["陈美华"]], present=0)
			assert (state["present_count"], state["households_present"]) == (3, 2)
			# the rows ticked before were not written again
			again = dict(
				frappe.db.sql(
					"select register_member, modified from `tabMeeting Attendance` where parent = %s",
					doc.name,
				)
			)
			assert {m: again[m] for m in first} == first
			# the database's counts are the save's counts
			ticked = frappe.get_doc("Community Meeting", doc.name)
			counted = (ticked.present_count, ticked.adults_present, ticked.households_present, ticked.quorate)
			ticked.save()
			assert (
				ticked.present_count,
				ticked.adults_present,
				ticked.households_present,
				ticked.quorate,
			) == (counted)
			assert counted == (3, 3, 2, 1)
			history = frappe.get_all(
				"Version", {"ref_doctype": "Community Meeting", "docname": doc.name}, pluck="data"
			)
			assert any(json.loads(d).get("row_changed") for d in history)
			assert any(json.loads(d).get("added") for d in history)
		frappe.db.set_value("Community Meeting", doc.name, "docstatus", 1)
		with as_user(world.clerk), pytest.raises(AttendanceRecordError):
			tick_attendance(doc.name, [people["陈美华"]])
	finally:
		frappe.db.rollback()


def test_the_register_as_of_moves_when_a_reimport_only_removes_households(world):
	"""Art. 34: a meeting keeps the register's state it counted from; an import that only removes
	households changes the register, so a meeting counted after it names a later state."""
	from community_consultation.tests.factory import make_topic
	from community_consultation.tests.meetings import meeting_values

	village = world.units.village_a
	try:
		with as_user(world.clerk):
			topic = make_topic(village, title="名册状态议题")
			doc = frappe.get_doc(meeting_values(village, topics=[topic], typed_basis_reason="")).insert()
			counted_from = doc.register_as_of
			removed = import_register(village, csv_of([r for r in REGISTER if r[0] != "003"]), "r.csv")
			assert (removed.created, removed.updated, removed.removed) == (0, 0, 1)
			doc.reload()
			doc.save()
		assert doc.basis_households == 2
		assert frappe.utils.get_datetime(doc.register_as_of) > frappe.utils.get_datetime(counted_from)
	finally:
		frappe.db.rollback()


def run_bench(*args: str):
	import shutil
	import subprocess

	bench = shutil.which("bench")
	assert bench, "the bench command is not installed"
	return subprocess.run(
		[bench, "--site", frappe.local.site, *args],
		cwd=frappe.utils.get_bench_path(),
		capture_output=True,
		text=True,
		timeout=300,
	)


def test_the_bench_command_imports_a_good_file_and_refuses_a_bad_one_in_chinese(world, tmp_path):
	"""`bench --site SITE import-household-register VILLAGE FILE` (commands.run_file_import, as the other
	imports): a good file is imported and committed; a bad one prints its errors by line in the site's
	language, exits with status 1 and writes nothing."""
	village = world.units.village_b
	language = frappe.db.get_single_value("System Settings", "language")
	frappe.db.set_single_value("System Settings", "language", "zh")
	frappe.db.commit()
	good, bad = tmp_path / "register.csv", tmp_path / "bad.csv"
	good.write_bytes(csv_of(REGISTER))
	bad.write_bytes(
		csv_of(
			[
				HEADER,
				["201", "钱一", "是", "户主", "1970-01-01", "", "户籍", "", ""],
				["201", "钱二", "是", "户主", "不详", "", "户籍", "", ""],
				["202", "孙三", "否", "子", "1990-01-01", "", "外地", "", ""],
			]
		)
	)
	try:
		failed = run_bench("import-household-register", village, str(bad))
		assert failed.returncode == 1, (failed.stdout, failed.stderr)
		assert "第 3 行" in failed.stderr and "不详" in failed.stderr, failed.stderr
		assert "第 4 行" in failed.stderr and "户籍" in failed.stderr, failed.stderr
		assert "Traceback" not in failed.stderr, failed.stderr
		frappe.db.rollback()
		assert not frappe.db.count("Village Household", {"community_unit": village})
		done = run_bench("import-household-register", village, str(good))
		assert done.returncode == 0, (done.stdout, done.stderr)
		assert "created=3" in done.stdout and "members=6" in done.stdout, done.stdout
		frappe.db.rollback()
		assert frappe.db.count("Village Household", {"community_unit": village}) == 3
	finally:
		frappe.db.rollback()
		for name in frappe.get_all("Village Household", {"community_unit": village}, pluck="name"):
			frappe.delete_doc("Village Household", name, force=True, ignore_permissions=True)
		frappe.db.set_single_value("System Settings", "language", language)
		frappe.db.commit()


def test_the_desk_upload_of_a_bad_file_lists_its_errors_by_line_and_writes_nothing(world):
	"""The desk's Import Register of a file with errors: refused (`ImportRowsError`), the errors by line in
	the dialog's message, nothing written."""
	from community_consultation.tests.http import server_messages

	bad = [HEADER, ["301", "卫一", "否", "子", "1990-01-01", "", "外地", "", ""]]
	frappe.set_user(world.clerk)
	try:
		file = frappe.get_doc(
			{"doctype": "File", "file_name": "bad.csv", "is_private": 1, "content": csv_of(bad)}
		).insert()
	finally:
		frappe.set_user("Administrator")
	frappe.db.commit()
	before = frappe.db.count("Village Household", {"community_unit": world.units.village_a})
	try:
		refused = upload(world.client["clerk"], world.units.village_a, file.file_url)
		assert refused.status_code == 417 and refused.json.get("exc_type") == "ImportRowsError"
		messages = server_messages(refused)
		assert "Row 2: " in messages and "外地" in messages, messages
		frappe.db.rollback()
		assert frappe.db.count("Village Household", {"community_unit": world.units.village_a}) == before
	finally:
		frappe.db.rollback()
		frappe.delete_doc("File", file.name, force=True, ignore_permissions=True)
		frappe.db.commit()
