"""The household register of a village or community (户籍 / 非户籍 residents by household): the rules of a
household, the import of the spreadsheet a village already keeps, and its logged export.

The register is personal data (个人信息保护法): the DocType Village Household is read only by the village's
staff (Community Secretary, Committee Clerk), its Supervision Committee Member and administrators, within
their units; no township officer, building head, guest, public page, open data or report of another unit
reads it. An ID-card number is kept only masked (`mask_id_card`). Every export is logged (Access Log).

The spreadsheet (XLSX or CSV) has one line per person, with the headers of `COLUMNS`. An import is
checked whole before anything is written; its errors are listed by line, in the user's language; a file
with any error writes nothing (`ImportRowsError`, the error of every spreadsheet import of the app). A second import makes the register what the file says: households are
matched by their number, their members replaced (so a person who moved between households is moved),
households absent from the file removed — never duplicated."""

import calendar
import datetime

import frappe
from frappe import _
from frappe.utils import add_years, cint, escape_html, getdate, now_datetime, nowdate

from community_consultation.units.importer import ImportRowsError, refused_as_row

UNDER_18 = "Under 18"
ADULT = "18 or Over"
REGISTERED = "Registered"
NON_REGISTERED = "Non-registered"

# the spreadsheet's headers (as a village's register has them) and the member's fields they fill
COLUMNS = {
	"户号": "household_no",
	"姓名": "member_name",
	"户主": "is_head",
	"与户主关系": "relation",
	"出生日期": "birth_date",
	"年龄段": "age_group",
	"户籍": "residence",
	"户代表": "household_representative",
	"身份证号": "id_card_masked",
}
# other headings village registers give the same columns
COLUMN_ALIASES = {
	"户编号": "户号",
	"户口编号": "户号",
	"是否户主": "户主",
	"关系": "与户主关系",
	"与户主的关系": "与户主关系",
	"出生年月": "出生日期",
	"出生年月日": "出生日期",
	"是否户籍": "户籍",
	"是否户代表": "户代表",
	"身份证号码": "身份证号",
	"公民身份号码": "身份证号",
	"身份证": "身份证号",
}
REQUIRED_COLUMNS = ("户号", "姓名")
YES = ("是", "Y", "y", "1", "yes", "Yes", "√", "✓")
NO = ("否", "N", "n", "0", "no", "No", "")
HEAD_RELATIONS = ("户主", "本人")
AGE_GROUPS = {"未满18岁": UNDER_18, "未成年": UNDER_18, "18岁以上": ADULT, "成年": ADULT}
AGE_GROUP_CELLS = {UNDER_18: "未满18岁", ADULT: "18岁以上"}
RESIDENCES = {
	"户籍": REGISTERED,
	"是": REGISTERED,
	"": REGISTERED,
	"非户籍": NON_REGISTERED,
	"否": NON_REGISTERED,
}


class HouseholdRegisterError(frappe.ValidationError):
	"""A household that breaks the register's rules: no head or two, two representatives, a member with
	neither birth date nor age group, a birth date in the future, a number twice in one register."""


class RegisterImportCounts(frappe._dict):
	"""What an import did: households created, updated, unchanged, removed; members; the columns it read
	past."""

	def summary(self) -> dict:
		return dict(self)


def mask_id_card(value: str | None) -> str | None:
	"""An ID-card number as the register keeps it: every character but the last four masked."""
	value = (value or "").strip().replace(" ", "")
	if not value:
		return None
	return "*" * max(len(value) - 4, 0) + value[-4:]


def household_errors(members, line_of=None) -> list[tuple[int, str]]:
	"""The rules of a household, as (line, message): exactly one head, at most one household
	representative, each member named, with a birth date (not in the future) or an age group; an ID-card
	number is masked here, whoever wrote it. `line_of(member)` gives the line of each error (the
	spreadsheet's line on import, the row of the form otherwise)."""
	line_of = line_of or (lambda m: m.idx)
	errors = []
	today = getdate(nowdate())
	for m in members:
		if not (m.member_name or "").strip():
			errors.append((line_of(m), _("enter the member's name.")))
		if m.birth_date and getdate(m.birth_date) > today:
			errors.append((line_of(m), _("the birth date is in the future.")))
		if not m.birth_date and not m.age_group:
			errors.append((line_of(m), _("enter the birth date or the age group.")))
		m.id_card_masked = mask_id_card(m.id_card_masked)
	heads = [m for m in members if cint(m.is_head)]
	first = line_of(members[0]) if members else 0
	if len(heads) != 1:
		errors.append((first, _("a household has exactly one head ({0} marked).").format(len(heads))))
	representatives = [m for m in members if cint(m.household_representative)]
	if len(representatives) > 1:
		errors.append((line_of(representatives[1]), _("a household has one household representative.")))
	return errors


