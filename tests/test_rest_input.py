"""Malformed input as the REST API hands it over (`frappe.client.insert` / `save`, as
/api/resource and /api/method/frappe.client.* do): a clear error, nothing half-written."""

import frappe
import pytest
from frappe.utils import add_days, now_datetime

from community_consultation.tests.factory import (
	held_values,
	make_people,
	make_topic,
	make_unit_tree,
	session_values,
)

TABLES = ("Consultation Session", "Consultation Participant", "Session Notice Channel", "Consultation Topic")


def counts():
	return {t: frappe.db.count(t) for t in TABLES}


@pytest.fixture(scope="module")
def case(module_records):
	"""An accepted topic and the fields of a valid session of it: made once, read by every test."""
	units = make_unit_tree("接口")
	people = make_people(units.village_a)
	topic = make_topic(units.village_a, stakeholders=people)
	values = session_values(topic, people)
	values.update(held_values())
	values["starts_on"] = str(values["starts_on"])
	values["notice_published_on"] = str(values["notice_published_on"])
	for p in values["participants"]:
		p["notified_on"] = str(p["notified_on"])
	return frappe._dict(units=units, people=people, topic=topic, fields=values)


@pytest.mark.parametrize(
	"change, message",
	[
		({"votes_for": "many"}, "Votes For"),
		({"round_no": 1.5}, "Round"),
		({"starts_on": "next tuesday-ish"}, "Starts On"),
		({"votes_against": -2}, "negative"),
		({"ends_on": "2000-01-01 10:00:00"}, "end before"),
		({"consultation_form": "不存在的形式"}, "不存在的形式"),
		({"topic": "TOP-NOPE-1"}, "TOP-NOPE-1"),
		({"minutes": "长" * 70000}, "Minutes"),
		({"venue": "长" * 300}, "Venue"),
	],
)
def test_malformed_session_refused_and_nothing_written(case, change, message):
	before = counts()
	values = {**case.fields, **change}
	with pytest.raises(frappe.ValidationError) as err:
		frappe.client.insert(values)
	assert message in str(err.value) or message in "".join(
		frappe.get_message_log() and [m.get("message", "") for m in frappe.get_message_log()]
	)
	assert counts() == before


def test_malformed_child_row_refused(case):
	before = counts()
	values = dict(case.fields)
	values["participants"] = [dict(p) for p in values["participants"]]
	values["participants"][2]["attended"] = "yes please"
	with pytest.raises(frappe.ValidationError, match="Attended"):
		frappe.client.insert(values)
	values["participants"][2]["attended"] = 1
	values["participants"][3]["stakeholder"] = "STK-UNKNOWN"
	with pytest.raises(frappe.ValidationError, match="STK-UNKNOWN"):
		frappe.client.insert(values)
	assert counts() == before


def test_malformed_topic_refused(case):
	before = counts()
	bad = [
		{"community_unit": "无此村"},
		{"category": "无此类别"},
		{"party_consent_on": "31/31/2026"},
		{"title": "长" * 500},
	]
	for change in bad:
		values = {
			"doctype": "Consultation Topic",
			"title": "测试议题",
			"description": "说明",
			"category": "社区服务、美丽乡村、基础设施、卫生环境、物业管理等公共事务",
			"community_unit": case.units.village_a,
			"source_channel": "Online Submission",
			**change,
		}
		with pytest.raises(frappe.ValidationError):
			frappe.client.insert(values)
	assert counts() == before


def test_outcome_dates_out_of_order_refused(case):
	session = frappe.get_doc(case.fields).insert()
	session.submit()
	values = {
		"doctype": "Consultation Outcome",
		"session": session.name,
		"decision": "决定",
		"implementer_type": "Village",
		"implementer": "村委会",
		"implementation_deadline": "not a date",
		"filed_with_party_on": str(add_days(now_datetime(), -1).date()),
		"filed_with_committee_on": str(add_days(now_datetime(), -1).date()),
	}
	with pytest.raises(frappe.ValidationError, match="Implementation Deadline"):
		frappe.client.insert(values)
	values["implementation_deadline"] = "2030-01-01"
	values["publicity_from"] = "2030-02-01"
	values["publicity_to"] = "2030-01-01"
	with pytest.raises(frappe.ValidationError, match="Publicity"):
		frappe.client.insert(values)
	values["filed_with_party_on"] = str(add_days(now_datetime(), 3).date())
	values.pop("publicity_from"), values.pop("publicity_to")
	with pytest.raises(frappe.ValidationError, match="future"):
		frappe.client.insert(values)
	assert not frappe.db.exists("Consultation Outcome", {"session": session.name})


def test_valid_session_through_the_client_is_saved(case):
	doc = frappe.client.insert(case.fields)
	assert doc["round_no"] == 1
	assert doc["attendees"] == 4
