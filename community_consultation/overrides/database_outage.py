"""MariaDB away while clerks work: every request fails with a clear, translated message saying that
nothing was saved, and the app works again by itself as soon as MariaDB answers (each request connects
afresh; no worker needs a restart).

What Frappe v15 does instead (`application` in frappe/app.py): a request that fails on a lost or
refused connection is answered by `handle_exception` with a traceback naming `pymysql`; a request that
changes data (POST, PUT, DELETE) does not even get that far: the `finally` block of `application` rolls
back (`frappe.db.rollback()`) on the dead connection, that rollback raises outside Frappe's error
handling, and the server answers a bare "500 Internal Server Error" that the desk cannot show.

- `refuse_while_database_unavailable` (a `before_request` hook) connects at the start of the request;
  when MariaDB cannot be reached, the request stops there with HTTP 503 and the message, before
  anything runs (Frappe answers a werkzeug `HTTPException` with itself).
- `keep_rollback_safe` (called by that hook) wraps this request's `frappe.db.rollback` so that the
  rollback of `application`'s `finally` block survives a lost connection: MariaDB discards the
  transaction of a connection it lost, so there is nothing left to roll back, and the request is marked
  as failed by the outage.
- `explain_database_outage` (an `after_request` hook) turns the server error of a request whose
  connection was lost while it ran into the same 503 and message.

After a Frappe upgrade: read `application` in frappe/app.py (where `before_request` hooks run, that an
`HTTPException` is still returned as it is, and what the `finally` block does on a dead connection) and
`frappe.database.mariadb.database.MariaDBConnectionUtil` / `Database.connect` (the connection errors
listed in `CONNECTION_ERRORS`), then run `scripts/test tests/test_database_outage.py`, which refuses and drops
the database connections of real requests through a relay of its own.
"""

import json
from html import escape

import frappe
import pymysql
from frappe import _
from pymysql.constants import CR, ER
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

# what MariaDB and the client library answer when the server is stopped, restarting or unreachable
CONNECTION_ERRORS = frozenset(
	{
		CR.CR_CONNECTION_ERROR,  # 2002: local socket refused
		CR.CR_CONN_HOST_ERROR,  # 2003: cannot connect to the host
		CR.CR_SERVER_GONE_ERROR,  # 2006: server has gone away
		CR.CR_SERVER_LOST,  # 2013: lost connection during a query
		ER.SERVER_SHUTDOWN,  # 1053: server shutdown in progress
		ER.CON_COUNT_ERROR,  # 1040: too many connections
		1927,  # ER_CONNECTION_KILLED: the connection was killed (server shutting down)
	}
)
RETRY_AFTER_SECONDS = 30
OUTAGE_EXCEPTION = "DatabaseUnavailable"


def is_connection_error(error: BaseException) -> bool:
	"""True for an error that means the database server cannot be reached, not a failed statement."""
	if isinstance(error, pymysql.err.InterfaceError):
		# the client library's "the connection is closed"
		return True
	return (
		isinstance(error, pymysql.err.OperationalError | pymysql.err.InternalError)
		and bool(error.args)
		and error.args[0] in CONNECTION_ERRORS
	)


class DatabaseUnavailable(HTTPException):
	"""Returned as the response as it is (Frappe answers a werkzeug HTTPException with itself)."""

	code = 503


def outage_language() -> str:
	"""The language of the outage message: the user's, when the request's session names them; else the
	one the browser asks for; else the site's. (A request authenticated by an API key is identified only
	after the app's before_request hook, so until then Frappe's language is its default, English.)
	Read from the cache, as MariaDB is away; English when even that fails."""
	from frappe.translate import get_all_translations, get_parent_language, get_user_lang

	try:
		user = frappe.session.user
		if user and user != "Guest":
			return get_user_lang(user)
		for lang in frappe.request.accept_languages.values():
			for candidate in (lang, get_parent_language(lang)):
				# a language the apps have translations for (read from their files, not the database)
				if candidate and (candidate == "en" or get_all_translations(candidate)):
					return candidate
		return frappe.db.get_default("lang") or "en"
	except Exception:
		return frappe.local.lang or "en"


def outage_message(lang: str, reading: bool = False) -> tuple[str, str]:
	"""Title and message in `lang`; `reading`: a page being loaded, where nothing was being saved."""
	if reading:
		message = _(
			"The database server cannot be reached at the moment. This page tries again by itself in half a minute.",
			lang=lang,
		)
	else:
		message = _(
			"The database server cannot be reached at the moment, so nothing was saved. Please try again in a minute: your entries are still in the form.",
			lang=lang,
		)
	return _("Database unavailable", lang=lang), message


