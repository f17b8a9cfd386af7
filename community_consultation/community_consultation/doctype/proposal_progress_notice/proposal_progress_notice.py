# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types


class ProposalProgressNotice(PayloadGuard, Document):
	"""A stage of a resident's proposal that the resident was told of (once per stage)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		channels: DF.Data | None
		community_unit: DF.Link
		sent_on: DF.Datetime | None
		stage: DF.Literal[
			"Received",
			"Not Accepted",
			"Accepted",
			"In Consultation",
			"Not Adopted",
			"Agreed",
			"Decided",
			"Outcome Public",
			"Implemented",
			"Closed",
		]
		topic: DF.Link
		topic_title: DF.Data | None
		user: DF.Link
	# end: auto-generated types

	def before_validate(self):
		validate_field_types(self)
