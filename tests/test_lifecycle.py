"""The app installs into a plain Frappe v15 site, `migrate` run twice changes nothing the second time,
`uninstall-app` removes it cleanly and a reinstall works (issue 2, item 1).

Runs `bench` on a second throwaway site, lifecycle.<TEST_SITE>, made like the test site (scripts/lib.sh
`fresh_site`) and dropped at the end. Takes about half a minute.
"""

import json
import os
import subprocess
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


def sh(script: str, timeout: int = 600) -> str:
	"""Run bash with scripts/lib.sh loaded and the database admin set up; fail with its output."""
	result = subprocess.run(
		["bash", "-c", f'set -euo pipefail; . "{ROOT}/scripts/lib.sh"; ensure_db_admin >/dev/null; {script}'],
		capture_output=True,
		text=True,
		timeout=timeout,
		env={**os.environ, "FRAPPE_BENCH": str(bench_dir())},
		check=False,
	)
	output = (result.stdout + result.stderr).replace("\r", "\n")
	if result.returncode:
		lines = [
			line for line in output.splitlines() if line.strip() and not line.startswith("Updating DocTypes")
		]
		pytest.fail(f"`{script}` failed ({result.returncode}):\n" + "\n".join(lines[-60:]), pytrace=False)
	return output


def bench(*args: str) -> str:
	quoted = " ".join(f"'{a}'" for a in args)
	return sh(f'cd "$BENCH" && bench {quoted}')


def probe(command: str) -> dict:
	result = subprocess.run(
		[
			str(bench_dir() / "env" / "bin" / "python"),
			str(ROOT / "tests" / "lifecycle_probe.py"),
			command,
			SITE,
		],
		cwd=bench_dir() / "sites",
		capture_output=True,
		text=True,
		check=False,
	)
	if result.returncode:
		pytest.fail(f"lifecycle_probe {command} failed:\n{result.stderr[-3000:]}", pytrace=False)
	return json.loads(result.stdout.strip().splitlines()[-1])


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
	"""Runs the whole cycle once on a fresh plain site; the tests below check what each step left."""
	seen = {}
	sh(f"fresh_site '{SITE}'")
	try:
		seen["plain"] = probe("installed")
		bench("--site", SITE, "install-app", APP)
		seen["installed"] = probe("installed")
		bench("--site", SITE, "migrate")
		seen["after first migrate"] = probe("fingerprint")
		bench("--site", SITE, "migrate")
		seen["after second migrate"] = probe("fingerprint")
		bench("--site", SITE, "uninstall-app", APP, "--yes", "--no-backup")
		seen["residue"] = probe("residue")
		bench("--site", SITE, "install-app", APP)
		seen["reinstalled"] = probe("installed")
		yield seen
	finally:
		sh(
			f"archive=$(mktemp -d); cd \"$BENCH\" && bench drop-site '{SITE}' --force --no-backup "
			f'--archived-sites-path "$archive" "${{DBA_ARGS[@]}}" >/dev/null; rm -rf "$archive"'
		)


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