# ------------------------------------------------------------------ the basis of a meeting


# a member (`m`) aged 18 or over on the day given by `adult_values`: born on or before that day 18 years
# earlier, or, when the birth date is not known, of the age group "18 or Over"
ADULT_SQL = (
	"(case when m.birth_date is not null then m.birth_date <= %(born_by)s else m.age_group = %(adult)s end)"
)


def adult_values(community_unit: str, on_date) -> dict:
	return {"unit": community_unit, "born_by": add_years(getdate(on_date), -18), "adult": ADULT}


def register_members(community_unit: str, on_date, names: list[str]) -> dict[str, frappe._dict]:
	"""The members `names` (Household Member rows) of the register of `community_unit`, each with their
	name, household number and whether they are 18 or over on `on_date`; one query."""
	if not names:
		return {}
	rows = frappe.db.sql(
		f"""select m.name, m.member_name, h.household_no, {ADULT_SQL} as adult
		from `tabHousehold Member` m
		join `tabVillage Household` h on h.name = m.parent and m.parenttype = 'Village Household'
		where h.community_unit = %(unit)s and m.name in %(names)s""",
		{**adult_values(community_unit, on_date), "names": tuple(names)},
		as_dict=True,
	)
	return {r.name: r for r in rows}


# the register's last change (art. 34, a meeting's basis names the register's state it was counted from):
# the last household written, or the last removed from it, by an import or in the desk — a removal leaves
# no household behind to date it, only Frappe's Deleted Document (the household as it was, its unit)
REGISTER_REMOVED_SQL = """select max(d.creation) from `tabDeleted Document` d
	where d.deleted_doctype = 'Village Household' and json_value(d.data, '$.community_unit') = %(unit)s"""


def register_basis(community_unit: str, on_date) -> frappe._dict | None:
	"""The quorum basis counted from the register of `community_unit` (art. 22): its households, and its
	members aged 18 or over on `on_date` (born on or before that day 18 years earlier; by the age group
	when the birth date is not known); `as_of`, the register's last change (a household written or
	removed, `REGISTER_REMOVED_SQL`). None without a register."""
	row = frappe.db.sql(
		f"""select count(distinct h.name) as households,
			greatest(max(h.modified), coalesce(({REGISTER_REMOVED_SQL}), max(h.modified))) as as_of,
			coalesce(sum({ADULT_SQL}), 0) as adults
		from `tabVillage Household` h
		left join `tabHousehold Member` m on m.parent = h.name and m.parenttype = 'Village Household'
		where h.community_unit = %(unit)s""",
		adult_values(community_unit, on_date),
		as_dict=True,
	)[0]
	if not row.households:
		return None
	return frappe._dict(households=cint(row.households), adults=cint(row.adults), as_of=row.as_of)


# ------------------------------------------------------------------ import


def read_rows(content: bytes | str, filename: str) -> list[list]:
	"""The spreadsheet's lines (XLSX, or CSV in UTF-8 or GBK), the header first."""
	from frappe.utils.csvutils import read_csv_content
	from frappe.utils.xlsxutils import read_xlsx_file_from_attached_file

	name = (filename or "").lower()
	if name.endswith(".xlsx"):
		return read_xlsx_file_from_attached_file(fcontent=content)
	if name.endswith(".csv"):
		if isinstance(content, bytes):
			for encoding in ("utf-8-sig", "gb18030"):
				try:
					content = content.decode(encoding)
					break
				except UnicodeDecodeError:
					continue
		return read_csv_content(content)
	raise ImportRowsError([(1, _("The register is imported from an XLSX or CSV file."))])


