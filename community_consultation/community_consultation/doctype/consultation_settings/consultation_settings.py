# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types


class ConsultationSettings(PayloadGuard, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		consensus_threshold: DF.Percent
		deadline_reminder_days: DF.Int
		max_rounds: DF.Int
		min_publicity_days: DF.Int
		notice_lead_time_hours: DF.Int
		progress_interval_days: DF.Int
		silent_village_months: DF.Int

	# end: auto-generated types
	def before_validate(self):
		validate_field_types(self)

	def validate(self):
		if not 0 < (self.consensus_threshold or 0) <= 100:
			frappe.throw(_("The consensus threshold must be more than 0% and at most 100%."))
		if (self.max_rounds or 0) < 1:
			frappe.throw(_("At least one consultation round must be allowed."))
		if (self.min_publicity_days or 0) < 1:
			frappe.throw(_("Publicity lasts at least one day."))


def get_settings():
	"""The procedure's parameters (cached; a save clears the cache)."""
	return frappe.get_cached_doc("Consultation Settings")
