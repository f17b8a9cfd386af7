# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import nowdate

from community_consultation.community_consultation.doctype.consultation_topic.consultation_topic import (
	LIFE_CYCLE as TOPIC_LIFE_CYCLE,
)
from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types
from community_consultation.permissions import unit_scope, validate_unit_access, whitelist_action
from community_consultation.procedure.lifecycle import LifeCycle, State
from community_consultation.units.tree import VILLAGE_TYPES, township_of, unit_in_ranges, unit_type

# §三(二): a referral's states, judged in this order (community_consultation/procedure/lifecycle.py); the
# township's decision (Take Up, Send Back) brings the facts. A referral awaiting the township or taken up
# holds the topic (`open`): the topic is not referred again.
LIFE_CYCLE = LifeCycle(
	"Township Referral",
	(
		State(
			"Taken Up",
			lambda doc: bool(doc.township_topic),
			"ifnull({t}.township_topic, '') != ''",
			colour="green",
			open=True,
		),
		State("Sent Back", lambda doc: bool(doc.decided_on), "{t}.decided_on is not null", colour="orange"),
		State("Awaiting Township", lambda doc: True, "1 = 1", colour="blue", open=True),
	),
)


class ReferralNotAllowedError(frappe.ValidationError):
	"""A topic that cannot be referred to the township (not a village's, closed, in a session)."""


class DuplicateReferralError(frappe.ValidationError):
	"""A topic already waiting on the township, or taken up by it."""


class ReferralDecidedError(frappe.ValidationError):
	"""The township already decided on the referral."""


class TopicWithTownshipError(frappe.ValidationError):
	"""A session of a village topic that waits on the township's decision."""


