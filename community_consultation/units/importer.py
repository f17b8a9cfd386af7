"""Loading a city's or county's units from the published division list (统计用区划代码), in one step.

The file (CSV or XLSX) has the published lists' layout, one unit a row: code, name, level, parent code
(a header row names the columns, as 代码, 名称, 级别, 上级代码 or the statistics bureau's own 统计用区划代码,
城乡分类代码, 名称; the level may be 1–5 or its word, 县级/乡级/村级, or empty, the code says it).
`import_units` reads it all, checks every row, and writes only when no row is wrong:

- a code is 12 digits (6 or 9 are padded: a county's or township's significant digits), well formed,
  unique in the file, and begins with its parent's (`codes.parent_code`); a row's level, when given,
  is its code's level; the parent is in the file or already a unit of the site; a name is given;
- the levels above the counties (province, city) are skipped: the counties are the top of the tree, and
  a city officer's scope is a User Permission on each of the city's counties. `root` (a county's or
  township's code) keeps only that unit and what lies beneath it;
- the list's non-administrative rows (`codes.is_administrative`) and everything beneath them are
  skipped, and counted in the summary.

A unit is found by its code. Run again with the same list nothing changes; with a newer edition a unit
whose name changed is renamed (its record name too, `names`), a new one is added, one that moved is
moved, and a unit of the list's counties (or of the root) whose code is no longer listed is retired
(`disabled`): it keeps its records and history, takes no new ones (`tree.validate_unit_not_retired`)
and is left out of pickers (Frappe's link search leaves out a `disabled` record). A retired unit that
comes back is restored. Units without a code (villager groups, buildings, the demo's) are never touched.

All of it is one transaction: any error, in a row or while writing, and nothing is written.
"""

import csv
import io
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.utils import cint, cstr, today

from community_consultation.setup.roles import CONSULTATION_ADMINISTRATOR, SYSTEM_MANAGER
from community_consultation.units import codes, names
from community_consultation.units.tree import UNIT_DOCTYPE, nested_set_deferred

MANAGER_ROLES = (SYSTEM_MANAGER, CONSULTATION_ADMINISTRATOR)
MAX_LISTED_ERRORS = 200
# a desk import of a file this small (about a hundred rows of CSV: a township's staff, a few new villages)
# runs in the request and is answered at once; a larger one runs as a background job with its progress
INLINE_IMPORT_BYTES = 8 * 1024


@dataclass
class Row:
	number: int  # the row's line in the file, the header being line 1
	code: str
	name: str
	level: str
	parent: str | None


@dataclass
class ImportResult:
	created: list[str] = field(default_factory=list)
	renamed: list[str] = field(default_factory=list)
	moved: list[str] = field(default_factory=list)
	retired: list[str] = field(default_factory=list)
	restored: list[str] = field(default_factory=list)
	skipped: int = 0  # above the counties, outside the root, or not administrative
	unchanged: int = 0

	def summary(self) -> dict:
		return {
			"created": len(self.created),
			"renamed": len(self.renamed),
			"moved": len(self.moved),
			"retired": len(self.retired),
			"restored": len(self.restored),
			"skipped": self.skipped,
			"unchanged": self.unchanged,
		}


class ImportRowsError(frappe.ValidationError):
	"""The file has wrong rows (units or staff); `errors` lists them as (row number, message)."""

	def __init__(self, errors: list[tuple[int, str]]):
		self.errors = errors
		super().__init__(error_text(errors))


def error_text(errors: list[tuple[int, str]]) -> str:
	lines = [_("Row {0}: {1}").format(number, message) for number, message in errors[:MAX_LISTED_ERRORS]]
	if len(errors) > MAX_LISTED_ERRORS:
		lines.append(_("… and {0} more rows with errors").format(len(errors) - MAX_LISTED_ERRORS))
	return "\n".join(lines)


# ----------------------------------------------------------------------------------------- reading


def read_table(content: bytes, filename: str) -> list[list[str]]:
	"""The rows of a CSV (UTF-8 or GB18030, as Chinese spreadsheets save it) or XLSX file, as text."""
	if isinstance(content, str):  # a File's text content, already decoded
		content = content.encode("utf-8")
	if filename.lower().endswith(".xlsx"):
		from frappe.utils.xlsxutils import read_xlsx_file_from_attached_file

		rows = read_xlsx_file_from_attached_file(fcontent=content)
	elif filename.lower().endswith(".csv"):
		for encoding in ("utf-8-sig", "gb18030"):
			try:
				text = content.decode(encoding)
				break
			except UnicodeDecodeError:
				continue
		else:
			raise ImportRowsError([(1, _("The file is neither UTF-8 nor GB18030 text."))])
		rows = list(csv.reader(io.StringIO(text)))
	else:
		raise ImportRowsError([(1, _("Import a CSV or XLSX file."))])
	return [[cstr(cell).strip() for cell in row] for row in rows]


