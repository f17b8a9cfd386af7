"""The desk calendar of consultation sessions: events by starts_on, as the user may read them."""

import json

import frappe
import pytest
from frappe.utils import add_days, add_to_date, get_datetime, getdate, now_datetime, nowdate

from community_consultation.portal.session_calendar import DEFAULT_SESSION_HOURS, get_events
from community_consultation.tests.factory import make_people, make_session, make_topic
from community_consultation.tests.township_factory import make_plan
from community_consultation.tests.users import as_user


@pytest.fixture(scope="module")
def units(module_records):
	"""The unit tree of tests/conftest.py, made once for the module (with the sessions below)."""
	from community_consultation.tests.factory import make_unit_tree

	return make_unit_tree()


@pytest.fixture(scope="module")
def sessions(units):
	people_a = make_people(units.village_a)
	people_b = make_people(units.village_b, prefix="乙村民")
	return frappe._dict(
		a=make_session(make_topic(units.village_a, stakeholders=people_a, title="甲村路灯"), people_a),
		b=make_session(make_topic(units.village_b, stakeholders=people_b, title="乙村水渠"), people_b),
		a_later=make_session(
			make_topic(units.village_a, stakeholders=people_a, title="甲村下月的议题"),
			people_a,
			conclude=False,
			starts_on=add_days(now_datetime(), 40),
		),
	)


def window(days_before: int = 7, days_after: int = 7) -> tuple[str, str]:
	now = now_datetime()
	return str(add_days(now, -days_before)), str(add_days(now, days_after))


def test_calendar_shows_sessions_by_start_within_the_window(sessions):
	events = {e.name: e for e in get_events(*window())}
	assert sessions.a.name in events and sessions.b.name in events
	assert sessions.a_later.name not in events
	event = events[sessions.a.name]
	assert event.topic_title == "甲村路灯"
	assert get_datetime(event.starts_on) == get_datetime(sessions.a.starts_on)
	# a session without an end time is shown for DEFAULT_SESSION_HOURS
	assert get_datetime(event.ends_on) == add_to_date(
		get_datetime(sessions.a.starts_on), hours=DEFAULT_SESSION_HOURS
	)
	assert sessions.a_later.name in {e.name for e in get_events(*window(0, 60))}


def test_calendar_applies_the_list_filters(sessions, units):
	filters = json.dumps([["Consultation Session", "community_unit", "=", units.village_b]])
	assert [e.name for e in get_events(*window(), filters=filters)] == [sessions.b.name]


def test_calendar_respects_unit_permissions(sessions, user_in):
	clerk = user_in("village_a", "Committee Clerk")
	with as_user(clerk):
		names = {e.name for e in get_events(*window())}
	assert sessions.a.name in names
	assert sessions.b.name not in names


def test_calendar_refuses_users_without_read_permission(sessions):
	resident = frappe.get_doc(
		{
			"doctype": "User",
			"email": "calendar-resident@example.com",
			"first_name": "居民",
			"send_welcome_email": 0,
		}
	)
	resident.append("roles", {"role": "Resident"})
	resident.insert(ignore_permissions=True)
	with as_user(resident.name), pytest.raises(frappe.PermissionError):
		get_events(*window())


# ---------------------------------------------------------------------------------------- planned dates


def plan_days(unit: str, days: list) -> list[str]:
	"""Consultation plans of `unit` with exactly the planned `days` (one plan per year they fall in)."""
	years = {}
	for day in days:
		years.setdefault(getdate(day).year, []).append(getdate(day))
	return [
		make_plan(
			unit,
			year=year,
			monthly_day=0,
			dates=[{"planned_on": d, "meeting": "议事日"} for d in sorted(dates)],
		).name
		for year, dates in years.items()
	]


@pytest.fixture(scope="module")
def plans(sessions, units):
	held_on = getdate(sessions.a.starts_on)
	coming = getdate(add_days(nowdate(), 2))
	return frappe._dict(
		held_on=held_on,
		coming=coming,
		a=plan_days(units.village_a, [held_on, coming]),
		b=plan_days(units.village_b, [coming]),
	)


def planned(events) -> list:
	return [e for e in events if e.get("planned")]


def test_planned_dates_show_beside_the_sessions_marked_planned_and_kept(plans, sessions, user_in):
	clerk = user_in("village_a", "Committee Clerk")
	with as_user(clerk):
		events = get_events(*window())
	assert sessions.a.name in {e.name for e in events if not e.get("planned")}
	dates = {getdate(e["starts_on"]): e for e in planned(events)}
	# the clerk's village only
	assert set(dates) == {plans.held_on, plans.coming}
	assert {e["community_unit"] for e in dates.values()} == {sessions.a.community_unit}
	for event in dates.values():
		assert event["doctype"] == "Consultation Plan" and event["name"] in plans.a
		assert event["allDay"] and event["starts_on"] == event["ends_on"]
	# kept: a session of the village was concluded that day
	assert dates[plans.held_on]["kept"] and dates[plans.held_on]["status"] == "Kept"
	assert not dates[plans.coming]["kept"] and dates[plans.coming]["status"] == "Planned"
	assert "议事日" in dates[plans.coming]["topic_title"]


def test_planned_dates_follow_the_calendars_filters(plans, units):
	by_unit = json.dumps([["Consultation Session", "community_unit", "=", units.village_b, False]])
	events = planned(get_events(*window(), filters=by_unit))
	assert [e["name"] for e in events] == plans.b
	by_status = json.dumps([["Consultation Session", "status", "=", "Concluded"]])
	assert planned(get_events(*window(), filters=by_status)) == []


def test_planned_dates_only_for_users_who_read_the_plans(plans, user_in):
	head = user_in("building", "Building Head")
	with as_user(head):
		assert planned(get_events(*window())) == []
