# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

# import frappe

from community_consultation.procedure.child_rows import ChildRow


class ConsultationAnnualReturnTownship(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		attendance_rate: DF.Percent
		attended: DF.Int
		consensus: DF.Int
		corrections_closed: DF.Int
		entrusted_assigned: DF.Int
		entrusted_reported_on_time: DF.Int
		escalations: DF.Int
		four_deliberations_completed: DF.Int
		government_entrusted: DF.Int
		implemented: DF.Int
		implemented_on_time: DF.Int
		inspections: DF.Int
		meetings_held: DF.Int
		meetings_inquorate: DF.Int
		outcomes_filed: DF.Int
		overdue: DF.Int
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		participants: DF.Int
		plan_dates: DF.Int
		plan_dates_kept: DF.Int
		referrals: DF.Int
		reported_back: DF.Int
		resolutions_not_passed: DF.Int
		resolutions_passed: DF.Int
		second_rounds: DF.Int
		sessions: DF.Int
		topics: DF.Int
		topics_building: DF.Int
		topics_community: DF.Int
		township: DF.Link | None
		township_topics: DF.Int
		villages: DF.Int
	# end: auto-generated types
	pass
