"""Staff in bulk: a township's or county's accounts from a spreadsheet (docs/units-and-staff.md).

One person a row: name, mobile number, role, unit (its national code, or the unit's record name for a
building-level unit, which has no code; a city's code stands for each of its counties), and optionally
a status, 离职 (left) for staff who leave. `import_staff` checks every row first and writes only when
none is wrong, in one transaction:

- a person is known by their mobile number: the account of that number is updated (a second import
  moves a clerk to another village, without a second account), else one is made, known as
  `<mobile>@mobile.invalid`, signing in with the mobile number and a password (Frappe's "login with
  mobile number", System Settings, which the app's setup switches on);
- the account gets exactly the row's role and exactly one User Permission on Community Unit per unit
  of the row (the unit and everything beneath it), and no other;
- the role fits the unit (`ROLE_UNIT_TYPES`): a Township Officer a township or county, a clerk,
  secretary or supervision member a village or community, a building head a building-level unit;
- staff who leave are disabled, never deleted: their records and history stay, their permissions too;
- a resident's account (the Resident role, e.g. signed up by SMS) stays a resident's (`kept_roles`):
  it keeps that role and its proposals when it becomes staff, and when its holder leaves the staff it is
  not disabled but loses the staff role and the unit, a resident's account again;
- a new account's first password goes by SMS (`send_sms`, kind `staff_initial_password`) once the
  transaction is committed, where an SMS provider or gateway is set up for it; otherwise it is on a
  printable hand-over sheet (`handover_sheet`). A re-import never changes a password.
"""

import secrets
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.permissions import add_user_permission

from community_consultation.notices import sms
from community_consultation.notices.recipients import mobile_account_email
from community_consultation.overrides.bulk_users import bulk_user_creation
from community_consultation.setup.roles import (
	BUILDING_HEAD,
	COMMITTEE_CLERK,
	COMMUNITY_SECRETARY,
	RESIDENT,
	SUPERVISION_COMMITTEE_MEMBER,
	TOWNSHIP_OFFICER,
)
from community_consultation.units import codes
from community_consultation.units.importer import (
	ImportRowsError,
	enqueue_file_import,
	read_table,
	refused_as_row,
	run_file_job,
)
from community_consultation.units.tree import (
	BUILDING_LEVEL_TYPES,
	COUNTY,
	TOWNSHIP,
	UNIT_DOCTYPE,
	VILLAGE_TYPES,
)

ROLE_UNIT_TYPES = {
	TOWNSHIP_OFFICER: (COUNTY, TOWNSHIP),
	COMMUNITY_SECRETARY: VILLAGE_TYPES,
	COMMITTEE_CLERK: VILLAGE_TYPES,
	SUPERVISION_COMMITTEE_MEMBER: VILLAGE_TYPES,
	BUILDING_HEAD: BUILDING_LEVEL_TYPES,
}
LEAVING_WORDS = ("离职", "离任", "left", "leaving", "disabled")
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass
class StaffRow:
	number: int
	full_name: str
	mobile: str
	role: str
	units: list[str]
	leaving: bool


@dataclass
class StaffResult:
	created: list[str] = field(default_factory=list)
	updated: list[str] = field(default_factory=list)
	disabled: list[str] = field(default_factory=list)
	unchanged: int = 0
	# the new accounts' first passwords: (name, mobile, role, unit, password); by SMS or on the sheet
	passwords: list[tuple[str, str, str, str, str]] = field(default_factory=list)
	by_sms: bool = False

	def summary(self) -> dict:
		return {
			"created": len(self.created),
			"updated": len(self.updated),
			"disabled": len(self.disabled),
			"unchanged": self.unchanged,
			"passwords_by_sms": len(self.passwords) if self.by_sms else 0,
			"passwords_on_sheet": 0 if self.by_sms else len(self.passwords),
		}


def role_of(text: str) -> str | None:
	"""The staff role written as `text`: in English, in the user's language, or in Chinese (村(社区)党组织书记)."""
	from frappe.translate import get_full_dict

	chinese = get_full_dict("zh")
	text = (text or "").strip()
	return next((role for role in ROLE_UNIT_TYPES if text in (role, _(role), chinese.get(role))), None)


