"""The annual return counts the township's work (§三(二), 三(三), 二(六)): township-level topics, entrusted
matters assigned and reported back on time, consultation days planned and kept, inspections and
corrections closed — each figure the same as the register (list) it comes from, as the officer sees it."""

import frappe
from frappe.utils import add_days, getdate, now_datetime, nowdate

from community_consultation.reporting.figures import get_return_rows
from community_consultation.tests.factory import (
	DEFAULT_CATEGORY,
	make_people,
	make_session,
	make_topic,
	make_unit,
	make_unit_tree,
)
from community_consultation.tests.users import as_user, make_user
from community_consultation.township.doctype.consultation_plan.consultation_plan import (
	planned_dates,
)
from community_consultation.township.report.township_overview.township_overview import (
	execute as township_overview,
)


def build():
	units = make_unit_tree("年报联动")
	units.village_c = make_unit("年报联动丙村", "Village", units.township)
	officer = make_user("return-officer@example.com", ["Township Officer"], [units.township])
	people = make_people(units.village_a)
	# a township-level topic
	with as_user(officer):
		make_topic(units.township, accepted=False, stakeholders=people[:2], title="跨村道路建设")
		assignment = frappe.get_doc(
			{
				"doctype": "Township Assignment",
				"title": "垃圾分类推进",
				"entrusted_by": "县城管局",
				"community_unit": units.township,
				"category": DEFAULT_CATEGORY,
				"description": "<p>各村协商落实。</p>",
				"report_back_by": nowdate(),
				"villages": [{"village": v} for v in (units.village_a, units.village_b, units.village_c)],
			}
		).insert()
		assignment.assign()
	for row in assignment.villages[:2]:
		frappe.get_doc(
			{"doctype": "Entrusted Matter Report", "topic": row.topic, "content": "<p>已落实。</p>"}
		).insert()
	# a plan with one date kept by a session, one not
	held = add_days(now_datetime(), -1)
	topic = make_topic(units.village_a, stakeholders=people)
	make_session(topic, people, starts_on=held)
	dates = [{"planned_on": getdate(held)}]
	if getdate(add_days(held, -3)).year == getdate(held).year:
		dates.append({"planned_on": add_days(getdate(held), -3)})
	frappe.get_doc(
		{
			"doctype": "Consultation Plan",
			"community_unit": units.village_a,
			"year": getdate(held).year,
			"dates": dates,
		}
	).insert()
	# an inspection with one correction closed, one open
	with as_user(officer):
		inspection = frappe.get_doc(
			{
				"doctype": "Consultation Inspection",
				"community_unit": units.village_b,
				"inspected_on": nowdate(),
				"inspecting_body": "镇党委组织办",
				"checked": "协商台账",
				"findings": "<p>台账不全。</p>",
				"corrections": [
					{"requirement": "补齐台账", "deadline": add_days(nowdate(), 10)},
					{"requirement": "公开成果", "deadline": add_days(nowdate(), 10)},
				],
			}
		).insert()
		inspection.submit()
	inspection.corrections[0].village_answer = "已补齐"
	inspection.save()
	inspection.close_correction(inspection.corrections[0].name)
	return frappe._dict(units=units, officer=officer, assignment=assignment)


def test_annual_return_agrees_with_the_registers():
	world = build()
	year = getdate(nowdate()).year
	start, end = f"{year}-01-01", f"{year}-12-31"
	with as_user(world.officer):
		rows, _categories, _forms = get_return_rows(start, end)
		township = next(r for r in rows if r.row_type == "township" and r.township == world.units.township)
		total = next(r for r in rows if r.row_type == "total")

		topics = frappe.get_list(
			"Consultation Topic",
			filters={"community_unit": world.units.township, "proposed_on": ("between", [start, end])},
			pluck="name",
		)
		assignments = frappe.get_list(
			"Township Assignment", filters={"assigned_on": ("between", [start, end])}, pluck="name"
		)
		assignment_rows = frappe.get_all(
			"Township Assignment Village",
			filters={"parent": ("in", assignments), "parenttype": "Township Assignment"},
			fields=["report_status"],
		)
		plan_rows = planned_dates(start, end)
		inspections = frappe.get_list(
			"Consultation Inspection",
			filters={"docstatus": 1, "inspected_on": ("between", [start, end])},
			pluck="name",
		)
		closed = frappe.get_all(
			"Inspection Correction",
			filters={"parent": ("in", inspections), "closed_on": ("between", [start, end])},
			pluck="name",
		)

	assert township.township_topics == len(topics) == 1
	assert township.entrusted_assigned == len(assignment_rows) == 3
	assert (
		township.entrusted_reported_on_time
		== sum(r.report_status == "Reported on Time" for r in assignment_rows)
		== 2
	)
	assert township.plan_dates == len(plan_rows)
	assert township.plan_dates_kept == sum(1 for r in plan_rows if r.kept) == 1
	assert township.inspections == len(inspections) == 1
	assert township.corrections_closed == len(closed) == 1
	for figure in ("township_topics", "entrusted_assigned", "inspections", "corrections_closed"):
		assert total[figure] == township[figure]


