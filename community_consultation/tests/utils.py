import frappe
from frappe.tests.utils import FrappeTestCase


class ProcedureTestCase(FrappeTestCase):
	"""Each test starts from a clean transaction and leaves nothing behind."""

	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.db.begin()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def assertRefused(self, fn, *args, error: type[Exception] = frappe.ValidationError, **kwargs):
		"""`fn` is refused by the rule whose exception is `error` (a ValidationError by default)."""
		with self.assertRaises(error) as ctx:
			fn(*args, **kwargs)
		return ctx.exception