def parse_register(rows: list[list]) -> tuple[dict[str, list[frappe._dict]], list[tuple[int, str]]]:
	"""The households of the file, by number, with their members; and the errors, by line (the
	spreadsheet's line numbers, the header being line 1)."""
	errors = []
	if not rows:
		return {}, [(1, _("the file is empty."))]
	header = register_header(rows[0])
	missing = [h for h in REQUIRED_COLUMNS if h not in header]
	if missing:
		return {}, [
			(
				1,
				_("the columns are {0}; missing: {1}.").format("、".join(COLUMNS), "、".join(missing)),
			)
		]
	households: dict[str, list[frappe._dict]] = {}
	for line, values in enumerate(rows[1:], start=2):
		cells = {h: values[i] if i < len(values) else None for i, h in enumerate(header) if h}
		if not any(str(v or "").strip() for v in cells.values()):
			continue
		member, problems = parse_member(cells)
		member.line = line
		errors += [(line, p) for p in problems]
		if member.household_no:
			households.setdefault(member.household_no, []).append(member)
	for members in households.values():
		errors += household_errors(members, lambda m: m.line)
	return households, sorted(errors, key=lambda e: e[0])


def register_header(cells: list) -> list[str | None]:
	"""The register's column of each heading of the file (by `COLUMN_ALIASES` where a village names it
	otherwise), None for a column the register does not keep (序号, 性别, 联系电话, 备注…): such a column is
	read past, and nothing of it is stored."""
	header = []
	for cell in cells:
		text = str(cell or "").strip()
		text = COLUMN_ALIASES.get(text, text)
		header.append(text if text in COLUMNS and text not in header else None)
	return header


def read_past_columns(rows: list[list]) -> list[str]:
	"""The headings of the file's columns the register does not keep, as the import reports them."""
	if not rows:
		return []
	return [
		str(c).strip()
		for c, h in zip(rows[0], register_header(rows[0]), strict=True)
		if h is None and str(c or "").strip()
	]


def parse_member(cells: dict) -> tuple[frappe._dict, list[str]]:
	"""One line of the file as a member, and what is wrong with it."""
	text = {h: str(v).strip() if v is not None else "" for h, v in cells.items()}
	problems = []
	member = frappe._dict(household_no=text.get("户号"), member_name=text.get("姓名"))
	if not member.household_no:
		problems.append(_("enter the household number (户号)."))
	relation = text.get("与户主关系", "")
	member.relation = relation or None
	head = text.get("户主", "")
	if head not in YES + NO:
		problems.append(_("户主 is 是 or 否, not {0}.").format(head))
	member.is_head = 1 if head in YES or relation in HEAD_RELATIONS else 0
	representative = text.get("户代表", "")
	if representative not in YES + NO:
		problems.append(_("户代表 is 是 or 否, not {0}.").format(representative))
	member.household_representative = 1 if representative in YES else 0
	member.birth_date = None
	if cells.get("出生日期"):
		member.birth_date = parse_date(cells["出生日期"])
		if not member.birth_date:
			problems.append(_("{0} is not a date (出生日期).").format(text["出生日期"]))
	age_group = text.get("年龄段", "")
	if age_group and age_group not in AGE_GROUPS:
		problems.append(_("年龄段 is one of {0}, not {1}.").format("、".join(AGE_GROUPS), age_group))
	member.age_group = AGE_GROUPS.get(age_group, "")
	residence = text.get("户籍", "")
	if residence not in RESIDENCES:
		problems.append(_("户籍 is 户籍 or 非户籍, not {0}.").format(residence))
	member.residence = RESIDENCES.get(residence, REGISTERED)
	member.id_card_masked = mask_id_card(text.get("身份证号"))
	return member, problems


def parse_date(value) -> datetime.date | None:
	"""A birth date as a spreadsheet holds it: a date cell, or text as 1970-01-01, 1970/1/1, 1970.1.1,
	1970年1月1日 or 19700101; a year and month only (1970.01, 1970年1月, 197001, as registers kept as 出生年月
	give it) is read as the month's last day, so that no one is taken for 18 before they may be. None for
	anything else (reported by line, never half-read)."""
	if isinstance(value, datetime.datetime):
		return value.date()
	if isinstance(value, datetime.date):
		return value
	text = str(value).strip()
	if text.isdigit() and len(text) in (6, 8):
		text = "-".join(filter(None, (text[:4], text[4:6], text[6:])))
	for mark in ("年", "月", "/", "."):
		text = text.replace(mark, "-")
	parts = [p for p in text.rstrip("日").split("-") if p]
	try:
		numbers = [int(p) for p in parts]
		if len(numbers) == 2:
			year, month = numbers
			return datetime.date(year, month, calendar.monthrange(year, month)[1])
		return datetime.date(*numbers) if len(numbers) == 3 else None
	except ValueError:
		return None


