# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt


from community_consultation.procedure.child_rows import ChildRow


class MeetingAuthorisation(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category: DF.Link
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types
