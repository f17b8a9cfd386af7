"""Frappe's Data Import as a write path (issue 19: "rich text sanitised on every path that writes it, …
import"; "every write path … imports checks the user's unit").

The app's staff import the app's records only through the app's own importers (units/importer.py,
units/staff.py, decision_bodies/register.py), which check the unit. Frappe's Data Import stays closed to
them: no app DocType grants "import" to a role, and Data Import itself is the System Manager's. What an
administrator imports goes through the same `validate` hooks as every other write, so the text policy
applies to it (docs/security.md).
"""

import csv
import json
from pathlib import Path

import frappe
import pytest
from frappe.core.doctype.data_import.data_import import import_file

from community_consultation.setup.records import DEFAULT_CATEGORY
from community_consultation.tests.factory import make_people, make_unit_tree
from community_consultation.tests.shared import committed_records
from community_consultation.tests.users import as_user, make_user

# a string that parses as JSON: Frappe's own sanitize_html returns it unchanged
SCRIPT = '"<img src=x onerror=alert(9)>路灯"'


@pytest.fixture(scope="module")
def world():
	with committed_records():
		units = make_unit_tree("导入攻击")
		people = make_people(units.village_a, prefix="导入居民")
		clerk = make_user("import-clerk@example.com", ["Committee Clerk"], [units.village_a])
		frappe.db.commit()
		yield frappe._dict(units=units, people=people, clerk=clerk)


def app_doctypes() -> list[str]:
	modules = frappe.get_module_list("community_consultation")
	return frappe.get_all("DocType", {"module": ("in", modules)}, pluck="name")


def test_no_role_may_import_the_apps_records_through_frappes_data_import():
	granted = frappe.get_all(
		"DocPerm", {"parent": ("in", app_doctypes()), "import": 1}, ["parent", "role"]
	) + frappe.get_all("Custom DocPerm", {"parent": ("in", app_doctypes()), "import": 1}, ["parent", "role"])
	assert granted == []


def test_a_clerk_cannot_start_a_data_import_of_topics(world):
	with as_user(world.clerk):
		assert not frappe.has_permission("Consultation Topic", "import")
		with pytest.raises(frappe.PermissionError):
			frappe.get_doc(
				{
					"doctype": "Data Import",
					"reference_doctype": "Consultation Topic",
					"import_type": "Insert New Records",
				}
			).insert()


def test_an_administrators_import_is_held_to_the_text_policy(world, tmp_path: Path):
	title = "导入攻击路灯维修"
	path = tmp_path / "topics.csv"
	with path.open("w", newline="", encoding="utf-8") as f:
		writer = csv.writer(f)
		writer.writerow(["Title", "Description", "Category", "Community Unit", "Source Channel"])
		writer.writerow([title, SCRIPT, DEFAULT_CATEGORY, world.units.village_a, "Visiting Residents"])
	import_file("Consultation Topic", str(path), "Insert", console=True)
	name = frappe.db.get_value("Consultation Topic", {"title": title}, "name")
	try:
		assert name, json.dumps(frappe.get_all("Data Import Log", fields=["messages"], limit=3))
		description = frappe.db.get_value("Consultation Topic", name, "description")
		assert "路灯" in description
		assert "onerror" not in description and "<script" not in description
	finally:
		if name:
			frappe.delete_doc("Consultation Topic", name, force=True, ignore_permissions=True)
			frappe.db.commit()
