"""Staff in bulk (units/staff.py): each account gets exactly its role and its unit, signs in with its
mobile number, moves without a second account, is disabled when it leaves; an imported clerk reads only
their village."""

import frappe
import pytest

from community_consultation.tests.division_list import as_csv
from community_consultation.tests.factory import make_stakeholder, make_unit_tree
from community_consultation.tests.providers import AlibabaSms, forget_providers, use_sms_provider
from community_consultation.tests.users import as_user
from community_consultation.units.importer import ImportRowsError
from community_consultation.units.staff import handover_sheet, import_staff

HEADER = ("姓名", "手机号", "角色", "单位代码", "状态")


@pytest.fixture
def coded_units():
	units = make_unit_tree("职员")
	for unit, code in (
		(units.county, "449902000000"),
		(units.township, "449902101000"),
		(units.village_a, "449902101201"),
		(units.village_b, "449902101202"),
	):
		frappe.db.set_value("Community Unit", unit, "unit_code", code)
	return units


def staff_file(*rows) -> bytes:
	return as_csv([HEADER, *rows])


def unit_permissions(user: str) -> list[str]:
	return sorted(
		frappe.get_all(
			"User Permission", filters={"user": user, "allow": "Community Unit"}, pluck="for_value"
		)
	)


def roles_of(user: str) -> list[str]:
	return sorted(frappe.get_all("Has Role", filters={"parent": user, "parenttype": "User"}, pluck="role"))


def user_of(mobile: str) -> str | None:
	return frappe.db.get_value("User", {"mobile_no": mobile})


def test_each_account_gets_exactly_its_role_and_unit(coded_units):
	result = import_staff(
		staff_file(
			("张文书", "13900000001", "Committee Clerk", "449902101201"),
			("李书记", "139 0000 0002", _zh("Community Secretary"), "449902101202"),
			("王干部", "13900000003", "Township Officer", "449902101"),
		),
		"staff.csv",
	)
	assert len(result.created) == 3
	clerk = user_of("13900000001")
	assert roles_of(clerk) == ["Committee Clerk"]
	assert unit_permissions(clerk) == [coded_units.village_a]
	assert roles_of(user_of("13900000002")) == ["Community Secretary"]
	assert unit_permissions(user_of("13900000003")) == [coded_units.township]
	# no SMS set up: the first passwords are on the hand-over sheet, and each signs in with its mobile
	assert not result.by_sms and len(result.passwords) == 3
	sheet = handover_sheet(result)
	frappe.db.set_single_value("System Settings", "allow_login_using_mobile_number", 1)
	from frappe.core.doctype.user.user import User

	for _name, mobile, _role, _unit, password in result.passwords:
		assert mobile in sheet and password in sheet
		assert User.find_by_credentials(mobile, password).is_authenticated


def _zh(role: str) -> str:
	"""The role as a Chinese spreadsheet writes it."""
	frappe.local.lang = "zh"
	try:
		return frappe._(role)
	finally:
		frappe.local.lang = "en"


def test_an_imported_clerk_reads_only_their_village(coded_units):
	own = make_stakeholder("本村居民", coded_units.village_a)
	other = make_stakeholder("外村居民", coded_units.village_b)
	import_staff(staff_file(("赵文书", "13900000011", "Committee Clerk", "449902101201")), "staff.csv")
	clerk = user_of("13900000011")
	with as_user(clerk):
		seen = frappe.get_list("Stakeholder", pluck="name", limit_page_length=0)
		assert own in seen and other not in seen
		assert not frappe.has_permission("Stakeholder", "read", doc=other)
		with pytest.raises(frappe.PermissionError):
			frappe.get_doc("Stakeholder", other).check_permission("read")


def test_a_second_import_moves_a_clerk_without_a_second_account(coded_units):
	import_staff(staff_file(("钱文书", "13900000021", "Committee Clerk", "449902101201")), "staff.csv")
	clerk = user_of("13900000021")
	moved = import_staff(staff_file(("钱文书", "13900000021", "Committee Clerk", "449902101202")), "s.csv")
	assert moved.updated == [clerk] and not moved.created and not moved.passwords
	assert frappe.db.count("User", {"mobile_no": "13900000021"}) == 1
	assert unit_permissions(clerk) == [coded_units.village_b]
	again = import_staff(staff_file(("钱文书", "13900000021", "Committee Clerk", "449902101202")), "s.csv")
	assert again.summary()["unchanged"] == 1


def test_leaving_staff_are_disabled_not_deleted(coded_units):
	import_staff(staff_file(("孙文书", "13900000031", "Committee Clerk", "449902101201")), "staff.csv")
	clerk = user_of("13900000031")
	result = import_staff(
		staff_file(("孙文书", "13900000031", "Committee Clerk", "449902101201", "离职")), "staff.csv"
	)
	assert result.disabled == [clerk]
	assert frappe.db.get_value("User", clerk, "enabled") == 0
	assert unit_permissions(clerk) == [coded_units.village_a]
	# a leaver of a retired village is disabled too
	import_staff(staff_file(("李文书", "13900000032", "Committee Clerk", "449902101202")), "staff.csv")
	frappe.db.set_value("Community Unit", coded_units.village_b, "disabled", 1)
	result = import_staff(
		staff_file(("李文书", "13900000032", "Committee Clerk", "449902101202", "离职")), "staff.csv"
	)
	assert result.disabled == [user_of("13900000032")]


