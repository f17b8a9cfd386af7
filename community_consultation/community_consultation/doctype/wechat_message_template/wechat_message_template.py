# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from community_consultation.overrides.payload_guard import PayloadGuard


class WeChatMessageTemplate(PayloadGuard, Document):
	pass
