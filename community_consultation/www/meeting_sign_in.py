"""/meeting-sign-in?meeting=…: sign-in at the door, on a phone — the clerk ticks those who arrive from the
household register (or a representatives' meeting's roster), the count and the quorum updating with each
tick. Only for a signed-in user who may record the meeting's attendance (its village's staff): the list
and the ticks are `community_meeting.sign_in_list` and `CommunityMeeting.tick_attendance`, which check
the same rights on every request."""

import frappe
from frappe import _

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=" + frappe.utils.quote(
			frappe.request.full_path if frappe.request else "/meeting-sign-in"
		)
		raise frappe.Redirect
	name = frappe.form_dict.get("meeting")
	if not name or not frappe.db.exists("Community Meeting", name):
		raise frappe.DoesNotExistError(_("Community Meeting {0} not found").format(name or ""))
	doc = frappe.get_doc("Community Meeting", name)
	if doc.docstatus != 0 or not doc.has_permission("write"):
		raise frappe.PermissionError(_("Not permitted"))
	context.meeting = doc
	context.title = _("Sign-in: {0}").format(doc.title or doc.name)
	context.show_sidebar = False
	context.no_breadcrumbs = True
	return context
