"""The package shows its architecture (docs: README "Where things are"): the root holds only what Frappe
looks for there, and a document's rules never import a web page."""

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.no_site

PACKAGE = Path(__file__).resolve().parent.parent / "community_consultation"
# what Frappe (and bench) look for at an app's root, and the app's unit permissions beside them
ROOT_MODULES = {"__init__.py", "hooks.py", "install.py", "commands.py", "permissions.py"}
# a document's rules: its controller, and what every controller shares
RULES = ("*/doctype/*/*.py", "procedure/*.py", "units/*.py", "decision_bodies/*.py", "township/*.py")
WEB = ("community_consultation.portal", "community_consultation.www")


def imported_modules(path: Path) -> set[str]:
	modules = set()
	for node in ast.walk(ast.parse(path.read_text())):
		if isinstance(node, ast.ImportFrom) and node.module:
			modules.add(node.module)
		elif isinstance(node, ast.Import):
			modules.update(alias.name for alias in node.names)
	return modules


def test_no_domain_module_at_the_package_root():
	stray = sorted(p.name for p in PACKAGE.glob("*.py") if p.name not in ROOT_MODULES)
	assert not stray, f"modules at the package root belong in a subpackage of their concern: {stray}"


def test_a_documents_rules_import_no_web_page():
	offending = {
		str(path.relative_to(PACKAGE)): sorted(m for m in imported_modules(path) if m.startswith(WEB))
		for pattern in RULES
		for path in PACKAGE.glob(pattern)
		if not path.name.startswith("test_")
	}
	assert not {k: v for k, v in offending.items() if v}


def test_no_override_of_the_apps_own_doctype_classes():
	"""The app's DocTypes carry their behaviour in their own controllers (child rows: `ChildRow`), never
	through `override_doctype_class`, which is for other apps' DocTypes."""
	from community_consultation import hooks

	own = {path.parent.name for path in PACKAGE.glob("*/doctype/*/*.json") if path.stem == path.parent.name}
	overridden = {name.lower().replace(" ", "_") for name in getattr(hooks, "override_doctype_class", {})}
	assert not overridden & own
