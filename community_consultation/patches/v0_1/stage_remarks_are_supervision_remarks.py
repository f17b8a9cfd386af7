"""四议两公开: a stage's supervision committee's remarks are the committee's Supervision Remarks on the topic
naming the stage (shown on the stage's row), no longer text typed into the row by whoever edited the topic.
Text typed there before is kept as a comment on its topic, and the column goes."""

import frappe
from frappe import _


def execute():
	# asked of the database itself: the cached column list may predate the migration
	if not frappe.db.sql("show columns from `tabFour Deliberations Stage` like 'supervision_remarks'"):
		return
	# the comment is written in the site's language (System Settings), as the clerks read it
	lang = frappe.db.get_default("lang") or "en"
	for row in frappe.db.sql(
		"""select parent, stage, supervision_remarks from `tabFour Deliberations Stage`
		where parenttype = 'Consultation Topic' and ifnull(supervision_remarks, '') != ''
		order by parent, idx""",
		as_dict=True,
	):
		if not frappe.db.exists("Consultation Topic", row.parent):
			continue
		frappe.get_doc(
			{
				"doctype": "Comment",
				"comment_type": "Comment",
				"reference_doctype": "Consultation Topic",
				"reference_name": row.parent,
				"content": _("Remarks recorded on the stage {0}: {1}", lang=lang).format(
					_(row.stage, lang=lang), frappe.utils.escape_html(row.supervision_remarks)
				),
			}
		).insert(ignore_permissions=True)
	frappe.db.sql_ddl("alter table `tabFour Deliberations Stage` drop column `supervision_remarks`")
