"""The annual return of several counties, computed county by county in the background job that prepares
it (`overrides/prepared_returns.py` decides which runs are prepared), with the desk's progress bar."""

import frappe
from frappe import _
from frappe.utils import cint, flt
from rq import get_current_job

from community_consultation.overrides.prepared_returns import PREPARED_UNIT_TYPES
from community_consultation.reporting.figures import get_return_rows


def return_rows(from_date, to_date, unit: str | None = None, by_county: bool | None = None):
	"""`figures.get_return_rows`, computed county by county with the desk's progress bar when the
	return of several counties is prepared in a background job (or `by_county`); the same rows."""
	if by_county is None:
		by_county = bool(get_current_job()) and not (
			unit and frappe.db.get_value("Community Unit", unit, "unit_type") in PREPARED_UNIT_TYPES
		)
	if not by_county:
		return get_return_rows(from_date, to_date, unit=unit)
	county_filters = {"unit_type": "County"}
	if unit:
		lft, rgt = frappe.db.get_value("Community Unit", unit, ["lft", "rgt"])
		county_filters.update({"lft": (">=", lft), "rgt": ("<=", rgt)})
	counties = frappe.get_all("Community Unit", filters=county_filters, pluck="name", order_by="lft asc")
	if unit and not counties:
		return get_return_rows(from_date, to_date, unit=unit)
	rows, categories, forms = [], [], []
	for i, county in enumerate(counties):
		county_rows, categories, forms = get_return_rows(from_date, to_date, unit=county)
		rows.extend(r for r in county_rows if r.row_type != "total")
		publish_progress(i + 1, len(counties), county)
	county_rows = [r for r in rows if r.row_type == "county"]
	if not county_rows:
		return [], categories, forms
	labels = ("county_lft", "township_lft", "village_lft", "county", "township", "village", "village_type")
	total = frappe._dict({k: None for k in labels}, row_type="total")
	# as the single query's ROLLUP gives it (the total row shows no type)
	total.village_type = max((r.village_type for r in county_rows if r.village_type), default=None)
	for key, value in county_rows[0].items():
		if key not in labels and key not in ("row_type", "attendance_rate") and isinstance(value, int):
			total[key] = sum(cint(r.get(key)) for r in county_rows)
	total.attendance_rate = (
		flt(100.0 * total.attended / total.participants, 1) if total.get("participants") else 0.0
	)
	return [total, *rows], categories, forms


def publish_progress(done: int, total: int, label: str):
	"""The desk's progress bar for the owner of a prepared return (only in its background job)."""
	if not total or not get_current_job():
		return
	frappe.publish_progress(
		round(100.0 * done / total),
		title=_("Preparing the annual return"),
		description=_("{0} of {1}: {2}").format(done, total, label),
	)
