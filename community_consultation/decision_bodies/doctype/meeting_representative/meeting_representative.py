# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt


from community_consultation.procedure.child_rows import ChildRow


class MeetingRepresentative(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		households_represented: DF.Int
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		representative_name: DF.Data | None
		stakeholder: DF.Link
		villager_group: DF.Link | None
	# end: auto-generated types
