"""Code that changes Frappe's own behaviour, wired in hooks.py.

Each module opens with the Frappe v15 behaviour it replaces (the Frappe function and file), why, and
how to re-check it after a Frappe upgrade. After upgrading Frappe, run at least:

	scripts/test tests/test_permissions.py tests/test_rest_permissions.py tests/test_concurrency.py \\
		tests/test_database_outage.py

and compare each replaced function with its new version (`git -C apps/frappe diff <old>..<new> -- <file>`).
"""
