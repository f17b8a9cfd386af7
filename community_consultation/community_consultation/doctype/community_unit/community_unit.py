# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils.nestedset import NestedSet

from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types
from community_consultation.units import codes, names
from community_consultation.units.tree import (
	ALLOWED_PARENT_TYPES,
	BUILDING_LEVEL_TYPES,
	GROUP_TYPES,
	nested_set_is_deferred,
	validate_unit_not_retired,
)


class UnitCodeError(frappe.ValidationError):
	"""A national division code that is malformed, of another level, or not under its parent's."""


class CommunityUnit(PayloadGuard, NestedSet):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		bulletin_board: DF.Data | None
		committee_name: DF.Data | None
		disabled: DF.Check
		is_group: DF.Check
		lft: DF.Int
		old_parent: DF.Link | None
		parent_community_unit: DF.Link | None
		party_organisation: DF.Data | None
		retired_on: DF.Date | None
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
		"""Unit names repeat: a taken village or township name carries its township or county
		(`units.names`: 车头村委会（石潭镇）); a taken building-level name (一组, 1栋) is prefixed by its
		village's."""
		self.unit_name = (self.unit_name or "").strip()
		name = self.unit_name
		if frappe.db.exists("Community Unit", name) and self.parent_community_unit:
			if self.unit_type in BUILDING_LEVEL_TYPES:
				name = f"{self.parent_community_unit}-{self.unit_name}"
			else:
				candidates = names.candidate_names(
					self.unit_name, names.qualifiers_of(self.parent_community_unit), self.unit_code
				)
				name = names.choose_name(candidates, True, lambda n: frappe.db.exists("Community Unit", n))
		self.name = name or self.unit_name

	def validate(self):
		self.is_group = 1 if self.unit_type in GROUP_TYPES else 0
		self.validate_parent_type()
		self.validate_unit_code()
		self.validate_retirement()

	def validate_unit_code(self):
		"""二(一): a unit carries the national division code of its level (统计用区划代码, `units.codes`):
		12 digits, a county's 6 significant, a township's 9, a village's or community's 12, beginning with
		its parent's code; units below a village have none. The code may be empty (a unit made by hand).
		Checked when the code or the parent changes, so a site's older codes stay until edited."""
		if not self.unit_code:
			self.unit_code = None
			return
		if not (
			self.is_new()
			or self.has_value_changed("unit_code")
			or self.has_value_changed(self.nsm_parent_field)
		):
			return
		code = codes.normalise_code(self.unit_code)
		level = codes.LEVEL_OF_TYPE.get(self.unit_type)
		if not level:
			frappe.throw(_("A {0} has no national division code.").format(_(self.unit_type)), UnitCodeError)
		if not code or not codes.is_well_formed(code) or codes.code_level(code) != level:
			frappe.throw(
				_("{0} is not the 12-digit division code of a {1}.").format(
					self.unit_code, _(self.unit_type)
				),
				UnitCodeError,
			)
		parent_code = self.parent_community_unit and frappe.db.get_value(
			"Community Unit", self.parent_community_unit, "unit_code"
		)
		if parent_code and codes.parent_code(code) != parent_code:
			frappe.throw(
				_("The code {0} does not begin with the code {1} of its parent unit.").format(
					code, parent_code
				),
				UnitCodeError,
			)
		self.unit_code = code

	def validate_retirement(self):
		"""A retired unit takes no new units beneath it; retiring stamps the day."""
		validate_unit_not_retired(self.parent_community_unit, self)
		if self.disabled and not self.retired_on:
			self.retired_on = frappe.utils.today()
		elif not self.disabled:
			self.retired_on = None

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

	def on_update(self):
		"""Frappe renumbers the nested set, unless an import renumbers it once at its end
		(`tree.nested_set_deferred`)."""
		if not nested_set_is_deferred():
			super().on_update()

	def on_trash(self):
		super().on_trash(allow_root_deletion=True)


def on_doctype_update():
	frappe.db.add_index("Community Unit", ["lft", "rgt"])
