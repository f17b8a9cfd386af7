"""The app installs into a plain Frappe v15 site, `migrate` run twice changes nothing the second time,
`uninstall-app` removes it cleanly and a reinstall works.

Runs `bench` on a second throwaway site, lifecycle.<TEST_SITE>, made like the test site (scripts/lib.sh
`fresh_site`) and dropped at the end: one site, one cycle (install, migrate twice, uninstall,
reinstall) for every test below. The cycle takes a few minutes of `bench` subprocesses, so
tests/conftest.py starts it in the background as soon as these tests are collected, and runs them
last: the rest of the suite runs meanwhile, and the tests only wait for what is left of it.
"""

import json
import os
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.no_site

ROOT = Path(__file__).resolve().parent.parent
APP = "community_consultation"
TEST_SITE = os.environ.get("TEST_SITE") or "test-consultation.localhost"
SITE = f"lifecycle.{TEST_SITE}"


def bench_dir() -> Path:
	if os.environ.get("FRAPPE_BENCH"):
		return Path(os.environ["FRAPPE_BENCH"])
	import frappe.utils

	return Path(frappe.utils.get_bench_path())


class Cycle(threading.Thread):
	"""The whole cycle on a fresh plain site, in a thread of its own: `seen` keeps what each step left,
	`error` the failure that stopped it. The lifecycle site is dropped at the end, whatever happens; in a
	parallel run, both are then written to `results` for the worker that runs the tests."""

	def __init__(self, results: Path | None = None):
		super().__init__(name="lifecycle-cycle", daemon=True)
		self.results = results
		self.seen: dict = {}
		self.error: BaseException | None = None
		self.stopped = False
		self.dropping = False
		self.process: subprocess.Popen | None = None

	def run(self):
		seen = self.seen
		try:
			self.sh(f"fresh_site '{SITE}'")
			seen["plain"] = self.probe("installed")
			self.bench("--site", SITE, "install-app", APP)
			seen["installed"] = self.probe("installed")
			self.bench("--site", SITE, "migrate")
			seen["after first migrate"] = self.probe("fingerprint")
			self.bench("--site", SITE, "migrate")
			seen["after second migrate"] = self.probe("fingerprint")
			self.bench("--site", SITE, "uninstall-app", APP, "--yes", "--no-backup")
			seen["residue"] = self.probe("residue")
			self.bench("--site", SITE, "install-app", APP)
			seen["reinstalled"] = self.probe("installed")
		except BaseException as e:
			self.error = e
		finally:
			self.stopped, self.dropping = False, True  # the site is dropped even when the cycle was stopped
			try:
				self.sh(
					f"archive=$(mktemp -d); cd \"$BENCH\" && bench drop-site '{SITE}' --force --no-backup "
					f'--archived-sites-path "$archive" "${{DBA_ARGS[@]}}" >/dev/null; rm -rf "$archive"'
				)
			except BaseException as e:
				self.error = self.error or e
			if self.results:
				error = f"{type(self.error).__name__}: {self.error}" if self.error else None
				partial = self.results.with_suffix(".partial")
				partial.write_text(json.dumps({"seen": self.seen, "error": error}))
				partial.rename(self.results)

	def stop(self):
		"""End the cycle early (the session is over): stop the running step, drop the site."""
		self.stopped = True
		if not self.dropping and self.process and self.process.poll() is None:
			os.killpg(self.process.pid, signal.SIGTERM)
		self.join(timeout=300)

	def run_process(self, args: list[str], timeout: int, **kwargs) -> subprocess.CompletedProcess:
		if self.stopped:
			raise RuntimeError("the session ended before the lifecycle cycle did")
		self.process = subprocess.Popen(
			args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True, **kwargs
		)
		try:
			out, err = self.process.communicate(timeout=timeout)
		except subprocess.TimeoutExpired:
			os.killpg(self.process.pid, signal.SIGKILL)
			out, err = self.process.communicate()
		return subprocess.CompletedProcess(args, self.process.returncode, out, err)

	def sh(self, script: str, timeout: int = 600) -> str:
		"""Run bash with scripts/lib.sh loaded and the database admin set up; fail with its output."""
		result = self.run_process(
			[
				"bash",
				"-c",
				f'set -euo pipefail; . "{ROOT}/scripts/lib.sh"; ensure_db_admin >/dev/null; {script}',
			],
			timeout,
			env={**os.environ, "FRAPPE_BENCH": str(bench_dir())},
		)
		output = (result.stdout + result.stderr).replace("\r", "\n")
		if result.returncode:
			lines = [
				line
				for line in output.splitlines()
				if line.strip() and not line.startswith("Updating DocTypes")
			]
			pytest.fail(f"`{script}` failed ({result.returncode}):\n" + "\n".join(lines[-60:]), pytrace=False)
		return output

	def bench(self, *args: str) -> str:
		quoted = " ".join(f"'{a}'" for a in args)
		return self.sh(f'cd "$BENCH" && bench {quoted}')

	def probe(self, command: str) -> dict:
		result = self.run_process(
			[
				str(bench_dir() / "env" / "bin" / "python"),
				str(ROOT / "tests" / "lifecycle_probe.py"),
				command,
				SITE,
			],
			300,
			cwd=bench_dir() / "sites",
		)
		if result.returncode:
			pytest.fail(f"lifecycle_probe {command} failed:\n{result.stderr[-3000:]}", pytrace=False)
		return json.loads(result.stdout.strip().splitlines()[-1])


