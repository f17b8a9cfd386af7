"""The web form residents propose topics through (`propose-topic`, 社情民意网络征集渠道, 二(四)): its list
of the resident's own proposals, the files shown back to them, and the size of what a resident uploads.
The rules of a proposal itself are the topic's (`procedure/online_proposals.py`)."""

import frappe
from frappe import _

from community_consultation.permissions import is_app_doctype
from community_consultation.procedure.online_proposals import SOURCE_CHANNEL, max_attachment_mb
from community_consultation.setup.roles import ROLES

WEB_FORM = "propose-a-consultation-topic"
WEB_FORM_ROUTE = "propose-topic"


def refuse_oversized_upload(file_size: int | None = None, **kwargs):
	"""`before_write_file` hook: a resident never stores a file larger than
	`consultation_max_attachment_mb`, whichever way it is uploaded; refused before it is written.

	Held to it: a website user with one of the app's roles (a resident), and any website user or guest
	uploading to one of the app's DocTypes. Other uploads keep Frappe's own limit (System Settings'
	`max_file_size`), so other apps on the site see no change (docs/site-wide-changes.md)."""
	if not file_size or not held_to_attachment_limit(frappe.session.user):
		return
	limit = max_attachment_mb()
	if file_size > limit * 1024 * 1024:
		frappe.throw(
			_("The attachment is {0} MB; attachments may be at most {1} MB.").format(
				f"{file_size / 1048576:.1f}", f"{limit:g}"
			),
			title=_("Attachment too large"),
		)


def held_to_attachment_limit(user: str) -> bool:
	if user != "Guest" and frappe.get_cached_value("User", user, "user_type") == "System User":
		return False
	if user != "Guest" and set(frappe.get_roles(user)) & {role for role, _desk in ROLES}:
		return True
	# the DocType an upload is attached to (`upload_file`, a File posted to /api/resource)
	form = frappe.local.form_dict or {}
	return is_app_doctype(form.get("attached_to_doctype")) or is_app_doctype(form.get("doctype"))


def proposal_attachments(topic: str) -> list[dict]:
	"""The files attached to a resident's own proposal (shown back to them on the web form)."""
	return frappe.get_all(
		"File",
		filters={"attached_to_doctype": "Consultation Topic", "attached_to_name": topic},
		fields=["file_name", "file_url", "file_size"],
		order_by="creation asc",
	)


def get_own_proposals(
	doctype, txt=None, filters=None, limit_start=0, limit_page_length=20, order_by=None, **kwargs
):
	"""The web form's list: the signed-in user's own online proposals and their status, nothing else."""
	user = frappe.session.user
	if user == "Guest":
		return []
	conditions = {"owner": user, "source_channel": SOURCE_CHANNEL}
	or_filters = None
	if txt:
		or_filters = {"title": ("like", f"%{txt}%"), "name": ("like", f"%{txt}%")}
	rows = frappe.get_all(
		"Consultation Topic",
		filters=conditions,
		or_filters=or_filters,
		fields=["name", "title", "status", "community_unit", "category", "proposed_on", "creation"],
		order_by="creation desc",
		limit_start=limit_start,
		limit_page_length=limit_page_length,
	)
	for row in rows:
		row.status = _(row.status)
	return rows
