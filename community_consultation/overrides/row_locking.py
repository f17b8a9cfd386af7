"""Row locks and series counters for many clerks saving at once, without deadlocks.

1. Saving a document without locking index gaps: `RowLocking`, a controller mixin replacing two methods
of Frappe v15's `Document` (frappe/model/document.py).

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
its children without locks; `RowLocking.update_child_table` deletes removed child rows by primary key,
and writes only the rows that changed since the save loaded the document (Frappe's writes every row: a
save of a meeting with 400 attendance rows was 400 UPDATEs, whatever changed). The rows it reads are also what
refuses a row of another record given by name (`child_rows.refuse_foreign_rows`): `BaseDocument.db_update`
updates a row by name alone, so such a row would be moved into this record. Every app DocType with child
tables has the mixin.
The document's row lock is what serialises two saves of the same document.

After a Frappe upgrade: compare `Document.load_from_db` and `Document.update_child_table` with the
methods here (a new step Frappe added, such as another flag or a virtual-table case, must be kept), and
run `scripts/test tests/test_concurrency.py`
(`test_two_clerks_saving_the_newest_outcomes_at_once_do_not_deadlock`,
`test_later_save_of_same_session_is_refused_and_nothing_lost`).

2. Locks and look-ups of the app's own. A plain read at REPEATABLE READ sees the snapshot taken at the
transaction's first read. A call that waits for a row lock (`lock_row`: the second of two double-clicks)
and then looks for what the first call created does not see it, unless the look-up is a locking read,
which locks the gap of 1. `existing_record` asks a connection of its own instead, which reads what is
committed now without locking anything; and `ensure_series_row` creates a missing series counter on such
a connection, committed at once. Neither commits the caller's transaction, so its savepoints and
uncommitted work stay as they are.
"""

from contextlib import contextmanager

import frappe

from community_consultation.procedure.child_rows import refuse_foreign_rows


class RowLocking:
	"""Controller mixin: save without locking index gaps (see the module's docstring).

	Put it before `Document`, as `controller.ProcedureDocument` does; every app DocType with child tables
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
		# a row as it was when the save loaded the document, and unchanged since, is not written again:
		# ticking one attendance row of a meeting of 400 writes that row, not 400 (one query, not n)
		before = self.get_doc_before_save()
		unchanged = {}
		if before and not self.is_new():
			unchanged = {r.name: _row_state(r) for r in before.get(df.fieldname) or []}
		for row in rows:
			if row.name in unchanged and unchanged[row.name] == _row_state(row):
				continue
			row.db_update()


def _row_state(row) -> dict:
	"""A child row's stored values but its timestamp (each save stamps every row with its own)."""
	values = row.get_valid_dict(convert_dates_to_str=True, ignore_nulls=True)
	for key in ("modified", "modified_by"):
		values.pop(key, None)
	return values


def lock_row(doctype: str, name: str) -> None:
	"""Lock the row `name` of `doctype` by primary key (that row only, no gap) until this transaction
	ends: a second, simultaneous call waits here until the first has committed."""
	frappe.db.sql(f"select name from `tab{doctype}` where name = %s for update", (name,))


@contextmanager
def own_connection(lock_wait_timeout: int = 5):
	"""A cursor on a second connection to the site's database, in autocommit: it reads what is committed
	now, whatever this transaction's snapshot, and what it writes is committed at once, apart from this
	transaction. It gives up waiting for a lock after `lock_wait_timeout` seconds (this transaction may
	hold the lock it would wait for)."""
	conn = frappe.db.get_connection()
	try:
		conn.autocommit(True)
		with conn.cursor() as cursor:
			cursor.execute(f"set session innodb_lock_wait_timeout = {int(lock_wait_timeout)}")
			yield cursor
	finally:
		conn.close()


def existing_record(doctype: str, filters: dict, exclude: str | None = None, committed: bool = True):
	"""The name of a record of `doctype` whose fields equal `filters`, not cancelled and not `exclude`,
	as this transaction sees it or, with `committed`, as committed by anyone now. After `lock_row`, it
	finds what a simultaneous call created before it released the lock (see the module's docstring)."""
	visible = frappe.db.get_value(
		doctype, {**filters, "docstatus": ("<", 2), "name": ("!=", exclude or "")}, "name"
	)
	if visible or not committed:
		return visible
	where = " and ".join(f"`{field}` = %s" for field in filters)
	with own_connection() as cursor:
		cursor.execute(
			f"select name from `tab{doctype}` where {where} and docstatus < 2 and name != %s limit 1",
			(*filters.values(), exclude or ""),
		)
		row = cursor.fetchone()
	return row[0] if row else None


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
	"""before_insert: create the counter of `doc`'s naming series when it does not exist yet.

	The first document of a series (every year's first topic, session or outcome: `SES-2027-`) is
	numbered by a counter row that does not exist yet. Frappe looks for it with a locking read, which
	locks the gap where the row would go, then inserts it: two clerks saving the year's first sessions
	at the same moment each hold that gap and wait for each other's insert, and one is killed as a
	deadlock. Created here first, committed on a connection of its own, the row exists before either
	looks for it, and their locking reads queue on the row instead."""
	key = series_key(doc)
	if not key or frappe.db.sql("select 1 from `tabSeries` where name = %s", key):
		return
	try:
		with own_connection() as cursor:
			# a second caller inserting the same row waits for this one, then ignores the duplicate
			cursor.execute("insert ignore into `tabSeries` (`name`, `current`) values (%s, 0)", (key,))
	except Exception:
		# the counter could not be made apart (a lock this transaction holds): Frappe makes it as usual
		frappe.logger().warning(f"could not create the series counter {key} ahead", exc_info=True)
