"""The desk's imports (Community Unit list → Import Division List / Import Staff): the administrators'
only, run as a background job that commits what it imported, or nothing and the errors by row."""

import frappe
import pytest

from community_consultation.tests.division_list import as_csv
from community_consultation.tests.shared import committed_records
from community_consultation.tests.users import as_user, make_user
from community_consultation.units import importer, staff

UNITS = [
	("代码", "名称", "级别", "上级代码"),
	("449903000000", "桌面县", "3", ""),
	("449903101000", "桌面镇", "4", "449903000000"),
	("449903101201", "桌面村委会", "5", "449903101000"),
]


def uploaded(name: str, content: bytes) -> str:
	return (
		frappe.get_doc({"doctype": "File", "file_name": name, "is_private": 1, "content": content})
		.insert(ignore_permissions=True)
		.name
	)


def test_only_administrators_start_an_import():
	clerk = make_user("import-clerk@example.com", ["Committee Clerk"])
	with as_user(clerk), pytest.raises(frappe.PermissionError):
		importer.start_import("/private/files/units.csv")
	with as_user(clerk), pytest.raises(frappe.PermissionError):
		staff.start_import("/private/files/staff.csv")


def test_the_jobs_import_the_file_or_report_its_rows():
	with committed_records(("Community Unit", "File", "User", "User Permission", "Version")):
		done = importer.run_import_job(uploaded("units.csv", as_csv(UNITS)), "Administrator")
		assert done["summary"]["created"] == 3
		assert (
			frappe.db.get_value("Community Unit", {"unit_code": "449903101201"}, "unit_name") == "桌面村委会"
		)

		bad = [*UNITS, ("4499031012", "坏村", "5", "449903101000")]
		refused = importer.run_import_job(uploaded("bad.csv", as_csv(bad)), "Administrator")
		assert refused["total_errors"] == 1 and refused["errors"][0][0] == 5

		people = [
			("姓名", "手机号", "角色", "单位代码"),
			("桌面文书", "13900000061", "Committee Clerk", "449903101201"),
		]
		done = staff.run_import_job(uploaded("staff.csv", as_csv(people)), "Administrator")
		assert done["summary"]["created"] == 1
		# no SMS on the test site: the hand-over sheet is a private file
		sheet = frappe.get_doc("File", {"file_url": done["sheet"]})
		assert sheet.is_private and "13900000061" in sheet.get_content()


def test_a_small_file_is_imported_in_the_request_and_a_large_one_is_not():
	"""A file up to `importer.INLINE_IMPORT_BYTES` is answered at once with the job's message; a larger
	one goes to the background job (not started here: no worker runs for the test site)."""
	with committed_records(("Community Unit", "File", "User", "User Permission", "Version")):
		small = frappe.get_doc("File", uploaded("units.csv", as_csv(UNITS)))
		started = importer.start_import(small.file_url)
		assert started["queued"] is False and started["message"]["summary"]["created"] == 3
		large = frappe.get_doc(
			"File", uploaded("large.csv", as_csv(UNITS) + b"\n" * (importer.INLINE_IMPORT_BYTES + 1))
		)
		assert importer.imported_at_once(small) and not importer.imported_at_once(large)
