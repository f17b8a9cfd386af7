# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt


from community_consultation.procedure.child_rows import ChildRow


class TownshipAssignmentVillage(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		report: DF.Link | None
		report_status: DF.Literal["Awaiting Report", "Reported on Time", "Reported Late", "Overdue"]
		reported_on: DF.Date | None
		topic: DF.Link | None
		village: DF.Link
	# end: auto-generated types
	pass
