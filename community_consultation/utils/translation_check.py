"""Which of the app's user-facing strings lack a simplified-Chinese translation in locale/zh.po.

The strings are those `bench generate-pot-file --app community_consultation` puts into
locale/main.pot: Frappe v15's extractors (DocType names, labels, Select options, descriptions, roles
in permissions, workspaces, report names, `_()` in Python, `__()` in JS, `_()` in Jinja/HTML) plus
this app's own (babel_extractors.csv: roles.py, modules.txt, fixtures, report columns and filters,
number cards, dashboard charts, print formats, web forms, notifications). Strings without a Latin
letter (Chinese names, bare placeholders) need no translation.

	# list what is missing, as PO entries ready to fill in and append to zh.po
	/opt/frappe-bench/env/bin/python -m community_consultation.utils.translation_check
	# also rewrite locale/main.pot
	/opt/frappe-bench/env/bin/python -m community_consultation.utils.translation_check --write-pot

Exit status 1 when a string is missing, zh.po holds a msgid twice, or a translation drops a
placeholder of its msgid. tests/test_translations.py runs the same checks.
"""

import csv
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import PoFileParser, write_po

APP = "community_consultation"
LOCALE = "zh"

Key = tuple[str, str | None]  # (msgid, msgctxt)


@dataclass
class Message:
	msgid: str
	context: str | None = None
	locations: list[tuple[str, int]] = field(default_factory=list)

	def where(self, limit: int = 3) -> str:
		places = [f"{path}:{line}" if line else path for path, line in self.locations[:limit]]
		more = len(self.locations) - limit
		return ", ".join(places) + (f" (+{more} more)" if more > 0 else "")


def repo_root() -> Path:
	import community_consultation

	return Path(community_consultation.__file__).resolve().parent.parent


def po_path(locale: str = LOCALE, root: Path | None = None) -> Path:
	return (root or repo_root()) / APP / "locale" / f"{locale}.po"


def pot_path(root: Path | None = None) -> Path:
	return (root or repo_root()) / APP / "locale" / "main.pot"


def _read_method_map(path: Path) -> list[tuple[str, str]]:
	if not path.exists():
		return []
	with open(path) as f:
		return [(row[0], row[1]) for row in csv.reader(f) if len(row) >= 2 and not row[0].startswith("#")]


def method_map(root: Path | None = None) -> list[tuple[str, str]]:
	"""The app's extractor patterns, then Frappe's, as frappe.gettext.translate.generate_pot orders them."""
	import frappe

	frappe_csv = Path(frappe.__file__).resolve().parent.parent / "babel_extractors.csv"
	return _read_method_map((root or repo_root()) / "babel_extractors.csv") + _read_method_map(frappe_csv)


def _directory_filter(root: Path):
	"""Skip dot and underscore folders and what git ignores, like generate_pot."""
	try:
		import git

		repo = git.Repo(root, search_parent_directories=True)
	except Exception:
		repo = None

	def keep(dirpath) -> bool:
		name = Path(dirpath).name
		if name.startswith((".", "_")) or name == "node_modules":
			return False
		if repo is not None:
			try:
				return not repo.ignored([str(dirpath).rstrip("/")])
			except Exception:
				return True
		return True

	return keep


def extract_messages(
	root: Path | None = None, mapping: list[tuple[str, str]] | None = None
) -> dict[Key, Message]:
	"""The app's translatable strings, keyed by (msgid, context), with where each occurs."""
	root = root or repo_root()
	keywords = DEFAULT_KEYWORDS.copy()
	keywords["_lt"] = None
	messages: dict[Key, Message] = {}
	for filename, lineno, message, _comments, context in extract_from_dir(
		root,
		mapping if mapping is not None else method_map(root),
		directory_filter=_directory_filter(root),
		keywords=keywords,
	):
		if not message or not isinstance(message, str):
			continue
		key = (message, context)
		messages.setdefault(key, Message(message, context)).locations.append((filename, lineno))
	return messages


def needs_translation(msgid: str) -> bool:
	"""A string with a Latin letter outside placeholders and HTML tags."""
	text = re.sub(r"<[^>]*>|\{[^}]*\}|%\(?\w*\)?[sd]", "", msgid)
	return bool(re.search("[A-Za-z]", text))


@dataclass
class PoFile:
	translations: dict[Key, str]
	fuzzy: set[Key]
	duplicates: list[tuple[Key, int, int]]  # (key, first line, repeated line)


