"""Fixtures for the tests in this folder.

Booting Frappe on the test site and rolling back each test's writes is done for every test by the
harness in the repository's root conftest.py. Helpers importable anywhere, also by the
FrappeTestCase classes beside the DocTypes:

- community_consultation.tests.users: `make_user(email, roles, units)`, `as_user(user)`
- community_consultation.tests.factory: `make_unit_tree()`, `make_topic()`, `make_session()`, … (valid
  procedure records)
"""

import pytest

from community_consultation.tests.users import as_user, make_user


def pytest_collection_modifyitems(session, config, items):
	"""test_lifecycle.py's tests run last, and its cycle of `bench` subprocesses on a site of its own
	starts now, in the background, so the rest of the suite runs while it does."""
	lifecycle = [item for item in items if item.path.name == "test_lifecycle.py"]
	if not lifecycle or config.option.collectonly:
		return
	items[:] = [item for item in items if item.path.name != "test_lifecycle.py"] + lifecycle
	_lifecycle_modules.append(lifecycle[0].module)
	# in a parallel run every worker collects it: one of them runs the cycle (see start_cycle)
	lifecycle[0].module.start_cycle(getattr(config, "workerinput", {}).get("testrunuid"))


_lifecycle_modules = []


def pytest_sessionfinish(session, exitstatus):
	"""A cycle still running when the session ends early (`-x`, Ctrl-C) is stopped, its site dropped; in
	a parallel run, where another worker may be waiting for its results, it is let finish (unless the
	run was interrupted)."""
	parallel = hasattr(session.config, "workerinput") and exitstatus != pytest.ExitCode.INTERRUPTED
	for module in _lifecycle_modules:
		module.stop_cycle(wait=parallel)


@pytest.fixture
def units():
	"""A county, one township, villages A and B, and a villager group under A (rolled back after the test)."""
	from community_consultation.tests.factory import make_unit_tree

	return make_unit_tree()


@pytest.fixture
def user_in(units):
	"""`user_in(unit_key, *roles)`: a user with `roles`, limited to `units[unit_key]` and what lies beneath it."""

	def make(unit_key: str, *roles: str) -> str:
		slug = unit_key.replace("_", "-")
		return make_user(
			f"{slug}-{'-'.join(r.lower().replace(' ', '-') for r in roles)}@example.com",
			roles,
			[units[unit_key]],
		)

	return make


__all__ = ["as_user", "make_user"]