# The columns a header row may name, by the words the published lists and the spreadsheets made from
# them use. A cell naming the level above (上级…, 父级…, parent…) is the parent's code or nothing of ours
# (上级名称); 城乡分类代码 is read past; without a header the columns are code, name, level, parent code.
ABOVE_WORDS = ("上级", "父级", "parent")
CODE_WORDS = ("代码", "编码", "code")
COLUMN_WORDS = (
	("urban_rural", ("城乡分类", "城乡划分", "urban")),
	("level", ("级别", "层级", "level")),
	("name", ("名称", "name")),
	("code", CODE_WORDS),
)
DEFAULT_COLUMNS = {"code": 0, "name": 1, "level": 2, "parent": 3}


def header_columns(cells: list[str]) -> dict[str, int] | None:
	"""The columns a header row names ({"code": 0, "name": 2, …}), or None when the row names no code and
	name column (then it is not a header, or one this importer cannot read)."""
	columns = {}
	for index, cell in enumerate(cells):
		text = cell.lower()
		if any(word in text for word in ABOVE_WORDS):
			if any(word in text for word in CODE_WORDS):
				columns.setdefault("parent", index)
			continue
		for column, words in COLUMN_WORDS:
			if any(word in text for word in words):
				columns.setdefault(column, index)
				break
	return columns if {"code", "name"} <= columns.keys() else None


def row_cells(cells: list[str], columns: dict[str, int]) -> tuple[str, str, str, str]:
	"""Code, name, level and parent code of a row. The statistics bureau's tables put the urban-rural
	classification (城乡分类代码, three digits) between a village's code and name, and have no such column for
	counties and townships: their rows are read as code and name, with or without the header."""

	def cell(column):
		index = columns.get(column)
		return cells[index] if index is not None and index < len(cells) else ""

	filled = [c for c in cells if c]
	if "urban_rural" in columns and len(filled) == 2:
		return filled[0], filled[1], "", ""  # a county or township row of those tables: code and name
	if columns is DEFAULT_COLUMNS and len(cells) >= 3 and len(cells[1]) == 3 and cells[1].isdigit():
		return cells[0], cells[2], "", ""
	return cell("code"), cell("name"), cell("level"), cell("parent")


def parse_rows(table: list[list[str]]) -> tuple[list[Row], list[tuple[int, str]]]:
	"""The rows of the list and the errors of the rows that cannot be read (each by its line)."""
	rows, errors = [], []
	columns = DEFAULT_COLUMNS
	for number, cells in enumerate(table, start=1):
		if not any(cells):
			continue
		if number == 1 and not codes.normalise_code(cells[0]):
			# the header: 代码, 名称, 级别, 上级代码 (or the published tables' 统计用区划代码, 城乡分类代码, 名称)
			columns = header_columns(cells)
			if not columns:
				errors.append((number, _("The header names no code and name columns (代码, 名称).")))
				break
			continue
		raw_code, name, raw_level, raw_parent = row_cells(cells, columns)
		code = codes.normalise_code(raw_code)
		if not code or not codes.is_well_formed(code):
			errors.append((number, _("{0} is not a division code (12 digits).").format(raw_code)))
			continue
		level = codes.code_level(code)
		if raw_level and codes.level_from_text(raw_level) != level:
			errors.append((number, _("The level {0} does not match the code {1}.").format(raw_level, code)))
			continue
		parent = codes.normalise_code(raw_parent) if raw_parent else codes.parent_code(code)
		if parent != codes.parent_code(code):
			errors.append(
				(
					number,
					_("The code {0} does not begin with its parent's code {1}.").format(code, raw_parent),
				)
			)
			continue
		if not name:
			errors.append((number, _("The unit {0} has no name.").format(code)))
			continue
		rows.append(Row(number, code, name, level, parent))
	return rows, errors


# -------------------------------------------------------------------------------------- selecting


