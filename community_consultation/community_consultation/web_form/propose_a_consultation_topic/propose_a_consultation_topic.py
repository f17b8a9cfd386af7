"""The resident's web form for proposing a topic (社情民意网络征集渠道): what it offers and lists.

Submission itself is checked by the Consultation Topic's rules for online proposals
(community_consultation.procedure.online_proposals).
"""

import json

import frappe
from frappe import _
from frappe.query_builder import DocType

from community_consultation.portal.web_form import get_own_proposals, proposal_attachments
from community_consultation.procedure.online_proposals import (
	ATTACHMENT_FIELD,
	PROPOSAL_UNIT_TYPES,
	max_attachment_mb,
	resident_villages,
)
from community_consultation.units import names
from community_consultation.units import tree as unit_tree

# the messages of propose_a_consultation_topic.js: a web page has only the translations its
# context hands over
JS_MESSAGES = (
	"Attachment",
	"No attachment",
	"Optional: one picture, PDF or office document of at most {0} MB.",
	"Attachment too large",
	"The attachment is {0} MB; attachments may be at most {1} MB.",
)


def get_context(context):
	context.no_cache = 1
	# Frappe's template prints these untranslated ("New {0}" around the English title)
	if frappe.form_dict.is_new:
		context.title = _(context.web_form_doc.title)
	elif not frappe.form_dict.name:
		# the list of the resident's proposals: the <title> Frappe leaves in English
		context.title = _(context.web_form_doc.list_title or context.web_form_doc.title)
	if context.introduction_text:
		context.introduction_text = _(context.introduction_text)
	context.max_attachment_mb = max_attachment_mb()
	context.attachment_field = ATTACHMENT_FIELD
	context.attachment_messages = {message: _(message) for message in JS_MESSAGES}
	for field in context.web_form_doc.get("web_form_fields") or []:
		if field.fieldname == "community_unit":
			field.options = json.dumps(unit_options(), ensure_ascii=False)
		elif field.fieldname == "category":
			field.options = json.dumps(category_options(), ensure_ascii=False)
	if frappe.form_dict.name and context.get("reference_name"):
		context.proposal_attachments = proposal_attachments(context.reference_name)
	else:
		context.proposal_attachments = []
	return context


def get_list_context(context):
	"""The list shows the signed-in resident's own proposals only."""
	context.get_list = get_own_proposals
	return context


def unit_options() -> list[dict]:
	"""The units a resident proposes to, labelled with the unit above them (一组 exists in many villages):
	for a resident whose Stakeholder record places them in a village, that village and the units in it,
	the only ones they may propose to (`online_proposals.validate_proposal_unit`)."""
	homes = resident_villages(frappe.session.user)
	within = (
		(lambda unit: unit_tree.within_criterion(unit, [unit_tree.bounds(v) for v in homes]))
		if homes
		else None
	)
	return names.picker_options(PROPOSAL_UNIT_TYPES, within)


def category_options() -> list[dict]:
	rows = frappe.get_all(
		"Consultation Category",
		filters={"enabled": 1},
		fields=["name", "category_name", "category_no"],
		order_by="category_no asc, category_name asc",
	)
	return [{"value": row.name, "label": _(row.category_name)} for row in rows]
