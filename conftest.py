"""The pytest harness: boots Frappe on the test site and isolates the tests.

It sits at the repository root, not in tests/, because pytest applies a conftest only to the tests
below its folder: from here it also reaches the FrappeTestCase classes kept beside the DocTypes,
however pytest is invoked (`scripts/test`, `scripts/test -k topic`, a path to one test file).
Fixtures for the tests in tests/ are in tests/conftest.py.

- The site is `$TEST_SITE` (default test-consultation.localhost), on the bench at `$FRAPPE_BENCH` (default:
  the bench whose Python runs pytest). In parallel (pytest-xdist, `scripts/test` for the whole suite),
  worker gw0 runs on `$TEST_SITE` and worker gwN on its copy gwN.<TEST_SITE>, and the tests of a module
  run in one worker (`--dist loadfile`). `scripts/test` (re)creates it; run plain pytest with the bench's
  Python only against a site it made (`TEST_REUSE_SITE=1 scripts/test …` reruns quickly).
- Before the first test, it does what `bench run-tests` does first (frappe/test_runner.py): `in_test`,
  scheduler off, `before_tests` hooks; and before each DocType's test module, that DocType's test
  records (`test_records` / `test_dependencies`), as `bench run-tests` makes them.
- A plain pytest test's writes are rolled back after it, and the session user reset to Administrator.
  Records that every test of a module only reads can be built once for the module: a module-scoped
  fixture that depends on `module_records` builds them, each test is then rolled back to a savepoint
  taken after them, and they are rolled back after the module's last test. Records that test classes
  of several modules read are committed once for the run and removed at its end
  (community_consultation.tests.shared, used by the report tests' ReportDataTestCase).
  `FrappeTestCase` classes roll back after the class (their own `setUpClass`/cleanup). Anything the code
  under test commits (`frappe.db.commit()`) persists until the next `scripts/test`.
- Tests that need no site (lint, translations) carry `pytestmark = pytest.mark.no_site`; when every
  collected test does, Frappe is not booted at all.
"""

import json
import os
import unittest
from pathlib import Path

import pytest

DEFAULT_TEST_SITE = "test-consultation.localhost"

_state = {"booted": False, "scheduler_was_enabled": False, "module_records": None}
MODULE_SAVEPOINT = "module_records"


def site_name() -> str:
	"""`$TEST_SITE`; for the pytest-xdist worker gwN (N > 0), its own copy gwN.<TEST_SITE> (scripts/test)."""
	site = os.environ.get("TEST_SITE") or DEFAULT_TEST_SITE
	worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
	return site if worker == "gw0" else f"{worker}.{site}"


def bench_path() -> Path:
	if os.environ.get("FRAPPE_BENCH"):
		return Path(os.environ["FRAPPE_BENCH"])
	import frappe.utils

	return Path(frappe.utils.get_bench_path())


def _needs_site(item) -> bool:
	return item.get_closest_marker("no_site") is None


def pytest_collection_modifyitems(session, config, items):
	if any(_needs_site(item) for item in items) and not config.option.collectonly:
		_boot(verbose=config.option.verbose > 0)


def _boot(verbose: bool = False):
	import frappe
	import frappe.utils.scheduler

	site, sites = site_name(), bench_path() / "sites"
	if not (sites / site / "site_config.json").exists():
		raise pytest.UsageError(
			f"the test site {site} does not exist in {sites}: run scripts/test (it creates it), "
			"or set TEST_SITE / FRAPPE_BENCH"
		)
	# Frappe resolves sites, assets and logs relative to the bench's sites folder
	os.chdir(sites)
	frappe.init(site, sites_path=".")
	frappe.connect()
	if not frappe.get_conf().allow_tests and not os.environ.get("CI"):
		raise pytest.UsageError(
			f"testing is disabled for {site}: bench --site {site} set-config allow_tests 1"
		)

	# what frappe.test_runner.main does before running tests
	frappe.flags.print_messages = verbose
	frappe.flags.in_test = True
	frappe.clear_cache()
	_state["scheduler_was_enabled"] = not frappe.utils.scheduler.is_scheduler_disabled(verbose=False)
	if _state["scheduler_was_enabled"]:
		frappe.utils.scheduler.disable_scheduler()
	for fn in frappe.get_hooks("before_tests"):
		frappe.get_attr(fn)()
	frappe.set_user("Administrator")
	frappe.local.lang = "en"
	frappe.db.commit()
	# records several test classes read are committed once for the run, removed at its end
	from community_consultation.tests import shared

	shared.ENABLED = True
	_state["booted"] = True


