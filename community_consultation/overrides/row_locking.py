"""Saving a document without locking index gaps: `RowLocking`, a controller mixin replacing two methods
of Frappe v15's `Document` (frappe/model/document.py), so that many clerks saving at once do not
deadlock.

MariaDB runs Frappe's transactions at REPEATABLE READ, where a locking read or a `DELETE` over a range
of a secondary index also locks the *gap* after the last row it finds. The documents of a naming series
are numbered in order, so the gap after the newest document's rows reaches the end of the index, which
is exactly where the rows of every newer document are inserted. Frappe locks a document's child rows
through their `parent` index when it loads the document to save it (`Document.load_from_db` with
`flags.for_update`, as `get_doc(..., for_update=True)` in `Document.check_if_latest` and in
`PUT /api/resource` do), and deletes removed rows with `DELETE … WHERE parent = %s AND name NOT IN (…)`
(`Document.update_child_table`): two clerks saving the two newest outcomes (their notices, their
progress) each lock that gap, each insert into it, and one of them is killed as a deadlock.

`RowLocking.load_from_db` locks the document's own row by primary key (that row only), then reads it and
its children without locks; `RowLocking.update_child_table` deletes removed child rows by primary key. The rows it reads are also what
refuses a row of another record given by name (`child_rows.refuse_foreign_rows`): `BaseDocument.db_update`
updates a row by name alone, so such a row would be moved into this record. Every app DocType with child
tables has the mixin.
The document's row lock is what serialises two saves of the same document.

After a Frappe upgrade: compare `Document.load_from_db` and `Document.update_child_table` with the
methods here (a new step Frappe added, such as another flag or a virtual-table case, must be kept), and
run `scripts/test tests/test_concurrency.py`
(`test_two_clerks_saving_the_newest_outcomes_at_once_do_not_deadlock`,
`test_later_save_of_same_session_is_refused_and_nothing_lost`).
"""

import frappe

from community_consultation.child_rows import refuse_foreign_rows


class RowLocking:
	"""Controller mixin: save without locking index gaps (see the module's docstring).

	Put it before `Document`, as `procedure.ProcedureDocument` does; every app DocType with child tables
	has it."""

	def load_from_db(self):
		"""With `for_update`, lock the document's row only, then read it and its children."""
		if not self.flags.for_update or self.meta.issingle or not isinstance(self.name, str):
			return super().load_from_db()
		# a locking read by primary key: this row's lock, no gap; it sees the row as committed now
		current = frappe.db.get_value(self.doctype, self.name, "modified", for_update=True, order_by=None)
		self.flags.for_update = False
		try:
			super().load_from_db()
		finally:
			self.flags.for_update = True
		if current != self.modified:
			# this transaction's snapshot predates the last commit on the document: read it as committed
			super().load_from_db()
		return self

	def update_child_table(self, fieldname: str, df=None):
		"""Delete the rows removed from a child table by primary key, not by a range of `parent`."""
		df = df or self.meta.get_field(fieldname)
		if df.options in (self.flags.ignore_children_type or ()) or frappe.get_meta(df.options).is_virtual:
			return super().update_child_table(fieldname, df)
		rows = self.get(df.fieldname)
		kept = {row.name for row in rows if row.name and not row.is_new()}
		# the document's own row is locked (check_if_latest): no one else changes its children meanwhile
		stored = frappe.db.sql_list(
			f"select name from `tab{df.options}` where parent = %s and parenttype = %s and parentfield = %s",
			(self.name, self.doctype, fieldname),
		)
		# a row of another record, given by name, would be moved here by `db_update`: refused
		refuse_foreign_rows(self, df.fieldname, set(stored))
		removed = [name for name in stored if name not in kept]
		if removed:
			frappe.db.sql(f"delete from `tab{df.options}` where name in %s", (removed,))
		for row in rows:
			row.db_update()
