"""Creating a county's staff accounts in one import (units/staff.py), where Frappe expects one sign-up at a time.

Two Frappe v15 behaviours are changed, only inside `bulk_user_creation(count)` (the staff import's
transaction), and restored when it ends:

1. The new-user throttle (`frappe.core.doctype.user.user.throttle_user_creation`, in `User.before_insert`):
   more than `throttle_user_limit` users (site config, default 60) made in the last minute are refused,
   against floods of sign-ups. An administrator's import makes a thousand knowingly: the limit is raised
   by the import's size for the import alone.
2. `User.validate` calls `ask_pass_update()`, which rewrites the system default `email_user_password`
   (the users whose e-mail account awaits a password); every write of a `__default` default clears the
   whole site cache (`frappe.defaults._clear_cache`), so each new user reloaded every DocType's metadata
   from the database (measured: most of an imported account's time). Inside the block the call is
   skipped and made once at the end, which writes the same value: the accounts an import makes have no
   e-mail account awaiting a password.

After a Frappe upgrade: check that `User.before_insert` still calls `throttle_user_creation` reading
`frappe.local.conf.throttle_user_limit`, and `User.validate` the module-level `ask_pass_update`
(`grep -n "ask_pass_update\\|throttle_user" frappe/core/doctype/user/user.py`); then run
`scripts/test tests/test_staff_import.py`.
"""

from contextlib import contextmanager

import frappe


@contextmanager
def bulk_user_creation(count: int):
	import frappe.core.doctype.user.user as user_module

	conf = frappe.local.conf
	limit = conf.get("throttle_user_limit")
	ask_pass_update = user_module.ask_pass_update
	conf["throttle_user_limit"] = (limit or 60) + count
	user_module.ask_pass_update = lambda: None
	try:
		yield
		ask_pass_update()
	finally:
		user_module.ask_pass_update = ask_pass_update
		if limit is None:
			conf.pop("throttle_user_limit", None)
		else:
			conf["throttle_user_limit"] = limit
