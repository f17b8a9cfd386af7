import os

import click
import frappe
from frappe.commands import get_site, pass_context


@click.command("consultation-demo")
@pass_context
def consultation_demo(context):
	"""Load the simplified-Chinese demo data (units, stakeholders, topics at every stage). Idempotent."""
	from community_consultation.demo import load_demo

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		summary = load_demo()
		frappe.db.commit()
	finally:
		frappe.destroy()
	for line in summary:
		click.echo(line)


@click.command("consultation-setup")
@click.option(
	"--platform-name", default="", help="The platform's name residents see (default 城乡社区协商平台)"
)
@click.option("--platform-logo", default="", help="URL of the platform's logo (default the app's emblem)")
@pass_context
def consultation_setup(context, platform_name="", platform_logo=""):
	"""Complete the site's setup for China (Asia/Shanghai, CNY, simplified Chinese, the platform's name and
	logo), skipping the wizard. Run again, it keeps a name and logo already set unless given new ones."""
	from community_consultation.setup.site import complete_setup_for_china

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		complete_setup_for_china(platform_name=platform_name or None, platform_logo=platform_logo or None)
	finally:
		frappe.destroy()
	click.echo(f"{site}: setup complete (Asia/Shanghai, CNY, zh)")


def run_file_import(context, file: str, do_import):
	"""Run `do_import(content, filename)` on the site as Administrator, committed when it succeeds; wrong
	rows (`ImportRowsError`, of every spreadsheet import of the app) are printed, by row, in the site's
	language, and the command fails (exit status 1) with nothing written."""
	from community_consultation.units.importer import ImportRowsError

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		frappe.local.lang = frappe.get_system_settings("language") or frappe.local.lang
		with open(file, "rb") as f:
			content = f.read()
		try:
			result = do_import(content, file)
		except ImportRowsError as e:
			frappe.db.rollback()
			click.echo(str(e), err=True)
			raise SystemExit(1) from None
		frappe.db.commit()
	finally:
		frappe.destroy()
	click.echo(" ".join(f"{key}={value}" for key, value in result.summary().items()))
	return result


@click.command("consultation-import-units")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--root", default="", help="Import only this county's or township's units (its division code)")
@pass_context
def consultation_import_units(context, file, root=""):
	"""Load a city's or county's units from the published division list (CSV or XLSX: code, name, level,
	parent code), in one transaction: nothing is written when a row is wrong. Run again with a newer
	edition, it renames, adds, moves and retires units (docs/units-and-staff.md)."""
	from community_consultation.units.importer import import_units

	run_file_import(context, file, lambda content, name: import_units(content, name, root or None))


@click.command("consultation-import-staff")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
	"--sheet",
	default="",
	help="Where to write the hand-over sheet of first passwords when no SMS is set up (default beside FILE)",
)
@pass_context
def consultation_import_staff(context, file, sheet=""):
	"""Create or update staff accounts from a spreadsheet (CSV or XLSX: name, mobile number, role, unit
	code, status), in one transaction: nothing is written when a row is wrong (docs/units-and-staff.md)."""
	from community_consultation.units.staff import handover_sheet, import_staff

	sheet = sheet or f"{file.rsplit('.', 1)[0]}-handover.html"

	def do_import(content, name):
		result = import_staff(content, name)
		if result.passwords and not result.by_sms:
			with open(
				os.open(sheet, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8"
			) as f:
				f.write(handover_sheet(result))
		return result

	result = run_file_import(context, file, do_import)
	if result.passwords and not result.by_sms:
		click.echo(f"first passwords: {sheet} (print it, hand each slip over, then delete the file)")


@click.command("import-household-register")
@click.argument("community_unit")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@pass_context
def import_household_register(context, community_unit, path):
	"""Import the household register of COMMUNITY_UNIT (a village or community) from the XLSX or CSV file
	at PATH, in one transaction: nothing is written when a line is wrong (the errors listed by line, in the
	site's language; docs/decision-bodies.md)."""
	from community_consultation.decision_bodies.register import import_register

	run_file_import(context, path, lambda content, name: import_register(community_unit, content, name))


commands = [
	consultation_demo,
	consultation_setup,
	consultation_import_units,
	consultation_import_staff,
	import_household_register,
]
