# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import format_date, getdate, nowdate, strip_html

from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types
from community_consultation.permissions import validate_unit_access
from community_consultation.township.doctype.township_assignment.township_assignment import (
	assignment_of_topic,
)


class NotAnEntrustedMatterError(frappe.ValidationError):
	"""A report back for a topic that carries out no township assignment."""


class DuplicateReportError(frappe.ValidationError):
	"""A second report back for the same topic."""


class ReportDateError(frappe.ValidationError):
	"""A report back dated before its matter was assigned, or in the future."""


class EntrustedMatterReport(PayloadGuard, Document):
	"""The village's report back to the township on an entrusted matter (§二(六): the result of a matter
	entrusted by the government or a department is reported to it promptly): date, content, attachment.
	Saving it marks the village's row of the assignment reported, on time or late."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		attachment: DF.Attach | None
		community_unit: DF.Link | None
		content: DF.TextEditor
		outcome: DF.Link | None
		report_back_by: DF.Date | None
		reported_on: DF.Date
		topic: DF.Link
		topic_title: DF.Data | None
		township_assignment: DF.Link | None
	# end: auto-generated types

	def before_validate(self):
		validate_field_types(self)

	def validate(self):
		self.set_from_topic()
		validate_unit_access(self)
		self.validate_one_per_topic()
		self.validate_reported_on()
		self.validate_content()
		self.validate_outcome()

	def on_update(self):
		self.update_assignment(self.name)

	def on_trash(self):
		self.update_assignment(None)

	def set_from_topic(self):
		"""§二(六): only a topic that carries out a township's assignment is reported back on."""
		self.community_unit = frappe.db.get_value("Consultation Topic", self.topic, "community_unit")
		row = assignment_of_topic(self.topic)
		if not row:
			frappe.throw(
				_(
					"Topic {0} carries out no matter assigned by the township: there is nothing to report back."
				).format(frappe.bold(self.topic)),
				NotAnEntrustedMatterError,
			)
		self.township_assignment = row.parent
		self.report_back_by = row.report_back_by

	def validate_one_per_topic(self):
		existing = frappe.db.get_value(
			"Entrusted Matter Report", {"topic": self.topic, "name": ("!=", self.name or "")}
		)
		if existing:
			frappe.throw(
				_("The result of this topic was already reported back ({0}).").format(frappe.bold(existing)),
				DuplicateReportError,
			)

	def validate_reported_on(self):
		"""§二(六): the result of an entrusted matter is reported back after the township assigned it to
		the village, and not in the future; otherwise a report typed with an early date would show as
		reported on time."""
		if getdate(self.reported_on) > getdate(nowdate()):
			frappe.throw(_("Reported On cannot be in the future."), ReportDateError)
		assigned_on = frappe.db.get_value("Township Assignment", self.township_assignment, "assigned_on")
		if assigned_on and getdate(self.reported_on) < getdate(assigned_on):
			frappe.throw(
				_("Reported On cannot be before the matter was assigned to the village ({0}).").format(
					format_date(assigned_on)
				),
				ReportDateError,
			)

	def validate_content(self):
		if not strip_html(self.content or "").strip():
			frappe.throw(_("Say what result is reported back."))

	def validate_outcome(self):
		if self.outcome and frappe.db.get_value("Consultation Outcome", self.outcome, "topic") != self.topic:
			frappe.throw(_("Outcome {0} is not an outcome of this topic.").format(frappe.bold(self.outcome)))

	def update_assignment(self, report: str | None):
		row = assignment_of_topic(self.topic)
		if row:
			assignment = frappe.get_doc("Township Assignment", row.parent)
			assignment.record_report(row.village, report, self.reported_on)
