# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

"""One notice the app sent to one person: what, about which record, when and how (§二(五)2, 二(五)4, 二(六)).

Written by `community_consultation.notices` only, and only for a notice at least one channel took; read
by the clerks of the unit so they see who was told. Never edited."""

import frappe
from frappe import _
from frappe.model.document import Document

from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types
from community_consultation.overrides.row_locking import RowLocking


class ConsultationNoticeLog(PayloadGuard, RowLocking, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		channels: DF.Data | None
		community_unit: DF.Link
		notice_type: DF.Literal[
			"Session Notice",
			"Outcome Filed",
			"Publicity Started",
			"Deadline Reminder",
			"Deadline Day",
			"Outcome Overdue",
			"Annual Return Reminder",
			"Report Back Overdue",
			"Plan Reminder",
			"Correction Overdue",
		]
		period: DF.Data | None
		recipient_name: DF.Data | None
		recipient_user: DF.Link | None
		reference_doctype: DF.Link
		reference_name: DF.DynamicLink
		sent_on: DF.Datetime
		stakeholder: DF.Link | None
		subject: DF.SmallText | None

	# end: auto-generated types
	def before_validate(self):
		validate_field_types(self)

	def validate(self):
		if not self.is_new():
			frappe.throw(_("A notice log is a record of what was sent and cannot be changed."))


def on_doctype_update():
	frappe.db.add_index("Consultation Notice Log", ["reference_doctype", "reference_name"])
