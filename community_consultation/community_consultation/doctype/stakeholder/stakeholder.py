# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

# import frappe
from frappe.model.document import Document

from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types
from community_consultation.overrides.row_locking import ensure_series_row
from community_consultation.permissions import validate_unit_access


class Stakeholder(PayloadGuard, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		community_unit: DF.Link
		email: DF.Data | None
		enabled: DF.Check
		household_status: DF.Literal["Registered", "Non-registered", "Not Applicable"]
		mobile_no: DF.Data | None
		naming_series: DF.Literal["STK-.#####"]
		organisation: DF.Data | None
		stakeholder_name: DF.Data
		stakeholder_type: DF.Link
		user: DF.Link | None

	# end: auto-generated types
	def before_insert(self):
		ensure_series_row(self)

	def before_validate(self):
		validate_field_types(self)

	def validate(self):
		validate_unit_access(self)
