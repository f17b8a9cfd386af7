# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

from community_consultation.validation import PayloadGuard


class ConsultationParticipant(PayloadGuard, Document):
	pass


def on_doctype_update():
	# the yearly return counts attendance per session from the index alone
	frappe.db.add_index("Consultation Participant", ["parent", "attended"])
