# Copyright (c) 2026, community_consultation developers and Contributors
# See license.txt

# import frappe
from frappe.tests.utils import FrappeTestCase


class TestTownshipReferral(FrappeTestCase):
	pass
