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

	def assertRefused(self, fn, *args, text: str | None = None, **kwargs):
		"""`fn` raises a ValidationError (optionally with `text` in its message) and writes nothing."""
		with self.assertRaises(frappe.ValidationError) as ctx:
			fn(*args, **kwargs)
		if text:
			self.assertIn(text, str(ctx.exception))
		return ctx.exception
