# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

from community_consultation.community_consultation.report.stakeholder_participation.stakeholder_participation import (
	execute,
)
from community_consultation.tests.report_data import DEPUTY_TYPE, ReportDataTestCase

RESIDENT_TYPE = "户籍居民"
FIGURES = ("sessions", "stakeholders", "invitations", "attended", "attendance_rate", "conveners", "proposers")


class TestStakeholderParticipation(ReportDataTestCase):
	def run_report(self, **filters):
		filters = {
			"from_date": f"{self.year}-01-01",
			"to_date": f"{self.year}-12-31",
			"community_unit": self.data.units.county,
			"group_by": "Village",
			**filters,
		}
		_columns, data = execute(filters)
		return data

	def keyed(self, data):
		return {(r["row_type"], r["unit"], r["stakeholder_type"]): tuple(r[f] for f in FIGURES) for r in data}

	def test_per_village_and_stakeholder_type(self):
		units = self.data.units
		data = self.run_report()
		self.assertEqual(
			self.keyed(data),
			{
				("total", None, None): (5, 11, 18, 16, 88.9, 5, 5),
				("unit", units.village_a, None): (3, 8, 12, 11, 91.7, 3, 3),
				("type", units.village_a, RESIDENT_TYPE): (3, 8, 12, 11, 91.7, 3, 3),
				("unit", units.village_b, None): (2, 3, 6, 5, 83.3, 2, 2),
				("type", units.village_b, RESIDENT_TYPE): (2, 2, 4, 4, 100.0, 2, 2),
				("type", units.village_b, DEPUTY_TYPE): (2, 1, 2, 1, 50.0, 0, 0),
			},
		)
		# a tree: the total, then each unit followed by its types (the units in the tree's order, which a
		# rebuild of the tree may change)
		self.assertEqual(data[0]["indent"], 0)
		tree, unit = {}, None
		for row in data[1:]:
			if row["indent"] == 1:
				unit = row["unit"]
				tree[unit] = []
			else:
				self.assertEqual((row["indent"], row["unit"]), (2, unit))
				tree[unit].append(row["stakeholder_type"])
		self.assertEqual(
			{u: sorted(types) for u, types in tree.items()},
			{units.village_a: [RESIDENT_TYPE], units.village_b: sorted([RESIDENT_TYPE, DEPUTY_TYPE])},
		)

	def test_group_by_township_and_by_recorded_unit(self):
		units = self.data.units
		data = self.keyed(self.run_report(group_by="Township"))
		self.assertEqual(data[("unit", units.township, None)], (5, 11, 18, 16, 88.9, 5, 5))
		data = self.keyed(self.run_report(group_by="Unit"))
		self.assertEqual(data[("unit", units.building, None)], (1, 4, 4, 3, 75.0, 1, 1))
		self.assertEqual(data[("unit", units.village_a, None)], (2, 4, 8, 8, 100.0, 2, 2))

	def test_stakeholder_type_filter(self):
		data = self.keyed(self.run_report(stakeholder_type=DEPUTY_TYPE))
		self.assertEqual(data[("total", None, None)], (2, 1, 2, 1, 50.0, 0, 0))
		self.assertEqual(len(data), 3)

	def test_restricted_user_sees_only_the_village(self):
		units = self.data.units
		self.as_restricted_user(units.village_b)
		data = self.keyed(self.run_report(community_unit=None))
		self.assertEqual(
			data,
			{
				("total", None, None): (2, 3, 6, 5, 83.3, 2, 2),
				("unit", units.village_b, None): (2, 3, 6, 5, 83.3, 2, 2),
				("type", units.village_b, RESIDENT_TYPE): (2, 2, 4, 4, 100.0, 2, 2),
				("type", units.village_b, DEPUTY_TYPE): (2, 1, 2, 1, 50.0, 0, 0),
			},
		)
