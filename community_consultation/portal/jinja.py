"""Jinja helpers for the print formats and public pages (registered under `jinja` in hooks.py).

Dates on paper and on the bulletin board are written the Chinese way (2026年11月25日) when the
document is rendered in Chinese, and in the site's date format otherwise.
"""

import frappe
from frappe import _
from frappe.utils import format_time, formatdate, get_datetime, getdate

from community_consultation.units import tree as unit_tree
from community_consultation.units.names import display_name

# the stakeholder type of the supervision committee, created at install (二(三))
SUPERVISION_COMMITTEE_TYPE = "村(居)务监督委员会"
WEEKDAYS_ZH = "一二三四五六日"


def _in_chinese() -> bool:
	return (frappe.local.lang or "").lower().startswith("zh")


def cn_date(value) -> str:
	"""A date as 2026年11月25日 in Chinese, in the site's date format otherwise."""
	if not value:
		return ""
	date = getdate(value)
	if _in_chinese():
		return f"{date.year}年{date.month}月{date.day}日"
	return formatdate(date)


def cn_datetime(value, weekday: bool = False) -> str:
	"""A date and time as 2026年11月25日（星期三）14:30 in Chinese."""
	if not value:
		return ""
	moment = get_datetime(value)
	time = moment.strftime("%H:%M")
	if _in_chinese():
		day = f"（星期{WEEKDAYS_ZH[moment.weekday()]}）" if weekday else " "
		return f"{cn_date(moment)}{day}{time}"
	return f"{formatdate(moment)} {format_time(moment.time(), 'HH:mm')}"


def cn_time_span(starts_on, ends_on=None, weekday: bool = False) -> str:
	"""When a session runs: 2026年11月25日（星期三）14:30至16:30 (the end's date only if it differs)."""
	if not starts_on:
		return ""
	text = cn_datetime(starts_on, weekday=weekday)
	if not ends_on:
		return text
	start, end = get_datetime(starts_on), get_datetime(ends_on)
	until = end.strftime("%H:%M") if start.date() == end.date() else cn_datetime(end)
	return _("{0} until {1}").format(text, until)


def consultation_unit(unit: str | None) -> frappe._dict:
	"""A unit's public names: unit_name, display_name, committee_name, party_organisation, bulletin_board,
	the unit above it, and its issuing body (the committee, else the Party organisation, else the unit
	itself)."""
	values = (
		frappe.db.get_value(
			"Community Unit",
			unit,
			[
				"name",
				"unit_name",
				"unit_type",
				"committee_name",
				"party_organisation",
				"bulletin_board",
				"parent_community_unit",
			],
			as_dict=True,
		)
		if unit
		else None
	) or frappe._dict()
	values.issuer = values.committee_name or values.party_organisation or values.unit_name or ""
	# how a document names the unit (units/names.py)
	values.display_name = display_name(values.name)
	return values


def supervision_committee(unit: str | None) -> str:
	"""Who receives objections to a publicised outcome (二(五)4, 三): the supervision committee of the
	unit, or of the nearest unit above it that has one on record."""
	if not unit:
		return ""
	bounds = unit_tree.bounds(unit)
	if bounds:
		stakeholder = frappe.qb.DocType("Stakeholder")
		cu = frappe.qb.DocType("Community Unit")
		row = (
			frappe.qb.from_(stakeholder)
			.join(cu)
			.on(cu.name == stakeholder.community_unit)
			.select(stakeholder.stakeholder_name)
			.where(
				(stakeholder.stakeholder_type == SUPERVISION_COMMITTEE_TYPE)
				& (stakeholder.enabled == 1)
				& unit_tree.encloses_criterion(cu, bounds)
			)
			.orderby(cu.lft, order=frappe.qb.desc)
			.limit(1)
			.run()
		)
		if row:
			return row[0][0]
	unit_name = frappe.db.get_value("Community Unit", unit, "unit_name") or unit
	return _("the supervision committee of {0}").format(unit_name)


def text_to_html(value: str | None) -> str:
	"""Plain text (a Text field) as escaped HTML with its line breaks kept."""
	if not value:
		return ""
	return frappe.utils.escape_html(value).replace("\n", "<br>")
