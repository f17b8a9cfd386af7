# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types


class SMSVerificationCode(PayloadGuard, Document):
	"""A code sent to sign in by mobile number: only its hash is kept (community_consultation/portal/
	sms_login.py). Written by the system only."""

	def before_validate(self):
		validate_field_types(self)


def on_doctype_update():
	import frappe

	frappe.db.add_index("SMS Verification Code", ["mobile_no", "creation"])
	frappe.db.add_index("SMS Verification Code", ["ip_address", "creation"])
