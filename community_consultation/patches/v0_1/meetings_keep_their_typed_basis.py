"""The meetings recorded before the household register keep the figures typed into their Meeting Basis,
marked as typed (`basis_source`), with the reason in the site's language: they are not recounted."""

import frappe
from frappe import _

from community_consultation.decision_bodies.authorisation import AUTHORISED_BY


def execute():
	lang = frappe.db.get_single_value("System Settings", "language") or "zh"
	frappe.db.sql(
		"""update `tabCommunity Meeting` set basis_source = 'Typed', typed_basis_reason = %s
		where ifnull(basis_source, '') = '' and meeting_kind not in %s""",
		(
			_("Recorded before the household register: the typed figures of the Meeting Basis.", lang=lang),
			tuple(AUTHORISED_BY),
		),
	)
