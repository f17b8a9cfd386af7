"""Each procedure DocType's life-cycle table says the same thing twice: as a fact of the record (Python)
and as a condition on its stored row (SQL, for reports, cards and migrations). Over a world with every
state (community_consultation/tests/report_data.py, plus a draft, a cancelled record and a topic a
meeting voted down), both agree with each other and with the stored status.

Every grouping of states (takes sessions, referable, open, the resident's stage, the desk's colours)
is a property of the table's states: the rules, the queries and the desk read it from there."""

import json
import re
from pathlib import Path

import frappe
import pytest
from frappe.model.base_document import get_controller
from frappe.utils import add_days, nowdate

from community_consultation.community_consultation.doctype.consultation_outcome.consultation_outcome import (
	LIFE_CYCLE as OUTCOME,
)
from community_consultation.community_consultation.doctype.consultation_session.consultation_session import (
	LIFE_CYCLE as SESSION,
)
from community_consultation.community_consultation.doctype.consultation_topic.consultation_topic import (
	LIFE_CYCLE as TOPIC,
)
from community_consultation.decision_bodies.doctype.community_meeting.community_meeting import (
	LIFE_CYCLE as MEETING,
)
from community_consultation.notices.proposal_progress import STAGE_EXPLANATIONS
from community_consultation.procedure.lifecycle import LIFE_CYCLE_DOCTYPES, boot_session, life_cycle_of
from community_consultation.procedure.results import NO_CONSENSUS
from community_consultation.tests import report_data, shared
from community_consultation.tests.factory import (
	DEFAULT_CATEGORY,
	make_outcome,
	make_people,
	make_session,
	make_topic,
)
from community_consultation.tests.meetings import make_meeting, villagers

APP = Path(__file__).resolve().parent.parent / "community_consultation"
# the indicator colours of Frappe v15's desk (frappe/public/scss/common/indicator.scss)
DESK_COLOURS = {
	"gray",
	"grey",
	"blue",
	"red",
	"green",
	"orange",
	"yellow",
	"purple",
	"pink",
	"cyan",
	"darkgrey",
}
# the procedure's tables, over the report world; the township's records have a world of their own below
TABLES = [TOPIC, SESSION, OUTCOME, MEETING]


def colour_map(doctype: str) -> re.Pattern:
	"""A state → colour map typed in a script: `Draft: "gray"`, `"Not Adopted": "red"`."""
	states = "|".join(re.escape(state) for state in life_cycle_of(doctype).by_name)
	return re.compile(rf'"?(?:{states})"?\s*:\s*"(?:' + "|".join(sorted(DESK_COLOURS)) + ')"')


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
	voted_down = make_topic(village, stakeholders=people, title="村民会议否决的议题")
	make_session(voted_down, people, result=NO_CONSENSUS)
	make_meeting(village, topics=[voted_down], attendance=villagers(60), votes=(20, 40))
	return data


def test_the_tables_are_those_of_the_controllers():
	assert [life_cycle_of(doctype) for doctype in LIFE_CYCLE_DOCTYPES[:4]] == TABLES


@pytest.mark.parametrize("life_cycle", TABLES, ids=lambda lc: lc.doctype)
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


def test_every_doctype_with_a_table_is_listed():
	"""The desk and the tests find the tables through `LIFE_CYCLE_DOCTYPES`: none is left out."""
	with_tables = set()
	for module in frappe.get_all("Module Def", {"app_name": "community_consultation"}, pluck="name"):
		for doctype in frappe.get_all("DocType", {"module": module, "istable": 0}, pluck="name"):
			if hasattr(get_controller(doctype), "LIFE_CYCLE"):
				with_tables.add(doctype)
	assert with_tables == set(LIFE_CYCLE_DOCTYPES)


def test_every_status_option_is_a_state_of_the_table():
	for life_cycle in map(life_cycle_of, LIFE_CYCLE_DOCTYPES):
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


def test_a_topic_voted_down_is_not_adopted_in_both(world):
	(name,) = frappe.get_all("Consultation Topic", {"title": "村民会议否决的议题"}, pluck="name")
	derived = frappe.db.sql(
		f"select {TOPIC.status_sql('t')} from `tabConsultation Topic` t where t.name = %s", name
	)[0][0]
	assert derived == TOPIC.status(frappe.get_doc("Consultation Topic", name)) == "Not Adopted"


def test_a_topic_takes_sessions_and_is_referred_only_before_it_is_settled():
	"""§二(五)1, 3 and 三(二): the groupings the session's and the referral's rules read."""
	assert TOPIC.names(takes_sessions=True) == ("In Consultation", "Awaiting Second Round", "Accepted")
	assert TOPIC.names(referable=True) == ("Draft", "Awaiting Second Round", "Accepted")
	assert TOPIC.names(open=True) == ("In Consultation", "Awaiting Second Round", "Referred", "Accepted")
	for settled in ("Rejected", "Escalated", "Not Adopted", "Closed", "Agreed", "Referred"):
		assert settled not in TOPIC.names(takes_sessions=True)
		assert settled not in TOPIC.names(referable=True)
	assert "(t.status in (" in TOPIC.status_in("t", open=True)


