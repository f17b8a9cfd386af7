"""Each procedure DocType's life-cycle table says the same thing twice: as a fact of the record (Python)
and as a condition on its stored row (SQL, for reports, cards and migrations). Over a world with every
state (community_consultation/tests/report_data.py, plus a draft and a cancelled record), both agree
with each other and with the stored status."""

import frappe
import pytest

from community_consultation.community_consultation.doctype.consultation_outcome.consultation_outcome import (
	LIFE_CYCLE as OUTCOME,
)
from community_consultation.community_consultation.doctype.consultation_session.consultation_session import (
	LIFE_CYCLE as SESSION,
)
from community_consultation.community_consultation.doctype.consultation_topic.consultation_topic import (
	LIFE_CYCLE as TOPIC,
)
from community_consultation.tests import report_data, shared
from community_consultation.tests.factory import make_outcome, make_session, make_topic


@pytest.fixture(scope="module")
def world(module_records):
	"""Built once for the module; every test reads it (the harness rolls each test back to it)."""
	# the report tests' county, committed once for the run (a second build would meet its units)
	data = report_data.load(
		shared.committed("report county", report_data.build_names, prefix=report_data.PREFIX)
	)
	village = data.units["village_a"]
	people = frappe.get_all("Stakeholder", filters={"community_unit": village}, pluck="name")[:4]
	make_topic(village, accepted=False, title="草稿议题")
	make_session(make_topic(village, stakeholders=people, title="待开会的议题"), people, conclude=False)
	make_outcome(make_session(make_topic(village, stakeholders=people, title="待备案"), people), file=False)
	make_outcome(
		make_session(make_topic(village, stakeholders=people, title="已备案"), people), publicise=False
	)
	return data


@pytest.mark.parametrize("life_cycle", [TOPIC, SESSION, OUTCOME], ids=lambda lc: lc.doctype)
def test_the_sql_of_each_state_says_what_its_fact_says(world, life_cycle):
	rows = frappe.db.sql(
		f"select t.name, t.status, {life_cycle.status_sql('t')} as derived from `tab{life_cycle.doctype}` t",
		as_dict=True,
	)
	assert len({r.derived for r in rows}) >= 2, "the world should hold several states"
	for row in rows:
		doc = frappe.get_doc(life_cycle.doctype, row.name)
		assert (row.name, life_cycle.status(doc)) == (row.name, row.derived)
		assert (row.name, row.status) == (row.name, row.derived)


def test_every_status_option_is_a_state_of_the_table():
	for life_cycle in (TOPIC, SESSION, OUTCOME):
		options = frappe.get_meta(life_cycle.doctype).get_field("status").options.split("\n")
		assert set(filter(None, options)) == set(life_cycle.by_name), life_cycle.doctype


def test_a_cancelled_session_is_cancelled_in_both(world):
	topic = make_topic(frappe.db.get_value("Consultation Topic", {}, "community_unit"), title="取消的会议")
	people = frappe.get_all("Stakeholder", filters={"community_unit": topic.community_unit}, pluck="name")[:4]
	topic.participants = []
	session = make_session(topic, people)
	session.cancel()
	derived = frappe.db.sql(
		f"select {SESSION.status_sql('t')} from `tabConsultation Session` t where t.name = %s", session.name
	)[0][0]
	assert derived == SESSION.status(session) == "Cancelled"
