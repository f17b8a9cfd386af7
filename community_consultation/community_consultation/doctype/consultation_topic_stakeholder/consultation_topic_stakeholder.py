# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

# import frappe

from community_consultation.procedure.child_rows import ChildRow


class ConsultationTopicStakeholder(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		interest: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		stakeholder: DF.Link
		stakeholder_name: DF.Data | None
		stakeholder_type: DF.Link | None
	# end: auto-generated types
	pass
