# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt


from community_consultation.procedure.child_rows import ChildRow


class MeetingAgendaItem(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		matter: DF.SmallText
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		resolution: DF.SmallText | None
		result: DF.Literal["", "Passed", "Not Passed", "Not Decided"]
		topic: DF.Link
		topic_title: DF.Data | None
		vote_method: DF.Literal["", "Show of Hands", "Ballot"]
		votes_abstain: DF.Int
		votes_against: DF.Int
		votes_for: DF.Int
	# end: auto-generated types
