# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types


class WeChatBinding(PayloadGuard, Document):
	"""A resident's openid of the county's Official Account, bound after the SMS check
	(community_consultation/portal/wechat_login.py). Written by the system only."""

	def before_validate(self):
		validate_field_types(self)
