# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types
from community_consultation.overrides.row_locking import RowLocking


class ConsultationSMSSettings(PayloadGuard, RowLocking, Document):
	"""The SMS provider (Alibaba Cloud, Tencent Cloud), its keys and signature, the template of each kind
	of message, and the limits of residents' sign-in by SMS code (community_consultation/notices/sms.py)."""

	def before_validate(self):
		validate_field_types(self)

	def validate(self):
		from community_consultation.notices.sms import validate_template_rows

		self.validate_provider_settings()
		validate_template_rows(self)

	def validate_provider_settings(self):
		"""A provider needs its keys and the registered signature; Tencent Cloud its SmsSdkAppId."""
		from frappe import _, throw

		if not self.provider:
			return
		missing = [
			_(self.meta.get_label(f))
			for f in ("access_key_id", "access_key_secret", "sign_name")
			if not self.get(f)
		]
		if self.provider == "Tencent Cloud" and not self.sdk_app_id:
			missing.append(_(self.meta.get_label("sdk_app_id")))
		if missing:
			throw(_("{0} needs: {1}").format(_(self.provider), ", ".join(missing)), title=_("Missing"))
		if self.sign_name:
			self.sign_name = self.sign_name.strip().strip("【】[]")
