# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import format_date, getdate, nowdate

from community_consultation.notices.catalogue import CORRECTION_OVERDUE
from community_consultation.notices.delivery import send_notice
from community_consultation.notices.recipients import unit_users, user_recipient
from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types
from community_consultation.overrides.row_locking import RowLocking
from community_consultation.permissions import validate_unit_access, whitelist_action
from community_consultation.procedure.lifecycle import LifeCycle, State
from community_consultation.procedure.scheduling import follow_the_calendar
from community_consultation.setup.roles import (
	COMMUNITY_SECRETARY,
	CONSULTATION_ADMINISTRATOR,
	SUPERVISION_COMMITTEE_MEMBER,
	SYSTEM_MANAGER,
	TOWNSHIP_OFFICER,
)
from community_consultation.units.names import display_name
from community_consultation.units.tree import VILLAGE_TYPES, unit_type

INSPECTORS = (TOWNSHIP_OFFICER, CONSULTATION_ADMINISTRATOR, SYSTEM_MANAGER)


_OPEN_CORRECTION = """exists(select 1 from `tabInspection Correction` c where c.parent = {t}.name
	and c.parenttype = 'Consultation Inspection' and c.closed_on is null"""

# §三(三): an inspection's states, judged in this order (community_consultation/procedure/lifecycle.py),
# once its corrections' own statuses are set (`set_status`); those with corrections still to close are
# `open` (the daily job and the township's overview follow them)
LIFE_CYCLE = LifeCycle(
	"Consultation Inspection",
	(
		State("Cancelled", lambda doc: doc.docstatus == 2, "{t}.docstatus = 2", colour="red"),
		State("Draft", lambda doc: doc.docstatus == 0, "{t}.docstatus = 0", colour="gray"),
		State(
			"No Corrections",
			lambda doc: not doc.corrections,
			"""not exists(select 1 from `tabInspection Correction` c where c.parent = {t}.name
			and c.parenttype = 'Consultation Inspection')""",
			colour="green",
		),
		State(
			"Corrections Closed",
			lambda doc: all(row.status == "Closed" for row in doc.corrections),
			"not " + _OPEN_CORRECTION + ")",
			colour="green",
		),
		State(
			"Corrections Overdue",
			lambda doc: any(row.status == "Overdue" for row in doc.corrections),
			_OPEN_CORRECTION + " and c.deadline < {today})",
			colour="red",
			open=True,
		),
		State("Corrections Open", lambda doc: True, "1 = 1", colour="orange", open=True),
	),
)


class InspectionUnitError(frappe.ValidationError):
	"""An inspection of a unit that is no village or community."""


class InspectionDateError(frappe.ValidationError):
	"""An inspection dated in the future, or a correction due before the inspection."""


class InspectionRightsError(frappe.PermissionError):
	"""The village answers the corrections; the inspection itself is the inspectors' record."""


class CorrectionChangeError(frappe.ValidationError):
	"""A required correction changed or removed after the inspection was recorded, or closed unanswered."""