_cycle: Cycle | None = None
_run_id: str | None = None


def results_file(run_id: str) -> Path:
	return Path(tempfile.gettempdir()) / f"community-consultation-lifecycle-{run_id}.json"


def start_cycle(run_id: str | None = None) -> Cycle | None:
	"""Start the cycle in the background, once per session. In a parallel run (`run_id`, the run's id
	that its pytest-xdist workers share) once per run: the first worker to claim it runs it, and None
	tells another that it reads the results from `results_file(run_id)`."""
	global _cycle, _run_id
	_run_id = run_id
	if _cycle is None:
		if run_id:
			try:
				os.close(os.open(results_file(run_id).with_suffix(".lock"), os.O_CREAT | os.O_EXCL))
			except FileExistsError:
				return None
		_cycle = Cycle(results_file(run_id) if run_id else None)
		_cycle.start()
	return _cycle


def stop_cycle(wait: bool = False):
	"""At the end of the session: stop a cycle still running (the tests were not reached) and wait
	until its site is dropped; or, when another worker of a parallel run may still read its results
	(`wait`), let it finish."""
	if _cycle is not None and _cycle.is_alive():
		if wait:
			_cycle.join(timeout=1800)
		else:
			_cycle.stop()


def results_of_another_worker(run_id: str, timeout: int = 1800) -> dict:
	path, deadline = results_file(run_id), time.time() + timeout
	while not path.exists():
		if time.time() > deadline:
			pytest.fail(f"the lifecycle cycle of another worker left no results in {path}", pytrace=False)
		time.sleep(2)
	results = json.loads(path.read_text())
	if results["error"]:
		pytest.fail(f"the lifecycle cycle failed: {results['error']}", pytrace=False)
	return results["seen"]


def changed(before: dict, after: dict) -> dict[str, list[str]]:
	diff = {}
	for table in sorted(set(before) | set(after)):
		old, new = before.get(table, {}), after.get(table, {})
		names = sorted(n for n in set(old) | set(new) if old.get(n) != new.get(n))
		if names:
			diff[table] = names
	return diff


@pytest.fixture(scope="module")
def lifecycle():
	"""What each step of the cycle left (the cycle runs once, in the background; see start_cycle)."""
	cycle = start_cycle(_run_id)
	if cycle is None:
		return results_of_another_worker(_run_id)
	cycle.join()
	if cycle.error:
		raise cycle.error
	return cycle.seen


def test_installs_into_a_plain_frappe_site(lifecycle):
	assert lifecycle["plain"]["installed_apps"] == ["frappe"]
	assert APP in lifecycle["installed"]["installed_apps"]
	assert lifecycle["installed"]["missing_doctypes"] == []


def test_second_migrate_changes_nothing(lifecycle):
	first, second = lifecycle["after first migrate"], lifecycle["after second migrate"]
	assert first["DocType"], "the fingerprint should cover the app's DocTypes"
	assert changed(first, second) == {}, "a second `bench migrate` changed these records"


def test_uninstall_removes_doctypes_tables_and_module_records(lifecycle):
	residue = {k: v for k, v in lifecycle["residue"].items() if k != "Singles rows"}
	assert residue == {}, "uninstall-app left these behind"


def test_uninstall_removes_settings_values(lifecycle):
	assert lifecycle["residue"].get("Singles rows", []) == []


def test_reinstall_works(lifecycle):
	state = lifecycle["reinstalled"]
	assert APP in state["installed_apps"]
	assert state["missing_doctypes"] == []
	assert {"Consultation Administrator", "Resident"} <= set(state["roles"])
