# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

from community_consultation.validation import PayloadGuard


class ImplementationUpdate(PayloadGuard, Document):
	pass


def on_doctype_update():
	# the yearly return and the tracker find the 100% update per outcome from the index alone
	frappe.db.add_index("Implementation Update", ["parent", "percent_complete", "update_on"])
