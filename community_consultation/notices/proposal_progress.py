"""Residents follow what they proposed (社情民意网络征集渠道, 二(四); feedback on the use of results, 三(二)).

A resident who proposed a topic — online (they own it) or through their Stakeholder record (its
proposer) — sees on /my-proposals where each of their topics stands, and is told, by system
notification, email and SMS (the channels they have, as for every notice), each time it reaches a new
stage. Nobody else's proposals: the queries filter on the signed-in user.

The stage of a topic, in the order a resident sees it:
received → accepted (or not accepted, and why) → in consultation (or not adopted: a quorate meeting
voted the matter down) → agreed → decided (the outcome is filed) → outcome public (its publicity
started) → implemented. Before an outcome is filed, the stage is the one the topic's life-cycle table
gives its status (`State.resident_stage`, consultation_topic.py).
Each stage reached is recorded once per topic and resident (Proposal Progress Notice): a stage is
announced only when it differs from the last one recorded, whichever document moved the topic.
"""

import frappe
from frappe import _
from frappe.utils import get_url, getdate, now_datetime, nowdate

from community_consultation.portal.qr import unit_page_path
from community_consultation.procedure.lifecycle import life_cycle_of
from community_consultation.procedure.online_proposals import SOURCE_CHANNEL
from community_consultation.units.names import display_name

PAGE_ROUTE = "my-proposals"
# its SMS and WeChat messages are logged (and retried) as the notices are: Consultation Notice Log
PROGRESS_NOTICE = "Proposal Progress"
RECEIVED = "Received"
NOT_ACCEPTED = "Not Accepted"
ACCEPTED = "Accepted"
IN_CONSULTATION = "In Consultation"
NOT_ADOPTED = "Not Adopted"
AGREED = "Agreed"
DECIDED = "Decided"
OUTCOME_PUBLIC = "Outcome Public"
IMPLEMENTED = "Implemented"
CLOSED = "Closed"
# the steps shown to a resident, in order
STEPS = (RECEIVED, ACCEPTED, IN_CONSULTATION, AGREED, DECIDED, OUTCOME_PUBLIC, IMPLEMENTED)
# the stages that end the line early: the steps shown up to each
ENDED_LINES = {
	NOT_ACCEPTED: (RECEIVED, NOT_ACCEPTED),
	NOT_ADOPTED: (RECEIVED, ACCEPTED, IN_CONSULTATION, NOT_ADOPTED),
}
# what a resident is told about the stage, beyond its name
STAGE_EXPLANATIONS = {
	RECEIVED: "The village or community committee has received your proposal and will review it.",
	NOT_ACCEPTED: "Your proposal was not accepted as a consultation topic.",
	ACCEPTED: "Your proposal was accepted as a consultation topic.",
	IN_CONSULTATION: "Your topic is being consulted on.",
	NOT_ADOPTED: "The villagers' (residents') meeting voted the matter down: it is not adopted.",
	AGREED: "The consultation reached a basic consensus.",
	DECIDED: "The consultation outcome has been filed.",
	OUTCOME_PUBLIC: "The consultation outcome has been made public.",
	IMPLEMENTED: "The consultation outcome has been implemented.",
	CLOSED: "The topic is closed.",
}


def _outcomes_by_topic(topics: list[str]) -> dict[str, frappe._dict]:
	"""The filed (docstatus 1) outcome of each topic, the latest if there are several."""
	if not topics:
		return {}
	rows = frappe.get_all(
		"Consultation Outcome",
		filters={"topic": ("in", topics), "docstatus": 1},
		fields=["name", "topic", "status", "publicity_from", "percent_complete", "community_unit"],
		order_by="creation asc",
	)
	return {row.topic: row for row in rows}


