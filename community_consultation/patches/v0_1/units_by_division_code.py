"""Sites made before units were known by their national division code (units/codes.py): a code written as
a county's or township's significant digits (441803) becomes the 12-digit code (441803000000) the
importer finds units by. Record names do not change, so no link is touched; units without a code (the
demo's villages, units made by hand) keep none, and a code that is no division code stays as it is until
the unit is next edited, when it is checked."""

import frappe

from community_consultation.units.codes import normalise_code


def execute():
	rows = frappe.get_all(
		"Community Unit", filters={"unit_code": ("is", "set")}, fields=["name", "unit_code"], as_list=True
	)
	held = {code for _name, code in rows}
	for name, code in rows:
		normal = normalise_code(code)
		if normal and normal != code and normal not in held:
			frappe.db.set_value("Community Unit", name, "unit_code", normal, update_modified=False)
			held.add(normal)