def units_of(text: str) -> list[frappe._dict]:
	"""The units a row's unit cell names: the unit of a code, each county of a city's code, or the unit
	of that record name; retired units are not among them."""
	fields = ["name", "unit_type", "disabled"]
	code = codes.normalise_code(text)
	if code and codes.code_level(code) == codes.CITY:
		return frappe.get_all(
			UNIT_DOCTYPE,
			filters={
				"unit_code": ("like", f"{codes.significant(code)}%"),
				"unit_type": COUNTY,
				"disabled": 0,
			},
			fields=fields,
		)
	filters = {"unit_code": code} if code else {"name": text}
	return frappe.get_all(UNIT_DOCTYPE, filters=filters, fields=fields)


def parse_staff(table: list[list[str]]) -> tuple[list[StaffRow], list[tuple[int, str]]]:
	rows, errors, seen = [], [], {}
	for number, cells in enumerate(table, start=1):
		cells = [*cells, "", "", "", "", ""][:5]
		full_name, raw_mobile, raw_role, raw_unit, status = cells
		if not any(cells):
			continue
		mobile = sms.mainland_mobile(raw_mobile)
		if number == 1 and not mobile:
			continue  # the header (姓名, 手机号, 角色, 单位代码, 状态)
		role = role_of(raw_role)
		units = units_of(raw_unit) if raw_unit else []
		# a leaver needs only their number: their unit may be retired, their role gone
		leaving = status.strip().lower() in LEAVING_WORDS
		problem = None
		if not full_name:
			problem = _("The name is missing.")
		elif not mobile:
			problem = _("{0} is not a mainland China mobile number.").format(raw_mobile)
		elif mobile in seen:
			problem = _("The mobile number {0} is also on row {1}.").format(mobile, seen[mobile])
		elif leaving:
			pass
		elif not role:
			problem = _("{0} is not a staff role.").format(raw_role)
		elif not units:
			problem = _("No unit has the code {0}.").format(raw_unit)
		elif any(unit.disabled for unit in units):
			problem = _("{0} is retired.").format(raw_unit)
		elif any(unit.unit_type not in ROLE_UNIT_TYPES[role] for unit in units):
			problem = _("A {0} works in a {1}, not in {2}.").format(
				_(role), _(" or ").join(_(t) for t in ROLE_UNIT_TYPES[role]), raw_unit
			)
		if problem:
			errors.append((number, problem))
			continue
		seen[mobile] = number
		rows.append(StaffRow(number, full_name, mobile, role, [u.name for u in units], leaving))
	return rows, errors


def import_staff(content: bytes, filename: str, progress=None) -> StaffResult:
	"""Create or update the staff of the file (module docstring); raises `ImportRowsError` listing the
	wrong rows, and then nothing is written."""
	rows, errors = parse_staff(read_table(content, filename))
	if not errors and not rows:
		errors.append((0, _("The file lists no staff.")))
	if errors:
		raise ImportRowsError(errors)
	result = StaffResult(by_sms=sms.sms_configured(sms.STAFF_INITIAL_PASSWORD))
	frappe.db.savepoint("staff_import")
	try:
		with bulk_user_creation(len(rows)):
			for done, row in enumerate(rows, start=1):
				with refused_as_row(row.number):
					apply_staff_row(row, result)
				if progress and (done % 50 == 0 or done == len(rows)):
					progress(done, len(rows))
	except Exception:
		frappe.db.rollback(save_point="staff_import")
		raise
	if result.by_sms and result.passwords:
		frappe.db.after_commit.add(lambda: send_first_passwords(result.passwords))
	return result


def apply_staff_row(row: StaffRow, result: StaffResult):
	user_name = frappe.db.get_value("User", {"mobile_no": row.mobile}) or (
		frappe.db.exists("User", mobile_account_email(row.mobile))
	)
	if not user_name:
		if row.leaving:
			result.unchanged += 1
			return
		password = new_password()
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": mobile_account_email(row.mobile),
				"first_name": row.full_name,
				"mobile_no": row.mobile,
				"user_type": "System User",
				"send_welcome_email": 0,
				"language": "zh",
				"time_zone": "Asia/Shanghai",
				"new_password": password,
				"roles": [{"role": row.role}],
			}
		)
		user.flags.no_welcome_mail = True
		user.insert(ignore_permissions=True)
		set_unit_permissions(user.name, row.units)
		result.created.append(user.name)
		result.passwords.append((row.full_name, row.mobile, _(row.role), ", ".join(row.units), password))
		return
	user = frappe.get_doc("User", user_name)
	kept = kept_roles(user)
	if row.leaving and kept:
		leave_staff_as_resident(user, kept, result)
		return
	if row.leaving:
		if user.enabled:
			user.enabled = 0
			user.save(ignore_permissions=True)
			result.disabled.append(user.name)
		else:
			result.unchanged += 1
		return
	roles_now = sorted(r.role for r in user.roles)
	roles = sorted({row.role, *kept})
	changed = (user.first_name, user.enabled, roles_now) != (row.full_name, 1, roles)
	first_password = None
	if changed:
		user.first_name = row.full_name
		user.enabled = 1
		user.set("roles", [{"role": role} for role in roles])
		if not has_password(user.name):
			# a resident signed in by SMS code, which staff may not: a first password, as a new account
			first_password = new_password()
			user.new_password = first_password
		user.save(ignore_permissions=True)
	if first_password:
		result.passwords.append(
			(row.full_name, row.mobile, _(row.role), ", ".join(row.units), first_password)
		)
	if set_unit_permissions(user.name, row.units) or changed:
		result.updated.append(user.name)
	else:
		result.unchanged += 1


