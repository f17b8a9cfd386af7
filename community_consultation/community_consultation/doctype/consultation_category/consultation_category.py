# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

# import frappe
from frappe.model.document import Document

from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types


class ConsultationCategory(PayloadGuard, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category_name: DF.Data
		category_no: DF.Int
		decision_route: DF.Literal["Consultation", "Villagers' Meeting", "Legal Procedure"]
		description: DF.SmallText | None
		enabled: DF.Check
		four_deliberations: DF.Check
		requires_party_consent: DF.Check

	# end: auto-generated types
	def before_validate(self):
		validate_field_types(self)
