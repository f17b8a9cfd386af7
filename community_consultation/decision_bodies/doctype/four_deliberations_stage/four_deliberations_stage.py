# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

"""A stage of a topic's 四议两公开 (`community_consultation.decision_bodies.four_deliberations`), with the supervision
committee's remarks on it: the Supervision Remarks on the topic naming the stage, which the reader may
read, in the reader's language (never copied into the row)."""

import frappe
from frappe import _
from frappe.utils import formatdate

from community_consultation.procedure.child_rows import ChildRow


class FourDeliberationsStage(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		completed_on: DF.Date
		meeting: DF.Link | None
		outcome: DF.Link | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		session: DF.Link | None
		stage: DF.Literal[
			"Party Organisation's Proposal",
			"Two Committees' Deliberation",
			"Party Members' Assembly Review",
			"Meeting Resolution",
			"Resolution Made Public",
			"Implementation Result Made Public",
		]
		supervision_remarks: DF.SmallText | None

	# end: auto-generated types
	@property
	def supervision_remarks(self) -> str:
		"""The virtual field Supervision Committee's Remarks: one line per remark, oldest first."""
		if not self.parent or self.parenttype != "Consultation Topic":
			return ""
		return "\n".join(
			_("{0} {1}: {2}").format(formatdate(r.remark_on), _(r.finding), r.remark)
			for r in stage_remarks(self.parent_doc or self.parent).get(self.stage, ())
		)


def stage_remarks(topic) -> dict[str, list]:
	"""The supervision remarks on the stages of `topic` (a document or a name) that the user may read, by
	stage; read once per topic document."""
	cached = topic.__dict__.get("_stage_remarks") if not isinstance(topic, str) else None
	if cached is not None:
		return cached
	name = topic if isinstance(topic, str) else topic.name
	remarks = {}
	if frappe.has_permission("Supervision Remark", "read"):
		for r in frappe.get_list(
			"Supervision Remark",
			filters={
				"reference_doctype": "Consultation Topic",
				"reference_name": name,
				"stage": ("is", "set"),
			},
			fields=["stage", "remark_on", "finding", "remark"],
			order_by="remark_on asc, creation asc",
		):
			remarks.setdefault(r.stage, []).append(r)
	if not isinstance(topic, str):
		topic.__dict__["_stage_remarks"] = remarks
	return remarks
