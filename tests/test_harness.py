"""The harness itself: the suite runs on the test site, and each test's writes and user are undone."""

import os

import frappe
import pytest

from community_consultation.tests.users import as_user, make_user

ROLLED_BACK_UNIT = "回滚测试县"


def test_runs_on_the_test_site_in_test_mode():
	# worker gwN of a parallel run (N > 0) runs on its own copy of the test site
	site = os.environ.get("TEST_SITE") or "test-consultation.localhost"
	worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
	assert frappe.local.site == (site if worker == "gw0" else f"{worker}.{site}")
	assert frappe.flags.in_test
	assert "community_consultation" in frappe.get_installed_apps()
	assert frappe.session.user == "Administrator"


def test_a_test_writes_and_switches_user(units):
	frappe.get_doc(
		{"doctype": "Community Unit", "unit_name": ROLLED_BACK_UNIT, "unit_type": "County"}
	).insert()
	assert frappe.db.exists("Community Unit", ROLLED_BACK_UNIT)
	frappe.set_user("Guest")


def test_the_previous_tests_writes_and_user_are_gone():
	assert not frappe.db.exists("Community Unit", ROLLED_BACK_UNIT)
	assert frappe.session.user == "Administrator"


def test_make_user_limits_a_user_to_their_unit_and_below(units):
	clerk = make_user("harness-clerk@example.com", ["Committee Clerk"], units=[units.village_a])
	assert set(frappe.get_roles(clerk)) >= {"Committee Clerk"}
	with as_user(clerk):
		visible = set(frappe.get_list("Community Unit", pluck="name"))
		assert units.building in visible
		assert not visible & {units.county, units.township, units.village_b}
		assert frappe.has_permission("Community Unit", doc=units.building)
		assert not frappe.has_permission("Community Unit", doc=units.village_b)
	assert frappe.session.user == "Administrator"


def test_make_user_resets_roles_and_units_of_an_existing_user(units):
	make_user("harness-reset@example.com", ["Committee Clerk"], units=[units.village_a])
	user = make_user("harness-reset@example.com", ["Township Officer"], units=[units.township])
	assert "Committee Clerk" not in frappe.get_roles(user)
	perms = frappe.get_all("User Permission", filters={"user": user}, pluck="for_value")
	assert perms == [units.township]


def test_residents_get_no_desk():
	resident = make_user("harness-resident@example.com", ["Resident"])
	assert frappe.db.get_value("User", resident, "user_type") == "Website User"


@pytest.mark.no_site
def test_no_site_marker_is_registered(pytestconfig):
	assert any(line.startswith("no_site") for line in pytestconfig.getini("markers"))
