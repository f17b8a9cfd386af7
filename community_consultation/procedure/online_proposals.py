"""The online channel for collecting public opinion (社情民意网络征集渠道, 二(四)): the rules of a topic a
resident proposes online (the web form itself is `portal/web_form.py`).

A logged-in resident proposes a topic through the web form `propose-topic`. The proposal arrives
as a Draft topic with source channel Online Submission, proposed by the resident's Stakeholder
record (created in the chosen unit when the resident has none), for the village to review under
二(五)1. Proposals are rate-limited per user, their HTML is reduced to plain formatting, and a
resident's attachment is refused above a configurable size.

Site config (`bench --site S set-config KEY VALUE`):
- `consultation_submissions_per_hour`: proposals one user may send in an hour (default 5);
- `consultation_max_attachment_mb`: largest attachment a resident may upload (default 10 MB);
- `consultation_resident_stakeholder_type`: stakeholder type of residents created here (default 户籍居民).
"""

import frappe
from frappe import _
from frappe.utils import add_to_date, cint, flt, now_datetime, nowdate, strip_html

from community_consultation.overrides.row_locking import lock_row, own_connection
from community_consultation.procedure.text_policy import DROPPED_WITH_CONTENT, plain_text
from community_consultation.units import tree as unit_tree

SOURCE_CHANNEL = "Online Submission"
# the web form field that carries the resident's file (see take_attachment)
ATTACHMENT_FIELD = "attachment_upload"
DEFAULT_SUBMISSIONS_PER_HOUR = 5
DEFAULT_MAX_ATTACHMENT_MB = 10
DEFAULT_RESIDENT_STAKEHOLDER_TYPE = "户籍居民"
# units a resident proposes to: community-level and building-level consultation (二(一))
PROPOSAL_UNIT_TYPES = (*unit_tree.VILLAGE_TYPES, *unit_tree.BUILDING_LEVEL_TYPES)
# what a resident's description may keep; everything else is stripped (script and style with their content)
ALLOWED_TAGS = ("p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "blockquote")


def submissions_per_hour() -> int:
	return cint(frappe.conf.get("consultation_submissions_per_hour") or DEFAULT_SUBMISSIONS_PER_HOUR)


def max_attachment_mb() -> float:
	return flt(frappe.conf.get("consultation_max_attachment_mb") or DEFAULT_MAX_ATTACHMENT_MB)


def is_web_submission(doc) -> bool:
	"""True while the web form inserts a new topic (Frappe sets `in_web_form` in its accept call)."""
	return bool(frappe.flags.in_web_form) and doc.is_new()


def before_topic_insert(doc, method=None):
	"""doc_events hook: a topic proposed through the web form."""
	if not is_web_submission(doc):
		return
	user = frappe.session.user
	if user == "Guest":
		frappe.throw(_("Log in to propose a topic."), frappe.PermissionError)
	take_turn(user)
	check_submission_rate(user)
	validate_proposal_unit(doc.community_unit, user)
	doc.title = plain_text(doc.title)
	doc.description = sanitize_description(doc.description)
	if not strip_html(doc.description or "").strip():
		frappe.throw(_("Describe the matter you propose."))
	# a proposal starts the procedure: the village reviews it (二(五)1); nothing else is taken from the web
	doc.status = "Draft"
	doc.source_channel = SOURCE_CHANNEL
	doc.review_decision = None
	doc.party_consent_on = None
	doc.escalated_from = None
	doc.set("participants", [])
	doc.proposed_on = nowdate()
	take_attachment(doc)
	doc.proposer = get_or_create_resident_stakeholder(user, doc.community_unit)


class SimultaneousProposalError(frappe.ValidationError):
	"""Another proposal of the same resident was being sent at the same moment."""


def take_turn(user: str):
	"""One proposal of a resident at a time, each seeing the ones before it: so that simultaneous
	proposals (a double click, a script sending thirty at once) neither pass the hourly limit together nor
	each create the resident's Stakeholder.

	The resident's User row is locked until this request ends (`lock_row`): a second proposal waits here
	until the first has committed. MariaDB's REPEATABLE READ gives the waiting request the snapshot it took
	at its first read, from before the first proposal committed: its proposals as committed now (read on a
	connection of its own, `own_connection`) then differ from what its snapshot shows, and it is refused
	with a message to send it again, rather than counting or looking up the resident's records in the
	past."""
	lock_row("User", user)
	filters = {"owner": user, "source_channel": SOURCE_CHANNEL}
	with own_connection() as cursor:
		cursor.execute(
			"select count(*) from `tabConsultation Topic` where owner = %s and source_channel = %s",
			(user, SOURCE_CHANNEL),
		)
		committed = cursor.fetchone()[0]
	# committed now beyond what this transaction sees (its snapshot, with what it wrote itself): stale
	if committed > frappe.db.count("Consultation Topic", filters):
		frappe.throw(
			_(
				"Another proposal of yours was being sent at the same moment. Please check your proposals and send this one again if it is missing."
			),
			SimultaneousProposalError,
			title=_("Sent twice"),
		)


def check_submission_rate(user: str):
	"""At most `consultation_submissions_per_hour` online proposals per user in any hour (counted after
	`take_turn`, so simultaneous proposals count each other)."""
	limit = submissions_per_hour()
	sent = frappe.db.count(
		"Consultation Topic",
		{
			"owner": user,
			"source_channel": SOURCE_CHANNEL,
			"creation": (">", add_to_date(now_datetime(), hours=-1)),
		},
	)
	if sent >= limit:
		frappe.throw(
			_(
				"You have sent {0} proposals in the last hour, the most allowed. Please try again later."
			).format(sent),
			exc=frappe.RateLimitExceededError,
			title=_("Too many proposals"),
		)


def validate_proposal_unit(unit: str | None, user: str):
	"""§二(一): a resident proposes to their own village or community, or a villager group, building or
	estate in it — the village of their Stakeholder record; a resident who has none yet chooses it with
	their first proposal (their Stakeholder is created there)."""
	if unit_tree.unit_type(unit) not in PROPOSAL_UNIT_TYPES:
		frappe.throw(_("Choose your village or community, or your villager group, building or estate."))
	homes = resident_villages(user)
	if homes and not any(unit_tree.within(unit_tree.bounds(unit), unit_tree.bounds(v)) for v in homes):
		frappe.throw(
			_(
				"You can propose only to your own village or community ({0}), or to a villager group, "
				"building or estate in it."
			).format(", ".join(homes)),
			frappe.PermissionError,
			title=_("Not your village"),
		)


def resident_villages(user: str) -> list[str]:
	"""The villages and communities of the resident's enabled Stakeholder records (a record of a villager
	group, building or estate counts for its village)."""
	rows = frappe.db.sql(
		"""select distinct if(u.unit_type in %(building_level)s, u.parent_community_unit, u.name)
		from `tabStakeholder` s join `tabCommunity Unit` u on u.name = s.community_unit
		where s.user = %(user)s and s.enabled = 1""",
		{"user": user, "building_level": unit_tree.BUILDING_LEVEL_TYPES},
	)
	return [r[0] for r in rows if r[0]]


def sanitize_description(html: str | None) -> str:
	"""Keep paragraphs, line breaks, emphasis and lists; drop scripts, styles, links, images,
	attributes and event handlers."""
	import bleach
	from bs4 import BeautifulSoup

	if not html:
		return ""
	soup = BeautifulSoup(html, "html.parser")
	for element in soup.find_all(DROPPED_WITH_CONTENT):
		element.decompose()
	return bleach.clean(str(soup), tags=set(ALLOWED_TAGS), attributes={}, strip=True).strip()


def get_or_create_resident_stakeholder(user: str, unit: str) -> str:
	"""The resident's Stakeholder record (Stakeholder.user); created in `unit` if they have none (one only:
	simultaneous proposals take their turn, `take_turn`)."""
	existing = frappe.db.get_value(
		"Stakeholder", {"user": user, "enabled": 1}, "name", order_by="creation asc"
	)
	if existing:
		return existing
	stakeholder_type = (
		frappe.conf.get("consultation_resident_stakeholder_type") or DEFAULT_RESIDENT_STAKEHOLDER_TYPE
	)
	if not frappe.db.exists("Stakeholder Type", stakeholder_type):
		frappe.throw(
			_("The stakeholder type {0} for residents does not exist. Please tell the administrator.").format(
				stakeholder_type
			)
		)
	person = frappe.db.get_value("User", user, ["full_name", "email", "mobile_no"], as_dict=True)
	stakeholder = frappe.get_doc(
		{
			"doctype": "Stakeholder",
			"stakeholder_name": person.full_name or user,
			"stakeholder_type": stakeholder_type,
			"community_unit": unit,
			"household_status": "Registered"
			if stakeholder_type == DEFAULT_RESIDENT_STAKEHOLDER_TYPE
			else "Not Applicable",
			"email": person.email,
			"mobile_no": person.mobile_no,
			"user": user,
			"enabled": 1,
		}
	)
	stakeholder.insert(ignore_permissions=True)
	return stakeholder.name


# ---------------------------------------------------------------------------------- attachments
# The web form sends the resident's file with the proposal, as "name,data:<type>;base64,<content>" in
# its field ATTACHMENT_FIELD (an HTML field: the topic has no such column). It is checked before the
# topic is inserted and stored, private, as the topic's attachment after: one request, nothing
# written when anything is refused.


def take_attachment(doc):
	"""Validate the file sent with a web proposal and keep it on the doc's flags for after_insert."""
	payload = doc.get(ATTACHMENT_FIELD)
	doc.set(ATTACHMENT_FIELD, None)
	if not payload:
		return
	file_name, content = decode_attachment(payload)
	limit = max_attachment_mb()
	if len(content) > limit * 1024 * 1024:
		frappe.throw(
			_("The attachment is {0} MB; attachments may be at most {1} MB.").format(
				f"{len(content) / 1048576:.1f}", f"{limit:g}"
			),
			title=_("Attachment too large"),
		)
	doc.flags.proposal_attachment = (file_name, content)


def decode_attachment(payload: str) -> tuple[str, bytes]:
	import base64
	import binascii
	import mimetypes
	import os

	from frappe.handler import ALLOWED_MIMETYPES

	file_name, _sep, data_url = str(payload).partition(",data:")
	header, _sep, data = data_url.partition(",")
	file_name = os.path.basename(strip_html(file_name)).strip()
	if not file_name or not header.endswith(";base64"):
		frappe.throw(_("The attachment could not be read. Please choose the file again."))
	if mimetypes.guess_type(file_name)[0] not in ALLOWED_MIMETYPES:
		frappe.throw(_("Attach a picture (JPG or PNG), a PDF, a text or CSV file, or an office document."))
	try:
		content = base64.b64decode(data, validate=True)
	except (binascii.Error, ValueError):
		frappe.throw(_("The attachment could not be read. Please choose the file again."))
	return file_name, content


def after_topic_insert(doc, method=None):
	"""doc_events hook: store the file sent with a web proposal as the topic's private attachment."""
	attachment = doc.flags.pop("proposal_attachment", None)
	if not attachment:
		return
	file_name, content = attachment
	frappe.get_doc(
		{
			"doctype": "File",
			"file_name": file_name,
			"attached_to_doctype": doc.doctype,
			"attached_to_name": doc.name,
			"is_private": 1,
			"content": content,
		}
	).insert(ignore_permissions=True)
