"""Clerks working at the same moment, for concurrency tests: each clerk is a thread with its own Frappe
context and its own database connection, as two gunicorn workers serving two browsers would be.

Everything a concurrency test reads in a thread must be committed first (`frappe.db.commit()` in the
test), and the test removes what it committed (`purge_units`) in a `finally` block.

	clerks = race(
		load=lambda: frappe.get_doc("Consultation Session", name),
		act=lambda doc: doc.submit(),
		users=[clerk_a, clerk_b],
	)
	assert sum(c.ok for c in clerks) == 1

Each clerk loads its copy (`load`), waits at a barrier until every clerk has loaded, then acts (`act`)
and commits, or rolls back when the act raises; `result` / `error` keep what happened.
"""

import threading
from collections.abc import Callable, Iterable
from typing import Any

import frappe

BARRIER_TIMEOUT = 60
# a clerk waiting longer than this for a row lock fails with a lock-wait timeout instead of hanging
LOCK_WAIT_TIMEOUT = 10


class Clerk(threading.Thread):
	def __init__(
		self,
		user: str,
		load: Callable[[], Any],
		act: Callable[[Any], Any],
		barrier: threading.Barrier,
		site: str,
		sites_path: str,
	):
		super().__init__(name=f"clerk-{user}", daemon=True)
		self.user, self.load, self.act, self.barrier = user, load, act, barrier
		self.site, self.sites_path = site, sites_path
		self.result: Any = None
		self.error: BaseException | None = None
		self.ok = False

	def run(self):
		frappe.init(self.site, sites_path=self.sites_path)
		try:
			frappe.connect()
			frappe.db.sql(f"set session innodb_lock_wait_timeout = {LOCK_WAIT_TIMEOUT}")
			frappe.flags.in_test = True
			frappe.set_user(self.user)
			frappe.local.lang = "en"
			try:
				loaded = self.load()
			except BaseException:
				self.barrier.abort()
				raise
			self.barrier.wait(timeout=BARRIER_TIMEOUT)
			try:
				self.result = self.act(loaded)
				frappe.db.commit()
				self.ok = True
			except Exception as e:
				frappe.db.rollback()
				self.error = e
		except BaseException as e:
			self.error = self.error or e
		finally:
			frappe.destroy()


def race(load: Callable[[], Any], act: Callable[[Any], Any], users: Iterable[str]) -> list[Clerk]:
	"""Let every user load, then act at the same moment, each on their own connection; wait for all."""
	users = list(users)
	barrier = threading.Barrier(len(users))
	site, sites_path = frappe.local.site, frappe.local.sites_path
	clerks = [Clerk(user, load, act, barrier, site, sites_path) for user in users]
	for clerk in clerks:
		clerk.start()
	for clerk in clerks:
		clerk.join(timeout=BARRIER_TIMEOUT * 2)
		if clerk.is_alive():
			raise TimeoutError(f"{clerk.name} did not finish")
	return clerks


# the app's transactional DocTypes, children first: each is removed with its child rows
PURGE_ORDER = (
	"Entrusted Matter Report",
	"Township Assignment",
	"Township Referral",
	"Consultation Inspection",
	"Consultation Plan",
	"Consultation Outcome",
	"Community Meeting",
	"Meeting Basis",
	"Consultation Session",
	"Consultation Topic",
	"Stakeholder",
)


def purge_units(unit_names: Iterable[str], users: Iterable[str] = ()):
	"""Delete, and commit, every topic, session, outcome and stakeholder of `unit_names` with their
	child rows, versions, comments and notifications, then the units (deepest first) and `users`."""
	units = [u for u in unit_names if u]
	frappe.db.rollback()
	frappe.set_user("Administrator")
	if units:
		for doctype in PURGE_ORDER:
			names = frappe.get_all(doctype, filters={"community_unit": ("in", units)}, pluck="name")
			if not names:
				continue
			for table in frappe.get_meta(doctype).get_table_fields():
				frappe.db.delete(table.options, {"parent": ("in", names), "parenttype": doctype})
			frappe.db.delete("Version", {"ref_doctype": doctype, "docname": ("in", names)})
			for log in ("Comment", "Error Log"):
				frappe.db.delete(log, {"reference_doctype": doctype, "reference_name": ("in", names)})
			frappe.db.delete("Notification Log", {"document_type": doctype, "document_name": ("in", names)})
			frappe.db.delete(doctype, {"name": ("in", names)})
		for unit in frappe.get_all(
			"Community Unit", filters={"name": ("in", units)}, order_by="lft desc", pluck="name"
		):
			frappe.delete_doc("Community Unit", unit, ignore_permissions=True, force=True)
	for user in users:
		if frappe.db.exists("User", user):
			frappe.db.delete("User Permission", {"user": user})
			frappe.delete_doc("User", user, ignore_permissions=True, force=True)
	frappe.db.commit()
