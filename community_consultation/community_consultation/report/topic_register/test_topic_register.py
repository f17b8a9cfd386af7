# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

from community_consultation.community_consultation.report.topic_register.topic_register import execute
from community_consultation.tests.report_data import ReportDataTestCase, category

FIELDS = (
	"community_unit",
	"village",
	"level",
	"status",
	"escalated_from",
	"sessions_held",
	"rounds",
	"last_result",
	"outcome",
	"outcome_status",
	"percent_complete",
)


class TestTopicRegister(ReportDataTestCase):
	def run_report(self, **filters):
		filters = {"from_date": f"{self.year}-01-01", "to_date": f"{self.year}-12-31", **filters}
		_columns, data = execute(filters)
		return {row["topic"]: row for row in data}

	def test_every_topic_of_the_period_with_its_rounds_and_outcome(self):
		d = self.data
		units, t, o = d.units, d.topics, d.outcomes
		rows = self.run_report(community_unit=units.county)
		expected = {
			t.a1.name: (
				units.village_a,
				units.village_a,
				"Community",
				"Closed",
				None,
				1,
				1,
				"Consensus",
				o.o1.name,
				"Implemented",
				100,
			),
			t.g1.name: (
				units.building,
				units.village_a,
				"Building",
				"Escalated",
				None,
				1,
				1,
				"No Consensus",
				None,
				None,
				None,
			),
			t.a2.name: (
				units.village_a,
				units.village_a,
				"Community",
				"Agreed",
				t.g1.name,
				1,
				1,
				"Referred to Villagers' Meeting",
				o.o2.name,
				"Overdue",
				0,
			),
			t.b1.name: (
				units.village_b,
				units.village_b,
				"Community",
				"Closed",
				None,
				2,
				2,
				"Consensus",
				o.o3.name,
				"Implemented",
				100,
			),
			t.b2.name: (
				units.village_b,
				units.village_b,
				"Community",
				"Draft",
				None,
				0,
				0,
				None,
				None,
				None,
				None,
			),
		}
		self.assertEqual(
			{name: tuple(row[f] for f in FIELDS) for name, row in rows.items()},
			expected,
		)
		self.assertEqual(rows[t.a1.name]["status_label"], "Closed")
		self.assertEqual(rows[t.b1.name]["title"], "报表乙村文化室改造")

	def test_period_filter(self):
		rows = self.run_report(
			community_unit=self.data.units.county,
			from_date=f"{self.year - 1}-01-01",
			to_date=f"{self.year - 1}-12-31",
		)
		self.assertEqual(list(rows), [self.data.topics.b0.name])
		self.assertEqual(
			self.run_report(
				community_unit=self.data.units.county,
				from_date="2000-01-01",
				to_date="2000-12-31",
			),
			{},
		)

	def test_filters_by_category_level_status_and_channel(self):
		t, county = self.data.topics, self.data.units.county
		self.assertEqual(
			set(self.run_report(community_unit=county, category=category(8))), {t.g1.name, t.a2.name}
		)
		self.assertEqual(set(self.run_report(community_unit=county, level="Building")), {t.g1.name})
		self.assertEqual(set(self.run_report(community_unit=county, status="Closed")), {t.a1.name, t.b1.name})
		self.assertEqual(
			set(self.run_report(community_unit=county, source_channel="Escalation")), {t.a2.name}
		)

	def test_unit_filter_takes_the_subtree(self):
		t = self.data.topics
		self.assertEqual(
			set(self.run_report(community_unit=self.data.units.village_a)), {t.a1.name, t.g1.name, t.a2.name}
		)
		self.assertEqual(set(self.run_report(community_unit=self.data.units.building)), {t.g1.name})

	def test_restricted_user_sees_only_the_village_topics(self):
		t = self.data.topics
		self.as_restricted_user(self.data.units.village_a)
		self.assertEqual(set(self.run_report()), {t.a1.name, t.g1.name, t.a2.name})
		self.assertEqual(self.run_report(community_unit=self.data.units.village_b), {})

	def test_building_head_sees_the_building_topics_without_outcomes(self):
		t = self.data.topics
		self.as_restricted_user(self.data.units.building, role="Building Head")
		columns, data = execute({"from_date": f"{self.year}-01-01", "to_date": f"{self.year}-12-31"})
		self.assertEqual([r["topic"] for r in data], [t.g1.name])
		self.assertNotIn("outcome", {c["fieldname"] for c in columns})
		self.assertNotIn("outcome_status", data[0])
		self.assertEqual(data[0]["sessions_held"], 1)
