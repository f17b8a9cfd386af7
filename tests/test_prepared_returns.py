"""The county's and the city's annual return as a Prepared Report (long queue); townships and villages
live; a prepared result only ever shown to users of the unit scope it was prepared for.

The background job is run here in-process as its owner (what the RQ worker does), without Frappe's
`generate_report`, whose `update_job_id` commits."""

import json

import frappe
import pytest
from frappe.core.doctype.prepared_report.prepared_report import (
	create_json_gz_file,
	download_attachment,
	make_prepared_report,
)
from frappe.desk.query_report import generate_report_result
from frappe.utils import getdate, nowdate

from community_consultation.overrides import prepared_returns
from community_consultation.reporting.by_county import return_rows
from community_consultation.reporting.figures import get_return_rows
from community_consultation.tests.factory import make_people, make_topic, make_unit_tree
from community_consultation.tests.users import as_user, make_user

REPORT = "Consultation Annual Return Figures"


@pytest.fixture
def counties():
	a = make_unit_tree("备甲")
	b = make_unit_tree("备乙")
	make_topic(a.village_a, stakeholders=make_people(a.village_a, 2), title="甲县路灯维修")
	make_topic(a.village_a, stakeholders=make_people(a.village_a, 2, "甲二"), title="甲县文化室")
	make_topic(b.village_a, stakeholders=make_people(b.village_a, 2), title="乙县垃圾清运")
	officer_a = make_user("county-a-officer@example.com", ["Township Officer"], [a.county])
	officer_b = make_user("county-b-officer@example.com", ["Township Officer"], [b.county])
	township_a = make_user("township-a-officer@example.com", ["Township Officer"], [a.township])
	return frappe._dict(a=a, b=b, officer_a=officer_a, officer_b=officer_b, township_a=township_a)


def year_filters(**extra) -> dict:
	return {"year": str(getdate(nowdate()).year), **extra}


def through_api(**kwargs):
	"""`/api/method/frappe.desk.query_report.run` as the desk calls it (hooks' override applies)."""
	import frappe.handler
	from test_permissions import request

	with request("GET", cmd="frappe.desk.query_report.run", **kwargs):
		return frappe.handler.execute_cmd("frappe.desk.query_report.run")


def prepare(user: str, filters: dict) -> str:
	"""What the desk's "Generate New Report" and the long-queue worker do, as `user`."""
	with as_user(user):
		name = make_prepared_report(REPORT, json.dumps(filters))["name"]
		doc = frappe.get_doc("Prepared Report", name)
		report = frappe.get_doc("Report", REPORT)
		report.custom_columns = []  # as Frappe's generate_report
		result = generate_report_result(report=report, filters=doc.filters, user=doc.owner)
		create_json_gz_file(result, doc.doctype, doc.name, doc.report_name)
		doc.db_set("status", "Completed")
	return name


def topics_of(result: dict) -> dict:
	return {r.get("county") or r.get("unit"): r.get("topics") for r in result.get("result") or []}


def test_county_return_is_prepared_township_and_village_live(counties):
	with as_user(counties.officer_a):
		county = through_api(report_name=REPORT, filters=json.dumps(year_filters()))
		village = through_api(
			report_name=REPORT, filters=json.dumps(year_filters(community_unit=counties.a.village_a))
		)
	assert county["prepared_report"] is True
	assert county["doc"] is None  # nothing prepared yet: the desk offers "Generate New Report"
	assert "prepared_report" not in village
	assert village["result"][0]["topics"] == 2
	with as_user(counties.township_a):
		township = through_api(report_name=REPORT, filters=json.dumps(year_filters()))
	assert "prepared_report" not in township
	assert township["result"][0]["topics"] == 2


def test_prepared_report_is_stamped_with_the_owner_scope(counties):
	with as_user(counties.officer_a):
		name = make_prepared_report(REPORT, json.dumps(year_filters(unit_scope="*")))["name"]
	doc = frappe.get_doc("Prepared Report", name)
	# the scope comes from the server, whatever the client sent
	assert json.loads(doc.filters)["unit_scope"] == counties.a.county
	assert doc.status == "Queued"


