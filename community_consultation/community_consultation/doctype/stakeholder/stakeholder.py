# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

# import frappe
from frappe.model.document import Document

from community_consultation.locking import ensure_series_row
from community_consultation.permissions import validate_unit_access
from community_consultation.validation import PayloadGuard, validate_field_types


class Stakeholder(PayloadGuard, Document):
	def before_insert(self):
		ensure_series_row(self)

	def before_validate(self):
		validate_field_types(self)

	def validate(self):
		validate_unit_access(self)