class TownshipReferral(PayloadGuard, Document):
	"""A village topic referred up to the township (§三(二), 二(一)): a matter that crosses villages or is
	beyond the village's powers. The township takes it up (a township-level topic, linked to the
	village's by `escalated_from`, so the village's topic shows Escalated) or sends it back with its
	reason (the village consults on it itself)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		community_unit: DF.Link | None
		decided_by: DF.Link | None
		decided_on: DF.Date | None
		decision_reason: DF.SmallText | None
		reason: DF.SmallText
		referred_on: DF.Date | None
		status: DF.Literal["Awaiting Township", "Taken Up", "Sent Back"]
		topic: DF.Link
		topic_title: DF.Data | None
		township: DF.Link | None
		township_topic: DF.Link | None
	# end: auto-generated types

	LIFE_CYCLE = LIFE_CYCLE

	def before_validate(self):
		validate_field_types(self)

	def validate(self):
		self.set_units()
		validate_unit_access(self)
		if self.is_new():
			self.validate_topic_referable()
			self.validate_not_referred_already()
			self.referred_on = nowdate()
			for field in ("decided_on", "decided_by", "decision_reason", "township_topic"):
				self.set(field, None)
		else:
			self.validate_decision_unchanged()
		self.validate_reason()
		self.status = LIFE_CYCLE.status(self)

	def set_units(self):
		self.community_unit = frappe.db.get_value("Consultation Topic", self.topic, "community_unit")
		self.township = township_of(self.community_unit)

	def validate_topic_referable(self):
		"""§三(二): a village's or community's own topic, in a state its life-cycle table marks referable
		(not once settled, escalated, referred to the meeting or voted down), with no session under way."""
		if unit_type(self.community_unit) not in VILLAGE_TYPES or not self.township:
			frappe.throw(
				_("Only a topic of a village or community is referred to the township."),
				ReferralNotAllowedError,
			)
		if frappe.db.exists("Consultation Session", {"topic": self.topic, "docstatus": 0}):
			frappe.throw(
				_("The topic has a session under way: conclude or delete it before referring the topic."),
				ReferralNotAllowedError,
			)
		status = frappe.db.get_value("Consultation Topic", self.topic, "status")
		if status not in TOPIC_LIFE_CYCLE.names(referable=True):
			frappe.throw(
				_("The topic is {0}: it can no longer be referred to the township.").format(_(status)),
				ReferralNotAllowedError,
			)

	def validate_not_referred_already(self):
		"""One referral at a time: a topic waiting on the township, or taken up, is not referred again."""
		existing = frappe.db.get_value(
			"Township Referral",
			{
				"topic": self.topic,
				"status": ("in", LIFE_CYCLE.names(open=True)),
				"name": ("!=", self.name),
			},
		)
		if existing:
			frappe.throw(
				_("The topic is already referred to the township ({0}).").format(frappe.bold(existing)),
				DuplicateReferralError,
			)

	def validate_reason(self):
		"""§三(二): the village says why the matter is beyond it."""
		if not (self.reason or "").strip():
			frappe.throw(_("Give the reason for referring the topic to the township."))

	def validate_decision_unchanged(self):
		"""The decision is the township's, through Take Up and Send Back only."""
		before = self.get_doc_before_save()
		if not before:
			return
		allowed = self.__dict__.get("_deciding")
		for field in ("status", "decided_on", "decided_by", "decision_reason", "township_topic", "topic"):
			if str(before.get(field) or "") != str(self.get(field) or "") and not allowed:
				frappe.throw(
					_("{0} is recorded by the township's decision and cannot be changed directly.").format(
						frappe.bold(_(self.meta.get_label(field)))
					),
					ReferralDecidedError,
				)
		if before.status != "Awaiting Township" and allowed:
			frappe.throw(_("The township has already decided on this referral."), ReferralDecidedError)

	def check_township_decides(self):
		"""The township's staff decide: a user who may work in the township, not only in the village."""
		self.check_permission("write")
		if not unit_in_ranges(self.township, unit_scope(frappe.session.user, self.doctype)):
			frappe.throw(
				_("Only the township's staff take up or send back a referral."), frappe.PermissionError
			)

	@whitelist_action
	def take_up(self) -> str:
		"""The township takes the matter up: a township-level topic with the village topic's matter, its
		participants and its earlier rounds; the village topic becomes Escalated and takes no session."""
		self.check_township_decides()
		if self.status != "Awaiting Township":
			frappe.throw(_("The township has already decided on this referral."), ReferralDecidedError)
		village_topic = frappe.get_doc("Consultation Topic", self.topic)
		record = "<p>{}</p><p>{}</p>{}".format(
			frappe.utils.escape_html(_("Referred by {0}: {1}").format(self.community_unit, self.name)),
			frappe.utils.escape_html(self.reason or ""),
			village_topic.get_rounds_record(),
		)
		topic = village_topic.taken_up_at(self.township, record)
		self.township_topic = topic.name
		self.decide()
		village_topic.update_status()
		return topic.name

	@whitelist_action
	def send_back(self, reason: str) -> str:
		"""The township sends the matter back to the village, with its reason."""
		self.check_township_decides()
		if self.status != "Awaiting Township":
			frappe.throw(_("The township has already decided on this referral."), ReferralDecidedError)
		if not (reason or "").strip():
			frappe.throw(_("Give the reason for sending the topic back to the village."))
		self.decision_reason = reason
		self.decide()
		return self.status

	def decide(self):
		self.decided_on = nowdate()
		self.decided_by = frappe.session.user
		self.__dict__["_deciding"] = True
		try:
			# the township's staff may not write in the village: their decision is the authority
			self.flags.ignore_permissions = True
			self.save()
		finally:
			self.__dict__.pop("_deciding", None)
			self.flags.ignore_permissions = False


def awaiting_township(topic: str) -> str | None:
	"""The referral of `topic` that waits on the township, if any."""
	return frappe.db.get_value("Township Referral", {"topic": topic, "status": "Awaiting Township"})


def on_doctype_update():
	frappe.db.add_index("Township Referral", ["township", "status"])
