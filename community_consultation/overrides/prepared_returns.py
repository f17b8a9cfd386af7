"""The annual return of a county or of the whole city as a Prepared Report; villages and townships live.

A county's or the city's return reads every village's records of the year (seconds at city scale, see
benchmarks/RESULTS.md), so it runs as a Frappe Prepared Report in an RQ worker of the long queue,
reading from the replica where the site has one, with its progress shown in the desk (county by county);
the return of a township, a village or a building stays live, in the request.

**Who sees a prepared result.** Frappe finds a prepared result by the report's name, the filters' JSON
and its owner, and shows any Prepared Report whose name the request gives (`prepared_report_name`) or
whose attachment is downloaded (`download_attachment`, the File) to every user who may open the report.
The annual return counts only what its user may see, so a result prepared for the units of county A
must never be shown to an officer of county B, even with the same filters. Here:

- every Prepared Report of these reports carries the unit scope it was prepared for, as the filter
  `unit_scope` (the names of the user's allowed units, `*` for a user limited to none), set on the
  server when it is created (`stamp_unit_scope`, whatever the client sent);
- `run` (replacing `frappe.desk.query_report.run`; another app's report gets Frappe's `run` untouched)
  looks results up with the asking user's own `unit_scope`, refuses a named result of another scope, and
  ignores the client's `user`;
- `has_permission` / `query_conditions` on Prepared Report keep another scope's results (their form,
  list, attachment and download) from the user; the job itself checks that its owner's scope is still
  the one stamped (`check_unit_scope`).
"""

import json

import frappe
from frappe import _
from frappe.desk.query_report import run as frappe_run
from frappe.utils import add_to_date, cint, flt, now_datetime, sbool
from frappe.utils.background_jobs import get_jobs
from rq import get_current_job

from community_consultation.overrides.replica import replica_reads
from community_consultation.permissions import is_app_module, unit_scope

# reports whose county-wide and city-wide runs are prepared; {report name: DocType its scope is read for}
SCOPED_PREPARED_REPORTS = {"Consultation Annual Return Figures": "Consultation Topic"}
# a run over one of these units (or more, or the whole city) is prepared
PREPARED_UNIT_TYPES = ("County",)
SCOPE_KEY = "unit_scope"
WHOLE_SITE = "*"
# a Prepared Report is enqueued when its insert commits: older than this with no job, its job is lost
ORPHAN_AFTER_SECONDS = 60


def scope_key(report_name: str, user: str | None = None) -> str:
	"""The units `user` may see for the report, as the value stamped on its prepared results."""
	user = user or frappe.session.user
	ranges = unit_scope(user, SCOPED_PREPARED_REPORTS[report_name])
	if ranges is None:
		return WHOLE_SITE
	if not ranges:
		return ""
	unit = frappe.qb.DocType("Community Unit")
	criterion = None
	for lft, rgt in ranges:
		term = (unit.lft == lft) & (unit.rgt == rgt)
		criterion = term if criterion is None else criterion | term
	names = frappe.qb.from_(unit).select(unit.name).where(criterion).run(pluck=True)
	return ",".join(sorted(names))


def is_prepared_scope(report_name: str, filters: dict, user: str | None = None) -> bool:
	"""True when the run covers a county or more: the unit filter is a county, or there is none and
	the user's units include a county (or the user is limited to no unit: the whole city)."""
	unit = filters.get("community_unit")
	if unit:
		return frappe.db.get_value("Community Unit", unit, "unit_type") in PREPARED_UNIT_TYPES
	ranges = unit_scope(user or frappe.session.user, SCOPED_PREPARED_REPORTS[report_name])
	if ranges is None:
		return True
	if not ranges:
		return False
	unit_ = frappe.qb.DocType("Community Unit")
	criterion = None
	for lft, rgt in ranges:
		term = (unit_.lft == lft) & (unit_.rgt == rgt)
		criterion = term if criterion is None else criterion | term
	return bool(
		frappe.qb.from_(unit_)
		.select(unit_.name)
		.where(criterion & unit_.unit_type.isin(PREPARED_UNIT_TYPES))
		.limit(1)
		.run()
	)


def _filters(filters) -> dict:
	if not filters:
		return {}
	if isinstance(filters, str):
		filters = json.loads(filters)
	return dict(filters)


def _stamped_scope(prepared_report) -> str | None:
	try:
		return json.loads(prepared_report.filters or "{}").get(SCOPE_KEY)
	except (TypeError, ValueError):
		return None


def refuse_other_scope():
	frappe.throw(
		_(
			"This prepared return was made for other units than yours. Generate the return for your own units."
		),
		frappe.PermissionError,
		title=_("Not your units"),
	)


@frappe.whitelist()
def run(
	report_name,
	filters=None,
	user=None,
	ignore_prepared_report=False,
	custom_columns=None,
	is_tree=False,
	parent_field=None,
	are_default_filters=True,
):
	"""`frappe.desk.query_report.run`: Frappe's own for the reports of other apps; for the app's reports
	`run_app_report`."""
	arguments = dict(
		filters=filters,
		ignore_prepared_report=ignore_prepared_report,
		custom_columns=custom_columns,
		is_tree=is_tree,
		parent_field=parent_field,
		are_default_filters=are_default_filters,
	)
	if not is_app_module(frappe.get_cached_value("Report", report_name, "module")):
		return frappe_run(report_name, user=user, **arguments)
	return run_app_report(report_name, **arguments)


