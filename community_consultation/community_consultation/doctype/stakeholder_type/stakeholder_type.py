# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

# import frappe
from frappe.model.document import Document

from community_consultation.validation import PayloadGuard, validate_field_types


class StakeholderType(PayloadGuard, Document):
	def before_validate(self):
		validate_field_types(self)
