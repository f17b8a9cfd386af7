"""Queries per save stay constant apart from the child rows (performance).

A session with n participants costs a fixed number of queries plus one per participant (its row's
INSERT or UPDATE) when saved and when concluded: the rows' links and units are checked in a constant
number of queries (`overrides/child_links.py`, `permissions.validate_linked_stakeholders`). benchmarks/run.py
reports the same figures on city-scale data."""

import frappe
import pytest

from community_consultation.tests.factory import (
	held_values,
	make_people,
	make_topic,
	make_unit,
	make_unit_tree,
	session_values,
)
from community_consultation.tests.users import as_user, make_user

PER_ROW = 1


def captured_queries(fn) -> list[tuple[str, object]]:
	"""The SQL statements `fn` sends, each with its values."""
	queries = []
	orig_sql = frappe.db.__class__.sql

	def sql(db, *args, **kwargs):
		query = args[0] if args else kwargs.get("query")
		queries.append((query, args[1] if len(args) > 1 else kwargs.get("values", ())))
		return orig_sql(db, *args, **kwargs)

	frappe.db.__class__.sql = sql
	try:
		fn()
	finally:
		frappe.db.__class__.sql = orig_sql
	return queries


def count_queries(fn) -> int:
	return len(captured_queries(fn))


@pytest.fixture
def people():
	units = make_unit_tree("查询计数")
	return units.village_a, make_people(units.village_a, 30, "计数居民")


def save_and_conclude(village: str, people: list[str], user: str | None = None) -> tuple[int, int]:
	topic = make_topic(village, stakeholders=people[:2], title="查询计数议题")
	if user:
		with as_user(user):
			return save_and_conclude_as_user(topic, people)
	return save_and_conclude_as_user(topic, people)


def save_and_conclude_as_user(topic, people: list[str]) -> tuple[int, int]:
	values = session_values(topic, people)
	values.update(held_values("Consensus", attendees=len(people)))
	doc = frappe.get_doc(values)
	return count_queries(doc.insert), count_queries(doc.submit)


def test_session_queries_grow_only_with_the_participant_rows(people):
	village, stakeholders = people
	save_and_conclude(village, stakeholders[:3])  # warm the caches (meta, settings, workflow)
	insert_10, submit_10 = save_and_conclude(village, stakeholders[:10])
	insert_30, submit_30 = save_and_conclude(village, stakeholders[:30])
	assert insert_30 - insert_10 <= PER_ROW * 20, (insert_10, insert_30)
	assert submit_30 - submit_10 <= PER_ROW * 20, (submit_10, submit_30)
	# and the same again: nothing else grows from one save to the next
	insert_10_again, submit_10_again = save_and_conclude(village, stakeholders[10:20])
	assert (insert_10_again, submit_10_again) == (insert_10, submit_10)


def test_a_village_clerks_session_checks_its_participants_units_in_constant_queries(people):
	"""The clerk is limited to the village: each participant's unit is checked, all in one query."""
	village, stakeholders = people
	clerk = make_user("query-count-clerk@example.com", ("Community Secretary",), [village])
	save_and_conclude(village, stakeholders[:3], clerk)
	insert_10, submit_10 = save_and_conclude(village, stakeholders[:10], clerk)
	insert_30, submit_30 = save_and_conclude(village, stakeholders[:30], clerk)
	assert insert_30 - insert_10 <= PER_ROW * 20, (insert_10, insert_30)
	assert submit_30 - submit_10 <= PER_ROW * 20, (submit_10, submit_30)


def test_township_overview_queries_do_not_grow_with_the_villages():
	"""Township Overview: each figure is one query grouped by village over all the officer's villages
	(no sub-query run once per village), so a city's overview costs what a township's does."""
	from community_consultation.township.report.township_overview.township_overview import execute

	units = make_unit_tree("概况计数")
	officer = make_user("overview-count-officer@example.com", ("Township Officer",), [units.township])
	for village in (units.village_a, units.village_b):
		make_topic(village, stakeholders=make_people(village, 2, "概况居民"), title="概况计数议题")

	def overview():
		with as_user(officer):
			return execute({})

	overview()  # warm the caches (meta, settings, the user's units)
	two_villages = captured_queries(overview)
	for i in range(4):
		make_unit(f"概况计数新村{i}", "Village", units.township)
	six_villages = captured_queries(overview)
	assert len(overview()[1]) == 6
	assert len(six_villages) == len(two_villages), (len(two_villages), len(six_villages))
	for query, values in six_villages:
		if not query.lstrip().lower().startswith("select"):
			continue
		plan = frappe.db.sql(f"explain {query}", values, as_dict=True)
		per_row = [p for p in plan if "DEPENDENT" in (p.select_type or "").upper()]
		assert not per_row, (query, per_row)
