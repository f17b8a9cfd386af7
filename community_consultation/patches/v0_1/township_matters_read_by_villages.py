"""Township topics recorded before the villages they concern could read them: the users of those
villages are given their read-only shares (`sharing.sync_village_reads`)."""

import frappe

from community_consultation.township.sharing import sync_village_reads
from community_consultation.units.tree import TOWNSHIP_TYPES


def execute():
	for topic in frappe.db.sql_list(
		"""select t.name from `tabConsultation Topic` t
		join `tabCommunity Unit` u on u.name = t.community_unit where u.unit_type in %(types)s""",
		{"types": TOWNSHIP_TYPES},
	):
		sync_village_reads(topic)