@replica_reads
def run_app_report(
	report_name,
	filters=None,
	ignore_prepared_report=False,
	custom_columns=None,
	is_tree=False,
	parent_field=None,
	are_default_filters=True,
):
	"""A report of the app, read-only (on the replica where there is one), with the annual return
	prepared for a county or the city and live below, and prepared results kept to their scope; the
	client's `user` is ignored."""
	if report_name in SCOPED_PREPARED_REPORTS:
		filters = _filters(filters)
		named = filters.pop("prepared_report_name", None)
		if named or is_prepared_scope(report_name, filters):
			return prepared_result(report_name, filters, named)
		ignore_prepared_report = True
	return frappe_run(
		report_name,
		filters=filters,
		user=frappe.session.user,
		ignore_prepared_report=sbool(ignore_prepared_report),
		custom_columns=custom_columns,
		is_tree=is_tree,
		parent_field=parent_field,
		are_default_filters=are_default_filters,
	)


def prepared_result(report_name: str, filters: dict, named: str | None = None) -> dict:
	"""The county's or city's return: only ever a prepared result of the user's own unit scope (the
	latest one for these filters, or the one named), as Frappe's `run` answers for a prepared report."""
	from frappe.desk.query_report import get_prepared_report_result, get_report_doc

	report = get_report_doc(report_name)
	if not frappe.has_permission(report.ref_doctype, "report"):
		frappe.throw(_("Must have report permission to access this report."), frappe.PermissionError)
	if named:
		check_named_result(report_name, named)
	filters[SCOPE_KEY] = scope_key(report_name)
	result = get_prepared_report_result(report, filters, named or "", frappe.session.user)
	result["add_total_row"] = report.add_total_row and not result.get("skip_total_row", False)
	return result


def check_named_result(report_name: str, name: str):
	doc = frappe.db.get_value("Prepared Report", name, ["name", "report_name", "filters"], as_dict=True)
	if not doc or doc.report_name != report_name:
		frappe.throw(_("Prepared Report {0} does not exist.").format(name), frappe.DoesNotExistError)
	if _stamped_scope(doc) != scope_key(report_name):
		refuse_other_scope()


# ---------------------------------------------------------------------- Prepared Report hooks


def stamp_unit_scope(doc, method=None):
	"""Prepared Report `before_insert`: the scope the result is prepared for, from the server."""
	if doc.report_name not in SCOPED_PREPARED_REPORTS:
		return
	report = frappe.get_doc("Report", doc.report_name)
	if not report.is_permitted() or not frappe.has_permission(report.ref_doctype, "report"):
		frappe.throw(_("You may not run the report {0}.").format(_(doc.report_name)), frappe.PermissionError)
	filters = _filters(doc.filters)
	filters.pop("prepared_report_name", None)
	filters[SCOPE_KEY] = scope_key(doc.report_name, doc.owner or frappe.session.user)
	from frappe.core.doctype.prepared_report.prepared_report import process_filters_for_prepared_report

	doc.filters = process_filters_for_prepared_report(filters)


def has_permission(doc, ptype=None, user=None):
	"""A Prepared Report of a scoped report is the business of users of the scope it was made for."""
	if doc.report_name not in SCOPED_PREPARED_REPORTS:
		return None
	user = user or frappe.session.user
	if user == "Administrator" or _stamped_scope(doc) == scope_key(doc.report_name, user):
		return None  # Frappe's own rule then: the user may open the report
	return False


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	allowed = []
	for report_name in SCOPED_PREPARED_REPORTS:
		stamp = json.dumps({SCOPE_KEY: scope_key(report_name, user)}, separators=(",", ":"))[1:-1]
		allowed.append(
			f"(`tabPrepared Report`.report_name = {frappe.db.escape(report_name)}"
			f" and locate({frappe.db.escape(stamp)}, `tabPrepared Report`.filters) > 0)"
		)
	scoped = ", ".join(frappe.db.escape(r) for r in SCOPED_PREPARED_REPORTS)
	return f"(`tabPrepared Report`.report_name not in ({scoped}) or {' or '.join(allowed)})"


def check_unit_scope(report_name: str, filters: dict):
	"""In the prepared report's job: the owner's scope must still be the one the result is stamped
	with (their User Permissions may have changed since they asked for it)."""
	if SCOPE_KEY in (filters or {}) and filters.get(SCOPE_KEY) != scope_key(report_name):
		refuse_other_scope()


def fail_orphaned_prepared_reports() -> list[str]:
	"""Scheduler, every minute: a Prepared Report still "Queued" or "Started" whose job is neither waiting
	in the long queue nor held by a live worker is marked "Error", so that the desk stops showing it as
	being generated and offers to generate it again.

	Frappe 15 leaves the Prepared Report of a job whose worker died (killed, restarted, out of memory) as it
	was, for good when it was still "Queued" (its hourly `expire_stalled_report` only touches "Started" ones,
	after an hour); the desk then waits for a result that never comes. Reports asked for in the last
	`ORPHAN_AFTER_SECONDS` are left alone (their job is enqueued when the insert commits)."""
	active = ("Queued", "Started")
	candidates = frappe.get_all(
		"Prepared Report",
		filters={
			"status": ("in", active),
			"creation": ("<", add_to_date(now_datetime(), seconds=-ORPHAN_AFTER_SECONDS)),
		},
		pluck="name",
	)
	if not candidates:
		return []
	alive = set()
	# get_jobs reads the queue, then the workers: a job taken from the queue between two looks is in one
	for _look in range(2):
		alive.update(get_jobs(site=frappe.local.site, queue="long", key="prepared_report")[frappe.local.site])
	lost = [name for name in candidates if name not in alive]
	for name in lost:
		# only if it is still waiting: a job that finished meanwhile has written its own status
		frappe.db.set_value(
			"Prepared Report",
			{"name": name, "status": ("in", active)},
			{
				"status": "Error",
				"error_message": _(
					"The background job preparing this report stopped before it finished (its worker ended). Generate the report again."
				),
			},
		)
	return lost
