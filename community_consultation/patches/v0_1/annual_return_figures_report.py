"""The report of the annual return's figures takes the return's name: "Yearly Consultation Return" is now
"Consultation Annual Return Figures". The model sync has made the report under its new name; this merges
the old one into it, so that what named the old report names the new one (prepared reports, workspace
links, custom roles), and the roles an administrator gave the old report stay."""

import frappe

OLD = "Yearly Consultation Return"
NEW = "Consultation Annual Return Figures"


def execute():
	# a prepared result names its report in a Data field, which renaming does not follow
	frappe.db.set_value("Prepared Report", {"report_name": OLD}, "report_name", NEW, update_modified=False)
	if not frappe.db.exists("Report", OLD):
		return
	if not frappe.db.exists("Report", NEW):
		frappe.rename_doc("Report", OLD, NEW, force=True, show_alert=False)
		return
	roles = set(frappe.get_all("Has Role", {"parenttype": "Report", "parent": NEW}, pluck="role"))
	report = frappe.get_doc("Report", NEW)
	for role in frappe.get_all("Has Role", {"parenttype": "Report", "parent": OLD}, pluck="role"):
		if role not in roles:
			report.append("roles", {"role": role})
			roles.add(role)
	report.flags.ignore_permissions = True
	report.db_update_all()
	frappe.db.delete("Has Role", {"parenttype": "Report", "parent": OLD})
	frappe.rename_doc("Report", OLD, NEW, force=True, merge=True, show_alert=False)