def select_units(rows: list[Row], root: str | None) -> tuple[list[Row], int, list[tuple[int, str]]]:
	"""The rows that are units of the site (module docstring), in tree order, the number skipped, and
	the errors: a code twice, a parent neither in the file nor in the site."""
	errors = []
	seen = Counter(row.code for row in rows)
	errors += [
		(row.number, _("The code {0} is listed twice.").format(row.code))
		for row in rows
		if seen[row.code] > 1
	]
	prefix = codes.significant(root) if root else None
	kept, not_units = [], set()
	for row in sorted(rows, key=lambda r: r.code):
		if row.parent in not_units or not codes.is_administrative(row.code, row.name):
			not_units.add(row.code)
		elif codes.unit_type_of(row.code) and not (prefix and not row.code.startswith(prefix)):
			kept.append(row)
	in_file = {row.code for row in kept}
	top = {row.code for row in kept if codes.code_level(row.code) == codes.COUNTY_LEVEL}
	wanted_parents = {row.parent for row in kept if row.code not in top and row.parent not in in_file}
	existing = (
		set(
			frappe.get_all(
				UNIT_DOCTYPE, filters={"unit_code": ("in", list(wanted_parents))}, pluck="unit_code"
			)
		)
		if wanted_parents
		else set()
	)
	for row in kept:
		if row.code not in top and row.parent not in in_file and row.parent not in existing:
			errors.append(
				(
					row.number,
					_("The parent {0} of {1} is neither in the file nor a unit.").format(
						row.parent, row.code
					),
				)
			)
	return kept, len(rows) - len(kept), errors


# ---------------------------------------------------------------------------------------- writing


def import_units(content: bytes, filename: str, root: str | None = None, progress=None) -> ImportResult:
	"""Load the list in `content` (module docstring); raises `ImportRowsError` listing the wrong rows,
	and then nothing is written. `progress(done, total)` is called as units are written."""
	root_code = codes.normalise_code(root) if root else None
	if root and (not root_code or codes.unit_type_of(root_code) not in ("County", "Township")):
		raise ImportRowsError([(0, _("The root {0} is not the code of a county or township.").format(root))])
	rows, errors = parse_rows(read_table(content, filename))
	units, skipped, selection_errors = select_units(rows, root_code)
	errors += selection_errors
	if not errors and not units:
		errors.append((0, _("The file lists no unit to import.")))
	if errors:
		raise ImportRowsError(sorted(errors))
	frappe.db.savepoint("unit_import")
	try:
		with nested_set_deferred():
			result = apply_units(units, root_code, progress)
	except Exception:
		frappe.db.rollback(save_point="unit_import")
		raise
	result.skipped = skipped
	return result


def apply_units(units: list[Row], root: str | None, progress=None) -> ImportResult:
	result = ImportResult()
	existing = {
		row.unit_code: row
		for row in frappe.get_all(
			UNIT_DOCTYPE,
			filters={"unit_code": ("is", "set")},
			fields=["name", "unit_name", "unit_code", "parent_community_unit", "disabled"],
		)
	}
	planned = plan_names(units, existing)
	unit_of = {code: row.name for code, row in existing.items()}
	for done, row in enumerate(units, start=1):
		parent = unit_of.get(row.parent) if codes.code_level(row.code) != codes.COUNTY_LEVEL else None
		with refused_as_row(row.number):
			unit_of[row.code] = write_unit(row, existing.get(row.code), parent, planned[row.code], result)
		if progress and (done % 50 == 0 or done == len(units)):
			progress(done, len(units))
	retire_vanished(units, root, existing, result)
	return result


@contextmanager
def refused_as_row(number: int):
	"""A rule a row's write breaks (a unit's or a user's controller) is that row's error."""
	try:
		yield
	except ImportRowsError:
		raise
	except frappe.ValidationError as e:
		raise ImportRowsError([(number, str(e) or e.__class__.__name__)]) from e


def write_unit(row: Row, current, parent: str | None, name: str, result: ImportResult) -> str:
	"""Create the unit of `row`, or bring the unit with its code (`current`) up to the list's edition;
	its record name."""
	if current:
		return update_unit(current, row, parent, name, result)
	doc = frappe.get_doc(
		{
			"doctype": UNIT_DOCTYPE,
			"unit_name": row.name,
			"unit_type": codes.unit_type_of(row.code),
			"unit_code": row.code,
			"parent_community_unit": parent,
		}
	)
	doc.insert(set_name=name)
	result.created.append(doc.name)
	return doc.name


def update_unit(current, row: Row, parent: str | None, name: str, result: ImportResult) -> str:
	"""Bring a unit found by its code up to the list's edition; its (possibly new) record name."""
	changed = False
	doc = None
	if current.name != name:
		frappe.rename_doc(
			UNIT_DOCTYPE, current.name, name, force=True, show_alert=False, rebuild_search=False
		)
		result.renamed.append(name)
	if current.unit_name != row.name or (current.parent_community_unit or None) != parent or current.disabled:
		doc = frappe.get_doc(UNIT_DOCTYPE, name)
		if doc.parent_community_unit != parent:
			result.moved.append(name)
		if doc.disabled:
			result.restored.append(name)
		if doc.unit_name != row.name and name not in result.renamed:
			result.renamed.append(name)
		doc.update(
			{"unit_name": row.name, "parent_community_unit": parent, "disabled": 0, "retired_on": None}
		)
		doc.save()
		changed = True
	if not changed and current.name == name:
		result.unchanged += 1
	return name


