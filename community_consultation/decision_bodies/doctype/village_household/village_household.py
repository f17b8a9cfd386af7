# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

"""A household of a village's or community's register (户): its number, its head and its members, each
with a birth date or an age group, registered or not (户籍 / 非户籍), and the member who represents the
household at a meeting. The register is personal data (个人信息保护法): only the village's staff, its
supervision committee and administrators read it (the DocType's permissions and the unit's User
Permissions); an ID-card number is stored only masked. A village keeps it by importing its spreadsheet
(`decision_bodies/register.py`) or in the desk; the rules of a household are the same on both paths
(`household_errors`)."""

import frappe
from frappe import _
from frappe.model.document import Document

from community_consultation.decision_bodies.register import HouseholdRegisterError, household_errors
from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types
from community_consultation.overrides.row_locking import RowLocking
from community_consultation.permissions import validate_unit_access
from community_consultation.units.tree import VILLAGE_TYPES, unit_type


class VillageHousehold(PayloadGuard, RowLocking, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from community_consultation.decision_bodies.doctype.household_member.household_member import (
			HouseholdMember,
		)

		community_unit: DF.Link
		head_name: DF.Data | None
		household_no: DF.Data
		member_count: DF.Int
		members: DF.Table[HouseholdMember]
		representative_name: DF.Data | None
	# end: auto-generated types

	def before_validate(self):
		validate_field_types(self)

	def validate(self):
		validate_unit_access(self)
		self.validate_unit()
		self.validate_unique_number()
		self.validate_members()
		self.set_summary()

	def validate_unit(self):
		"""A register is kept by a village or a community."""
		if unit_type(self.community_unit) not in VILLAGE_TYPES:
			frappe.throw(_("A household register belongs to a village or community."), HouseholdRegisterError)

	def validate_unique_number(self):
		self.household_no = (self.household_no or "").strip()
		other = frappe.db.get_value(
			"Village Household",
			{
				"community_unit": self.community_unit,
				"household_no": self.household_no,
				"name": ("!=", self.name or ""),
			},
		)
		if other:
			frappe.throw(
				_("The household {0} is already in the register of {1}.").format(
					frappe.bold(self.household_no), self.community_unit
				),
				HouseholdRegisterError,
			)

	def validate_members(self):
		"""The household's rules (`register.household_errors`): one head, at most one representative,
		each member with a birth date or an age group, an ID-card number masked."""
		errors = household_errors(self.members)
		if errors:
			frappe.throw(
				"<br>".join(_("Row {0}: {1}").format(row, message) for row, message in errors),
				HouseholdRegisterError,
			)

	def set_summary(self):
		"""The head, the representative (the head unless another member is marked) and the count."""
		head = next((m for m in self.members if m.is_head), None)
		representative = next((m for m in self.members if m.household_representative), head)
		self.head_name = head.member_name if head else None
		self.representative_name = representative.member_name if representative else None
		self.member_count = len(self.members)


def on_doctype_update():
	frappe.db.add_unique(
		"Village Household", ["community_unit", "household_no"], constraint_name="unique_household_no"
	)
