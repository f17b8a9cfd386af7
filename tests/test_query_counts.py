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
	make_unit_tree,
	session_values,
)
from community_consultation.tests.users import as_user, make_user

PER_ROW = 1


def count_queries(fn) -> int:
	queries = []
	orig_sql = frappe.db.__class__.sql

	def sql(db, *args, **kwargs):
		queries.append(args[0] if args else kwargs.get("query"))
		return orig_sql(db, *args, **kwargs)

	frappe.db.__class__.sql = sql
	try:
		fn()
	finally:
		frappe.db.__class__.sql = orig_sql
	return len(queries)


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
