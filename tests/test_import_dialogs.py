"""The desk's import dialogs in Chromium (Community Unit list → 导入区划代码表 / 批量导入工作人员): an
administrator of a Chinese site uploads a small file through each dialog and reads, for a bad file, its
errors by row in Chinese with nothing imported, and for a good file the summary, the units and the
accounts created (units/importer.py, units/staff.py, community_unit_list.js)."""

import tempfile
from pathlib import Path

import frappe
import pytest
from browser_site import PASSWORD, chromium_ready, run_walk
from frappe.utils.password import update_password

from community_consultation.tests.division_list import as_csv
from community_consultation.tests.users import make_user

pytestmark = pytest.mark.skipif(bool(chromium_ready()), reason=chromium_ready() or "")

STAFF_HEADER = ("姓名", "手机号", "角色", "单位代码")
FILES = {
	# a county and a township that are right, then a code of 10 digits: nothing of the file is imported
	"units-bad.csv": [
		("代码", "名称", "级别", "上级代码"),
		("449908000000", "弹窗坏县", "3", ""),
		("449908101000", "弹窗坏镇", "4", "449908000000"),
		("4499081012", "弹窗坏村委会", "5", "449908101000"),
	],
	"units.csv": [
		("代码", "名称", "级别", "上级代码"),
		("449907000000", "弹窗县", "3", ""),
		("449907101000", "弹窗镇", "4", "449907000000"),
		("449907101201", "弹窗村委会", "5", "449907101000"),
	],
	# a right row, then a mobile number of 10 digits: no account is made
	"staff-bad.csv": [
		STAFF_HEADER,
		("弹窗书记", "13900000072", "Community Secretary", "449907101201"),
		("弹窗坏文书", "1390000007", "Committee Clerk", "449907101201"),
	],
	"staff.csv": [STAFF_HEADER, ("弹窗文书", "13900000071", "Committee Clerk", "449907101201")],
}
# the order of the walk: units first, so that the staff's village exists
WALK = (
	("Import Division List", "units-bad.csv"),
	("Import Division List", "units.csv"),
	("Import Staff", "staff-bad.csv"),
	("Import Staff", "staff.csv"),
)


def zh(text: str) -> str:
	return frappe._(text, lang="zh")


def import_steps(button: str, path: str) -> list[dict]:
	"""Through the dialog of `button`: attach the file with Frappe's uploader, import, read the answer."""
	footer = ".modal.show .modal-footer"
	return [
		{"goto": "/app/community-unit", "wait_selector": f'button:visible:has-text("{zh(button)}")'},
		{"button": zh(button), "wait_selector": ".modal.show .btn-attach"},
		{"click": ".modal.show .btn-attach", "wait_selector": ".modal.show .file-upload-area"},
		{"upload": ".modal.show .file-upload-area input[type=file]", "files": [path]},
		{"button": zh("Upload"), "within": footer, "wait_selector": ".modal.show .attached-file-link"},
		{"button": zh("Import"), "within": footer, "wait_selector": ".modal.show .msgprint"},
		{"read": ".modal.show .modal-content"},
		{"press": "Escape"},
	]


def dialogs_job(world, base: str) -> dict:
	admin = make_user(
		"browser-import-admin@example.com",
		["System Manager", "Consultation Administrator"],
		first_name="区划管理员",
		language="zh",
	)
	update_password(admin, PASSWORD)
	frappe.db.commit()
	folder = Path(tempfile.mkdtemp(prefix="import-dialogs-"))
	steps = []
	for button, name in WALK:
		(folder / name).write_bytes(as_csv(FILES[name]))
		steps += import_steps(button, str(folder / name))
	return {"base": base, "mode": "walk", "width": 1400, "user": admin, "password": PASSWORD, "steps": steps}


def dialogs_facts(world) -> dict:
	frappe.db.rollback()  # a fresh snapshot: the served site committed the imports
	clerk = frappe.db.get_value("User", {"mobile_no": "13900000071"})
	return {
		"units": sorted(
			frappe.get_all("Community Unit", {"unit_code": ("like", "449907%")}, pluck="unit_name")
		),
		"units_of_the_bad_file": frappe.db.count("Community Unit", {"unit_code": ("like", "449908%")}),
		"clerk_roles": frappe.get_roles(clerk) if clerk else [],
		"clerk_units": frappe.get_all(
			"User Permission", {"user": clerk or "", "allow": "Community Unit"}, pluck="for_value"
		),
		"village": frappe.db.get_value("Community Unit", {"unit_code": "449907101201"}),
		"accounts_of_the_bad_file": frappe.db.count("User", {"mobile_no": "13900000072"}),
	}


@pytest.fixture(scope="module")
def walked():
	done = run_walk(dialogs_job, dialogs_facts)
	failed = [entry for entry in done.report if entry.get("error")]
	assert not failed, failed[0]
	assert len(done.report) == len(done.job["steps"])
	# what each dialog answered, in the order of WALK
	done.answers = [entry["text"] for entry in done.report if "read" in entry["step"]]
	return done


def test_a_bad_division_list_is_refused_by_row_in_chinese_and_nothing_is_imported(walked):
	answer = walked.answers[0]
	assert zh("Nothing was imported: {0} rows have errors").format(1) in answer
	assert zh("Row") in answer and zh("Error") in answer
	assert f"4\t{zh('{0} is not a division code (12 digits).').format('4499081012')}" in answer
	assert walked.facts["units_of_the_bad_file"] == 0


def test_a_good_division_list_creates_its_units(walked):
	answer = walked.answers[1]
	assert zh("Import Division List") in answer and "新建 3 个" in answer
	assert walked.facts["units"] == ["弹窗县", "弹窗村委会", "弹窗镇"]


def test_a_bad_staff_file_is_refused_by_row_in_chinese_and_no_account_is_made(walked):
	answer = walked.answers[2]
	assert zh("Nothing was imported: {0} rows have errors").format(1) in answer
	assert f"3\t{zh('{0} is not a mainland China mobile number.').format('1390000007')}" in answer
	assert walked.facts["accounts_of_the_bad_file"] == 0


def test_a_good_staff_file_creates_the_account_with_its_role_and_unit(walked):
	answer = walked.answers[3]
	assert zh("Import Staff") in answer and "新建 1 个" in answer
	# no SMS on the test site: the link to the hand-over sheet of first passwords
	assert zh("Print the hand-over sheet of first passwords") in answer
	assert "Committee Clerk" in walked.facts["clerk_roles"]
	assert walked.facts["clerk_units"] == [walked.facts["village"]]