def wants_json(request) -> bool:
	"""The same choice Frappe's error handler makes (frappe.app.handle_exception)."""
	accept = request.headers.get("Accept") or ""
	return bool(
		(accept and (frappe.local.is_ajax or "application/json" in accept))
		or (request.path.startswith("/api/") and not accept.startswith("text"))
	)


def outage_body(request) -> tuple[str, str]:
	"""The body of the 503 answer and its content type: JSON for the desk and REST clients (the desk
	shows `_server_messages` as a message dialog), a plain page for a browser."""
	lang = outage_language()
	if wants_json(request):
		title, message = outage_message(lang)
		body = {"exc_type": OUTAGE_EXCEPTION}
		if request.path.startswith("/api/v2/"):
			body["errors"] = [{"type": OUTAGE_EXCEPTION, "message": message, "title": title}]
		else:
			body["_server_messages"] = json.dumps(
				[json.dumps({"message": message, "title": title, "indicator": "red"})]
			)
		return json.dumps(body, ensure_ascii=False), "application/json"
	reading = request.method in ("GET", "HEAD")
	title, message = outage_message(lang, reading=reading)
	try_again = _("Try again", lang=lang)
	page = (
		f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
		f'<meta name="viewport" content="width=device-width, initial-scale=1">'
		+ (f'<meta http-equiv="refresh" content="{RETRY_AFTER_SECONDS}">' if reading else "")
		+ f"<title>{escape(title)}</title></head>"
		'<body style="font-family: sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">'
		f"<h1>{escape(title)}</h1><p>{escape(message)}</p>"
		f'<p><a href="">{escape(try_again)}</a></p></body></html>'
	)
	return page, "text/html"


def answer_as_outage(response: Response, request) -> Response:
	body, content_type = outage_body(request)
	response.set_data(body.encode())
	response.status_code = DatabaseUnavailable.code
	response.headers["Content-Type"] = f"{content_type}; charset=utf-8"
	response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
	return response


def discard_connection(db) -> None:
	"""Forget a connection the server has dropped, so that nothing later uses or closes it again."""
	try:
		db.close()
	except Exception:
		db._conn = db._cursor = None


def keep_rollback_safe(db) -> None:
	"""Let this request's final rollback survive a lost connection (see the module's docstring)."""
	if getattr(db, "_rollback_kept_safe", False):
		return
	rollback = db.rollback

	def rollback_unless_connection_lost(*args, **kwargs):
		try:
			return rollback(*args, **kwargs)
		except Exception as e:
			if not is_connection_error(e):
				raise
			# the server discarded the transaction with the connection: nothing of it was written
			frappe.local.flags.database_unavailable = True
			discard_connection(db)
			try:
				# undo what the transaction did outside the database (files written meanwhile)
				db.after_rollback.run()
			except Exception:
				frappe.logger().error(
					"after-rollback callbacks failed during a database outage", exc_info=True
				)

	db.rollback = rollback_unless_connection_lost
	db._rollback_kept_safe = True


def refuse_while_database_unavailable() -> None:
	"""before_request: stop the request with 503 and the outage message when MariaDB cannot be reached."""
	db = frappe.local.db
	if not db:
		return
	keep_rollback_safe(db)
	if db._conn:
		return
	try:
		db.connect()
	except Exception as e:
		if not is_connection_error(e):
			raise
		frappe.local.flags.database_unavailable = True
		discard_connection(db)
		raise DatabaseUnavailable(response=answer_as_outage(Response(), frappe.local.request)) from e


def database_reachable() -> bool:
	db = frappe.local.db
	if not db:
		return False
	try:
		if db._conn:
			db._conn.ping(reconnect=False)
		else:
			db.connect()
		return True
	except Exception as e:
		if not is_connection_error(e):
			raise
		discard_connection(db)
		return False


def explain_database_outage(response=None, request=None) -> None:
	"""after_request: a server error caused by losing the database while the request ran gets the
	outage answer instead of a traceback."""
	if response is None or request is None or response.status_code < 500:
		return
	if response.status_code == DatabaseUnavailable.code and response.headers.get("Retry-After"):
		return
	if frappe.local.flags.database_unavailable or not database_reachable():
		answer_as_outage(response, request)
