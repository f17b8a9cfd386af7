# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

# import frappe
from frappe.model.document import Document


class ProposalProgressNotice(Document):
	pass
