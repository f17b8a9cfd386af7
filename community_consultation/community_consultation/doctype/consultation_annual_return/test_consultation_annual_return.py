# Copyright (c) 2026, community_consultation developers and Contributors
# See license.txt

import frappe
from frappe.utils import getdate

from community_consultation.reporting.figures import RETURN_FIGURES
from community_consultation.tests.report_data import (
	EXPECTED_VILLAGE_A,
	EXPECTED_VILLAGE_B,
	ReportDataTestCase,
	expected_total,
)
from community_consultation.tests.users import make_user

FIGURES = [f for f, _label, _type in RETURN_FIGURES]


class TestConsultationAnnualReturn(ReportDataTestCase):
	def new_return(self, year=None, county=None, **kw):
		return frappe.get_doc(
			{
				"doctype": "Consultation Annual Return",
				"county": county or self.data.units.county,
				"year": year or self.year,
				"work_summary": "<p>全县各镇村按工作方案开展协商。</p>",
				**kw,
			}
		).insert()

	def test_fill_from_report_copies_the_county_figures(self):
		doc = self.new_return()
		doc.fill_from_report()
		doc.reload()
		self.assertEqual(
			{f: doc.get(f) for f in FIGURES}, expected_total(EXPECTED_VILLAGE_A, EXPECTED_VILLAGE_B)
		)
		self.assertEqual(doc.townships, 1)
		self.assertEqual(len(doc.township_figures), 1)
		self.assertEqual(doc.township_figures[0].township, self.data.units.township)
		self.assertEqual(doc.township_figures[0].topics, 5)
		self.assertEqual(doc.township_figures[0].overdue, 1)
		breakdown = {(r.dimension, r.item): r.topics for r in doc.breakdown if r.topics}
		categories = {
			c.category_no: c.category_name
			for c in frappe.get_all("Consultation Category", ["category_no", "category_name"])
		}
		self.assertEqual(
			breakdown,
			{
				("Category", categories[1]): 1,
				("Category", categories[5]): 2,
				("Category", categories[8]): 2,
				("Form", "党群联席会议"): 3,
				("Form", "民主听证会"): 1,
				("Form", "民主恳谈会"): 1,
			},
		)
		self.assertTrue(doc.figures_as_of)

	def test_due_on_31_december_and_submitted_on_time(self):
		doc = self.new_return()
		self.assertEqual(getdate(doc.due_date), getdate(f"{self.year}-12-31"))
		self.assertEqual(doc.status, "Draft")
		doc.submit()
		self.assertEqual(doc.status, "Submitted")
		self.assertEqual(doc.is_late, 0)
		self.assertEqual(doc.submitted_by, "Administrator")
		# submitting fills the figures, whatever was typed into the draft
		self.assertEqual(doc.topics, 5)
		self.assertEqual(doc.sessions, 5)

	def test_late_return_needs_a_reason_and_is_flagged(self):
		doc = self.new_return(year=self.year - 1)
		self.assertRaisesRegex(frappe.ValidationError, "late submission", doc.submit)
		doc.reload()
		self.assertEqual(doc.docstatus, 0)
		doc.late_reason = "人员调整，汇总延误"
		doc.submit()
		self.assertEqual((doc.status, doc.is_late), ("Submitted Late", 1))

	def test_one_return_per_county_and_year(self):
		first = self.new_return()
		self.assertRaisesRegex(frappe.ValidationError, "already has the return", self.new_return)
		first.submit()
		first.cancel()
		self.assertEqual(frappe.db.get_value("Consultation Annual Return", first.name, "status"), "Cancelled")
		self.new_return()  # the cancelled one no longer counts

	def test_only_a_county_makes_a_return(self):
		self.assertRaisesRegex(
			frappe.ValidationError, "made by a county", self.new_return, county=self.data.units.township
		)

	def test_no_return_for_a_year_not_begun(self):
		self.assertRaisesRegex(frappe.ValidationError, "has begun", self.new_return, year=self.year + 1)

	def test_work_summary_required_to_submit(self):
		doc = self.new_return(work_summary="<p> </p>")
		self.assertRaisesRegex(frappe.ValidationError, "work summary", doc.submit)

	def test_user_not_seeing_the_whole_county_cannot_fill_it(self):
		doc = self.new_return()
		officer = make_user("return-officer@example.com", ["Township Officer"], [self.data.units.village_a])
		frappe.set_user(officer)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Consultation Annual Return", doc.name).fill_from_report()

	def test_county_staff_limited_to_the_county_fill_it(self):
		staff = make_user(
			"return-county@example.com", ["Consultation Administrator"], [self.data.units.county]
		)
		frappe.set_user(staff)
		doc = self.new_return()
		doc.fill_from_report()
		self.assertEqual(doc.topics, 5)
		self.assertEqual(doc.attended, 16)
