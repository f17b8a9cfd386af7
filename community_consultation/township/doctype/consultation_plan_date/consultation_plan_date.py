# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt


from community_consultation.procedure.child_rows import ChildRow


class ConsultationPlanDate(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		meeting: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		planned_on: DF.Date
		reminded_on: DF.Date | None
	# end: auto-generated types
	pass