class _Parser(PoFileParser):
	"""babel's parser, noting msgids that occur twice (babel keeps the last silently; msgfmt refuses)."""

	def __init__(self, catalog):
		super().__init__(catalog, ignore_obsolete=True, abort_invalid=True)
		self.first_seen: dict[Key, int] = {}
		self.duplicates: list[tuple[Key, int, int]] = []

	def _add_message(self):
		if not self.obsolete and self.messages:
			msgid = self.messages[0].denormalize()
			key = (msgid, self.context.denormalize() if self.context else None)
			line = self.offset + 1
			if key in self.first_seen and msgid:
				self.duplicates.append((key, self.first_seen[key], line))
			self.first_seen.setdefault(key, line)
		super()._add_message()


def read_po(path: Path | None = None) -> PoFile:
	path = path or po_path()
	catalog = Catalog(locale=None)
	parser = _Parser(catalog)
	with open(path, "rb") as f:
		parser.parse(f)
	translations, fuzzy = {}, set()
	for message in catalog:
		if not message.id or not isinstance(message.id, str):
			continue
		key = (message.id, message.context)
		if message.fuzzy:
			fuzzy.add(key)
		elif message.string and message.string.strip():
			translations[key] = message.string
	return PoFile(translations, fuzzy, parser.duplicates)


def missing_translations(messages: dict[Key, Message], po: PoFile) -> list[Message]:
	"""Strings with no translation, with their context or (as Frappe falls back to it) without."""
	return sorted(
		(
			message
			for (msgid, context), message in messages.items()
			if needs_translation(msgid)
			and (msgid, context) not in po.translations
			and (msgid, None) not in po.translations
		),
		key=lambda m: (m.locations[0] if m.locations else ("", 0), m.msgid),
	)


PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\(\w+\)[sd]|%[sd]")


def placeholder_mismatches(po: PoFile) -> list[tuple[str, str]]:
	"""Translations that lose or invent a `{0}` / `%s` placeholder of their msgid."""
	return [
		(msgid, text)
		for (msgid, _context), text in po.translations.items()
		if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(text))
	]


def po_entry(message: Message, msgstr: str = "") -> str:
	"""A PO entry for the message, with its locations as reference comments."""

	def quote(text: str) -> str:
		return (
			'"'
			+ text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
			+ '"'
		)

	lines = [f"#: {path}:{line}" if line else f"#: {path}" for path, line in message.locations[:3]]
	if message.context:
		lines.append(f"msgctxt {quote(message.context)}")
	lines += [f"msgid {quote(message.msgid)}", f"msgstr {quote(msgstr)}"]
	return "\n".join(lines) + "\n"


def write_pot(messages: dict[Key, Message] | None = None, root: Path | None = None) -> Path:
	"""Write locale/main.pot as `bench generate-pot-file --app community_consultation` does."""
	root = root or repo_root()
	messages = messages if messages is not None else extract_messages(root)
	now = datetime.now()
	catalog = Catalog(
		project="Community Consultation",
		copyright_holder="community_consultation developers",
		msgid_bugs_address="dev@example.com",
		last_translator="dev@example.com",
		language_team="dev@example.com",
		creation_date=now,
		revision_date=now,
		fuzzy=False,
	)
	for message in messages.values():
		catalog.add(message.msgid, locations=message.locations, context=message.context)
	path = pot_path(root)
	with open(path, "wb") as f:
		write_po(f, catalog, sort_output=True, ignore_obsolete=True, width=None)
	return path


def report(root: Path | None = None) -> tuple[list[Message], PoFile, list[tuple[str, str]]]:
	messages = extract_messages(root)
	po = read_po(po_path(root=root))
	return missing_translations(messages, po), po, placeholder_mismatches(po)


def main(argv: list[str]) -> int:
	root = repo_root()
	if "--write-pot" in argv:
		print(f"wrote {write_pot(root=root)}", file=sys.stderr)
	missing, po, mismatches = report(root)
	for (msgid, context), first, again in po.duplicates:
		print(
			f"# DUPLICATE in zh.po: {msgid!r} (context {context!r}) at lines {first} and {again}",
			file=sys.stderr,
		)
	for msgid, text in mismatches:
		print(f"# PLACEHOLDERS differ: {msgid!r} -> {text!r}", file=sys.stderr)
	for message in missing:
		print(po_entry(message))
	print(f"# {len(missing)} untranslated string(s) for {po_path(root=root)}", file=sys.stderr)
	return 1 if (missing or po.duplicates or mismatches) else 0


if __name__ == "__main__":
	sys.exit(main(sys.argv[1:]))