def topic_stage(topic, outcome=None, today=None) -> str:
	"""The stage a resident sees for `topic` (a row with status), given its filed `outcome`."""
	if outcome:
		if outcome.status == "Implemented":
			return IMPLEMENTED
		if outcome.publicity_from and getdate(outcome.publicity_from) <= getdate(today or nowdate()):
			return OUTCOME_PUBLIC
		return DECIDED
	return life_cycle_of("Consultation Topic").by_name[topic.status].resident_stage


def proposer_topics_condition(user: str) -> tuple[dict, dict]:
	"""Filters for the topics `user` proposed: their online proposals, or those whose proposer is
	their Stakeholder record."""
	stakeholders = frappe.get_all("Stakeholder", {"user": user}, pluck="name")
	or_filters = {"owner": user}
	if stakeholders:
		or_filters["proposer"] = ("in", stakeholders)
	return or_filters


def my_proposals(user: str | None = None) -> list[frappe._dict]:
	"""The topics the signed-in resident proposed, newest first, each with its stage, the steps
	passed, the reason when it was not accepted, and the public page of its outcome."""
	user = user or frappe.session.user
	if user == "Guest":
		return []
	topics = frappe.get_all(
		"Consultation Topic",
		or_filters=proposer_topics_condition(user),
		fields=[
			"name",
			"title",
			"status",
			"community_unit",
			"category",
			"proposed_on",
			"rejection_reason",
			"source_channel",
			"proposer",
			"creation",
		],
		order_by="creation desc",
		limit_page_length=0,
	)
	outcomes = _outcomes_by_topic([t.name for t in topics])
	confirmed = {
		row.name: row.residence_confirmed_on
		for row in frappe.get_all(
			"Stakeholder",
			{"name": ("in", list({t.proposer for t in topics if t.proposer}) or [""])},
			["name", "residence_confirmed_on"],
		)
	}
	for topic in topics:
		outcome = outcomes.get(topic.name)
		topic.stage = topic_stage(topic, outcome)
		topic.stage_label = _(topic.stage)
		topic.explanation = _(STAGE_EXPLANATIONS[topic.stage])
		topic.unit_display_name = display_name(topic.community_unit)
		# a proposal not accepted or not adopted ends its line there
		topic.ended = topic.stage in ENDED_LINES
		steps = ENDED_LINES.get(topic.stage, STEPS)
		reached = steps.index(topic.stage) if topic.stage in steps else len(steps) - 1
		topic.steps = [
			frappe._dict(label=_(step), done=i <= reached, current=i == reached)
			for i, step in enumerate(steps)
		]
		topic.outcome_url = (
			unit_page_path(outcome.community_unit, outcome.name)
			if outcome and topic.stage in (OUTCOME_PUBLIC, IMPLEMENTED)
			else None
		)
		topic.percent_complete = int(outcome.percent_complete or 0) if outcome else None
		topic.residence_confirmed = bool(confirmed.get(topic.proposer))
	return topics


def my_residence(user: str | None = None) -> list[frappe._dict]:
	"""The villages where the signed-in resident is registered, and whether each confirmed that they
	live there (`Stakeholder.confirm_residence`)."""
	rows = frappe.get_all(
		"Stakeholder",
		{"user": user or frappe.session.user, "enabled": 1},
		["community_unit", "residence_confirmed_on"],
		order_by="creation asc",
	)
	for row in rows:
		row.unit_display_name = display_name(row.community_unit)
	return rows


# ------------------------------------------------------------------------------------- notices


def _proposer_users(topic) -> list[str]:
	"""The residents to tell about `topic`: who proposed it online, and the user of its proposer."""
	users = []
	if topic.source_channel == SOURCE_CHANNEL and topic.owner:
		users.append(topic.owner)
	if topic.proposer:
		user = frappe.db.get_value("Stakeholder", topic.proposer, "user")
		if user and user not in users:
			users.append(user)
	return [u for u in users if u not in ("Administrator", "Guest") and _is_resident(u)]


def _is_resident(user: str) -> bool:
	"""A website user (no desk): clerks who keyed a topic in the desk follow it there."""
	return frappe.db.get_value("User", {"name": user, "enabled": 1}, "user_type") == "Website User"


