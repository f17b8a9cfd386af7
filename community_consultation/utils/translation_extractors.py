"""Babel extractors for the user-facing strings Frappe v15's own extractors do not find.

Registered for this app in babel_extractors.csv at the repository root, which both
`bench generate-pot-file --app community_consultation` and `translation_check` read (the app's
patterns first, then Frappe's). Each extractor reads source files only: no site, no database.
"""

import ast
import json

from frappe.gettext.extractors.python import extract as extract_python
from frappe.gettext.extractors.utils import TRANSLATE_PATTERN


def _json(fileobj):
	data = json.load(fileobj)
	return data if isinstance(data, dict) else None


def _messages(pairs):
	"""(message, comment) pairs as babel tuples, leaving out the empty ones."""
	for message, comment in pairs:
		if isinstance(message, str) and message.strip():
			yield None, "_", message, [comment]


def _select_options(options):
	return [o for o in (options or "").split("\n") if o and not o.isdigit()]


def _field_messages(field: dict, where: str):
	label = field.get("label")
	yield label, f"Label of a field in {where}"
	yield field.get("description"), f"Description of the '{label}' field in {where}"
	if field.get("fieldtype") == "Select":
		for option in _select_options(field.get("options")):
			yield option, f"Option for the '{label}' field in {where}"


def _jinja_messages(code: str, comment: str):
	"""`_("…")` in Jinja held in a JSON value (a print format's html, a notification's message)."""
	for match in TRANSLATE_PATTERN.finditer(code or ""):
		yield match.group("message"), comment


def _roles(data: dict, where: str):
	for row in data.get("roles") or []:
		yield row.get("role"), f"Role allowed to use {where}"


def hooks(fileobj, keywords, comment_tags, options):
	"""hooks.py: the app's title and its apps-screen entries (replaces Frappe's navbar extractor,
	which cannot read an app linked into the bench from outside it)."""
	tree = ast.parse(fileobj.read())
	for node in tree.body:
		if (
			not isinstance(node, ast.Assign)
			or len(node.targets) != 1
			or not isinstance(node.targets[0], ast.Name)
		):
			continue
		name = node.targets[0].id
		try:
			value = ast.literal_eval(node.value)
		except ValueError:
			continue
		if name == "app_title" and isinstance(value, str):
			yield node.lineno, "_", value, ["Title of the app"]
		elif name == "add_to_apps_screen":
			for entry in value:
				yield node.lineno, "_", entry.get("title"), ["Title of the app on the apps screen"]
		elif name in ("standard_navbar_items", "standard_help_items"):
			for item in value:
				yield node.lineno, "_", item.get("item_label"), ["Label of a navbar item"]


def roles(fileobj, keywords, comment_tags, options):
	"""setup/roles.py: the role names in ROLES (shown wherever roles are), and any `_()` in the file. A
	row of ROLES names its role by a constant of the file (`TOWNSHIP_OFFICER = "Township Officer"`)."""
	code = fileobj.read()
	constants = {}
	for node in ast.parse(code).body:
		if not isinstance(node, ast.Assign):
			continue
		if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
			constants.update({t.id: node.value.value for t in node.targets if isinstance(t, ast.Name)})
		if any(getattr(t, "id", None) == "ROLES" for t in node.targets):
			for row in node.value.elts:
				role = row.elts[0] if isinstance(row, ast.Tuple | ast.List) else row
				name = constants.get(role.id) if isinstance(role, ast.Name) else ast.literal_eval(role)
				yield node.lineno, "_", name, ["Name of a role"]
	fileobj.seek(0)
	yield from extract_python(fileobj, keywords, comment_tags, options)


def modules(fileobj, keywords, comment_tags, options):
	"""modules.txt: the module names (the desk shows them)."""
	for lineno, line in enumerate(fileobj.read().decode().splitlines(), 1):
		if line.strip():
			yield lineno, "_", line.strip(), ["Name of a module"]


