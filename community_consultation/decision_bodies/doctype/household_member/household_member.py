# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt


from community_consultation.procedure.child_rows import ChildRow


class HouseholdMember(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		age_group: DF.Literal["", "Under 18", "18 or Over"]
		birth_date: DF.Date | None
		household_representative: DF.Check
		id_card_masked: DF.Data | None
		is_head: DF.Check
		member_name: DF.Data
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		relation: DF.Data | None
		residence: DF.Literal["Registered", "Non-registered"]
	# end: auto-generated types
