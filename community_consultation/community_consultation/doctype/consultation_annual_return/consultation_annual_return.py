# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

"""The annual return of a county's consultation work, as a record (work plan 三: each county reports its
consultation work every year before the end of December to the city's Organisation Department and
Civil Affairs Bureau).

The figures come from the Consultation Annual Return Figures report: filled on demand (`fill_from_report`) to
review them, and filled again when the return is submitted, so a submitted return always carries the
system's figures at its submission; a return submitted after 31 December of its year is flagged late and needs
the reason."""

import datetime

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, getdate, now_datetime, nowdate

from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types
from community_consultation.overrides.row_locking import (
	RowLocking,
	ensure_series_row,
	existing_record,
	lock_row,
)
from community_consultation.permissions import unit_scope, whitelist_action
from community_consultation.procedure.lifecycle import LifeCycle, State
from community_consultation.reporting.figures import RETURN_FIGURES, get_return_rows
from community_consultation.units.tree import COUNTY, unit_in_ranges

FIGURE_FIELDS = tuple(f for f, _label, _type in RETURN_FIGURES)

# 三: a return's states, judged in this order (community_consultation/procedure/lifecycle.py)
LIFE_CYCLE = LifeCycle(
	"Consultation Annual Return",
	(
		State("Cancelled", lambda doc: doc.docstatus == 2, "{t}.docstatus = 2", colour="gray"),
		State(
			"Submitted Late",
			lambda doc: doc.docstatus == 1 and bool(cint(doc.is_late)),
			"{t}.docstatus = 1 and {t}.is_late = 1",
			colour="orange",
		),
		State("Submitted", lambda doc: doc.docstatus == 1, "{t}.docstatus = 1", colour="green"),
		State("Draft", lambda doc: True, "{t}.docstatus = 0", colour="red"),
	),
)