def test_bad_rows_are_listed_by_row_and_nothing_is_written(coded_units):
	frappe.local.lang = "zh"
	users = frappe.db.count("User")
	with pytest.raises(ImportRowsError) as failed:
		import_staff(
			staff_file(
				("周文书", "13900000041", "Committee Clerk", "449902101201"),  # row 2: fine
				("吴文书", "1390000004", "Committee Clerk", "449902101201"),  # row 3: not a mobile
				("郑文书", "13900000043", "村主任", "449902101201"),  # row 4: no such role
				("冯文书", "13900000044", "Committee Clerk", "449902101299"),  # row 5: no such unit
				("陈文书", "13900000045", "Committee Clerk", "449902101"),  # row 6: a clerk on a township
				("", "13900000046", "Committee Clerk", "449902101201"),  # row 7: no name
				("卫文书", "13900000041", "Committee Clerk", "449902101201"),  # row 8: mobile again
			),
			"staff.csv",
		)
	assert [number for number, _message in failed.value.errors] == [3, 4, 5, 6, 7, 8]
	assert "第 8 行" in str(failed.value)
	assert frappe.db.count("User") == users


def test_first_passwords_go_by_sms_when_a_provider_is_set_up(coded_units):
	server = AlibabaSms()
	try:
		use_sms_provider("Alibaba Cloud", server)
		result = import_staff(
			staff_file(("褚文书", "13900000051", "Committee Clerk", "449902101201")), "staff.csv"
		)
		assert result.by_sms and result.summary()["passwords_by_sms"] == 1
		assert not server.to("13900000051")  # nothing leaves before the import is committed
		frappe.db.after_commit.run()
		sent = server.to("13900000051")
		assert len(sent) == 1 and result.passwords[0][4] in str(sent[0]["params"])
	finally:
		server.stop()
		forget_providers()


def test_a_city_code_gives_each_of_the_citys_counties(coded_units):
	result = import_staff(
		staff_file(("市民政干部", "13900000071", "Township Officer", "449900")), "staff.csv"
	)
	officer = result.created[0]
	counties = frappe.get_all(
		"Community Unit", filters={"unit_code": ("like", "4499%"), "unit_type": "County"}, pluck="name"
	)
	assert coded_units.county in counties
	assert unit_permissions(officer) == sorted(counties)


def resident_signed_up_by_sms(mobile: str, village: str) -> str:
	"""A resident's account as the SMS sign-up makes it: a Website User with the Resident role and no
	password, and their Stakeholder record in the village."""
	from community_consultation.notices.recipients import mobile_account_email
	from community_consultation.procedure.online_proposals import get_or_create_resident_stakeholder

	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": mobile_account_email(mobile),
			"first_name": "周村民",
			"mobile_no": mobile,
			"user_type": "Website User",
			"send_welcome_email": 0,
			"roles": [{"role": "Resident"}],
		}
	)
	user.flags.no_welcome_mail = True
	user.insert(ignore_permissions=True)
	get_or_create_resident_stakeholder(user.name, village)
	return user.name


def test_a_resident_who_becomes_a_clerk_keeps_the_account_and_their_proposals(coded_units):
	from test_proposal_tracking import render
	from test_resident_proposals import propose

	from community_consultation.notices.proposal_progress import my_proposals
	from community_consultation.tests.factory import make_topic

	resident = resident_signed_up_by_sms("13900000051", coded_units.village_a)
	proposal = propose(resident, coded_units.village_a, title="村口路灯不亮")
	other_village_topic = make_topic(coded_units.village_b, title="乙村的议题")

	result = import_staff(
		staff_file(("周文书", "13900000051", "Committee Clerk", "449902101201")), "staff.csv"
	)
	assert result.updated == [resident] and not result.created
	assert frappe.db.count("User", {"mobile_no": "13900000051"}) == 1
	assert roles_of(resident) == ["Committee Clerk", "Resident"]
	assert frappe.db.get_value("User", resident, "user_type") == "System User"
	assert unit_permissions(resident) == [coded_units.village_a]
	# signed in by SMS code until now, which staff may not: a first password, as a new account gets
	((_name, mobile, _role, _unit, password),) = result.passwords
	frappe.db.set_single_value("System Settings", "allow_login_using_mobile_number", 1)
	from frappe.core.doctype.user.user import User

	assert User.find_by_credentials(mobile, password).is_authenticated
	# still their own proposals on /my-proposals
	assert [p.name for p in my_proposals(resident)] == [proposal.name]
	status, _location, html = render("/my-proposals", resident)
	assert status == 200 and proposal.name in html
	# and in the desk, exactly their village
	with as_user(resident):
		topics = frappe.get_list("Consultation Topic", pluck="name", limit_page_length=0)
		assert proposal.name in topics and other_village_topic.name not in topics
		assert not frappe.has_permission("Consultation Topic", "read", doc=other_village_topic.name)
	# the same file again changes nothing, and gives no second password
	again = import_staff(staff_file(("周文书", "13900000051", "Committee Clerk", "449902101201")), "s.csv")
	assert again.summary()["unchanged"] == 1 and not again.passwords

	# leaving the staff, the villager stays a resident: enabled, no staff role, no unit
	left = import_staff(
		staff_file(("周文书", "13900000051", "Committee Clerk", "449902101201", "离职")), "staff.csv"
	)
	assert left.updated == [resident] and not left.disabled
	assert frappe.db.get_value("User", resident, ["enabled", "user_type"]) == (1, "Website User")
	assert roles_of(resident) == ["Resident"] and unit_permissions(resident) == []
	assert [p.name for p in my_proposals(resident)] == [proposal.name]
