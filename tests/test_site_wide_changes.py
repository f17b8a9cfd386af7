"""A good neighbour on a shared site (docs/site-wide-changes.md): what the app changes in Frappe's own
behaviour acts on its own DocTypes, pages and roles; a user, DocType or chart of another app gets
Frappe's answer. The one deliberate site-wide change, guests' pages in the browser's language, has a
switch in Consultation Settings."""

import json
from contextlib import contextmanager

import frappe
import pytest
from frappe.core.api.file import get_max_file_size
from frappe.desk import desktop
from frappe.desk.doctype.dashboard_chart import dashboard_chart
from frappe.desk.form import linked_with

from community_consultation.overrides.desk_endpoints import get_dashboard_chart, get_submitted_linked_docs
from community_consultation.overrides.workspaces import (
	FRAPPE_WORKSPACES,
	boot_session,
	get_workspace_sidebar_items,
)
from community_consultation.procedure.online_proposals import max_attachment_mb
from community_consultation.setup.desk import ROLES_ONCE_GIVEN, unrestrict_frappe_workspaces
from community_consultation.tests.factory import make_topic
from community_consultation.tests.http import Client
from community_consultation.tests.users import as_user, make_user

MB = 1024 * 1024
# more than the app's limit for residents, less than Frappe's own (System Settings, 25 MB by default)
TWELVE_MB = 12 * MB


def upload(name: str, size: int):
	content = b"%PDF-1.4\n" + b"1" * (size - 9)
	return frappe.get_doc({"doctype": "File", "file_name": name, "is_private": 1, "content": content}).insert(
		ignore_permissions=True
	)


@contextmanager
def upload_request_for(doctype: str | None):
	"""The request's `doctype`, as `upload_file` receives it from a form (what the file is attached to)."""
	saved = frappe.local.form_dict
	frappe.local.form_dict = frappe._dict(doctype=doctype) if doctype else frappe._dict()
	try:
		yield
	finally:
		frappe.local.form_dict = saved


# ----------------------------------------------------------------------------------------- uploads


def test_a_website_user_of_another_app_uploads_what_frappe_allows():
	assert max_attachment_mb() * MB < TWELVE_MB <= get_max_file_size()
	member = make_user("shop-member@example.com", first_name="会员")
	assert frappe.db.get_value("User", member, "user_type") == "Website User"
	with as_user(member), upload_request_for("ToDo"):
		stored = upload("shop-invoice.pdf", TWELVE_MB)
	assert stored.file_size == TWELVE_MB
	stored.delete(ignore_permissions=True)


def test_a_resident_and_an_upload_to_the_apps_doctypes_are_held_to_the_apps_limit():
	resident = make_user("resident-upload@example.com", ["Resident"], first_name="刘海")
	member = make_user("shop-member@example.com", first_name="会员")
	for user, doctype in ((resident, None), (member, "Consultation Topic"), ("Guest", "Consultation Topic")):
		with as_user(user), upload_request_for(doctype), pytest.raises(frappe.ValidationError) as refused:
			upload("大附件.pdf", TWELVE_MB)
		assert f"{max_attachment_mb():g} MB" in str(refused.value), user
	assert not frappe.db.exists("File", {"file_name": ("like", "大附件%")})


# -------------------------------------------------------------------------------------- workspaces


def sidebar(user: str) -> set[str]:
	with as_user(user):
		return {page["name"] for page in get_workspace_sidebar_items()["pages"]}


def frappes_sidebar(user: str) -> set[str]:
	with as_user(user):
		return {page["name"] for page in desktop.get_workspace_sidebar_items()["pages"]}


def test_frappes_workspaces_keep_no_roles_of_the_app():
	rows = frappe.get_all("Has Role", {"parenttype": "Workspace", "parent": ("in", list(FRAPPE_WORKSPACES))})
	assert rows == []


def test_a_user_of_another_app_sees_frappes_workspaces(units):
	blogger = make_user("blogger@example.com", ["Blogger"])
	with_both = make_user(
		"secretary-and-blogger@example.com", ["Community Secretary", "Blogger"], [units.village_a]
	)
	for user in (blogger, with_both, "Administrator"):
		assert sidebar(user) == frappes_sidebar(user), user
		assert set(FRAPPE_WORKSPACES) <= sidebar(user), user


def test_a_user_of_the_apps_roles_only_sees_the_apps_workspace(units):
	secretary = make_user("secretary-only@example.com", ["Community Secretary"], [units.village_a])
	administrator = make_user("consultation-admin@example.com", ["Consultation Administrator"])
	assert set(FRAPPE_WORKSPACES) <= frappes_sidebar(secretary)
	assert not sidebar(secretary) & set(FRAPPE_WORKSPACES)
	assert "Community Consultation" in sidebar(secretary)
	assert sidebar(administrator) & set(FRAPPE_WORKSPACES) == {"Users", "Build"}
	# the boot's list, which the awesomebar and the breadcrumbs read, agrees with the sidebar
	with as_user(secretary):
		bootinfo = frappe._dict(allowed_workspaces=desktop.get_workspace_sidebar_items()["pages"])
		boot_session(bootinfo)
	assert {page["name"] for page in bootinfo.allowed_workspaces} == sidebar(secretary)