def new_password() -> str:
	"""A first password: 10 characters that cannot be mistaken for one another when read off a slip."""
	return "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(10))


def kept_roles(user) -> list[str]:
	"""A village clerk is often a villager (docs/units-and-staff.md): the roles of an account that the
	staff import keeps beside the staff role — the Resident role, with which the person follows their own
	proposals (/my-proposals) — so that turning a resident's account into staff, or back, loses nothing."""
	return [r.role for r in user.roles if r.role == RESIDENT]


def leave_staff_as_resident(user, kept: list[str], result: StaffResult):
	"""A leaver who is also a resident (`kept_roles`): the account stays enabled as a resident's, without
	the staff role and without the units it worked on."""
	changed = sorted(r.role for r in user.roles) != sorted(kept)
	if changed:
		user.set("roles", [{"role": role} for role in kept])
		user.save(ignore_permissions=True)
	if set_unit_permissions(user.name, []) or changed:
		result.updated.append(user.name)
	else:
		result.unchanged += 1


def has_password(user: str) -> bool:
	"""The account has a password (a resident's account made by the SMS sign-up has none)."""
	auth = frappe.qb.Table("__Auth")
	return bool(
		frappe.qb.from_(auth)
		.select(auth.name)
		.where((auth.doctype == "User") & (auth.name == user) & (auth.fieldname == "password"))
		.run()
	)


def set_unit_permissions(user: str, units: list[str]) -> bool:
	"""Exactly one User Permission on Community Unit per unit of `units` for `user`; True if any changed."""
	held = frappe.get_all(
		"User Permission", filters={"user": user, "allow": UNIT_DOCTYPE}, fields=["name", "for_value"]
	)
	changed = False
	for permission in held:
		if permission.for_value not in units:
			frappe.delete_doc("User Permission", permission.name, ignore_permissions=True, force=True)
			changed = True
	for unit in set(units) - {p.for_value for p in held}:
		add_user_permission(UNIT_DOCTYPE, unit, user, ignore_permissions=True)
		changed = True
	return changed


def send_first_passwords(passwords):
	for full_name, mobile, _role, _unit, password in passwords:
		sms.send_sms(
			mobile, sms.STAFF_INITIAL_PASSWORD, {"name": full_name, "login": mobile, "password": password}
		)


def handover_sheet(result: StaffResult) -> str:
	"""The printable hand-over sheet of the new accounts' first passwords (HTML, to print and cut)."""
	return frappe.render_template(
		"community_consultation/templates/print/staff_handover.html",
		{"rows": result.passwords, "site": sms.site_name(), "host": frappe.utils.get_url()},
	)


# ------------------------------------------------------------------------------------------- desk


@frappe.whitelist(methods=["POST"])
def start_import(file_url: str) -> dict:
	"""The desk's 'Import Staff' (Community Unit list): a background job imports the file and ends with
	its summary and the hand-over sheet (a private file of the administrator's), or its errors by row."""
	return enqueue_file_import(file_url, "community_consultation.units.staff.run_import_job")


def run_import_job(file_name: str, user: str) -> dict:
	def do_import(content, filename, progress):
		result = import_staff(content, filename, progress)
		message = {"summary": result.summary()}
		if result.passwords and not result.by_sms:
			sheet = frappe.get_doc(
				{
					"doctype": "File",
					"file_name": f"staff-handover-{frappe.utils.now_datetime():%Y%m%d-%H%M%S}.html",
					"is_private": 1,
					"content": handover_sheet(result),
				}
			).insert(ignore_permissions=True)
			message["sheet"] = sheet.file_url
		return message

	return run_file_job(
		file_name, user, "staff_import_done", _("Importing staff"), _("{0} of {1} people"), do_import
	)
