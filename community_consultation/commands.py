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


commands = [consultation_demo, consultation_setup]
