"""Row locking that keeps many clerks saving at once free of deadlocks (issue 7).

MariaDB runs Frappe's transactions at REPEATABLE READ. Two consequences matter when twenty clerks save
at the same moment:

1. A locking read or a `DELETE` over a range of a secondary index also locks the *gap* after the last row
   it finds. The documents of a naming series are numbered in order, so the gap after the newest
   document's rows reaches the end of the index, which is exactly where the rows of every newer
   document are inserted. Frappe locks a document's child rows through their `parent` index when it
   loads the document to save it (`get_doc(..., for_update=True)`, in `check_if_latest` and in
   `PUT /api/resource`), and deletes removed rows with `DELETE … WHERE parent = %s AND name NOT IN (…)`:
   two clerks saving the two newest outcomes (their notices, their progress) each lock that gap, each
   insert into it, and one of them is killed as a deadlock. `RowLocking` locks the document's own row
   by primary key (that row only), reads the children without locks, and deletes removed child rows by
   primary key. The document's row lock is what serialises two saves of the same document.
2. A plain read sees the snapshot taken at the transaction's first read. A call that waits for a row
   lock (the second of two double-clicks) and then looks for what the first call created does not see
   it, unless the look-up is a locking read, which takes a gap lock again (1.).
   `lock_for_idempotent_create` ends the transaction when it has written nothing yet, so that the
   look-up after the lock sees everything committed meanwhile without locking any gap.
"""

import frappe


class RowLocking:
	"""Controller mixin: save without locking index gaps (see the module's docstring).

	Put it before `Document`: `class ConsultationOutcome(RowLocking, Document)`."""

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
		removed = [name for name in stored if name not in kept]
		if removed:
			frappe.db.sql(f"delete from `tab{df.options}` where name in %s", (removed,))
		for row in rows:
			row.db_update()


def lock_for_idempotent_create(doctype: str, name: str) -> bool:
	"""Lock the row `name` of `doctype`, so that a second, simultaneous call waits here for the first to
	commit, and make the reads that follow see what the first call created.

	Returns True when plain reads after the lock see every commit made before it was granted (the
	transaction had written nothing, so it was ended first and the next read takes a new snapshot);
	False when the transaction had already written and could not be ended: the caller's look-up must
	then be a locking read (`for_update=True`) to see the other call's record."""
	fresh = not frappe.db.transaction_writes
	if fresh:
		# nothing written yet: committing only ends the snapshot taken by the reads so far
		frappe.db.commit()
	# the first statement after the commit: a locking read, which takes no snapshot of its own
	frappe.db.sql(f"select name from `tab{doctype}` where name = %s for update", (name,))
	return fresh


def series_key(doc) -> str | None:
	"""The `tabSeries` row that will number `doc` (e.g. `SES-2026-`), or None when its name is not
	numbered by a series."""
	from frappe.model.naming import BRACED_PARAMS_WORD_PATTERN, parse_naming_series

	autoname = doc.meta.autoname or ""
	key = None

	def remember_key(partial: str, digits: int) -> str:
		nonlocal key
		key = partial
		return "#" * digits

	try:
		if autoname.startswith("naming_series:"):
			series = (
				doc.get("naming_series") or (doc.meta.get_field("naming_series").options or "").split("\n")[0]
			)
			if "#" not in series:
				series += ".#####"
			parse_naming_series(series, doc=doc, number_generator=remember_key)
		elif autoname.startswith("format:") and "{#" in autoname:
			pattern = BRACED_PARAMS_WORD_PATTERN.sub(
				lambda m: parse_naming_series([m.group()[1:-1]], doc=doc), autoname.split(":", 1)[1]
			)
			key = pattern[: pattern.find("{#")]
	except Exception:
		# a series that cannot be read ahead (a field not filled in yet): Frappe numbers it as usual
		return None
	return key or None


def ensure_series_row(doc, method=None) -> None:
	"""before_insert: create the counter of `doc`'s naming series, committed, when it does not exist yet.

	The first document of a series (every year's first topic, session or outcome: `SES-2027-`) is
	numbered by a counter row that does not exist yet. Frappe looks for it with a locking read, which
	locks the gap where the row would go, then inserts it: two clerks saving the year's first sessions
	at the same moment each hold that gap and wait for each other's insert, and one is killed as a
	deadlock. Created here first, in a transaction of its own, the row exists before either looks for
	it, and the locking reads queue on the row instead. Only before anything else is written: the
	commit must not take other writes with it (otherwise Frappe creates the row as usual)."""
	if frappe.db.transaction_writes:
		return
	key = series_key(doc)
	if not key or frappe.db.sql("select 1 from `tabSeries` where name = %s", key):
		return
	# a second caller inserting the same row waits for this commit, then ignores the duplicate
	frappe.db.sql("insert ignore into `tabSeries` (`name`, `current`) values (%s, 0)", key)
	frappe.db.commit()
