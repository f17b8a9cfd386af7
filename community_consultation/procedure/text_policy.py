"""Text from residents and clerks is data, never markup: one policy for every text field of the app.

Who attacks and why is in docs/security.md. The policy has four parts, each one function here:

- **Rich text** (Text Editor, HTML Editor) is sanitised on every write of an app DocType
  (`sanitize_rich_text_fields`, the `doc_events` `validate` and `before_update_after_submit` of `"*"`,
  which the insert, the save, the submit, `frappe.client.set_value` / `submit`, the web form and Data
  Import all run). Frappe v15's own pass (`BaseDocument._sanitize_content`) leaves three holes that
  this closes: `sanitize_html` returns unchanged a value that parses as JSON (`"<img src=x
  onerror=…>"` with its quotes) and one with no well-formed tag, and it skips every field that is not
  `allow_on_submit` while the document is being submitted (the decision, the minutes, the rules of
  procedure given in `frappe.client.submit`). Read back for a page, rich text goes through
  `sanitize_rich_text` again (a record saved before this policy).
- **Plain text** (Data, Small Text, Text, Long Text, Select, …) is stored as typed and escaped wherever
  it is rendered: `escape` in HTML built in Python, Jinja's autoescape in the app's pages and print
  formats, `frappe.utils.escape_html` in the reports' formatters, and in the desk's list, report and
  form views `public/js/plain_text.js` (Frappe v15's `Data` formatter returns the value as HTML).
- **To plain text** (`plain_text`): tags dropped (scripts and styles with their content), entities
  decoded once, whitespace collapsed. SMS and WeChat texts, the title a resident proposes.
- **Spreadsheet cells** (`csv_cell`): a cell a spreadsheet would read as a formula (`= + - @`, tab,
  carriage return) gets a leading `'`; every CSV the app writes.
"""

from functools import cache

import frappe
from frappe.utils import escape_html, sanitize_html

RICH_TEXT = ("Text Editor", "HTML Editor")
PLAIN_TEXT = ("Data", "Small Text", "Text", "Long Text", "Select", "Read Only", "Autocomplete")
BLOCKS = ("br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote")
# a spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# dropped with what they contain when text is made plain
DROPPED_WITH_CONTENT = ("script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math")


def sanitize_rich_text(value: str | None) -> str:
	"""Rich text as HTML without script: Frappe's allowed tags and attributes only, whatever the value
	looks like (`always_sanitize`: also a value that parses as JSON or has no well-formed tag)."""
	if not value:
		return value or ""
	return sanitize_html(str(value), linkify=True, always_sanitize=True)


def sanitize_rich_text_fields(doc, method=None):
	"""`doc_events` `"*"` `validate` / `before_update_after_submit`: the rich-text fields of an app
	DocType's record and of its child rows sanitised before they are written, on every write path."""
	if not is_app_doctype(doc.doctype):
		return
	for d in (doc, *doc.get_all_children()):
		for df in d.meta.fields:
			if df.fieldtype in RICH_TEXT and isinstance(d.get(df.fieldname), str):
				sanitized = sanitize_rich_text(d.get(df.fieldname))
				if sanitized != d.get(df.fieldname):
					d.set(df.fieldname, sanitized)


def sanitise_stored_rich_text():
	"""Every rich-text value of the app's DocTypes stored as something `sanitize_rich_text` would change,
	rewritten sanitised (the patch `sanitise_stored_rich_text`: records saved before the policy). One query
	per field reads the values that may hold markup; only those that change are written."""
	fields = frappe.get_all(
		"DocField",
		filters={"fieldtype": ("in", RICH_TEXT), "parent": ("in", app_doctypes())},
		fields=["parent", "fieldname"],
	)
	for df in fields:
		if frappe.get_meta(df.parent).issingle or frappe.get_meta(df.parent).is_virtual:
			continue
		table = frappe.qb.DocType(df.parent)
		column = table[df.fieldname]
		rows = (
			frappe.qb.from_(table)
			.select(table.name, column)
			.where(column.like("%<%") | column.like("%>%"))
			.run()
		)
		for name, value in rows:
			if (clean := sanitize_rich_text(value)) != value:
				frappe.db.set_value(df.parent, name, df.fieldname, clean, update_modified=False)


def is_app_doctype(doctype: str) -> bool:
	"""A DocType of one of the app's modules (the policy leaves other apps' DocTypes to them)."""
	return frappe.get_meta(doctype).module in app_modules()


@cache
def app_modules() -> frozenset[str]:
	"""The app's modules (modules.txt), read once per process."""
	return frozenset(frappe.get_module_list("community_consultation"))


def app_doctypes() -> list[str]:
	"""The app's DocTypes (the desk escapes their plain-text fields: `public/js/plain_text.js`)."""
	return frappe.get_all("DocType", filters={"module": ("in", list(app_modules()))}, pluck="name")


class PlainTextEscaped:
	"""Controller mixin (every app DocType has it through `PayloadGuard`): `get_formatted` gives a
	plain-text field's value escaped for HTML, its line breaks kept. Frappe v15's `format_value` returns
	a Data value as it is, and its standard print format and the Notifications' `doc.get_formatted` put
	it into HTML. To re-check after a Frappe upgrade: `BaseDocument.get_formatted`'s signature."""

	def get_formatted(
		self, fieldname, doc=None, currency=None, absolute_value=False, translated=False, format=None
	):
		df = self.meta.get_field(fieldname)
		value = self.get(fieldname)
		if not (df and df.fieldtype in PLAIN_TEXT and isinstance(value, str)):
			return super().get_formatted(fieldname, doc, currency, absolute_value, translated, format)
		return escape(frappe._(value) if translated else value).replace("\n", "<br>")


def escape(value) -> str:
	"""Plain text made safe to put in HTML (text and attribute values)."""
	return escape_html("" if value is None else str(value))


def plain_text(value) -> str:
	"""`value` as plain text on one line: tags dropped (scripts and styles with their content), entities
	decoded once (`&nbsp;`, `&#34;&gt;`), whitespace collapsed."""
	text = "" if value is None else str(value)
	if "<" in text or "&" in text:
		from bs4 import BeautifulSoup

		soup = BeautifulSoup(text, "html.parser")
		for element in soup.find_all(DROPPED_WITH_CONTENT):
			element.decompose()
		# blocks and line breaks part words; inline markup (`<b>路灯</b>维修`) does not
		for element in soup.find_all(BLOCKS):
			element.insert_after(" ")
		text = soup.get_text()
	return " ".join(text.replace("\xa0", " ").split())


def csv_cell(value):
	"""A value written into a CSV cell: one a spreadsheet would run as a formula gets a leading `'`."""
	if isinstance(value, str) and value.startswith(FORMULA_START):
		return "'" + value
	return value
