# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

"""A dated remark of the supervision committee (村(居)务监督委员会) on a topic, session, outcome or meeting.

§三: the supervision committee supervises that consultation is lawful and orderly. It reads everything
of its village and records what it finds here; it cannot change a topic's review, a session's record, an
outcome or a meeting (it has no write permission on them). A remark on a topic may name a stage of its
四议两公开, whose row then shows it (Organic Law art. 24, 32). A remark is a record: it is never changed or
deleted once saved."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, nowdate

from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types
from community_consultation.overrides.row_locking import ensure_series_row

REMARKABLE_DOCTYPES = (
	"Consultation Topic",
	"Consultation Session",
	"Consultation Outcome",
	"Community Meeting",
)
# the records whose own title the remark shows (the others show their topic's)
TITLED_DOCTYPES = ("Consultation Topic", "Community Meeting")


class StageRemarkError(frappe.ValidationError):
	"""A remark on a stage of 四议两公开 that the topic does not follow or has not recorded."""


class SupervisionRemark(PayloadGuard, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		community_unit: DF.Link
		finding: DF.Literal["Lawful and Orderly", "Concern", "Irregularity"]
		reference_doctype: DF.Literal[
			"Consultation Topic", "Consultation Session", "Consultation Outcome", "Community Meeting"
		]
		reference_name: DF.DynamicLink
		reference_title: DF.Data | None
		remark: DF.SmallText
		remark_on: DF.Date
		remarked_by: DF.Link | None
		remarked_by_name: DF.Data | None
		stage: DF.Literal[
			"",
			"Party Organisation's Proposal",
			"Two Committees' Deliberation",
			"Party Members' Assembly Review",
			"Meeting Resolution",
			"Resolution Made Public",
			"Implementation Result Made Public",
		]

	# end: auto-generated types
	def before_insert(self):
		ensure_series_row(self)
		self.remarked_by = frappe.session.user

	def before_validate(self):
		validate_field_types(self)

	def validate(self):
		self.validate_unchanged()
		self.set_from_reference()
		self.validate_stage()
		self.validate_remark_on()

	def on_trash(self):
		self.validate_unchanged(deleting=True)

	def validate_unchanged(self, deleting: bool = False):
		"""§三: a supervision remark is a dated record; once saved it is neither changed nor deleted."""
		if deleting:
			frappe.throw(_("A supervision remark is a record and cannot be deleted."), frappe.PermissionError)
		if not self.is_new():
			frappe.throw(_("A supervision remark cannot be changed once saved: add a new remark instead."))

	def set_from_reference(self):
		"""The remark belongs to the unit of the record it is about, which the author must be able to read."""
		if self.reference_doctype not in REMARKABLE_DOCTYPES:
			frappe.throw(
				_(
					"A supervision remark is made on a consultation topic, session, outcome or meeting, not on {0}."
				).format(_(self.reference_doctype) if self.reference_doctype else "")
			)
		reference = frappe.db.get_value(
			self.reference_doctype,
			self.reference_name,
			["community_unit", "title" if self.reference_doctype in TITLED_DOCTYPES else "topic_title"],
			as_dict=True,
		)
		if not reference:
			frappe.throw(_("{0} {1} does not exist.").format(_(self.reference_doctype), self.reference_name))
		if not self.flags.ignore_permissions and not frappe.has_permission(
			self.reference_doctype, "read", self.reference_name
		):
			frappe.throw(_("You may only remark on records of your own units."), frappe.PermissionError)
		self.community_unit = reference.community_unit
		self.reference_title = reference.get("title") or reference.get("topic_title")

	def validate_stage(self):
		"""Art. 24, 32: the supervision committee remarks on each stage of 四议两公开 a topic has been
		through; the stage's row on the topic shows the remarks (`FourDeliberationsStage`)."""
		if not self.stage:
			return
		if self.reference_doctype != "Consultation Topic":
			frappe.throw(
				_("A stage of the four deliberations and two disclosures is remarked on its topic."),
				StageRemarkError,
			)
		if not frappe.db.exists(
			"Four Deliberations Stage",
			{"parent": self.reference_name, "parenttype": "Consultation Topic", "stage": self.stage},
		):
			frappe.throw(
				_(
					"The topic {0} has not recorded the stage {1}: remark on a stage once it is recorded."
				).format(self.reference_name, _(self.stage)),
				StageRemarkError,
			)

	def validate_remark_on(self):
		if getdate(self.remark_on) > getdate(nowdate()):
			frappe.throw(_("A supervision remark cannot be dated in the future."))