def test_township_overview_lists_every_village_of_the_officers_units():
	world = build()
	with as_user(world.officer):
		_columns, rows, _message, chart = township_overview({})
	by_village = {r.village: r for r in rows}
	assert set(by_village) == {world.units.village_a, world.units.village_b, world.units.village_c}
	assert by_village[world.units.village_c].awaiting_report_back == 1
	assert by_village[world.units.village_a].awaiting_report_back == 0
	assert by_village[world.units.village_b].open_corrections == 1
	assert by_village[world.units.village_a].silent == 0
	assert by_village[world.units.village_c].silent == 1
	assert chart["data"]["labels"]
	clerk = make_user("overview-clerk@example.com", ["Community Secretary"], [world.units.village_b])
	with as_user(clerk):
		_columns, rows, _message, _chart = township_overview({})
	assert [r.village for r in rows] == [world.units.village_b]


def test_township_workspace_cards_count_within_the_officers_units():
	from frappe.desk.doctype.number_card.number_card import get_result

	from community_consultation.api.number_cards import silent_villages_card

	world = build()
	other = make_unit("年报外镇", "Township", world.units.county)
	make_unit("年报外镇一村", "Village", other)
	stranger = make_user("other-township-officer@example.com", ["Township Officer"], [other])
	workspace = frappe.get_doc("Workspace", "Township and Village")
	cards = {c.number_card_name for c in workspace.number_cards}
	assert {
		"Entrusted Matters Awaiting Report-back",
		"Silent Villages",
		"Open Inspection Corrections",
	} <= cards

	def count(card):
		doc = frappe.get_doc("Number Card", card)
		return int(get_result(doc.as_json(), doc.filters_json))

	with as_user(world.officer):
		assert count("Entrusted Matters Awaiting Report-back") == 1
		assert count("Open Inspection Corrections") == 1
		assert silent_villages_card()["value"] == 2  # villages B and C
		assert frappe.has_permission("Number Card", doc="Silent Villages")
	with as_user(stranger):
		assert count("Entrusted Matters Awaiting Report-back") == 0
		assert count("Open Inspection Corrections") == 0
		assert silent_villages_card()["value"] == 1


def test_township_overview_counts_what_the_lists_count_of_each_village_and_the_units_beneath_it():
	"""Open topics, sessions this month and overdue outcomes of a village count its groups' too, each
	as the list the figure links to counts it, on the day asked for."""
	from frappe.utils import add_days, get_first_day, get_last_day
	from frappe.utils.nestedset import get_descendants_of

	from community_consultation.community_consultation.doctype.consultation_topic.consultation_topic import (
		LIFE_CYCLE as TOPIC_LIFE_CYCLE,
	)
	from community_consultation.tests.factory import make_outcome

	world = build()
	units = world.units
	group_people = make_people(units.building, 2, "组员")
	make_topic(units.building, stakeholders=group_people, title="组内道路硬化")
	people_b = make_people(units.village_b, 3, "乙村居民")
	make_outcome(make_session(make_topic(units.village_b, stakeholders=people_b), people_b))
	villages = (units.village_a, units.village_b, units.village_c)

	def expected(village: str, day) -> dict:
		within = ("in", [village, *get_descendants_of("Community Unit", village)])
		month = (get_first_day(day), add_days(get_last_day(day), 1))
		return {
			"open_topics": frappe.db.count(
				"Consultation Topic",
				{"community_unit": within, "status": ("in", TOPIC_LIFE_CYCLE.names(open=True))},
			),
			"sessions_this_month": len(
				frappe.get_all(
					"Consultation Session",
					filters=[
						["community_unit", *within],
						["docstatus", "<", 2],
						["starts_on", ">=", month[0]],
						["starts_on", "<", month[1]],
					],
				)
			),
			"overdue_outcomes": len(
				frappe.get_all(
					"Consultation Outcome",
					filters=[
						["community_unit", *within],
						["docstatus", "=", 1],
						["percent_complete", "<", 100],
						["implementation_deadline", "<", day],
					],
				)
			),
		}

	figures = ("open_topics", "sessions_this_month", "overdue_outcomes")
	for day in (getdate(nowdate()), getdate(add_days(nowdate(), 40))):
		with as_user(world.officer):
			rows = {r.village: r for r in township_overview({"date": str(day)})[1]}
		for village in villages:
			assert {f: rows[village][f] for f in figures} == expected(village, day), (village, day)
	# the group's topic is the village's: more than the village's own
	assert rows[units.village_a].open_topics > frappe.db.count(
		"Consultation Topic",
		{"community_unit": units.village_a, "status": ("in", TOPIC_LIFE_CYCLE.names(open=True))},
	)
	# the outcome due in 30 days is overdue 40 days from now
	assert rows[units.village_b].overdue_outcomes == 1
