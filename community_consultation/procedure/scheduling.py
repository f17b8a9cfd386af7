"""What every scheduled job of the app shares: each record on its own.

A daily job works through many records. One record that fails (a broken template, a gateway error, a
rule that no longer holds for an old record) must stop neither the others nor the next day's run:
`each_on_its_own` runs the job's step for each record in a savepoint, rolls back and logs (Error Log,
with the record) the one that fails, and commits each record's work when it is done, so a notice that
went out is recorded even if a later record fails (inside tests Frappe's test transaction is kept).

The daily jobs that follow the calendar (an outcome's publicity and deadline, an entrusted matter's
report back, an inspection's corrections) ask each open record what today means for it, through the
record's own `follow_the_calendar` method: `follow_the_calendar` below.
"""

from collections.abc import Callable, Iterable

import frappe

SAVEPOINT = "each_on_its_own"


def each_on_its_own(doctype: str, names: Iterable[str], step: Callable, error_title: str) -> int:
	"""Run `step(doc)` for each record of `doctype` named in `names`; return how many succeeded."""
	done = 0
	for name in names:
		frappe.db.savepoint(SAVEPOINT)
		try:
			step(frappe.get_doc(doctype, name))
		except Exception:
			frappe.db.rollback(save_point=SAVEPOINT)
			frappe.log_error(title=error_title, reference_doctype=doctype, reference_name=name)
			continue
		if not frappe.flags.in_test:
			frappe.db.commit()
		done += 1
	return done


def follow_the_calendar(doctype: str, names: Iterable[str], error_title: str, *day) -> int:
	"""A daily job that follows the calendar: `doc.follow_the_calendar(*day)` for each record of `doctype`
	named in `names`, each on its own; return how many succeeded."""
	return each_on_its_own(doctype, names, lambda doc: doc.follow_the_calendar(*day), error_title)
