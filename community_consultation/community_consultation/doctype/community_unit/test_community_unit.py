# Copyright (c) 2026, community_consultation developers and Contributors
# See license.txt

import frappe

from community_consultation.tests.factory import make_unit, make_unit_tree
from community_consultation.tests.utils import ProcedureTestCase
from community_consultation.units.tree import get_consultation_level


class TestCommunityUnit(ProcedureTestCase):
	def test_unit_type_constrains_parent(self):
		units = make_unit_tree("单位")
		bad = [
			("乡镇挂县外", "Township", None),
			("村挂县", "Village", units.county),
			("小组挂镇", "Villager Group", units.township),
			("楼挂楼", "Building", units.building),
			("县挂镇", "County", units.township),
		]
		for name, unit_type, parent in bad:
			self.assertRaises(
				frappe.ValidationError,
				frappe.get_doc(
					{
						"doctype": "Community Unit",
						"unit_name": name,
						"unit_type": unit_type,
						"parent_community_unit": parent,
					}
				).insert,
			)
			self.assertFalse(frappe.db.exists("Community Unit", {"unit_name": name}))
		self.assertTrue(make_unit("社区一", "Community", units.township))
		self.assertTrue(make_unit("小区一", "Estate", units.village_b))

	def test_repeated_names_are_prefixed_by_parent(self):
		units = make_unit_tree("重名")
		first = make_unit("一组", "Villager Group", units.village_a)
		second = make_unit("一组", "Villager Group", units.village_b)
		self.assertNotEqual(first, second)
		self.assertEqual(second, f"{units.village_b}-一组")

	def test_level_follows_unit_type(self):
		units = make_unit_tree("层级")
		self.assertEqual(get_consultation_level(units.village_a), "Community")
		self.assertEqual(get_consultation_level(units.building), "Building")
		self.assertEqual(frappe.db.get_value("Community Unit", units.village_a, "is_group"), 1)
		self.assertEqual(frappe.db.get_value("Community Unit", units.building, "is_group"), 0)
