# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt


from community_consultation.procedure.child_rows import ChildRow


class InspectionCorrection(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		answered_on: DF.Date | None
		closed_on: DF.Date | None
		deadline: DF.Date
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		requirement: DF.SmallText
		status: DF.Literal["Open", "Overdue", "Closed"]
		village_answer: DF.SmallText | None
	# end: auto-generated types
	pass