def test_officer_sees_their_county_prepared_figures(counties):
	name = prepare(counties.officer_a, year_filters())
	with as_user(counties.officer_a):
		latest = through_api(report_name=REPORT, filters=json.dumps(year_filters()))
		named = through_api(report_name=REPORT, filters=json.dumps(year_filters(prepared_report_name=name)))
	assert latest["doc"].name == name
	assert named["doc"].name == name
	rows = {r["county"]: r["topics"] for r in latest["result"] if r["row_type"] == "county"}
	assert rows == {counties.a.county: 2}


def test_officer_of_county_b_never_sees_county_a_prepared_figures(counties):
	name = prepare(counties.officer_a, year_filters())
	doc = frappe.get_doc("Prepared Report", name)
	# B may read Prepared Reports at all (Frappe's role), so that the app's own rules are what refuses
	make_user(counties.officer_b, ["Township Officer", "Prepared Report User"], [counties.b.county])
	with as_user(counties.officer_b):
		# the same filters: B's lookup is keyed by B's scope, so A's result is not found
		mine = through_api(report_name=REPORT, filters=json.dumps(year_filters()))
		assert mine["doc"] is None and not mine.get("result")
		# Frappe's `run` would take another user's name from the client: ignored
		theirs = through_api(report_name=REPORT, filters=json.dumps(year_filters()), user=counties.officer_a)
		assert theirs["doc"] is None and not theirs.get("result")
		# A's result by its name
		with pytest.raises(frappe.PermissionError):
			through_api(report_name=REPORT, filters=json.dumps(year_filters(prepared_report_name=name)))
		frappe.clear_messages()
		assert not frappe.has_permission("Prepared Report", "read", doc)
		with pytest.raises(frappe.ValidationError):
			download_attachment(name)
		frappe.clear_messages()
		file = frappe.get_all(
			"File", filters={"attached_to_doctype": "Prepared Report", "attached_to_name": name}
		)
		assert file and not frappe.has_permission("File", "read", file[0].name)
		assert prepared_returns.has_permission(doc, "read", counties.officer_b) is False
		assert name not in frappe.get_list("Prepared Report", filters={"report_name": REPORT}, pluck="name")
	assert prepared_returns.has_permission(doc, "read", counties.officer_a) is None  # Frappe's rule


def test_prepared_result_hidden_once_the_owner_scope_changed(counties):
	"""Shown only to users whose scope is the one it was prepared for: the officer moved to county B
	no longer sees county A's result, and the queued job refuses to compute for the old scope."""
	name = prepare(counties.officer_a, year_filters())
	stamped = frappe.get_doc("Prepared Report", name).filters
	make_user(counties.officer_a, ["Township Officer"], [counties.b.county])
	with as_user(counties.officer_a):
		latest = through_api(report_name=REPORT, filters=json.dumps(year_filters()))
		assert latest["doc"] is None
		report = frappe.get_doc("Report", REPORT)
		report.custom_columns = []
		with pytest.raises(frappe.PermissionError):
			generate_report_result(report=report, filters=stamped)
	frappe.clear_messages()


def test_city_return_county_by_county_equals_the_single_query(counties):
	year = getdate(nowdate()).year
	from_date, to_date = getdate(f"{year}-01-01"), getdate(f"{year}-12-31")
	single, categories, forms = get_return_rows(from_date, to_date)
	by_county, categories_2, forms_2 = return_rows(from_date, to_date, by_county=True)
	assert (categories, forms) == (categories_2, forms_2)
	assert len(by_county) == len(single)
	for mine, theirs in zip(by_county, single, strict=True):
		assert {k: v for k, v in mine.items() if v != theirs.get(k)} == {}, theirs