FIXTURE_FIELDS = {
	"Role": ("role_name",),
	"Workflow State": ("workflow_state_name",),
	"Workflow Action Master": ("workflow_action_name",),
	"Custom Field": ("label", "description"),
	"Module Def": ("module_name",),
}


def fixtures(fileobj, keywords, comment_tags, options):
	"""fixtures/*.json: role, workflow state/action names, Custom Field labels and options, workflows."""
	data = json.load(fileobj)
	records = data if isinstance(data, list) else [data]
	for record in records:
		doctype = record.get("doctype")
		pairs = [(record.get(f), f"{f} of a {doctype} fixture") for f in FIXTURE_FIELDS.get(doctype, ())]
		if doctype == "Custom Field":
			pairs += list(_field_messages(record, f"Custom Field {record.get('name')}"))
		elif doctype == "Workflow":
			pairs += [(row.get("state"), "Workflow state") for row in record.get("states") or []]
			pairs += [(row.get("action"), "Workflow action") for row in record.get("transitions") or []]
		elif doctype == "Property Setter" and record.get("property") in ("label", "description", "options"):
			value = record.get("value")
			values = _select_options(value) if record.get("property") == "options" else [value]
			pairs += [(v, f"Property Setter {record.get('name')}") for v in values]
		yield from _messages(pairs)


def report(fileobj, keywords, comment_tags, options):
	"""report/*/*.json: the report's name, columns and filters of JSON-defined reports, its roles."""
	if not (data := _json(fileobj)) or data.get("doctype") != "Report":
		return
	where = f"report {data.get('report_name')}"
	pairs = [(data.get("report_name"), "Name of a report")]
	for column in data.get("columns") or []:
		pairs.append((column.get("label"), f"Column of {where}"))
	for field in data.get("filters") or []:
		pairs += list(_field_messages(field, where))
	pairs += list(_roles(data, where))
	yield from _messages(pairs)


def number_card(fileobj, keywords, comment_tags, options):
	if data := _json(fileobj):
		yield from _messages([(data.get("label"), "Label of a Number Card")])


def dashboard_chart(fileobj, keywords, comment_tags, options):
	if data := _json(fileobj):
		yield from _messages([(data.get("chart_name"), "Name of a Dashboard Chart")])


def dashboard(fileobj, keywords, comment_tags, options):
	if data := _json(fileobj):
		yield from _messages([(data.get("dashboard_name"), "Name of a Dashboard")])


def print_format(fileobj, keywords, comment_tags, options):
	"""print_format/*/*.json: the format's name and `_()` in its own Jinja (included templates are
	extracted from their own files)."""
	if data := _json(fileobj):
		pairs = [(data.get("name"), "Name of a Print Format")]
		pairs += list(_jinja_messages(data.get("html"), f"Print Format {data.get('name')}"))
		yield from _messages(pairs)


def web_form(fileobj, keywords, comment_tags, options):
	"""web_form/*/*.json: title, button and success texts, and each field's label, description and options."""
	if not (data := _json(fileobj)):
		return
	where = f"Web Form {data.get('name')}"
	pairs = [
		(data.get(key), f"{key} of {where}")
		for key in ("title", "button_label", "success_title", "success_message", "list_title")
	]
	for field in data.get("web_form_fields") or []:
		pairs += list(_field_messages(field, where))
	for column in data.get("list_columns") or []:
		pairs.append((column.get("label"), f"List column of {where}"))
	yield from _messages(pairs)


def notification(fileobj, keywords, comment_tags, options):
	"""notification/*/*.json: the subject (or the `_()` in a Jinja subject), and `_()` in a message kept
	in the JSON."""
	if data := _json(fileobj):
		where = f"Notification {data.get('name')}"
		subject = data.get("subject") or ""
		if "{{" in subject or "{%" in subject:  # a Jinja subject: the `_("…")` inside it
			pairs = list(_jinja_messages(subject, f"Subject of {where}"))
		else:
			pairs = [(subject, f"Subject of {where}")]
		pairs += list(_jinja_messages(data.get("message"), where))
		yield from _messages(pairs)
