# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

import datetime

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, cint, date_diff, format_date, getdate, nowdate

from community_consultation.notices.catalogue import PLAN_REMINDER
from community_consultation.notices.delivery import send_notice
from community_consultation.notices.recipients import unit_users, user_recipient
from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types
from community_consultation.overrides.row_locking import RowLocking
from community_consultation.permissions import validate_unit_access
from community_consultation.procedure.scheduling import each_on_its_own
from community_consultation.setup.roles import COMMITTEE_CLERK, COMMUNITY_SECRETARY
from community_consultation.township.queries import held_on_day_sql
from community_consultation.units.tree import VILLAGE_TYPES, unit_type

# planned dates kept: the plan's unit (or a unit beneath it) held a consultation activity on the planned
# day — a concluded session or meeting of the decision bodies (`queries.held_on_day_sql`); formatted
# with the aliases of the plan ({p}) and its date row ({d})
KEPT_SQL = (
	"exists(select 1 from `tabCommunity Unit` pu where pu.name = {p}.community_unit and "
	+ held_on_day_sql("pu", "{d}.planned_on")
	+ ")"
)


class PlanUnitError(frappe.ValidationError):
	"""A consultation plan of a unit that is no village or community."""


class DuplicatePlanError(frappe.ValidationError):
	"""A second plan of the same unit for the same year."""


class PlanDateError(frappe.ValidationError):
	"""A planned date outside the plan's year, twice, or a fixed day that is not in every month."""