def long_queue_jobs_of(name: str) -> list:
	"""The RQ jobs of the long queue (waiting) that prepare the Prepared Report `name`."""
	from frappe.utils.background_jobs import get_queue

	return [
		j for j in get_queue("long").jobs if (j.kwargs.get("kwargs") or {}).get("prepared_report") == name
	]


def test_a_prepared_return_whose_job_is_gone_is_marked_failed():
	"""A worker that dies mid-job leaves its Prepared Report "Queued" (or "Started") with no job left:
	the scheduler's check marks it "Error", so the desk offers to generate it again. A report whose job
	waits in the long queue (or runs, or has finished) and one asked for a moment ago are left alone.

	Committed (the job is enqueued when the insert commits, as in the desk) and removed at the end."""
	from frappe.core.doctype.prepared_report.prepared_report import get_reports_in_queued_state

	filters = {"year": "1999"}  # a year without records: quick, should a worker take the job
	names = []
	try:
		lost, waiting, recent = (make_prepared_report(REPORT, json.dumps(filters))["name"] for _i in range(3))
		names += [lost, waiting, recent]
		frappe.db.commit()  # each job is enqueued on the long queue now
		for job in long_queue_jobs_of(lost):
			job.delete()  # what is left of a job whose worker died: nothing in the queue or in a worker
		long_ago = frappe.utils.add_to_date(frappe.utils.now_datetime(), minutes=-5)
		for name in (lost, waiting):
			frappe.db.set_value("Prepared Report", name, "creation", long_ago, update_modified=False)

		failed = prepared_returns.fail_orphaned_prepared_reports()
		assert lost in failed and waiting not in failed and recent not in failed
		doc = frappe.get_doc("Prepared Report", lost)
		assert doc.status == "Error"
		assert "Generate the report again" in doc.error_message
		# the desk no longer shows it as being generated
		queued = {
			r.name for r in get_reports_in_queued_state(REPORT, json.dumps({**filters, "unit_scope": "*"}))
		}
		assert lost not in queued and recent in queued
		# waiting in the queue (or taken by a worker meanwhile: then running or done)
		assert frappe.db.get_value("Prepared Report", waiting, "status") != "Error"
		assert frappe.db.get_value("Prepared Report", recent, "status") == "Queued"

		# once its job is gone too, the one asked for a moment ago still waits out the grace period
		for job in long_queue_jobs_of(recent):
			job.delete()
		failed = prepared_returns.fail_orphaned_prepared_reports()
		assert waiting not in failed and recent not in failed
		assert frappe.db.get_value("Prepared Report", recent, "status") == "Queued"
	finally:
		frappe.db.rollback()
		for name in names:
			for job in long_queue_jobs_of(name):
				job.delete()
			frappe.delete_doc("Prepared Report", name, ignore_permissions=True, force=True)
		frappe.db.commit()


def export(**form) -> str:
	"""A report's Export (`/api/method/frappe.desk.query_report.export_query`, as the desk posts it): the
	CSV it sends, or "" when it has no data to export."""
	import frappe.handler
	from test_permissions import request

	with request("POST", cmd="frappe.desk.query_report.export_query", **form):
		frappe.handler.execute_cmd("frappe.desk.query_report.export_query")
		content = frappe.local.response.get("filecontent")
	return content.decode("utf-8-sig") if isinstance(content, bytes) else (content or "")


def test_an_export_of_a_county_return_is_the_prepared_result_of_the_users_own_units(counties):
	from frappe.desk import query_report

	frappe_run = query_report.run
	prepare(counties.officer_a, year_filters())
	form = dict(
		report_name=REPORT, file_format_type="CSV", filters=json.dumps(year_filters()), visible_idx="[]"
	)
	with as_user(counties.officer_a):
		mine = export(**form)
	assert counties.a.county in mine and counties.b.county not in mine
	# B's export of the same filters finds no result prepared for B's units, and never A's
	make_user(counties.officer_b, ["Township Officer", "Prepared Report User"], [counties.b.county])
	with as_user(counties.officer_b):
		assert counties.a.county not in export(**form)
	frappe.clear_messages()
	assert query_report.run is frappe_run
