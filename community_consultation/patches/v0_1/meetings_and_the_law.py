"""Meetings that decide by law: sites installed before them get the 2018 meeting rules and the forms of
四议两公开; an outcome's free-text meeting reference (`meeting_decision_ref`, now replaced by the link to
the meeting's resolution) is kept in its decision notes."""

import frappe

from community_consultation.setup.defaults import create_defaults


def execute():
	create_defaults()
	# asked of the database itself: the cached column list may predate the migration
	if not frappe.db.sql("show columns from `tabConsultation Outcome` like 'meeting_decision_ref'"):
		return
	frappe.db.sql(
		"""update `tabConsultation Outcome`
		set decision_note = trim(concat(ifnull(decision_note, ''),
			case when ifnull(decision_note, '') = '' then '' else '\n' end, meeting_decision_ref))
		where ifnull(meeting_decision_ref, '') != ''"""
	)
	frappe.db.sql_ddl("alter table `tabConsultation Outcome` drop column `meeting_decision_ref`")
