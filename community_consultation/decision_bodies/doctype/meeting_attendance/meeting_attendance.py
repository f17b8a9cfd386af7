# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt


from community_consultation.procedure.child_rows import ChildRow


class MeetingAttendance(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		attendee_name: DF.Data
		attends_as: DF.Literal["Villager", "Household Representative", "Representative"]
		household: DF.Data | None
		not_in_register_reason: DF.SmallText | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		present: DF.Check
		register_member: DF.Data | None
		stakeholder: DF.Link | None
	# end: auto-generated types
