# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

import frappe

from community_consultation.community_consultation.report.consultation_annual_return_figures.consultation_annual_return_figures import (
	execute,
)
from community_consultation.reporting.figures import RETURN_FIGURES
from community_consultation.tests.report_data import (
	EXPECTED_CATEGORIES_A,
	EXPECTED_CATEGORIES_B,
	EXPECTED_FORMS_A,
	EXPECTED_FORMS_B,
	EXPECTED_VILLAGE_A,
	EXPECTED_VILLAGE_B,
	ReportDataTestCase,
	expected_total,
)

FIGURES = [f for f, _label, _type in RETURN_FIGURES]


class TestYearlyConsultationReturn(ReportDataTestCase):
	def run_report(self, **filters):
		columns, data, _message, _chart, summary = execute({"year": self.year, **filters})
		return columns, data, summary

	def figures(self, row: dict, columns: list[dict]) -> dict:
		"""The row's fixed figures, with the category and form columns keyed by category number / form."""
		result = {f: row[f] for f in FIGURES}
		categories = {
			c.name: c.category_no for c in frappe.get_all("Consultation Category", ["name", "category_no"])
		}
		for column in columns:
			if column["fieldname"].startswith("category_") and row[column["fieldname"]]:
				no = next(no for name, no in categories.items() if column["label"].endswith(name))
				result[f"category {no}"] = row[column["fieldname"]]
			if column["fieldname"].startswith("form_") and row[column["fieldname"]]:
				result[f"form {column['label'].split(': ', 1)[-1]}"] = row[column["fieldname"]]
		return result

	def expected(self, figures: dict, categories: dict, forms: dict) -> dict:
		return {
			**figures,
			**{f"category {no}": n for no, n in categories.items()},
			**{f"form {name}": n for name, n in forms.items()},
		}

	def test_every_figure_per_village_township_county_and_total(self):
		units = self.data.units
		columns, data, summary = self.run_report(community_unit=units.county)
		rows = [(r["row_type"], r["unit"], r["indent"]) for r in data]
		self.assertEqual(
			rows[:3], [("total", "Total", 0), ("county", units.county, 1), ("township", units.township, 2)]
		)
		# the villages in the tree's order, which is not their creation order once the tree is rebuilt
		self.assertCountEqual(rows[3:], [("village", units.village_a, 3), ("village", units.village_b, 3)])
		by_unit = {r["unit"]: r for r in data}
		expected_a = self.expected(EXPECTED_VILLAGE_A, EXPECTED_CATEGORIES_A, EXPECTED_FORMS_A)
		expected_b = self.expected(EXPECTED_VILLAGE_B, EXPECTED_CATEGORIES_B, EXPECTED_FORMS_B)
		self.assertEqual(self.figures(by_unit[units.village_a], columns), expected_a)
		self.assertEqual(self.figures(by_unit[units.village_b], columns), expected_b)
		expected_sum = self.expected(
			expected_total(EXPECTED_VILLAGE_A, EXPECTED_VILLAGE_B),
			{5: 2, 8: 2, 1: 1},
			{"党群联席会议": 3, "民主听证会": 1, "民主恳谈会": 1},
		)
		for row in data[:3]:
			self.assertEqual(self.figures(row, columns), expected_sum, row["row_type"])
		self.assertEqual(
			{s["label"]: s["value"] for s in summary},
			{
				"Topics": 5,
				"Sessions Held": 5,
				"Consensus Reached": 2,
				"Outcomes Filed": 3,
				"Implemented on Time": 1,
				"Overdue Outcomes": 1,
			},
		)

	def test_period_counts_only_records_of_the_year(self):
		_columns, data, _summary = self.run_report(community_unit=self.data.units.county, year=self.year - 1)
		village_b = next(r for r in data if r.get("village") == self.data.units.village_b)
		self.assertEqual(village_b["topics"], 1)  # B0, proposed on 1 January last year
		self.assertEqual(data[0]["topics"], 1)
		self.assertEqual(data[0]["topics_community"], 1)
		others = [f for f in FIGURES if f not in ("villages", "topics", "topics_community")]
		self.assertEqual({f: data[0][f] for f in others}, dict.fromkeys(others, 0))

	def test_unit_filter_takes_the_unit_and_its_subtree(self):
		_columns, data, _summary = self.run_report(community_unit=self.data.units.village_a)
		self.assertEqual([r["row_type"] for r in data], ["total", "county", "township", "village"])
		self.assertEqual({f: data[0][f] for f in FIGURES}, EXPECTED_VILLAGE_A)

		_columns, data, _summary = self.run_report(community_unit=self.data.units.building)
		self.assertEqual(
			{f: data[0][f] for f in ("topics", "topics_building", "sessions", "participants", "attended")},
			{"topics": 1, "topics_building": 1, "sessions": 1, "participants": 4, "attended": 3},
		)
		self.assertEqual(data[0]["outcomes_filed"], 0)

	def test_restricted_user_totals_exclude_other_villages(self):
		self.as_restricted_user(self.data.units.village_a)
		_columns, data, _summary = self.run_report()
		self.assertEqual(
			[(r["row_type"], r["unit"]) for r in data],
			[
				("total", "Total"),
				("county", self.data.units.county),
				("township", self.data.units.township),
				("village", self.data.units.village_a),
			],
		)
		for row in data:
			self.assertEqual({f: row[f] for f in FIGURES}, EXPECTED_VILLAGE_A, row["row_type"])

	def test_restricted_user_filtering_another_village_gets_nothing(self):
		self.as_restricted_user(self.data.units.village_a)
		_columns, data, summary = self.run_report(community_unit=self.data.units.village_b)
		self.assertEqual(data, [])
		self.assertEqual(summary, [])

	def test_building_head_gets_only_the_building_and_no_outcome_figures(self):
		"""A building head reads the topics and sessions of the building, and no outcomes: the report
		is not among theirs, and its figures, run anyway, leave outcomes out."""
		from frappe.desk.query_report import run

		self.as_restricted_user(self.data.units.building, role="Building Head")
		self.assertRaises(
			frappe.PermissionError, run, "Consultation Annual Return Figures", filters={"year": self.year}
		)
		columns, data, _summary = self.run_report()
		self.assertEqual(data[0]["topics"], 1)
		self.assertEqual(data[0]["sessions"], 1)
		self.assertEqual(data[0]["escalations"], 0)
		self.assertEqual(data[-1]["village"], self.data.units.village_a)
		fieldnames = {c["fieldname"] for c in columns}
		self.assertNotIn("outcomes_filed", fieldnames)
		self.assertNotIn("overdue", data[0])

	def test_query_count_does_not_grow_with_the_rows(self):
		"""Set-based: the same number of queries for one village as for the whole county."""
		counts = []
		for unit in (self.data.units.village_b, self.data.units.county):
			queries = []
			orig_sql = frappe.db.__class__.sql

			def counting_sql(db, *args, **kwargs):
				queries.append(args[0])
				return orig_sql(db, *args, **kwargs)

			frappe.db.__class__.sql = counting_sql
			try:
				self.run_report(community_unit=unit)
			finally:
				frappe.db.__class__.sql = orig_sql
			counts.append(len(queries))
		self.assertEqual(counts[0], counts[1])
		self.assertLessEqual(counts[1], 6, "\n\n".join(queries))

	def test_export_through_frappe_report_export(self):
		# the desk's Export (`frappe.desk.query_report.export_query`, as hooks.py overrides it); a township's
		# return is live (a county's is prepared: tests/test_prepared_returns.py)
		from community_consultation.overrides.read_only_endpoints import export_query

		frappe.form_dict.update(
			{
				"report_name": "Consultation Annual Return Figures",
				"file_format_type": "CSV",
				"filters": frappe.as_json({"year": self.year, "community_unit": self.data.units.township}),
				"visible_idx": "[]",
				"include_indentation": 1,
			}
		)
		try:
			export_query()
		finally:
			for key in ("report_name", "file_format_type", "filters", "visible_idx", "include_indentation"):
				frappe.form_dict.pop(key, None)
		content = frappe.response["filecontent"]
		content = content.decode() if isinstance(content, bytes) else content
		self.assertIn("Sessions Held", content)
		self.assertIn(self.data.units.village_a, content)
		self.assertIn(self.data.units.village_b, content)
