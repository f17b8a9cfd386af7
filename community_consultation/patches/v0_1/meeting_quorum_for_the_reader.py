"""A meeting's quorum is counted for whoever reads it (the virtual field Quorum), no longer stored as text
in the language of whoever saved the meeting: the adults present are kept as a number, counted here for
the meetings recorded before, and the stored text goes."""

import frappe

from community_consultation.decision_bodies.doctype.community_meeting.community_meeting import (
	BASIS_ATTENDANCE,
)


def execute():
	frappe.db.sql(
		"""update `tabCommunity Meeting` m
		set m.adults_present = (
			select count(*) from `tabMeeting Attendance` a
			where a.parent = m.name and a.parenttype = 'Community Meeting' and a.parentfield = 'attendance'
			and a.present = 1 and a.attends_as in %s
		)""",
		(BASIS_ATTENDANCE["adults"],),
	)
	# asked of the database itself: the cached column list may predate the migration
	if frappe.db.sql("show columns from `tabCommunity Meeting` like 'quorum_summary'"):
		frappe.db.sql_ddl("alter table `tabCommunity Meeting` drop column `quorum_summary`")
