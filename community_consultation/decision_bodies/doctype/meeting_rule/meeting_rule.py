# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

"""The statutory figures of a kind of meeting, as dated data an administrator owns.

The Organic Law of the Villagers' Committees (2018 text, art. 21–22, 26, 28) and the Urban Residents'
Committees Organic Law set the notice, the quorum and the majority of the meetings that decide by law.
Both laws were amended on 2025-10-28 (in force 2026-01-01): a county enters the amended figures as a
new rule from its date and closes the old one, and each meeting keeps the rule that was in force on
its date (`CommunityMeeting.meeting_rule`). The 2018 figures are created at install
(`setup.defaults.MEETING_RULES`)."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, getdate

from community_consultation.overrides.payload_guard import PayloadGuard, validate_field_types

BASES = ("adults", "households", "members")


class OverlappingMeetingRuleError(frappe.ValidationError):
	"""Two rules for one kind of meeting in force on the same day."""


class InvalidThresholdError(frappe.ValidationError):
	"""A share that is no share (a numerator above its denominator, a missing comparison)."""


class MeetingRule(PayloadGuard, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		adults_comparison: DF.Literal["", "More Than", "At Least"]
		adults_denominator: DF.Int
		adults_numerator: DF.Int
		effective_from: DF.Date
		effective_to: DF.Date | None
		households_comparison: DF.Literal["", "More Than", "At Least"]
		households_denominator: DF.Int
		households_numerator: DF.Int
		legal_basis: DF.SmallText | None
		meeting_kind: DF.Literal[
			"Villagers' Meeting",
			"Villagers' Representatives' Meeting",
			"Villagers' Group Meeting",
			"Residents' Meeting",
			"Residents' Representatives' Meeting",
		]
		members_comparison: DF.Literal["", "More Than", "At Least"]
		members_denominator: DF.Int
		members_numerator: DF.Int
		notice_days: DF.Int
		pass_comparison: DF.Literal["", "More Than", "At Least"]
		pass_denominator: DF.Int
		pass_numerator: DF.Int
		rule_title: DF.Data

	# end: auto-generated types
	def before_validate(self):
		validate_field_types(self)

	def validate(self):
		self.validate_period()
		self.validate_thresholds()
		self.validate_no_overlap()

	def validate_period(self):
		if self.effective_to and getdate(self.effective_to) < getdate(self.effective_from):
			frappe.throw(_("A rule cannot end before it takes effect."), InvalidThresholdError)

	def validate_thresholds(self):
		"""Each share is a fraction of at most one, with its comparison; the decision share is required
		and at least one quorum basis."""
		for prefix in (*BASES, "pass"):
			numerator, denominator = (
				cint(self.get(f"{prefix}_numerator")),
				cint(self.get(f"{prefix}_denominator")),
			)
			if not denominator:
				continue
			label = _(self.meta.get_label(f"{prefix}_numerator")).split(":")[0]
			if not 0 < numerator <= denominator:
				frappe.throw(
					_("{0}: the share must be a fraction of at most one.").format(label),
					InvalidThresholdError,
				)
			if not self.get(f"{prefix}_comparison"):
				frappe.throw(_("{0}: choose More Than or At Least.").format(label), InvalidThresholdError)
		if not cint(self.pass_denominator):
			frappe.throw(
				_("Enter the share of those present by which a resolution passes."), InvalidThresholdError
			)
		if not any(cint(self.get(f"{b}_denominator")) for b in BASES):
			frappe.throw(_("Enter at least one basis of the quorum."), InvalidThresholdError)

	def validate_no_overlap(self):
		"""The rule in force on a date is one: two rules of a kind may not cover the same day."""
		for other in frappe.get_all(
			"Meeting Rule",
			filters={"meeting_kind": self.meeting_kind, "name": ("!=", self.name or "")},
			fields=["name", "effective_from", "effective_to"],
		):
			start = max(getdate(self.effective_from), getdate(other.effective_from))
			ends = [getdate(d) for d in (self.effective_to, other.effective_to) if d]
			if not ends or start <= min(ends):
				frappe.throw(
					_(
						"The rule {0} for {1} is in force on the same days: close it first (Effective To)."
					).format(frappe.bold(other.name), _(self.meeting_kind)),
					OverlappingMeetingRuleError,
				)

	def threshold(self, prefix: str) -> tuple[int, int, bool] | None:
		"""(numerator, denominator, strictly more) of a share, or None where it does not apply."""
		denominator = cint(self.get(f"{prefix}_denominator"))
		if not denominator:
			return None
		return (
			cint(self.get(f"{prefix}_numerator")),
			denominator,
			self.get(f"{prefix}_comparison") == "More Than",
		)


def reaches(count: int, total: int, threshold: tuple[int, int, bool]) -> bool:
	"""`count` of `total` reaches the share: over it (过半数) or at least it (以上), in whole numbers."""
	numerator, denominator, strict = threshold
	if total <= 0:
		return False
	if strict:
		return count * denominator > numerator * total
	return count * denominator >= numerator * total


def rule_in_force(kind: str, on_date) -> str | None:
	"""The rule for `kind` in force on `on_date`."""
	on_date = getdate(on_date)
	rows = frappe.get_all(
		"Meeting Rule",
		filters={"meeting_kind": kind, "effective_from": ("<=", on_date)},
		or_filters=[["effective_to", "is", "not set"], ["effective_to", ">=", on_date]],
		fields=["name"],
		order_by="effective_from desc",
		limit=1,
	)
	return rows[0].name if rows else None
