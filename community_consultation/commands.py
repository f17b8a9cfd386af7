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


@click.command("import-household-register")
@click.argument("community_unit")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@pass_context
def import_household_register(context, community_unit, path):
	"""Import the household register of COMMUNITY_UNIT (a village or community) from the XLSX or CSV file
	at PATH: all of it, or, with any error, nothing (the errors listed by line)."""
	from community_consultation.decision_bodies.register import RegisterImportError, import_register

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		frappe.local.lang = frappe.db.get_single_value("System Settings", "language") or "zh"
		with open(path, "rb") as f:
			content = f.read()
		try:
			counts = import_register(community_unit, content, path)
		except RegisterImportError:
			frappe.db.rollback()
			for message in frappe.local.message_log:
				for line in frappe.parse_json(message).get("message", "").split("<br>"):
					click.echo(frappe.utils.strip_html(line), err=True)
			raise click.Abort() from None
		frappe.db.commit()
	finally:
		frappe.destroy()
	click.echo(
		f"{community_unit}: {counts.created} created, {counts.updated} updated, {counts.unchanged} unchanged, "
		f"{counts.removed} removed; {counts.members} members"
	)


commands = [consultation_demo, consultation_setup, import_household_register]