def test_the_roles_the_app_once_gave_frappes_workspaces_are_taken_off_and_an_administrators_kept():
	def give(workspace, roles):
		for idx, role in enumerate(roles, start=1):
			frappe.get_doc(
				{
					"doctype": "Has Role",
					"parenttype": "Workspace",
					"parentfield": "roles",
					"parent": workspace,
					"role": role,
					"idx": idx,
				}
			).db_insert()

	give("Website", ROLES_ONCE_GIVEN["Website"])
	give("Users", ROLES_ONCE_GIVEN["Users"])
	give("Tools", ("Blogger",))  # an administrator's own choice
	unrestrict_frappe_workspaces()
	roles = frappe.get_all(
		"Has Role", {"parenttype": "Workspace", "parent": ("in", list(FRAPPE_WORKSPACES))}, pluck="role"
	)
	assert roles == ["Blogger"]


# ------------------------------------------------------------------------------------------ charts


def test_a_chart_of_another_app_keeps_last_synced():
	chart = frappe.get_doc(
		{
			"doctype": "Dashboard Chart",
			"chart_name": "待办按状态(其他应用)",
			"chart_type": "Group By",
			"document_type": "ToDo",
			"group_by_type": "Count",
			"group_by_based_on": "status",
			"type": "Donut",
			"filters_json": "[]",
			"is_public": 1,
		}
	).insert(ignore_permissions=True)
	frappe.get_doc({"doctype": "ToDo", "description": "其他应用的待办"}).insert(ignore_permissions=True)
	assert not chart.last_synced_on
	answer = get_dashboard_chart(chart_name=chart.name, refresh=1)
	assert frappe.db.get_value("Dashboard Chart", chart.name, "last_synced_on")
	# Frappe's own labels (the values as stored), not translated ones
	frappe.cache.delete_value(f"chart-data:{chart.name}")
	assert answer == dashboard_chart.get(chart_name=chart.name, refresh=1)
	assert "Open" in answer["labels"]


# ------------------------------------------------------------------------------- reports and cards


def test_a_report_and_a_number_card_of_another_app_answer_as_frappe():
	from frappe.desk import query_report
	from frappe.desk.doctype.number_card import number_card

	from community_consultation.overrides import prepared_returns, read_only_endpoints

	frappe.get_doc({"doctype": "ToDo", "description": "其他应用的待办"}).insert(ignore_permissions=True)
	assert frappe.db.get_value("Report", "ToDo", "module") == "Desk"
	ours = prepared_returns.run("ToDo", filters="{}")
	frappes = query_report.run("ToDo", filters="{}")
	ours.pop("execution_time"), frappes.pop("execution_time")
	assert ours["result"] and ours == frappes
	card = frappe.as_json(
		{"doctype": "Number Card", "document_type": "ToDo", "function": "Count", "module": "Desk"}
	)
	filters = json.dumps([["ToDo", "status", "=", "Open"]])
	count = read_only_endpoints.number_card_result(card, filters)
	assert count and count == number_card.get_result(card, filters)
	assert not read_only_endpoints.is_app_card(card)


# -------------------------------------------------------------------------------- linked documents


def test_linked_documents_of_another_apps_record_answer_as_frappe(units):
	clerk = make_user("clerk-linked@example.com", ["Committee Clerk"], [units.village_a])
	log = frappe.get_doc({"doctype": "Error Log", "method": "其他应用", "error": "…"}).insert(
		ignore_permissions=True
	)
	assert not frappe.has_permission("Error Log", "read", log.name, user=clerk)
	with as_user(clerk):
		assert get_submitted_linked_docs("Error Log", log.name) == linked_with.get_submitted_linked_docs(
			"Error Log", log.name
		)
		assert get_submitted_linked_docs("Error Log", log.name) == {"docs": [], "count": 0}


def test_linked_documents_of_a_record_of_the_app_the_user_may_not_read_are_refused(units):
	topic = make_topic(units.village_b)
	clerk = make_user("clerk-linked@example.com", ["Committee Clerk"], [units.village_a])
	with as_user(clerk), pytest.raises(frappe.PermissionError):
		get_submitted_linked_docs("Consultation Topic", topic.name)


# ---------------------------------------------------------------------------------- guest language


@contextmanager
def guest_pages_in_browser_language(on: int):
	saved = frappe.db.get_single_value("Consultation Settings", "guest_pages_in_browser_language")
	frappe.db.set_single_value("Consultation Settings", "guest_pages_in_browser_language", on)
	frappe.db.commit()
	try:
		yield
	finally:
		frappe.db.set_single_value("Consultation Settings", "guest_pages_in_browser_language", saved)
		frappe.db.commit()


def login_page_lang() -> str:
	client = Client()
	client.headers["Accept-Language"] = "zh-CN,zh;q=0.9"
	html = client.get("/login").get_data(as_text=True)
	return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_guests_pages_follow_the_browser_unless_switched_off():
	assert frappe.db.get_single_value("Consultation Settings", "guest_pages_in_browser_language") == 1
	with guest_pages_in_browser_language(1):
		assert login_page_lang().startswith("zh")
	frappe.db.set_single_value("System Settings", "language", "en")
	with guest_pages_in_browser_language(0):
		assert login_page_lang() == "en"


def test_a_site_installed_before_the_switch_keeps_guests_pages_in_the_browsers_language():
	from community_consultation.patches.v0_1 import guest_pages_in_browser_language as patch

	def saved():
		return frappe.db.sql(
			"select value from `tabSingles` where doctype = 'Consultation Settings' and field = %s",
			"guest_pages_in_browser_language",
		)

	# settings saved before the field existed: no value for it
	frappe.db.delete(
		"Singles", {"doctype": "Consultation Settings", "field": "guest_pages_in_browser_language"}
	)
	patch.execute()
	assert saved() == (("1",),)
	# an administrator's choice is kept
	frappe.db.set_single_value("Consultation Settings", "guest_pages_in_browser_language", 0)
	patch.execute()
	assert saved() == (("0",),)
