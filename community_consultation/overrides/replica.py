"""Reads on a MariaDB replica, with the primary as the fallback when the replica cannot be reached.

What Frappe v15 does (frappe/__init__.py): `frappe.read_only()` wraps a function; when the site config
has `read_from_replica`, it calls `frappe.connect_replica()`, which opens a connection to
`replica_host`:`replica_db_port` (as the site's database user, or `replica_db_name` /
`replica_db_password` with `different_credentials_for_replica`) and swaps `frappe.local.db` for it;
afterwards `read_only` closes it and puts the primary back. Frappe's own read-only endpoints carry it:
`frappe.desk.query_report.run` and `generate_report_result` (reports, prepared reports in the worker),
`frappe.desk.reportview.get`/`get_list`/`get_count`/`export_query`/`get_sidebar_stats`/`get_stats`,
`frappe.desk.desktop` and `frappe.desk.notifications`.

What it replaces, and why:
- `frappe.connect_replica` connects lazily (the first query) and has no fallback: with the replica
  stopped, every read-only endpoint (reports, list views) fails with `OperationalError 2003`. The
  version here connects at once, with a short timeout; when the replica cannot be reached it logs the
  fallback (logger `community_consultation.replica`, `logs/community_consultation.replica.log`), leaves
  the request on the primary and does not try again for `replica_retry_seconds` (10) in that process.
  Why fall back rather than refuse: the replica only takes load off the primary; the primary has every
  record, so a report from it is correct, only slower for the clerks meanwhile.
- `connect_replica` decides "already on the replica" by `hasattr(local, "replica_db")`, which stays
  true after the first read-only call of a request or job: a second call (a prepared report's job, a
  test) silently reads from the primary. Here it is "`local.db` is the replica connection".

`install()` puts the replacement in place (idempotent); it runs before every request and job (hooks
`before_request`, `before_job`) and in `replica_reads`. After a Frappe upgrade, re-check that
`frappe.read_only` still calls the module-level `connect_replica()` and restores `local.primary_db` in
its `finally`, and that `connect_replica`'s signature and the config keys are unchanged.

`replica_reads` is the app's decorator for its own reads (dashboard chart sources, number cards,
public pages, the session calendar, report exports): Frappe's `read_only` with this fallback, and
`frappe.flags.read_only` set meanwhile, as in Frappe's read-only mode, so nothing in there writes
(an Error Log is queued instead of inserted, a chart's `last_synced_on` is not stamped).
"""

import functools
import inspect
import logging
import time

import frappe
import pymysql

REPLICA_RETRY_SECONDS = 10
CONNECT_TIMEOUT_SECONDS = 2

_frappe_connect_replica = frappe.connect_replica
_down_until: dict[str, float] = {}  # site → monotonic time until which the replica is not tried again


def logger():
	log = frappe.logger("community_consultation.replica", allow_site=True, file_count=5)
	# Frappe's loggers keep only errors outside developer mode; a fallback is a warning worth keeping
	log.setLevel(logging.INFO)
	return log


def install():
	"""Put the replacement of `frappe.connect_replica` in place (idempotent)."""
	if frappe.connect_replica is not connect_replica:
		frappe.connect_replica = connect_replica


def on_replica() -> bool:
	"""True while `frappe.db` is the replica's connection."""
	replica = getattr(frappe.local, "replica_db", None)
	return replica is not None and getattr(frappe.local, "db", None) is replica


def connect_replica() -> bool:
	"""Swap `frappe.local.db` for a connection to the replica; False (and the primary kept) when the
	request already reads from the replica or the replica cannot be reached."""
	from frappe.database import get_db

	local, conf = frappe.local, frappe.local.conf
	if on_replica():
		return False
	site = getattr(local, "site", None) or ""
	if _down_until.get(site, 0) > time.monotonic():
		note_fallback("the replica did not answer a moment ago")
		return False

	user, password = conf.db_name, conf.db_password
	if conf.different_credentials_for_replica:
		user, password = conf.replica_db_name, conf.replica_db_password
	replica = get_db(
		socket=None,
		host=conf.replica_host,
		port=conf.replica_db_port,
		user=user,
		password=password,
		cur_db_name=conf.db_name,
	)
	settings = replica.get_connection_settings()
	settings["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
	replica.create_connection = functools.partial(pymysql.connect, **settings)
	try:
		replica.connect()
	except pymysql.err.MySQLError as e:
		_down_until[site] = time.monotonic() + (conf.replica_retry_seconds or REPLICA_RETRY_SECONDS)
		note_fallback(f"cannot connect to {conf.replica_host}:{conf.replica_db_port}: {e}")
		return False
	_down_until.pop(site, None)
	local.replica_db = replica
	local.primary_db = local.db
	local.db = replica
	return True


def note_fallback(reason: str):
	frappe.local.replica_fallbacks = getattr(frappe.local, "replica_fallbacks", 0) + 1
	logger().warning(f"reading from the primary instead of the replica: {reason}")


def on_primary_if_replica_lost(read_only_fn, *args, **kwargs):
	"""Call `read_only_fn` (a function under `frappe.read_only`); when the replica it read from went
	away during the call (stopped, restarted), call it again on the primary."""
	before = getattr(frappe.local, "replica_db", None)
	try:
		return read_only_fn(*args, **kwargs)
	except Exception as e:
		from community_consultation.overrides.database_outage import is_connection_error

		replica = getattr(frappe.local, "replica_db", None)
		if replica is None or replica is before:
			raise
		if on_replica():
			# read_only's `finally` could not close the lost connection ("Already closed")
			frappe.local.db = frappe.local.primary_db
		if not (is_connection_error(e) or (e.__context__ and is_connection_error(e.__context__))):
			raise
		site = getattr(frappe.local, "site", None) or ""
		_down_until[site] = time.monotonic() + (frappe.conf.replica_retry_seconds or REPLICA_RETRY_SECONDS)
		note_fallback(f"the replica went away during the read: {e}")
		return read_only_fn(*args, **kwargs)


def replica_reads(fn):
	"""Run `fn` on the replica when the site reads from one, else (or when it is away) on the primary,
	in read-only mode. For reads that need not see the request's own writes."""
	read_only_fn = frappe.read_only()(fn)

	@functools.wraps(fn)
	def wrapper(*args, **kwargs):
		install()
		previous = frappe.flags.read_only
		frappe.flags.read_only = True
		try:
			return on_primary_if_replica_lost(read_only_fn, *args, **kwargs)
		finally:
			frappe.flags.read_only = previous

	# callers that read the arguments with inspect.getfullargspec (which ignores __wrapped__), such as
	# Frappe's page renderer calling a page's get_context(context), see fn's own
	wrapper.__signature__ = inspect.signature(fn)
	return wrapper
