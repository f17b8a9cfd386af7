"""What the set-based reports rely on, kept true.

community_consultation/reporting/figures.py joins child rows on `parent` alone, so that the covering indexes
(parent, attended) and (parent, percent_complete, update_on) answer the joins without reading the
rows. That is right only while each of these child tables belongs to one parent table."""

import frappe
import pytest
from frappe.model import table_fields

ONLY_PARENT = {
	"Consultation Participant": ("Consultation Session", "participants"),
	"Implementation Update": ("Consultation Outcome", "progress"),
}


@pytest.mark.parametrize("child", sorted(ONLY_PARENT))
def test_child_table_used_by_one_parent_only(child):
	uses = frappe.get_all(
		"DocField",
		filters={"options": child, "fieldtype": ("in", table_fields)},
		fields=["parent", "fieldname"],
	)
	uses += frappe.get_all(
		"Custom Field",
		filters={"options": child, "fieldtype": ("in", table_fields)},
		fields=["dt as parent", "fieldname"],
	)
	assert [(u.parent, u.fieldname) for u in uses] == [ONLY_PARENT[child]], (
		f"{child} is now used by {uses}: add the parenttype condition back to reporting.py's joins"
	)
