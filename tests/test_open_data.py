"""Open data: a unit's public outcomes and progress as CSV and JSON, and its upcoming public sessions as
iCalendar, at stable guest URLs — exactly what the public pages show, nothing more."""

import csv
import io
import json

import frappe
import pytest
from frappe.utils import add_days, now_datetime, nowdate

from community_consultation.portal import open_data
from community_consultation.tests.factory import (
	make_outcome,
	make_people,
	make_session,
	make_topic,
	make_unit_tree,
	session_values,
)

PHONE = "13912345678"


@pytest.fixture
def village():
	units = make_unit_tree("开放")
	people = make_people(units.village_a)
	frappe.db.set_value("Stakeholder", people[0], "mobile_no", PHONE)
	public = make_outcome(
		make_session(make_topic(units.village_a, stakeholders=people, title="修缮村道路灯"), people),
		progress=[{"percent_complete": 40, "note": "已更换十盏路灯"}],
	)
	unpublished = make_outcome(
		make_session(make_topic(units.village_a, stakeholders=people, title="尚未公示的议题"), people),
		publicise=False,
	)
	other = make_outcome(
		make_session(make_topic(units.village_b, title="乙村的议题"), make_people(units.village_b)),
	)
	upcoming = frappe.get_doc(
		session_values(
			make_topic(units.village_a, stakeholders=people, title="村口停车场规划"),
			people,
			starts_on=add_days(now_datetime(), 5),
			notice_published_on=now_datetime(),
			venue="甲村党群服务中心",
		)
	).insert()
	unannounced = frappe.get_doc(
		session_values(
			make_topic(units.village_a, stakeholders=people, title="未发通知的会议"),
			people,
			starts_on=add_days(now_datetime(), 7),
			notice_published_on=None,
		)
	).insert()
	return frappe._dict(
		units=units,
		public=public,
		unpublished=unpublished,
		other=other,
		upcoming=upcoming,
		unannounced=unannounced,
	)


def call(method: str, unit: str):
	frappe.set_user("Guest")
	try:
		frappe.local.response = frappe._dict()
		getattr(open_data, method)(unit)
		response = frappe.local.response
		assert response.type == "download" and response.display_content_as == "inline"
		return response.content_type, response.filecontent.decode("utf-8")
	finally:
		frappe.set_user("Administrator")


def test_outcomes_csv_has_the_documented_columns_and_only_public_outcomes(village):
	content_type, body = call("outcomes_csv", village.units.village_a)
	assert content_type.startswith("text/csv")
	assert body.startswith("\ufeff")
	rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
	assert tuple(rows[0].keys()) == open_data.OUTCOME_COLUMNS
	assert [row["outcome"] for row in rows] == [village.public.name]
	row = rows[0]
	assert row["topic_title"] == "修缮村道路灯" and row["percent_complete"] == "40"
	assert row["latest_progress_note"] == "已更换十盏路灯" and row["publicity_from"] == nowdate()
	assert row["url"].endswith("#" + village.public.name)
	assert PHONE not in body and village.other.name not in body


def test_outcomes_json_carries_progress_and_nothing_private(village):
	content_type, body = call("outcomes_json", village.units.village_a)
	assert content_type.startswith("application/json")
	data = json.loads(body)
	assert data["columns"] == list(open_data.OUTCOME_COLUMNS)
	(outcome,) = data["outcomes"]
	assert outcome["outcome"] == village.public.name
	assert outcome["progress"] == [{"update_on": nowdate(), "percent_complete": 40, "note": "已更换十盏路灯"}]
	assert PHONE not in body and village.unpublished.name not in body


def test_sessions_ics_lists_announced_upcoming_sessions_only(village):
	content_type, body = call("sessions_ics", village.units.village_a)
	assert content_type.startswith("text/calendar")
	assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
	unfolded = body.replace("\r\n ", "")
	assert unfolded.count("BEGIN:VEVENT") == 1
	assert f"UID:{village.upcoming.name}@" in unfolded
	assert "SUMMARY:协商：村口停车场规划" in unfolded or "村口停车场规划" in unfolded
	assert "LOCATION:甲村党群服务中心" in unfolded
	assert village.unannounced.name not in unfolded
	assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_open_data_of_an_unknown_unit_is_refused():
	with pytest.raises(frappe.DoesNotExistError):
		call("outcomes_csv", "没有这个单位")


def test_the_unit_page_lists_the_upcoming_session_and_links_the_open_data(village):
	from test_public_outcome_pages import render

	status, html = render(f"/consultation/{village.units.village_a}")
	assert status == 200
	assert f'id="{village.upcoming.name}"' in html and "村口停车场规划" in html
	assert "未发通知的会议" not in html
	assert "open_data.outcomes_csv" in html and "open_data.sessions_ics" in html
