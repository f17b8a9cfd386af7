# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types
from community_consultation.overrides.row_locking import RowLocking


class ConsultationWeChatSettings(PayloadGuard, RowLocking, Document):
	"""The county's WeChat Official Account: sign-in in WeChat's browser, notices as template or
	subscription messages, share cards (community_consultation/notices/wechat.py)."""

	def before_validate(self):
		validate_field_types(self)

	def validate(self):
		from community_consultation.notices.wechat import validate_template_rows

		validate_template_rows(self)

	def on_update(self):
		from community_consultation.notices.wechat import forget_tokens

		forget_tokens()
