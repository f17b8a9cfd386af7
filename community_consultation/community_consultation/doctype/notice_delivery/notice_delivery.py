# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from community_consultation.validation import PayloadGuard


class NoticeDelivery(PayloadGuard, Document):
	pass