def follow_topic(topic_name: str | None):
	"""Tell the proposer when `topic_name` reached a stage not announced to them before."""
	if not topic_name or not frappe.db.exists("Consultation Topic", topic_name):
		return
	topic = frappe.db.get_value(
		"Consultation Topic",
		topic_name,
		[
			"name",
			"title",
			"status",
			"owner",
			"proposer",
			"source_channel",
			"community_unit",
			"rejection_reason",
		],
		as_dict=True,
	)
	users = _proposer_users(topic)
	if not users:
		return
	stage = topic_stage(topic, _outcomes_by_topic([topic.name]).get(topic.name))
	for user in users:
		last = frappe.db.get_value(
			"Proposal Progress Notice",
			{"topic": topic.name, "user": user},
			"stage",
			order_by="sent_on desc, creation desc",
		)
		# the proposal itself is the resident's own act: only what happens to it afterwards is news
		if stage == (last or RECEIVED):
			continue
		send_stage_notice(topic, user, stage)


def send_stage_notice(topic, user: str, stage: str):
	from frappe.translate import print_language

	from community_consultation.notices.delivery import deliver_to, log_notice
	from community_consultation.notices.recipients import user_recipient

	recipient = user_recipient(user)
	if not recipient:
		return
	# in the resident's language, whoever moved the topic
	language = frappe.db.get_value("User", user, "language") or frappe.db.get_default("lang") or "zh"
	with print_language(language):
		message = stage_message(topic, stage)
	doc = frappe.get_doc("Consultation Topic", topic.name)
	via, deliveries = deliver_to(recipient, message, doc)
	if deliveries:
		log_notice(
			PROGRESS_NOTICE, doc, topic.community_unit, recipient, via, message.subject, stage, deliveries
		)
	frappe.get_doc(
		{
			"doctype": "Proposal Progress Notice",
			"topic": topic.name,
			"community_unit": topic.community_unit,
			"stage": stage,
			"user": user,
			"sent_on": now_datetime(),
			"channels": ", ".join(via),
		}
	).insert(ignore_permissions=True)


def stage_message(topic, stage: str):
	"""What the proposer is told of the stage: subject, HTML and the SMS / WeChat parameters."""
	from community_consultation.notices.delivery import Message
	from community_consultation.notices.sms import PROPOSAL_PROGRESS

	link = get_url("/" + PAGE_ROUTE)
	subject = _("Your proposal “{0}”: {1}").format(topic.title, _(stage))
	reason = (
		_("Reason: {0}").format(topic.rejection_reason)
		if stage == NOT_ACCEPTED and topic.rejection_reason
		else ""
	)
	explanation = _(STAGE_EXPLANATIONS[stage])
	html = "".join(
		[
			f"<p>{frappe.utils.escape_html(explanation)}</p>",
			f"<p>{frappe.utils.escape_html(reason)}</p>" if reason else "",
			f'<p><a href="{link}">{frappe.utils.escape_html(_("See where your proposals stand"))}</a></p>',
		]
	)
	return Message(
		subject=subject,
		html=html,
		kind=PROPOSAL_PROGRESS,
		params={
			"topic": topic.title,
			"stage": _(stage),
			"link": link,
			"subject": subject,
			"text": " ".join(part for part in (subject, reason, link) if part),
		},
	)


def notify_proposer(doc, method=None):
	"""After a topic, session, outcome or meeting is saved (`controller.ProcedureDocument`): the proposer
	hears of the topic's new stage, whichever of its documents moved it (a meeting, each topic it voted
	on)."""
	if doc.doctype == "Consultation Topic":
		topics = [doc.name]
	else:
		topics = [doc.get("topic"), *(row.topic for row in doc.get("agenda") or [])]
	for topic in dict.fromkeys(filter(None, topics)):
		follow_topic(topic)