def _ensure_connection():
	"""Reconnect when the database connection was lost (MariaDB restarted under the suite)."""
	import frappe

	try:
		frappe.db.sql("select 1")
	except Exception:
		frappe.connect()
		frappe.set_user("Administrator")


def pytest_sessionfinish(session, exitstatus):
	if not _state["booted"]:
		return
	import frappe
	import frappe.utils.scheduler

	from community_consultation.tests import shared

	try:
		os.chdir(bench_path() / "sites")  # Frappe reads apps.txt and the site's files relative to it
		_ensure_connection()
		frappe.db.rollback()
		frappe.set_user("Administrator")
		if _state["scheduler_was_enabled"]:
			frappe.utils.scheduler.enable_scheduler()
		frappe.db.commit()
		shared.purge_all()
	finally:
		frappe.destroy()
		_state["booted"] = False


@pytest.fixture(autouse=True, scope="module")
def _frappe_test_records(request):
	"""Make the test records `bench run-tests` makes before a DocType's test module runs."""
	if not _state["booted"]:
		yield
		return
	import frappe
	from frappe.test_runner import make_test_records

	_ensure_connection()
	module, path = request.module, Path(request.module.__file__)
	for doctype in getattr(module, "test_dependencies", ()):
		make_test_records(doctype, commit=True)
	doctype_json = path.parent / (path.stem[len("test_") :] + ".json")
	if path.parent.parent.name == "doctype" and doctype_json.exists():
		make_test_records(json.loads(doctype_json.read_text())["name"], commit=True)
	frappe.set_user("Administrator")
	yield


@pytest.fixture(autouse=True)
def _frappe_rollback(request):
	"""Roll back a plain test's writes and reset the session user after it."""
	if not _state["booted"] or isinstance(getattr(request, "instance", None), unittest.TestCase):
		yield
		return
	import copy

	import frappe
	from frappe.tests.utils import _restore_thread_locals, _rollback_db

	_ensure_connection()
	flags = copy.deepcopy(frappe.local.flags)
	frappe.set_user("Administrator")
	keep = _state["module_records"]
	if keep:
		frappe.db.savepoint(MODULE_SAVEPOINT)
	try:
		yield
	finally:
		if keep:
			_rollback_to_module_records(keep)
		else:
			_rollback_db()
		_restore_thread_locals(flags)
		frappe.set_user("Administrator")


def _rollback_to_module_records(module: str):
	import frappe

	frappe.db.value_cache = {}
	# callbacks the test queued for a commit that never comes (a full rollback would drop them)
	frappe.db.before_commit.reset()
	frappe.db.after_commit.reset()
	try:
		frappe.db.rollback(save_point=MODULE_SAVEPOINT)
	except Exception as e:
		_rollback_db_quietly()
		pytest.fail(
			f"the test committed or rolled back the records `module_records` keeps for every test of "
			f"{module}: it needs records of its own ({e})",
			pytrace=False,
		)


def _rollback_db_quietly():
	from frappe.tests.utils import _rollback_db

	_ensure_connection()
	_rollback_db()


@pytest.fixture(scope="module")
def module_records(request):
	"""Keep, for every test of the module, what the module-scoped fixture depending on this one writes.

	Each test is rolled back to a savepoint taken after those records were written (not to the start of
	the transaction), and the records are rolled back after the module's last test. Only for records the
	tests read: a test that commits or rolls back the whole transaction fails, and a test's own writes
	are undone after it as usual. Nothing is committed, so other connections (servers, threads) do not
	see these records. InnoDB keeps the row locks a test took until the module ends (a rollback to a
	savepoint does not release them): for modules whose tests write little; records that tests write
	around go to community_consultation.tests.shared instead."""
	if not _state["booted"]:
		yield
		return
	_ensure_connection()
	_rollback_db_quietly()
	import frappe

	frappe.set_user("Administrator")
	_state["module_records"] = request.module.__name__
	try:
		yield
	finally:
		_state["module_records"] = None
		_rollback_db_quietly()
