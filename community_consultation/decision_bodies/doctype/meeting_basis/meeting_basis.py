# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

"""The basis of a meeting's quorum, per village, community or villager group and dated: the villagers
(residents) aged 18+, the households, and the representatives' roster (stakeholders of the unit marked
as representatives, with the households each stands for). A meeting takes the latest basis of its unit
dated on or before the meeting (Organic Law art. 22, 26, 28)."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, getdate

from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types
from community_consultation.overrides.row_locking import RowLocking
from community_consultation.permissions import validate_unit_access

MEETING_UNIT_TYPES = ("Village", "Community", "Villager Group")


class InvalidMeetingBasisError(frappe.ValidationError):
	"""A basis that cannot be counted against: a unit that holds no such meeting, a representative of
	another unit, a roster larger than the households."""


class MeetingBasis(PayloadGuard, RowLocking, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from community_consultation.community_consultation.doctype.meeting_representative.meeting_representative import (
			MeetingRepresentative,
		)

		adults: DF.Int
		community_unit: DF.Link
		effective_from: DF.Date
		households: DF.Int
		representative_count: DF.Int
		representatives: DF.Table[MeetingRepresentative]
		source: DF.SmallText | None

	# end: auto-generated types
	def before_validate(self):
		validate_field_types(self)

	def validate(self):
		validate_unit_access(self)
		self.validate_unit_type()
		self.validate_roster()
		self.validate_unique_date()
		self.representative_count = len(self.representatives)

	def validate_unit_type(self):
		unit_type = frappe.db.get_value("Community Unit", self.community_unit, "unit_type")
		if unit_type not in MEETING_UNIT_TYPES:
			frappe.throw(
				_(
					"A quorum basis is kept for a village, a community or a villager group, not for a {0}."
				).format(_(unit_type) if unit_type else ""),
				InvalidMeetingBasisError,
			)

	def validate_roster(self):
		"""Art. 25: representatives are villagers of the unit (or of its groups), each listed once; the
		households they stand for are not more than the unit's households."""
		lft, rgt = frappe.db.get_value("Community Unit", self.community_unit, ["lft", "rgt"])
		seen = set()
		for row in self.representatives:
			if row.stakeholder in seen:
				frappe.throw(
					_("Row {0}: {1} is listed twice on the roster.").format(row.idx, row.stakeholder),
					InvalidMeetingBasisError,
				)
			seen.add(row.stakeholder)
			unit = frappe.db.get_value("Stakeholder", row.stakeholder, "community_unit")
			bounds = frappe.db.get_value("Community Unit", unit, ["lft", "rgt"]) if unit else None
			if not bounds or not (lft <= bounds[0] and bounds[1] <= rgt):
				frappe.throw(
					_("Row {0}: {1} is not a stakeholder of {2} and cannot represent it.").format(
						row.idx, row.stakeholder, self.community_unit
					),
					InvalidMeetingBasisError,
				)
		represented = sum(cint(r.households_represented) for r in self.representatives)
		if cint(self.households) and represented > cint(self.households):
			frappe.throw(
				_(
					"The representatives stand for {0} households, more than the {1} households of the unit."
				).format(represented, cint(self.households)),
				InvalidMeetingBasisError,
			)

	def validate_unique_date(self):
		other = frappe.db.exists(
			"Meeting Basis",
			{
				"community_unit": self.community_unit,
				"effective_from": self.effective_from,
				"name": ("!=", self.name or ""),
			},
		)
		if other:
			frappe.throw(
				_("The unit already has the basis {0} from {1}.").format(other, self.effective_from),
				InvalidMeetingBasisError,
			)


def basis_in_force(unit: str, on_date) -> str | None:
	"""The latest basis of `unit` dated on or before `on_date`."""
	rows = frappe.get_all(
		"Meeting Basis",
		filters={"community_unit": unit, "effective_from": ("<=", getdate(on_date))},
		fields=["name"],
		order_by="effective_from desc",
		limit=1,
	)
	return rows[0].name if rows else None


def on_doctype_update():
	frappe.db.add_index("Meeting Basis", ["community_unit", "effective_from"])
