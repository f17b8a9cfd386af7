# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import flt, getdate

from community_consultation.procedure.child_rows import ChildRow


class ProgressError(frappe.ValidationError):
	"""Progress is dated, published and between 0 and 100% (§二(六))."""


class ImplementationUpdate(ChildRow):
	"""A dated progress update of an outcome's implementation (§二(六)); the outcome checks each row
	with `validate_row` when it is saved."""

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

	def validate_row(self):
		"""§二(六): progress is between 0% and 100%, and published (bulletin board, handbook, WeChat) on
		or after its date."""
		if not 0 <= flt(self.percent_complete) <= 100:
			frappe.throw(_("Row {0}: progress is between 0% and 100%.").format(self.idx), ProgressError)
		if not self.published_on:
			frappe.throw(
				_(
					"Row {0}: record when the progress was published (bulletin board, handbook or WeChat)."
				).format(self.idx),
				ProgressError,
			)
		if getdate(self.published_on) < getdate(self.update_on):
			frappe.throw(
				_("Row {0}: progress cannot be published before its date.").format(self.idx), ProgressError
			)


def on_doctype_update():
	# the annual return and the tracker find the 100% update per outcome from the index alone
	frappe.db.add_index("Implementation Update", ["parent", "percent_complete", "update_on"])
