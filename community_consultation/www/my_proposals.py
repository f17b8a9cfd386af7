"""/my-proposals: the topics the signed-in resident proposed and where each stands (received, accepted
or not and why, in consultation, agreed, decided, outcome public, implemented). Only their own."""

import frappe
from frappe import _

from community_consultation.notices.proposal_progress import PAGE_ROUTE, my_proposals, my_residence
from community_consultation.portal.outcomes import use_public_language
from community_consultation.portal.web_form import WEB_FORM_ROUTE

no_cache = 1


def get_context(context):
	use_public_language(context)
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = f"/login?redirect-to=/{PAGE_ROUTE}"
		raise frappe.Redirect
	context.title = _("My proposals")
	context.proposals = my_proposals(frappe.session.user)
	context.residence = my_residence(frappe.session.user)
	context.web_form_route = WEB_FORM_ROUTE
	context.show_sidebar = False
	context.metatags = {"title": context.title}
	return context
