"""Builders of valid township-and-village records (community_consultation/township/sharing.py), for tests: a
referral, an assignment with its topics and a report back, an inspection, a plan (from
`community_consultation.setup.records`, which the demo data uses too), and one record of each."""

import frappe

from community_consultation.setup.records import (
	make_assignment,
	make_inspection,
	make_plan,
	make_referral,
	make_report,
	make_topic,
)

__all__ = ["make_assignment", "make_inspection", "make_plan", "make_referral", "make_report"]


def make_township_records(units, people) -> frappe._dict:
	"""One record of each township-and-village DocType, in `units` (a `make_unit_tree`)."""
	topic = make_topic(units.village_a, stakeholders=people, title="两村共用水渠维修")
	referral = make_referral(topic)
	assignment = make_assignment(units.township, [units.village_a, units.village_b])
	report = make_report(assignment.villages[0].topic)
	return frappe._dict(
		referral=referral,
		assignment=assignment,
		report=report,
		inspection=make_inspection(units.village_a),
		plan=make_plan(units.village_a),
	)
