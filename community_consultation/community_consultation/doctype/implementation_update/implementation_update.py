# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

from community_consultation.validation import PayloadGuard


class ImplementationUpdate(PayloadGuard, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		note: DF.SmallText
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		percent_complete: DF.Percent
		published_on: DF.Date | None
		published_via: DF.Link | None
		update_on: DF.Date
	# end: auto-generated types
	pass


def on_doctype_update():
	# the yearly return and the tracker find the 100% update per outcome from the index alone
	frappe.db.add_index("Implementation Update", ["parent", "percent_complete", "update_on"])
