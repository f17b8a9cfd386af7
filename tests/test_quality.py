"""Lint gates: `ruff check` (configured in pyproject.toml) is clean over the repository.

Formatting (`ruff format`) is applied by the pre-commit hook as files are committed; it is not
checked here while parts of the repository predate the hook.
"""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.no_site

ROOT = Path(__file__).resolve().parent.parent


def ruff(*args: str) -> subprocess.CompletedProcess:
	try:
		import ruff
	except ImportError:
		pytest.fail(
			f"ruff is not installed in {sys.prefix}: scripts/test installs it "
			f"(or: uv pip install --python {sys.executable} ruff)",
			pytrace=False,
		)
	return subprocess.run(
		[sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True, check=False
	)


def test_ruff_check_is_clean():
	result = ruff("check", "--no-cache", "--output-format", "concise", ".")
	if result.returncode:
		pytest.fail(
			f"ruff check found problems (ruff check --fix . fixes many):\n{result.stdout}{result.stderr}",
			pytrace=False,
		)


def test_pre_commit_config_pins_the_ruff_that_runs_here():
	import yaml

	config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
	rev = next(r["rev"] for r in config["repos"] if r["repo"].endswith("ruff-pre-commit"))
	version = ruff("--version").stdout.split()[-1]
	assert rev.lstrip("v") == version, (
		f".pre-commit-config.yaml pins ruff {rev}, the suite runs ruff {version}"
	)