class ConsultationAnnualReturn(PayloadGuard, RowLocking, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from community_consultation.community_consultation.doctype.consultation_annual_return_breakdown.consultation_annual_return_breakdown import (
			ConsultationAnnualReturnBreakdown,
		)
		from community_consultation.community_consultation.doctype.consultation_annual_return_township.consultation_annual_return_township import (
			ConsultationAnnualReturnTownship,
		)

		amended_from: DF.Link | None
		attendance_rate: DF.Percent
		attended: DF.Int
		breakdown: DF.Table[ConsultationAnnualReturnBreakdown]
		consensus: DF.Int
		corrections_closed: DF.Int
		county: DF.Link
		due_date: DF.Date | None
		entrusted_assigned: DF.Int
		entrusted_reported_on_time: DF.Int
		escalations: DF.Int
		figures_as_of: DF.Datetime | None
		four_deliberations_completed: DF.Int
		government_entrusted: DF.Int
		implemented: DF.Int
		implemented_on_time: DF.Int
		inspections: DF.Int
		is_late: DF.Check
		late_reason: DF.SmallText | None
		meetings_held: DF.Int
		meetings_inquorate: DF.Int
		next_year_plan: DF.SmallText | None
		outcomes_filed: DF.Int
		overdue: DF.Int
		participants: DF.Int
		period_from: DF.Date | None
		period_to: DF.Date | None
		plan_dates: DF.Int
		plan_dates_kept: DF.Int
		problems: DF.SmallText | None
		referrals: DF.Int
		reported_back: DF.Int
		resolutions_not_passed: DF.Int
		resolutions_passed: DF.Int
		second_rounds: DF.Int
		sessions: DF.Int
		status: DF.Literal["Draft", "Submitted", "Submitted Late", "Cancelled"]
		submitted_by: DF.Link | None
		submitted_on: DF.Datetime | None
		title: DF.Data | None
		topics: DF.Int
		topics_building: DF.Int
		topics_community: DF.Int
		township_figures: DF.Table[ConsultationAnnualReturnTownship]
		township_topics: DF.Int
		townships: DF.Int
		villages: DF.Int
		work_summary: DF.TextEditor | None
		year: DF.Int

	# end: auto-generated types

	LIFE_CYCLE = LIFE_CYCLE

	def before_insert(self):
		ensure_series_row(self)
		self.lock_county()

	def before_validate(self):
		validate_field_types(self)

	def validate(self):
		self.title = f"{self.county} {self.year}"
		self.set_period()
		self.validate_county()
		self.validate_year()
		self.validate_one_return_per_county_and_year()
		self.set_status()

	def before_submit(self):
		self.validate_work_summary()
		# the submitted return carries the system's figures at submission, whatever was typed in
		self.fill_figures()
		self.submitted_by = frappe.session.user
		self.submitted_on = now_datetime()
		self.validate_deadline()
		self.set_status()

	def on_cancel(self):
		self.db_set("status", LIFE_CYCLE.status(self), update_modified=False)

	# ------------------------------------------------------------------ rules

	def set_period(self):
		"""The return covers the calendar year and is due on its 31 December (work plan 三)."""
		if not self.year:
			self.year = getdate(nowdate()).year
		year = cint(self.year)
		if not 2000 <= year <= 2999:
			frappe.throw(_("{0} is not a valid year.").format(self.year), title=_("Invalid year"))
		self.period_from = datetime.date(year, 1, 1)
		self.period_to = datetime.date(year, 12, 31)
		self.due_date = self.period_to

	def validate_county(self):
		"""A return is made by a county (district): the unit must be of type County."""
		unit_type = frappe.db.get_value("Community Unit", self.county, "unit_type")
		if not unit_type:
			frappe.throw(_("Community Unit {0} does not exist.").format(self.county))
		if unit_type != COUNTY:
			frappe.throw(
				_("The annual return is made by a county (district); {0} is a {1}.").format(
					self.county, _(unit_type)
				),
				title=_("Not a county"),
			)

	def validate_year(self):
		"""A return reports a year that has begun: the current year or an earlier one."""
		if cint(self.year) > getdate(nowdate()).year:
			frappe.throw(
				_("The return for {0} cannot be made before that year has begun.").format(self.year),
				title=_("Invalid year"),
			)

	def lock_county(self):
		"""Two returns of one county created at the same moment (two officers, a double click on Save):
		the second waits here until the first is saved, then `validate_one_return_per_county_and_year`
		sees it."""
		if not self.county:
			return
		lock_row("Community Unit", self.county)

	def validate_one_return_per_county_and_year(self):
		"""Work plan 三: one return per county and year (a corrected return amends the cancelled one)."""
		# a new return also sees one committed by a simultaneous save (it waited in lock_county)
		other = existing_record(
			"Consultation Annual Return",
			{"county": self.county, "year": cint(self.year)},
			exclude=self.name,
			committed=self.is_new(),
		)
		if other:
			frappe.throw(
				_(
					"{0} already has the return {1} for {2}: correct that one (cancel and amend) instead."
				).format(self.county, other, self.year),
				title=_("Duplicate return"),
			)

	def validate_work_summary(self):
		if not frappe.utils.strip_html(self.work_summary or "").strip():
			frappe.throw(
				_("Write the work summary (how the county carried out consultation work) before submitting."),
				title=_("Work summary missing"),
			)

	def validate_deadline(self):
		"""Work plan 三: the return is due before the end of December; a later one is flagged late and
		states why."""
		self.is_late = 1 if getdate(self.submitted_on) > getdate(self.due_date) else 0
		if self.is_late and not (self.late_reason or "").strip():
			frappe.throw(
				_("The return for {0} was due on {1}: give the reason for the late submission.").format(
					self.year, frappe.format(self.due_date, "Date")
				),
				title=_("Return submitted late"),
			)

	def set_status(self):
		self.status = LIFE_CYCLE.status(self)

	# ------------------------------------------------------------------ actions

	@whitelist_action
	def fill_from_report(self):
		"""Fill the figures from the Consultation Annual Return Figures for the county and year.

		The figures are those the user may see; a user whose units do not include the whole county
		cannot fill (and so cannot submit) the county's return."""
		self.check_permission("write")
		if self.docstatus != 0:
			frappe.throw(_("The figures of a submitted return cannot be changed; cancel and amend it."))
		self.fill_figures()
		self.save()
		return self

	def fill_figures(self):
		"""Set the figures, per township and per category and form, from one run of the report."""
		self.set_period()
		self.validate_county()
		self.validate_user_sees_county()

		rows, categories, forms = get_return_rows(self.period_from, self.period_to, unit=self.county)
		county_row = next((r for r in rows if r.row_type == "county"), None) or frappe._dict()
		for field in FIGURE_FIELDS:
			self.set(field, county_row.get(field) or 0)
		townships = [r for r in rows if r.row_type == "township"]
		self.townships = len(townships)
		self.set(
			"township_figures",
			[{"township": r.township, **{f: r.get(f) or 0 for f in FIGURE_FIELDS}} for r in townships],
		)
		self.set(
			"breakdown",
			[
				{
					"dimension": "Category",
					"item": c.category_name,
					"topics": county_row.get(f"category_{i}") or 0,
				}
				for i, c in enumerate(categories)
			]
			+ [
				{"dimension": "Form", "item": f.form_name, "topics": county_row.get(f"form_{i}") or 0}
				for i, f in enumerate(forms)
			],
		)
		self.figures_as_of = now_datetime()

	def validate_user_sees_county(self):
		if not unit_in_ranges(self.county, unit_scope(doctype=self.doctype)):
			frappe.throw(
				_("Your units do not include the whole of {0}: its return is filled by county staff.").format(
					self.county
				),
				frappe.PermissionError,
			)


def on_doctype_update():
	frappe.db.add_index("Consultation Annual Return", ["county", "year"])
