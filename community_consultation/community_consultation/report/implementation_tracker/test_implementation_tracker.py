# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

from frappe.utils import add_days, getdate, nowdate

from community_consultation.community_consultation.report.implementation_tracker.implementation_tracker import (
	execute,
)
from community_consultation.tests.report_data import ReportDataTestCase


class TestImplementationTracker(ReportDataTestCase):
	def run_report(self, **filters):
		_columns, data, _message, _chart, summary = execute(
			{"community_unit": self.data.units.county, **filters}
		)
		return data, {s["label"]: s["value"] for s in summary}

	def test_open_outcomes_overdue_first_with_days_overdue(self):
		o = self.data.outcomes
		data, summary = self.run_report()
		self.assertEqual(
			[(r["outcome"], r["days_overdue"], r["status"]) for r in data], [(o.o2.name, 3, "Overdue")]
		)
		self.assertEqual(getdate(data[0]["implementation_deadline"]), getdate(add_days(nowdate(), -3)))
		self.assertEqual(data[0]["implementer_type"], "Government Entrusted")
		self.assertIsNone(data[0]["reported_to_government_on"])
		self.assertIsNone(data[0]["last_update_on"])
		self.assertEqual(data[0]["village"], self.data.units.village_a)
		self.assertEqual(summary, {"Outcomes": 1, "Overdue Outcomes": 1, "Most Days Overdue": 3})

	def test_implemented_outcomes_follow_by_deadline(self):
		o = self.data.outcomes
		data, summary = self.run_report(include_implemented=1)
		today = getdate(nowdate())
		self.assertEqual(
			[(r["outcome"], r["days_overdue"], r["percent_complete"], r["last_update_on"]) for r in data],
			[(o.o2.name, 3, 0.0, None), (o.o3.name, 0, 100.0, today), (o.o1.name, 0, 100.0, today)],
		)
		self.assertEqual(getdate(data[1]["reported_to_government_on"]), today)
		self.assertEqual(summary["Overdue Outcomes"], 1)

	def test_filters(self):
		o = self.data.outcomes
		data, _summary = self.run_report(overdue_only=1, include_implemented=1)
		self.assertEqual([r["outcome"] for r in data], [o.o2.name])
		data, _summary = self.run_report(implementer_type="Government Entrusted", include_implemented=1)
		self.assertEqual([r["outcome"] for r in data], [o.o2.name, o.o3.name])
		data, _summary = self.run_report(status="Implemented", include_implemented=1)
		self.assertEqual({r["outcome"] for r in data}, {o.o1.name, o.o3.name})
		data, _summary = self.run_report(
			from_date=add_days(nowdate(), -400), to_date=add_days(nowdate(), -300)
		)
		self.assertEqual(data, [])

	def test_restricted_user_sees_only_the_village_outcomes(self):
		o = self.data.outcomes
		self.as_restricted_user(self.data.units.village_b)
		data, summary = self.run_report(include_implemented=1)
		self.assertEqual([r["outcome"] for r in data], [o.o3.name])
		self.assertEqual(summary["Overdue Outcomes"], 0)
		data, _summary = self.run_report(community_unit=self.data.units.village_a, include_implemented=1)
		self.assertEqual(data, [])