def retire_vanished(units: list[Row], root: str | None, existing: dict, result: ImportResult):
	"""A unit of the list's counties (or under the root) whose code the list no longer has is retired."""
	listed = {row.code for row in units}
	scopes = (
		[codes.significant(root)]
		if root
		else [codes.significant(r.code) for r in units if codes.code_level(r.code) == codes.COUNTY_LEVEL]
	)
	for code, row in sorted(existing.items(), reverse=True):
		if code in listed or row.disabled or not any(code.startswith(prefix) for prefix in scopes):
			continue
		frappe.db.set_value(UNIT_DOCTYPE, row.name, {"disabled": 1, "retired_on": today()})
		result.retired.append(row.name)


def plan_names(units: list[Row], existing: dict) -> dict[str, str]:
	"""code → the record name of each unit of the file (`names`): a name that repeats at its level (in
	the file and the site) carries its township or county."""
	by_code = {row.code: row for row in units}
	code_of_name = {row.name: code for code, row in existing.items()}
	site_names = set(frappe.get_all(UNIT_DOCTYPE, pluck="name"))
	level_names = Counter((row.level, row.name) for row in units)
	listed = set(by_code)
	for code, row in existing.items():
		if code not in listed and not row.disabled:
			level_names[(codes.code_level(code), row.unit_name)] += 1
	taken = {name for name in site_names if code_of_name.get(name) not in listed}
	planned = {}
	for row in units:
		parent = by_code.get(row.parent)
		parent_name = (
			parent.name
			if parent
			else frappe.db.get_value(UNIT_DOCTYPE, {"unit_code": row.parent}, "unit_name")
		)
		grand = by_code.get(parent.parent) if parent else None
		qualifiers = [parent_name, f"{grand.name}{parent_name}" if grand else None] if parent_name else []
		candidates = names.candidate_names(row.name, qualifiers, row.code)
		repeated = level_names[(row.level, row.name)] > 1
		name = names.choose_name(candidates, repeated, lambda n: n in taken)
		taken.add(name)
		planned[row.code] = name
	return planned


# ------------------------------------------------------------------------------------------- desk


def enqueue_file_import(file_url: str, job: str, **kwargs) -> dict:
	"""Start the desk's import of the uploaded file `file_url` as the background job `job` (a dotted
	path), for the administrators only; a small file (`INLINE_IMPORT_BYTES`) is imported at once, and
	the job's message (its summary or its errors by row) is the answer."""
	if not set(MANAGER_ROLES) & set(frappe.get_roles()):
		frappe.throw(_("Only an administrator imports units and staff."), frappe.PermissionError)
	file = frappe.get_doc("File", {"file_url": file_url})
	file.check_permission("read")
	now = imported_at_once(file)
	message = frappe.enqueue(
		job, queue="long", timeout=3600, now=now, file_name=file.name, user=frappe.session.user, **kwargs
	)
	return {"queued": False, "message": message} if now else {"queued": True}


def imported_at_once(file) -> bool:
	"""The uploaded `file` is small enough to import in the request (`INLINE_IMPORT_BYTES`)."""
	return cint(file.file_size) <= INLINE_IMPORT_BYTES


def run_file_job(file_name: str, user: str, event: str, title: str, counted: str, do_import) -> dict:
	"""The body of a desk import's job: `do_import(content, filename, progress)` imports and returns the
	message of its success; the user sees the progress (`counted`: "{0} of {1} …"), then, as the
	realtime `event`, that message or the errors by row (nothing written then)."""
	file = frappe.get_doc("File", file_name)

	def progress(done, total):
		frappe.publish_progress(done * 100 / total, title=title, description=counted.format(done, total))

	try:
		message = do_import(file.get_content(), file.file_name or file.file_url, progress)
		frappe.db.commit()
	except ImportRowsError as e:
		frappe.db.rollback()
		message = {
			"errors": [[number, text] for number, text in e.errors[:MAX_LISTED_ERRORS]],
			"total_errors": len(e.errors),
		}
	frappe.publish_realtime(event, message, user=user)
	return message


@frappe.whitelist(methods=["POST"])
def start_import(file_url: str, root: str | None = None) -> dict:
	"""The desk's 'Import Division List' (Community Unit list): a background job imports the file."""
	return enqueue_file_import(
		file_url, "community_consultation.units.importer.run_import_job", root=root or None
	)


def run_import_job(file_name: str, user: str, root: str | None = None) -> dict:
	def do_import(content, filename, progress):
		return {"summary": import_units(content, filename, root, progress).summary()}

	return run_file_job(
		file_name, user, "unit_import_done", _("Importing units"), _("{0} of {1} units"), do_import
	)
