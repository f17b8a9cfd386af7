# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

import frappe

from community_consultation.procedure.child_rows import ChildRow


class ConsultationParticipant(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		attended: DF.Check
		notified_on: DF.Datetime | None
		notified_via: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		participant_role: DF.Literal["Convener", "Proposer", "Participant", "Supervisor", "Observer"]
		stakeholder: DF.Link
		stakeholder_name: DF.Data | None
		stakeholder_type: DF.Link | None
	# end: auto-generated types
	pass


def on_doctype_update():
	# the annual return counts attendance per session from the index alone
	frappe.db.add_index("Consultation Participant", ["parent", "attended"])
