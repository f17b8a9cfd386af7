"""/meeting-sign-in?meeting=…: sign-in at the door, on a phone — the clerk ticks those who arrive from the
household register (or a representatives' meeting's roster), the count and the quorum updating with each
tick. Only for a signed-in user who may record the draft meeting's attendance (its village's staff and
supervision committee, `community_meeting.may_record_attendance`): the list and the ticks are
`community_meeting.sign_in_list` and `community_meeting.tick_attendance`, which check the same rule on every
request."""

import frappe
from frappe import _

from community_consultation.decision_bodies.doctype.community_meeting.community_meeting import (
	check_may_record_attendance,
	meeting_header,
)

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=" + frappe.utils.quote(
			frappe.request.full_path if frappe.request else "/meeting-sign-in"
		)
		raise frappe.Redirect
	doc = meeting_header(frappe.form_dict.get("meeting"))
	try:
		check_may_record_attendance(doc)
	except frappe.ValidationError as refused:
		# Frappe's refusal page shows the exception's text as HTML: the reason, escaped
		frappe.clear_messages()
		raise frappe.PermissionError(frappe.utils.escape_html(str(refused))) from None
	context.meeting = doc
	context.title = _("Sign-in: {0}").format(doc.title or doc.name)
	context.show_sidebar = False
	context.no_breadcrumbs = True
	return context
