"""The demo's household register (demo/register.py): 坑口村's forty households load through the clerk's
own import, and the village's next villagers' meeting counts its quorum basis from them."""

import frappe

from community_consultation.demo.meetings import VILLAGE
from community_consultation.demo.register import HOUSEHOLDS, make_register_demo, register_rows
from community_consultation.tests.factory import make_unit


def test_the_demo_register_loads_and_the_next_meeting_counts_from_it():
	if not frappe.db.exists("Community Unit", VILLAGE):
		county = make_unit("演示县", "County")
		township = make_unit("演示镇", "Township", county)
		assert make_unit(VILLAGE, "Village", township) == VILLAGE
	frappe.db.delete("Village Household", {"community_unit": VILLAGE})

	make_register_demo()

	rows = register_rows()[1:]
	households = frappe.get_all("Village Household", {"community_unit": VILLAGE}, pluck="name")
	assert len(households) == HOUSEHOLDS
	assert frappe.db.count("Household Member", {"parent": ("in", households)}) == len(rows)
	meeting = frappe.get_last_doc("Community Meeting", filters={"community_unit": VILLAGE})
	assert meeting.basis_source == "Register"
	assert meeting.basis_households == HOUSEHOLDS
	assert 0 < meeting.basis_adults < len(rows)  # the children are not counted

	make_register_demo()  # a second run adds nothing
	assert frappe.db.count("Village Household", {"community_unit": VILLAGE}) == HOUSEHOLDS