def test_every_topic_state_has_a_stage_its_proposer_is_told():
	options = frappe.get_meta("Proposal Progress Notice").get_field("stage").options.split("\n")
	for state in TOPIC.states:
		assert state.resident_stage in options, state.name
		assert state.resident_stage in STAGE_EXPLANATIONS, state.name
	assert TOPIC.by_name["Not Adopted"].resident_stage == "Not Adopted"


def test_the_desk_reads_each_state_colour_from_the_table():
	from frappe.boot import get_bootinfo

	assert get_bootinfo().life_cycles["Consultation Topic"]["groups"]["takes_sessions"]
	bootinfo = frappe._dict()
	boot_session(bootinfo)
	assert set(bootinfo.life_cycles) == set(LIFE_CYCLE_DOCTYPES)
	for life_cycle in map(life_cycle_of, LIFE_CYCLE_DOCTYPES):
		colours = bootinfo.life_cycles[life_cycle.doctype]["colours"]
		assert list(colours) == list(life_cycle.by_name), life_cycle.doctype
		assert set(colours.values()) <= DESK_COLOURS, life_cycle.doctype
	json.dumps(bootinfo.life_cycles)  # the boot is sent as JSON
	assert bootinfo.life_cycles["Consultation Topic"]["colours"]["Not Adopted"] == "red"


@pytest.mark.parametrize("doctype", LIFE_CYCLE_DOCTYPES)
def test_no_list_or_form_script_types_its_own_colours(doctype):
	"""The list's and the form's indicators come from the table (public/js/life_cycle.js)."""
	module = frappe.scrub(frappe.db.get_value("DocType", doctype, "module"))
	folder = APP / module / "doctype" / frappe.scrub(doctype)
	list_js = (folder / f"{frappe.scrub(doctype)}_list.js").read_text()
	assert f'community_consultation.life_cycle.indicator("{doctype}")' in list_js
	for script in folder.glob("*.js"):
		text = script.read_text()
		assert not colour_map(doctype).search(text) and "status_colour" not in text, script.name


# ------------------------------------------------------------ the tables of the township's records


@pytest.fixture
def township_world(units):
	"""A referral of each state, an inspection of each, an entrusted matter drafted and assigned, a
	return drafted (as Administrator: the rules of each are the DocTypes' own tests')."""
	people = make_people(units.village_a)
	for title in ("待镇决定", "镇受理", "退回村里"):
		topic = make_topic(units.village_a, stakeholders=people, title=title)
		frappe.get_doc({"doctype": "Township Referral", "topic": topic.name, "reason": "涉及两村"}).insert()
	taken, sent = (
		frappe.get_doc(
			"Township Referral",
			{"topic": ("in", frappe.get_all("Consultation Topic", {"title": t}, pluck="name"))},
		)
		for t in ("镇受理", "退回村里")
	)
	taken.take_up()
	sent.send_back("本村可自行协商")

	def inspection(corrections, inspected_on=None, submit=True):
		doc = frappe.get_doc(
			{
				"doctype": "Consultation Inspection",
				"community_unit": units.village_a,
				"inspected_on": inspected_on or nowdate(),
				"inspecting_body": "镇党委组织办",
				"checked": "协商议题台账",
				"findings": "<p>记录不全。</p>",
				"corrections": corrections,
			}
		).insert()
		if submit:
			doc.submit()
		return doc

	inspection([], submit=False)
	inspection([])
	inspection([{"requirement": "补齐记录", "deadline": add_days(nowdate(), 15)}])
	inspection([{"requirement": "补齐记录", "deadline": add_days(nowdate(), -1)}], add_days(nowdate(), -10))

	def assignment():
		return frappe.get_doc(
			{
				"doctype": "Township Assignment",
				"title": "人居环境整治",
				"entrusted_by": "县农业农村局",
				"community_unit": units.township,
				"category": DEFAULT_CATEGORY,
				"description": "<p>各村协商确定整治方案。</p>",
				"report_back_by": add_days(nowdate(), 10),
				"villages": [{"village": units.village_a}],
			}
		).insert()

	assignment()
	assignment().assign()
	frappe.get_doc({"doctype": "Consultation Annual Return", "county": units.county, "year": 2019}).insert()
	return units


@pytest.mark.parametrize("doctype", LIFE_CYCLE_DOCTYPES[4:])
def test_the_township_records_tables_agree_with_their_stored_status(township_world, doctype):
	life_cycle = life_cycle_of(doctype)
	rows = frappe.db.sql(
		f"select t.name, t.status, {life_cycle.status_sql('t')} as derived from `tab{doctype}` t",
		as_dict=True,
	)
	assert rows
	for row in rows:
		doc = frappe.get_doc(doctype, row.name)
		assert (row.name, life_cycle.status(doc)) == (row.name, row.derived)
		assert (row.name, row.status) == (row.name, row.derived)
	if doctype != "Consultation Annual Return":
		assert len({r.derived for r in rows}) >= 2, "the world should hold several states"
