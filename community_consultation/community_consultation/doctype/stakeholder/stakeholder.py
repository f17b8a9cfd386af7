# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import nowdate

from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types
from community_consultation.overrides.row_locking import ensure_series_row
from community_consultation.permissions import validate_unit_access, whitelist_action


class Stakeholder(PayloadGuard, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		community_unit: DF.Link
		email: DF.Data | None
		enabled: DF.Check
		household_status: DF.Literal["Registered", "Non-registered", "Not Applicable"]
		mobile_no: DF.Data | None
		naming_series: DF.Literal["STK-.#####"]
		organisation: DF.Data | None
		privacy_notice_accepted_on: DF.Datetime | None
		residence_confirmed_by: DF.Link | None
		residence_confirmed_on: DF.Date | None
		stakeholder_name: DF.Data
		stakeholder_type: DF.Link
		user: DF.Link | None

	# end: auto-generated types
	def before_insert(self):
		ensure_series_row(self)

	def before_validate(self):
		validate_field_types(self)

	def validate(self):
		validate_unit_access(self)
		self.keep_residence_confirmation()

	def keep_residence_confirmation(self):
		"""The confirmation of residence is recorded by `confirm_residence` only (who and when), never
		typed in or carried over a payload."""
		if self.flags.confirming_residence:
			return
		before = self.get_doc_before_save()
		for field in ("residence_confirmed_on", "residence_confirmed_by", "privacy_notice_accepted_on"):
			self.set(field, before.get(field) if before else None)

	@whitelist_action
	def confirm_residence(self):
		"""§二(三): the village or community confirms that this resident lives there (a registered or
		non-registered resident of the unit); the resident sees it on /my-proposals."""
		self.check_permission("write")
		if not self.user:
			frappe.throw(_("Only a resident with an account can be confirmed."))
		self.flags.confirming_residence = True
		self.residence_confirmed_on = nowdate()
		self.residence_confirmed_by = frappe.session.user
		self.save()
		return self.as_dict()
