"""Records that several test classes read, made and committed once per pytest run.

	names = committed("report county", build_names, prefix="报表")

Under the pytest harness (conftest.py at the repository root, which turns `ENABLED` on and calls
`purge_all()` when the run ends), the first caller builds the records and commits them; every later
caller gets a copy of the same result (names, not documents: each class reads its documents afresh).
What the build created — the rows it added to `TRACKED` — is deleted again at the end of the run, and
records left by an interrupted run (units whose name starts with `prefix`) are deleted before the build.

Elsewhere (`bench run-tests`) nothing is shared: `committed` just calls the build, and the caller's
rollback removes what it made.

Only for records the tests read: each test's own writes must be undone after it (the harness's
rollback for a plain test, a savepoint for a FrappeTestCase's, as ReportDataTestCase does), and the
records are visible to every test that runs after the build.
"""

import copy
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import frappe

ENABLED = False

# the DocTypes whose rows a build of procedure records adds (parents, then their logs)
TRACKED = (
	"Entrusted Matter Report",
	"Township Assignment",
	"Township Referral",
	"Consultation Inspection",
	"Consultation Plan",
	"Community Unit",
	"Stakeholder",
	"Consultation Topic",
	"Consultation Session",
	"Consultation Outcome",
	"Community Meeting",
	"Meeting Basis",
	"Village Household",
	"Supervision Remark",
	"Consultation Notice Log",
	"Consultation Annual Return",
	"Proposal Progress Notice",
	"SMS Verification Code",
	"WeChat Binding",
	"Township Referral",
	"Township Assignment",
	"Entrusted Matter Report",
	"Consultation Inspection",
	"Consultation Plan",
	"User",
	"User Permission",
	"Version",
	"Comment",
	"Notification Log",
	"Error Log",
	"Email Queue",
	"ToDo",
	"DocShare",
	"Workflow Action",
	"Access Log",
	"Activity Log",
	"File",
)

_built: dict[str, Any] = {}
_created: list[dict[str, set[str]]] = []


def committed(key: str, build: Callable[[], Any], prefix: str | None = None) -> Any:
	"""`build()`'s result, built and committed on the first call of the run (see the module's docstring)."""
	if not ENABLED:
		return build()
	if key not in _built:
		frappe.db.rollback()
		frappe.set_user("Administrator")
		if prefix:
			purge_leftovers(prefix)
		before = rows_of(TRACKED)
		try:
			result = build()
		except BaseException:
			frappe.db.rollback()
			raise
		_created.append(added_since(before))
		frappe.db.commit()
		_built[key] = result
	return copy.deepcopy(_built[key])


@contextmanager
def purged_at_end() -> Iterator[None]:
	"""The rows of `TRACKED` added inside the block and committed (by the HTTP requests a test makes, in
	threads of their own) are deleted when the run ends, with the shared builds' rows."""
	before = rows_of(TRACKED)
	try:
		yield
	finally:
		frappe.db.rollback()
		_created.append(added_since(before))


def purge_leftovers(prefix: str):
	"""Delete (and commit) the records of units named `prefix…` that an interrupted run left behind."""
	from community_consultation.tests.concurrency import purge_units

	units = frappe.get_all("Community Unit", filters={"unit_name": ("like", f"{prefix}%")}, pluck="name")
	if units:
		purge_units(units)


def purge_all():
	"""Delete every row the shared builds of this run added, with their child rows; commit."""
	frappe.db.rollback()
	while _created:
		delete_rows(_created.pop())
	_built.clear()
	frappe.db.commit()


@contextmanager
def committed_records(doctypes: Iterable[str] = TRACKED) -> Iterator[None]:
	"""Records that the block makes and commits (for requests, a served site or another connection to
	read), deleted again with their child rows and committed when it ends, however it ends.

		with committed_records():
			world = build()
			frappe.db.commit()
			yield world
	"""
	frappe.set_user("Administrator")
	frappe.db.rollback()
	before = rows_of(doctypes)
	try:
		yield
	finally:
		frappe.db.rollback()
		frappe.set_user("Administrator")
		delete_rows(added_since(before))
		frappe.db.commit()
		frappe.clear_cache()


def rows_of(doctypes: Iterable[str]) -> dict[str, set[str]]:
	return {dt: set(frappe.get_all(dt, pluck="name")) for dt in doctypes}


def added_since(before: dict[str, set[str]]) -> dict[str, set[str]]:
	return {dt: names - before[dt] for dt, names in rows_of(before).items()}


def delete_rows(created: dict[str, set[str]]):
	"""Delete the rows named in `created` ({doctype: names}) and their child rows (not committed)."""
	from frappe.utils.nestedset import rebuild_tree

	for doctype, names in created.items():
		if not names:
			continue
		for table in frappe.get_meta(doctype).get_table_fields():
			frappe.db.delete(table.options, {"parent": ("in", list(names)), "parenttype": doctype})
		frappe.db.delete(doctype, {"name": ("in", list(names))})
	if created.get("Community Unit"):
		rebuild_tree("Community Unit")
