# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils.nestedset import NestedSet

from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types
from community_consultation.units.tree import ALLOWED_PARENT_TYPES, GROUP_TYPES


class CommunityUnit(PayloadGuard, NestedSet):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		bulletin_board: DF.Data | None
		committee_name: DF.Data | None
		is_group: DF.Check
		lft: DF.Int
		old_parent: DF.Link | None
		parent_community_unit: DF.Link | None
		party_organisation: DF.Data | None
		rgt: DF.Int
		unit_code: DF.Data | None
		unit_name: DF.Data
		unit_type: DF.Literal[
			"County", "Township", "Village", "Community", "Villager Group", "Building", "Estate"
		]
	# end: auto-generated types
	nsm_parent_field = "parent_community_unit"

	def before_validate(self):
		validate_field_types(self)

	def autoname(self):
		"""Unit names repeat across villages (一组, 1栋): a taken name is prefixed by its parent's."""
		self.unit_name = (self.unit_name or "").strip()
		name = self.unit_name
		if frappe.db.exists("Community Unit", name) and self.parent_community_unit:
			name = f"{self.parent_community_unit}-{self.unit_name}"
		self.name = name

	def validate(self):
		self.is_group = 1 if self.unit_type in GROUP_TYPES else 0
		self.validate_parent_type()

	def validate_parent_type(self):
		"""§二(一): a unit's type constrains its parent's type."""
		allowed = ALLOWED_PARENT_TYPES.get(self.unit_type)
		if allowed is None:
			frappe.throw(_("Unknown unit type {0}").format(self.unit_type))
		if not allowed:
			if self.parent_community_unit:
				frappe.throw(_("A {0} is a top-level unit and has no parent unit.").format(_(self.unit_type)))
			return
		if not self.parent_community_unit:
			frappe.throw(
				_("A {0} must sit under a {1}.").format(
					_(self.unit_type), _(" or ").join(_(t) for t in allowed)
				)
			)
		parent_type = frappe.db.get_value("Community Unit", self.parent_community_unit, "unit_type")
		if parent_type not in allowed:
			frappe.throw(
				_("A {0} must sit under a {1}, not under a {2}.").format(
					_(self.unit_type), _(" or ").join(_(t) for t in allowed), _(parent_type)
				)
			)

	def on_trash(self):
		super().on_trash(allow_root_deletion=True)


def on_doctype_update():
	frappe.db.add_index("Community Unit", ["lft", "rgt"])