class ConsultationPlan(PayloadGuard, RowLocking, Document):
	"""A village's or community's yearly plan of regular consultation (定期协商, §三(二)): a fixed
	consultation day each month, the quarterly representatives' meeting. Its dates remind the clerk
	ahead of time; the annual return counts the dates kept (a session or a meeting of the decision bodies
	concluded that day, `KEPT_SQL`)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from community_consultation.community_consultation.doctype.consultation_plan_date.consultation_plan_date import (
			ConsultationPlanDate,
		)

		community_unit: DF.Link
		dates: DF.Table[ConsultationPlanDate]
		monthly_day: DF.Int
		quarterly_meeting: DF.Check
		reminder_days: DF.Int
		year: DF.Int
	# end: auto-generated types

	def before_validate(self):
		validate_field_types(self)

	def validate(self):
		validate_unit_access(self)
		self.validate_unit()
		self.validate_unique()
		self.validate_monthly_day()
		self.make_dates()
		self.validate_dates()

	def validate_unit(self):
		if unit_type(self.community_unit) not in VILLAGE_TYPES:
			frappe.throw(_("A consultation plan belongs to a village or community."), PlanUnitError)

	def validate_unique(self):
		existing = frappe.db.get_value(
			"Consultation Plan",
			{
				"community_unit": self.community_unit,
				"year": self.year,
				"name": ("!=", "" if self.is_new() else self.name),
			},
		)
		if existing:
			frappe.throw(
				_("{0} already has its consultation plan for {1}: {2}.").format(
					frappe.bold(self.community_unit), self.year, existing
				),
				DuplicatePlanError,
			)

	def validate_monthly_day(self):
		if self.monthly_day and not 1 <= cint(self.monthly_day) <= 28:
			frappe.throw(_("The fixed day of the month is between 1 and 28."), PlanDateError)
		if cint(self.reminder_days) < 0:
			frappe.throw(_("Remind Days Ahead cannot be negative."), PlanDateError)

	def make_dates(self):
		"""With a fixed day and no dates yet: one consultation day each month, and the quarterly
		representatives' meeting on the first consultation day of each quarter, named in the site's
		language."""
		if self.dates or not self.monthly_day:
			return
		# the rows are the village's record, which everyone reads and the clerk may edit: written in the
		# site's language, not in that of whoever saved the plan first
		lang = frappe.db.get_single_value("System Settings", "language") or "zh"
		for month in range(1, 13):
			meeting = _("Consultation day", lang=lang)
			if self.quarterly_meeting and month in (1, 4, 7, 10):
				meeting = _("Consultation day; quarterly representatives' meeting", lang=lang)
			self.append(
				"dates",
				{
					"planned_on": datetime.date(cint(self.year), month, cint(self.monthly_day)),
					"meeting": meeting,
				},
			)

	def validate_dates(self):
		seen = set()
		for row in self.dates:
			day = getdate(row.planned_on)
			if day.year != cint(self.year):
				frappe.throw(
					_("Row {0}: {1} is not in {2}.").format(row.idx, format_date(day), self.year),
					PlanDateError,
				)
			if day in seen:
				frappe.throw(
					_("Row {0}: {1} is planned twice.").format(row.idx, format_date(day)), PlanDateError
				)
			seen.add(day)
		self.dates.sort(key=lambda r: getdate(r.planned_on))
		for i, row in enumerate(self.dates, 1):
			row.idx = i

	def remind(self, today=None):
		"""The clerk and the secretary hear of a planned date `reminder_days` ahead (and until it)."""
		today = getdate(today or nowdate())
		ahead = cint(self.reminder_days)
		users = unit_users(
			self.community_unit, (COMMITTEE_CLERK, COMMUNITY_SECRETARY), "Consultation Session"
		)
		recipients = [r for r in (user_recipient(u) for u in users) if r]
		for row in self.dates:
			days_left = date_diff(row.planned_on, today)
			if row.reminded_on or not 0 <= days_left <= ahead:
				continue
			sent = send_notice(
				PLAN_REMINDER,
				self,
				recipients,
				self.community_unit,
				period=str(row.planned_on),
				context={
					"planned_on": format_date(row.planned_on, "yyyy-MM-dd"),
					"meeting": row.meeting or "",
				},
			)
			if sent:
				row.db_set("reminded_on", today, update_modified=False)


def send_plan_reminders(today=None):
	"""Daily job: each plan with a date coming up within its reminder days, on its own."""
	today = getdate(today or nowdate())
	names = frappe.db.sql_list(
		"""select distinct p.name from `tabConsultation Plan` p
		join `tabConsultation Plan Date` d on d.parent = p.name and d.parenttype = 'Consultation Plan'
		where d.reminded_on is null and d.planned_on >= %(today)s
		and d.planned_on <= date_add(%(today)s, interval p.reminder_days day)""",
		{"today": today},
	)
	return each_on_its_own(
		"Consultation Plan", names, lambda doc: doc.remind(today), _("Consultation plan reminder failed")
	)


def planned_dates(start, end, user: str | None = None) -> list[frappe._dict]:
	"""The planned dates between `start` and `end` within the user's units, with whether each was kept."""
	from community_consultation.permissions import unit_condition_sql

	return frappe.db.sql(
		f"""select p.name as plan, p.community_unit, d.planned_on, d.meeting,
			{KEPT_SQL.format(p="p", d="d")} as kept
		from `tabConsultation Plan` p
		join `tabConsultation Plan Date` d on d.parent = p.name and d.parenttype = 'Consultation Plan'
		where d.planned_on between %(start)s and %(end)s
		and {unit_condition_sql("p.community_unit", user, "Consultation Plan")}
		order by d.planned_on""",
		{"start": getdate(start), "end": getdate(end or add_days(start, 31))},
		as_dict=True,
	)


@frappe.whitelist()
def get_events(start: str, end: str, filters: str | list | None = None, **kwargs) -> list[dict]:
	"""The desk calendar of the plans (consultation_plan_calendar.js): each planned date between `start`
	and `end`, within the user's units, marked kept or not."""
	frappe.has_permission("Consultation Plan", "read", throw=True)
	events = []
	for row in planned_dates(getdate(start), getdate(end)):
		title = "{} · {}".format(row.community_unit, row.meeting or _("Consultation day"))
		events.append(
			{
				"name": row.plan,
				"title": f"✓ {title}" if row.kept else title,
				"planned_on": row.planned_on,
				"all_day": 1,
				"color": "#2e7d32" if row.kept else None,
			}
		)
	return events
