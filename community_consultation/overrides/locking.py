"""Row locks and series counters for many clerks saving at once, without deadlocks.

MariaDB runs Frappe's transactions at REPEATABLE READ: a plain read sees the snapshot taken at the
transaction's first read. A call that waits for a row lock (`lock_row`: the second of two double-clicks)
and then looks for what the first call created does not see it, unless the look-up is a locking read,
which locks the *gap* after the last row it finds, where every newer document's rows are inserted (see
`overrides/row_locking.py`). `existing_record` also asks a connection of its own, which reads what is
committed now without locking anything; and `ensure_series_row` creates a missing series counter on such
a connection, committed at once. Neither commits the caller's transaction, so its savepoints and
uncommitted work stay as they are.
"""

from contextlib import contextmanager

import frappe


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