def import_register(community_unit: str, content: bytes | str, filename: str) -> dict:
	"""Make the register of `community_unit` what the file says, or, if the file has any error, write
	nothing and list the errors by line (`ImportRowsError`, as the other imports of spreadsheets). Returns
	the counts of households created, updated, unchanged and removed, and of members, and the headings of
	the columns read past (`read_past`, when there are any)."""
	frappe.has_permission("Village Household", "create", throw=True)
	frappe.has_permission("Community Unit", "read", community_unit, throw=True)
	lines = read_rows(content, filename)
	households, errors = parse_register(lines)
	if errors:
		raise ImportRowsError(errors)
	existing = dict(
		frappe.get_all(
			"Village Household",
			filters={"community_unit": community_unit},
			fields=["household_no", "name"],
			as_list=True,
		)
	)
	counts = RegisterImportCounts(created=0, updated=0, unchanged=0, removed=0, members=0)
	if read_past := read_past_columns(lines):
		counts.read_past = "、".join(read_past)
	frappe.db.savepoint("register_import")
	try:
		for number, members in households.items():
			rows = [{f: m.get(f) for f in COLUMNS.values() if f != "household_no"} for m in members]
			counts.members += len(rows)
			if number in existing:
				doc = frappe.get_doc("Village Household", existing.pop(number))
				if [{f: r.get(f) for f in rows[0]} for r in doc.as_dict().members] == rows:
					counts.unchanged += 1
					continue
				doc.set("members", rows)
				with refused_as_row(members[0].line):
					doc.save()
				counts.updated += 1
			else:
				doc = frappe.get_doc(
					{
						"doctype": "Village Household",
						"community_unit": community_unit,
						"household_no": number,
						"members": rows,
					}
				)
				with refused_as_row(members[0].line):
					doc.insert()
				counts.created += 1
		for name in existing.values():
			frappe.delete_doc("Village Household", name)
			counts.removed += 1
	except Exception:
		frappe.db.rollback(save_point="register_import")
		raise
	return counts


@frappe.whitelist(methods=["POST"])
def import_register_file(community_unit: str, file_url: str) -> dict:
	"""The desk's Import Register: the uploaded file (a File the user may read) into the register of
	`community_unit`."""
	file = frappe.get_doc("File", {"file_url": file_url})
	file.check_permission("read")
	try:
		return import_register(community_unit, file.get_content(), file.file_name)
	except ImportRowsError as e:
		frappe.msgprint(
			"<br>".join(escape_html(line) for line in str(e).split("\n")),
			title=_("The register was not imported: {0} errors").format(len(e.errors)),
			indicator="red",
		)
		raise


# ------------------------------------------------------------------ export


@frappe.whitelist(methods=["POST"])
def export_register(community_unit: str) -> str:
	"""The register of `community_unit` as CSV, for its staff and supervision committee; each export is
	logged (Access Log: who, when, which unit). Cells that start with = + - @ are neutralised."""
	frappe.has_permission("Village Household", "read", throw=True)
	frappe.has_permission("Community Unit", "read", community_unit, throw=True)
	households = frappe.get_list(
		"Village Household", filters={"community_unit": community_unit}, pluck="name", limit_page_length=0
	)
	from frappe.core.doctype.access_log.access_log import make_access_log
	from frappe.utils.csvutils import to_csv

	lines = [list(COLUMNS)]
	for name in households:
		doc = frappe.get_doc("Village Household", name)
		for m in doc.members:
			lines.append(
				[
					doc.household_no,
					m.member_name,
					"是" if m.is_head else "否",
					m.relation or "",
					str(m.birth_date or ""),
					AGE_GROUP_CELLS.get(m.age_group, ""),
					"户籍" if m.residence == REGISTERED else "非户籍",
					"是" if m.household_representative else "否",
					m.id_card_masked or "",
				]
			)
	make_access_log(
		doctype="Village Household",
		filters=frappe.as_json({"community_unit": community_unit}),
		file_type="CSV",
		method="export_register",
		report_name=community_unit,
		page=str(now_datetime()),
	)
	return to_csv([[_neutral(c) for c in line] for line in lines])


def _neutral(cell):
	cell = str(cell or "")
	return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell
