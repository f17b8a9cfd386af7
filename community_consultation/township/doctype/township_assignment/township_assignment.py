# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html, format_date, getdate, nowdate

from community_consultation.notices.catalogue import REPORT_BACK_OVERDUE
from community_consultation.notices.delivery import send_notice
from community_consultation.notices.recipients import unit_users, user_recipient
from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types
from community_consultation.overrides.row_locking import RowLocking
from community_consultation.permissions import validate_unit_access, whitelist_action
from community_consultation.procedure.lifecycle import LifeCycle, State
from community_consultation.procedure.scheduling import follow_the_calendar
from community_consultation.setup.roles import COMMITTEE_CLERK, COMMUNITY_SECRETARY, TOWNSHIP_OFFICER
from community_consultation.township.queries import report_status
from community_consultation.units.names import display_name
from community_consultation.units.tree import NotATownshipError, is_township, validate_village_of_township

_AWAITING_REPORT = """exists(select 1 from `tabTownship Assignment Village` v where v.parent = {t}.name
	and v.parenttype = 'Township Assignment' and v.reported_on is null)"""

# §三(二), 二(六): an entrusted matter's states, judged in this order (community_consultation/procedure/
# lifecycle.py), once its villages' report statuses are set (`set_report_statuses`); those still waiting
# on a report back are `open` (the daily job follows them)
LIFE_CYCLE = LifeCycle(
	"Township Assignment",
	(
		State("Draft", lambda doc: not doc.assigned_on, "{t}.assigned_on is null", colour="gray"),
		State(
			"Reported Back",
			lambda doc: all(row.reported_on for row in doc.villages),
			"not " + _AWAITING_REPORT,
			colour="green",
		),
		State(
			"Overdue",
			lambda doc: any(row.report_status == "Overdue" for row in doc.villages),
			_AWAITING_REPORT + " and {t}.report_back_by < {today}",
			colour="red",
			open=True,
		),
		State("Assigned", lambda doc: True, "1 = 1", colour="blue", open=True),
	),
)


class ReportBackDateError(frappe.ValidationError):
	"""A report-back deadline in the past."""


class AssignedVillageError(frappe.ValidationError):
	"""A village listed twice, or removed after its topic was made."""


