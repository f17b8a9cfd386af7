"""/consultation/<unit>: the publicised consultation outcomes of a unit and the units beneath it,
with their implementation progress (二(五)4, 二(六))."""

from urllib.parse import quote

import frappe
from frappe import _

from community_consultation.overrides.replica import replica_reads
from community_consultation.portal.jinja import consultation_unit
from community_consultation.portal.open_data import public_sessions
from community_consultation.portal.outcomes import public_outcomes, use_public_language

no_cache = 1


@replica_reads
def get_context(context):
	use_public_language(context)
	unit = consultation_unit(frappe.form_dict.unit)
	if not unit.name:
		raise frappe.PageDoesNotExistError
	parent = (
		frappe.db.get_value("Community Unit", unit.parent_community_unit, "unit_name")
		if unit.parent_community_unit
		else None
	)
	context.unit = unit
	context.parent_unit_name = parent
	context.outcomes = public_outcomes(unit.name)
	context.sessions = public_sessions(unit.name)
	context.open_data = {
		kind: f"/api/method/community_consultation.portal.open_data.{kind}?unit={quote(unit.name)}"
		for kind in ("outcomes_csv", "outcomes_json", "sessions_ics")
	}
	context.title = _("Consultation outcomes published by {0}").format(unit.unit_name)
	context.parents = [{"route": "consultation", "title": _("Public Notices of Consultation Outcomes")}]
	context.metatags = {
		"title": context.title,
		"description": _("Public notices of consultation outcomes and their implementation."),
	}
	return context
