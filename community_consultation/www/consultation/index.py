"""/consultation: the villages and communities that have publicised consultation outcomes."""

import frappe
from frappe import _

from community_consultation.overrides.replica import replica_reads
from community_consultation.portal.outcomes import units_with_public_outcomes, use_public_language

no_cache = 1


@replica_reads
def get_context(context):
	use_public_language(context)
	context.title = _("Public Notices of Consultation Outcomes")
	context.groups = units_with_public_outcomes()
	context.metatags = {
		"title": context.title,
		"description": _("Public notices of consultation outcomes and their implementation."),
	}
	return context