class TownshipAssignment(PayloadGuard, RowLocking, Document):
	"""A matter entrusted by the government or a department, assigned by the township to its villages
	(§二(六), 二(一) catalogue item 1): each village gets its own topic, and reports the result back by the
	deadline (Entrusted Matter Report). The rows show every village's state at a glance."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from community_consultation.community_consultation.doctype.township_assignment_village.township_assignment_village import (
			TownshipAssignmentVillage,
		)

		assigned_on: DF.Date | None
		category: DF.Link
		community_unit: DF.Link
		description: DF.TextEditor
		entrusted_by: DF.Data
		report_back_by: DF.Date
		status: DF.Literal["Draft", "Assigned", "Overdue", "Reported Back"]
		title: DF.Data
		villages: DF.Table[TownshipAssignmentVillage]
	# end: auto-generated types

	LIFE_CYCLE = LIFE_CYCLE

	def before_validate(self):
		validate_field_types(self)

	def validate(self):
		validate_unit_access(self)
		self.validate_township()
		self.validate_villages()
		self.validate_report_back_by()
		self.set_report_statuses()

	def on_trash(self):
		if any(row.topic for row in self.villages):
			frappe.throw(_("An assignment whose villages have their topics cannot be deleted."))

	def validate_township(self):
		"""§三(二): a township (street office) assigns matters to its villages."""
		if not is_township(self.community_unit):
			frappe.throw(
				_("{0} is not a township or street office.").format(frappe.bold(self.community_unit)),
				NotATownshipError,
			)

	def validate_villages(self):
		"""Each village once, each of the township; a village whose topic was made stays listed."""
		seen = set()
		for row in self.villages:
			validate_village_of_township(row.village, self.community_unit)
			if row.village in seen:
				frappe.throw(
					_("Row {0}: {1} is listed twice.").format(row.idx, frappe.bold(row.village)),
					AssignedVillageError,
				)
			seen.add(row.village)
		before = self.get_doc_before_save()
		if before:
			kept = {row.village: row for row in self.villages}
			for row in before.villages:
				if row.topic and (row.village not in kept or kept[row.village].topic != row.topic):
					frappe.throw(
						_("{0} already has its topic {1}: it stays in the assignment.").format(
							frappe.bold(row.village), row.topic
						),
						AssignedVillageError,
					)

	def validate_report_back_by(self):
		"""§二(六): the deadline for reporting back is not in the past when it is set."""
		before = self.get_doc_before_save()
		if before and str(before.report_back_by) == str(self.report_back_by):
			return
		if getdate(self.report_back_by) < getdate(nowdate()):
			frappe.throw(_("Report Back By cannot be in the past."), ReportBackDateError)

	def set_report_statuses(self, today=None):
		for row in self.villages:
			row.report_status = report_status(self.report_back_by, row.reported_on, today)
		self.status = LIFE_CYCLE.status(self)

	@whitelist_action
	def assign(self) -> list[str]:
		"""Each listed village without its topic gets one: the matter, a Government Entrustment topic of
		the village, for the village's own review and consultation. Calling it again makes no duplicate."""
		self.check_permission("write")
		made = []
		for row in self.villages:
			if row.topic:
				continue
			topic = frappe.get_doc(
				{
					"doctype": "Consultation Topic",
					"title": self.title,
					"description": self.topic_description(),
					"category": self.category,
					"community_unit": row.village,
					"source_channel": "Government Entrustment",
					"proposed_on": nowdate(),
				}
			).insert()
			row.topic = topic.name
			made.append(topic.name)
		self.assigned_on = self.assigned_on or nowdate()
		self.save()
		return made

	def topic_description(self) -> str:
		return "{}<p>{}</p>".format(
			self.description or "",
			escape_html(
				_("Entrusted by {0}, assigned by {1} ({2}): report the result back by {3}.").format(
					self.entrusted_by, self.community_unit, self.name, format_date(self.report_back_by)
				)
			),
		)

	def record_report(self, village: str, report: str | None, reported_on=None):
		"""A village's report back was saved (or deleted): its row shows it."""
		for row in self.villages:
			if row.village == village:
				row.report = report
				row.reported_on = reported_on if report else None
		self.set_report_statuses()
		for row in self.villages:
			row.db_update()
		self.db_set("status", self.status, update_modified=False)

	def follow_the_calendar(self, today=None):
		"""Daily: rows past the deadline without a report become Overdue, and the township hears of each
		once (§二(六), like an overdue outcome)."""
		before = {row.name: row.report_status for row in self.villages}
		self.set_report_statuses(today)
		for row in self.villages:
			if row.report_status != before[row.name]:
				row.db_update()
			if row.report_status == "Overdue":
				notify_report_back_overdue(self, row)
		self.db_set("status", self.status, update_modified=False)


def notify_report_back_overdue(assignment, row):
	"""The township's officers and the village's secretary hear of a report back that is overdue."""
	users = unit_users(assignment.community_unit, (TOWNSHIP_OFFICER,), assignment.doctype)
	users += unit_users(row.village, (COMMUNITY_SECRETARY, COMMITTEE_CLERK), "Consultation Topic")
	recipients = [r for r in (user_recipient(u) for u in dict.fromkeys(users)) if r]
	return send_notice(
		REPORT_BACK_OVERDUE,
		assignment,
		recipients,
		assignment.community_unit,
		period=f"{row.village}:{assignment.report_back_by}",
		context={
			"village": display_name(row.village),
			"deadline": format_date(assignment.report_back_by, "yyyy-MM-dd"),
			"topic": row.topic or "",
		},
	)


def follow_report_backs(today=None):
	"""Daily job: each assignment still waiting on a report back, on its own."""
	names = frappe.get_all(
		"Township Assignment",
		filters={
			"status": ("in", LIFE_CYCLE.names(open=True)),
			"report_back_by": ("<", getdate(today or nowdate())),
		},
		pluck="name",
	)
	return follow_the_calendar("Township Assignment", names, _("Report-back follow-up failed"), today)


def assignment_of_topic(topic: str) -> frappe._dict | None:
	"""The assignment a village topic carries out, with its row (village, deadline)."""
	row = frappe.db.get_value(
		"Township Assignment Village",
		{"topic": topic, "parenttype": "Township Assignment"},
		["parent", "village", "name"],
		as_dict=True,
	)
	if not row:
		return None
	row.report_back_by = frappe.db.get_value("Township Assignment", row.parent, "report_back_by")
	return row