class ConsultationInspection(PayloadGuard, RowLocking, Document):
	"""The township's or county's inspection of a village's consultation work (§三(三): organisation and
	civil-affairs departments check and guide consultation and follow up): what was checked, the findings,
	the corrections required with their deadlines, and the village's answer to each. Submitting records
	it; open corrections are followed like outcomes (Open → Overdue → Closed)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from community_consultation.community_consultation.doctype.inspection_correction.inspection_correction import (
			InspectionCorrection,
		)

		amended_from: DF.Link | None
		checked: DF.SmallText
		community_unit: DF.Link
		corrections: DF.Table[InspectionCorrection]
		findings: DF.TextEditor
		inspected_on: DF.Date
		inspecting_body: DF.Data
		inspectors: DF.Data | None
		status: DF.Literal[
			"Draft",
			"No Corrections",
			"Corrections Open",
			"Corrections Overdue",
			"Corrections Closed",
			"Cancelled",
		]
	# end: auto-generated types

	LIFE_CYCLE = LIFE_CYCLE

	def before_validate(self):
		validate_field_types(self)

	def validate(self):
		validate_unit_access(self)
		self.validate_inspectors_record()
		self.validate_unit()
		self.validate_dates()
		self.set_status()

	def before_update_after_submit(self):
		validate_unit_access(self)
		self.validate_corrections_kept()
		self.validate_answers()
		self.set_status()

	def on_submit(self):
		self.set_status()
		self.db_set("status", self.status, update_modified=False)

	def on_cancel(self):
		self.db_set("status", LIFE_CYCLE.status(self), update_modified=False)

	def validate_inspectors_record(self):
		"""§三(三): the inspection is recorded by the township's or county's staff."""
		if frappe.session.user == "Administrator" or set(frappe.get_roles()).intersection(INSPECTORS):
			return
		frappe.throw(
			_(
				"An inspection is recorded by the township's or county's staff; the village answers its corrections."
			),
			InspectionRightsError,
		)

	def validate_unit(self):
		if unit_type(self.community_unit) not in VILLAGE_TYPES:
			frappe.throw(
				_(
					"{0} is not a village or community: inspections check a village's or community's consultation work."
				).format(frappe.bold(self.community_unit)),
				InspectionUnitError,
			)

	def validate_dates(self):
		if getdate(self.inspected_on) > getdate(nowdate()):
			frappe.throw(_("Inspected On cannot be in the future."), InspectionDateError)
		for row in self.corrections:
			if getdate(row.deadline) < getdate(self.inspected_on):
				frappe.throw(
					_("Row {0}: the correction's deadline is before the inspection.").format(row.idx),
					InspectionDateError,
				)
			row.closed_on = None if self.docstatus == 0 else row.closed_on

	def validate_corrections_kept(self):
		"""The corrections required are the inspection's record: they are neither changed nor removed."""
		before = self.get_doc_before_save()
		if not before:
			return
		now = {row.name: row for row in self.corrections}
		closing = self.__dict__.get("_closing")
		for old in before.corrections:
			row = now.get(old.name)
			if (
				not row
				or row.requirement != old.requirement
				or str(row.deadline) != str(old.deadline)
				or (str(row.closed_on or "") != str(old.closed_on or "") and row.name != closing)
			):
				frappe.throw(
					_(
						"The corrections required by the inspection cannot be changed or removed; the village answers them."
					),
					CorrectionChangeError,
				)
		if len(self.corrections) != len(before.corrections):
			frappe.throw(
				_("Corrections are added to a new inspection, not to a recorded one."), CorrectionChangeError
			)

	def validate_answers(self):
		for row in self.corrections:
			if row.answered_on and getdate(row.answered_on) > getdate(nowdate()):
				frappe.throw(
					_("Row {0}: Answered On cannot be in the future.").format(row.idx), InspectionDateError
				)
			if (row.village_answer or "").strip() and not row.answered_on:
				row.answered_on = nowdate()

	def set_status(self, today=None):
		today = getdate(today or nowdate())
		for row in self.corrections:
			if row.closed_on:
				row.status = "Closed"
			else:
				row.status = "Overdue" if self.docstatus == 1 and getdate(row.deadline) < today else "Open"
		self.status = LIFE_CYCLE.status(self)

	@whitelist_action
	def close_correction(self, row: str):
		"""The inspectors close a correction the village has answered."""
		self.check_permission("write")
		self.validate_inspectors_record()
		correction = next((r for r in self.corrections if r.name == row), None)
		if not correction:
			frappe.throw(_("No such correction in this inspection."))
		if not (correction.village_answer or "").strip():
			frappe.throw(_("The village has not answered this correction yet."), CorrectionChangeError)
		correction.closed_on = nowdate()
		self.__dict__["_closing"] = row
		try:
			self.save()
		finally:
			self.__dict__.pop("_closing", None)
		return self.status

	def follow_the_calendar(self, today=None):
		before = self.status
		rows = {row.name: row.status for row in self.corrections}
		self.set_status(today)
		for row in self.corrections:
			if row.status != rows[row.name]:
				row.db_update()
			if row.status == "Overdue":
				notify_correction_overdue(self, row)
		if self.status != before:
			self.db_set("status", self.status, update_modified=False)


def notify_correction_overdue(inspection, row):
	"""§三(三): the inspectors, the village's secretary and the supervision committee hear of a correction
	past its deadline (once per correction and deadline), as of an overdue outcome."""
	roles = (TOWNSHIP_OFFICER, COMMUNITY_SECRETARY, SUPERVISION_COMMITTEE_MEMBER)
	users = unit_users(inspection.community_unit, roles, inspection.doctype)
	return send_notice(
		CORRECTION_OVERDUE,
		inspection,
		[r for r in (user_recipient(u) for u in users) if r],
		inspection.community_unit,
		period=f"{row.name}:{row.deadline}",
		context={
			"village": display_name(inspection.community_unit),
			"deadline": format_date(row.deadline, "yyyy-MM-dd"),
			"requirement": row.requirement or "",
		},
	)


def follow_open_corrections(today=None):
	"""Daily job: corrections past their deadline become Overdue (each inspection on its own)."""
	names = frappe.get_all(
		"Consultation Inspection",
		filters={"docstatus": 1, "status": ("in", LIFE_CYCLE.names(open=True))},
		pluck="name",
	)
	return follow_the_calendar("Consultation Inspection", names, _("Inspection follow-up failed"), today)
