"""Reads on a real MariaDB replica of the bench's MariaDB (scripts/replica), started by these tests.

The module starts a GTID replica of the test site's database on its own port and data directory
(`scripts/replica start`), points the site at it the way `read_from_replica`, `replica_host` and
`replica_db_port` in site_config.json do, and removes it afterwards. The replica copies only what is
committed, so the records these tests read are committed, and deleted again at the end.

- an officer's annual return is answered by the replica: its query counters rise, those of the
  request's primary connection do not, and the figures are the primary's;
- a clerk's save goes to the primary (no client statement ever writes on the replica) and reaches the
  replica;
- with the replica stopped, reports answer from the primary, and the fallback is logged.
"""

import logging
import os
import shutil
import subprocess
import time
import zlib
from pathlib import Path

import frappe
import pymysql
import pytest
from frappe.utils import getdate, nowdate

from community_consultation.overrides import replica as replica_override
from community_consultation.tests.factory import make_people, make_topic, make_unit_tree
from community_consultation.tests.users import as_user, make_user

REPO = Path(__file__).resolve().parents[1]
REPORT = "Consultation Annual Return Figures"
PREFIX = "复制"


def replica_port() -> int:
	if os.environ.get("TEST_REPLICA_PORT"):
		return int(os.environ["TEST_REPLICA_PORT"])
	# one port per test site, so that two engineers' suites on one machine never share a replica
	return 3400 + zlib.crc32(frappe.local.site.encode()) % 400


def replica_script(*args: str) -> str:
	env = {
		**os.environ,
		"FRAPPE_BENCH": str(Path(frappe.utils.get_bench_path()).resolve()),
		"REPLICA_PORT": str(replica_port()),
		"REPLICA_BUFFER_POOL": "64M",
	}
	done = subprocess.run(
		[str(REPO / "scripts" / "replica"), *args], env=env, capture_output=True, text=True, timeout=300
	)
	if done.returncode:
		raise AssertionError(f"scripts/replica {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
	return done.stdout


def ensure_connection():
	"""Reconnect when the connection went away while the replica was copied."""
	try:
		frappe.db.sql("select 1")
	except Exception:
		frappe.connect()
		frappe.set_user("Administrator")


class Replica:
	def __init__(self, port: int):
		self.port = port
		self.socket = f"/var/lib/community-consultation-replica/{port}/mysqld.sock"

	def connect(self):
		return pymysql.connect(unix_socket=self.socket, user="root", charset="utf8mb4", autocommit=True)

	def query(self, sql: str, *args):
		conn = self.connect()
		try:
			with conn.cursor() as cur:
				cur.execute(sql, args)
				return cur.fetchall()
		finally:
			conn.close()

	def status(self, name: str) -> int:
		return int(self.query("show global status like %s", name)[0][1])

	def user_statistics(self, user: str) -> dict:
		"""What `user` did on the replica (the replica runs with userstat on)."""
		rows = self.query(
			"""select select_commands, update_commands, rows_inserted + rows_updated + rows_deleted
			from information_schema.user_statistics where user = %s""",
			user,
		)
		select, update, written = rows[0] if rows else (0, 0, 0)
		return {"select_commands": int(select), "update_commands": int(update), "rows_written": int(written)}

	def catch_up(self):
		"""Wait until the replica applied everything the primary has committed so far."""
		position = frappe.db.sql("select @@gtid_binlog_pos")[0][0]
		assert self.query("select master_gtid_wait(%s, 30)", position)[0][0] == 0


@pytest.fixture(scope="module")
def replica():
	if os.geteuid() != 0:
		pytest.skip("starting a MariaDB replica needs root (its data directory, mariadbd --user=mysql)")
	missing = [c for c in ("mariadbd", "mariadb-install-db", "mariadb-dump") if not shutil.which(c)]
	if missing:
		pytest.skip(f"MariaDB server binaries missing: {', '.join(missing)}")
	if not frappe.db.sql("select @@log_bin")[0][0]:
		# turning it on restarts MariaDB, which must never happen while tests run (scripts/test does it first)
		pytest.skip(
			"the MariaDB binary log is off: run scripts/replica primary once (scripts/test does, before any test)"
		)
	frappe.db.commit()
	replica_script("start", frappe.local.site)
	ensure_connection()
	yield Replica(replica_port())
	ensure_connection()
	replica_script("remove")


@pytest.fixture(scope="module")
def world(replica):
	"""A county with a township and two villages, their topics, an officer and a clerk: committed, so
	that the replica has them; deleted at the end."""
	units = make_unit_tree(PREFIX)
	people = make_people(units.village_a, 3, "复居民")
	for title in ("复制路灯维修", "复制垃圾清运"):
		make_topic(units.village_a, stakeholders=people, title=title)
	make_topic(units.village_b, stakeholders=make_people(units.village_b, 2, "复乙"), title="复制文化室")
	officer = make_user("replica-township-officer@example.com", ["Township Officer"], [units.township])
	clerk = make_user("replica-clerk@example.com", ["Committee Clerk"], [units.village_a])
	frappe.db.commit()
	replica.catch_up()
	yield frappe._dict(units=units, officer=officer, clerk=clerk, people=people)
	ensure_connection()
	frappe.set_user("Administrator")
	frappe.db.rollback()
	unit_names = list(units.values())
	for topic in frappe.get_all("Consultation Topic", {"community_unit": ("in", unit_names)}, pluck="name"):
		frappe.delete_doc("Consultation Topic", topic, ignore_permissions=True, force=True)
	for name in frappe.get_all("Stakeholder", {"community_unit": ("in", unit_names)}, pluck="name"):
		frappe.delete_doc("Stakeholder", name, ignore_permissions=True, force=True)
	for user in (officer, clerk):
		frappe.delete_doc("User", user, ignore_permissions=True, force=True)
	for unit in (units.building, units.village_a, units.village_b, units.township, units.county):
		frappe.delete_doc("Community Unit", unit, ignore_permissions=True, force=True)
	frappe.db.commit()


@pytest.fixture
def reading_from_replica(replica):
	"""The site's config as `scripts/replica attach` writes it."""
	conf = frappe.local.conf
	saved = {k: conf.get(k) for k in ("read_from_replica", "replica_host", "replica_db_port")}
	conf.update(read_from_replica=1, replica_host="127.0.0.1", replica_db_port=replica.port)
	replica_override._down_until.clear()
	try:
		yield replica
	finally:
		conf.update(saved)
		replica_override._down_until.clear()


def run_return(**filters):
	"""The desk's call: `/api/method/frappe.desk.query_report.run` (the app's override applies)."""
	import frappe.handler
	from test_permissions import request

	with request(
		"GET",
		cmd="frappe.desk.query_report.run",
		report_name=REPORT,
		filters=frappe.as_json({"year": str(getdate(nowdate()).year), **filters}),
	):
		return frappe.handler.execute_cmd("frappe.desk.query_report.run")


def primary_selects() -> int:
	"""Com_select of this request's own connection to the primary."""
	return int(frappe.db.sql("show session status like 'Com_select'")[0][1])


def figures(result: dict) -> list[tuple]:
	return [(r.get("unit"), r.get("topics"), r.get("sessions")) for r in result["result"]]


def test_officer_return_is_answered_by_the_replica(world, reading_from_replica):
	replica = reading_from_replica
	with as_user(world.officer):
		frappe.local.conf.read_from_replica = 0
		on_primary = run_return()
		frappe.local.conf.read_from_replica = 1
		replica_before, primary_before = replica.status("Com_select"), primary_selects()
		on_replica = run_return()
		replica_after, primary_after = replica.status("Com_select"), primary_selects()
	assert replica_after > replica_before
	assert replica.user_statistics(frappe.local.conf.db_name)["select_commands"] > 0
	assert primary_after == primary_before
	assert figures(on_replica) == figures(on_primary)
	assert on_replica["result"][0]["topics"] == 3
	assert not replica_override.on_replica()


def test_clerk_save_goes_to_the_primary_and_reaches_the_replica(world, reading_from_replica):
	replica = reading_from_replica
	site_user = frappe.local.conf.db_name
	before = replica.user_statistics(site_user)
	with as_user(world.clerk):
		topic = make_topic(world.units.village_a, stakeholders=world.people, title="复制新议题").name
		frappe.db.commit()
		# a read in the request after its own write: never sent to the replica
		assert frappe.db.get_value("Consultation Topic", topic, "title") == "复制新议题"
	after = replica.user_statistics(site_user)
	# nothing the app sent wrote on the replica (the site's account there may only SELECT anyway)
	assert after["rows_written"] == before["rows_written"] == 0
	assert after["update_commands"] == before["update_commands"] == 0
	replica.catch_up()
	assert replica.query(
		f"select title from `{site_user}`.`tabConsultation Topic` where name = %s", topic
	) == (("复制新议题",),)
	with as_user(world.officer):
		assert run_return()["result"][0]["topics"] == 4
	assert replica.user_statistics(site_user)["select_commands"] > after["select_commands"]


def call(cmd: str, http_method: str = "GET", **form):
	import frappe.handler
	from test_permissions import request

	with request(http_method, cmd=cmd, **form):
		result = frappe.handler.execute_cmd(cmd)
		return result if result is not None else frappe.local.response.get("filecontent")


def test_dashboards_calendar_public_pages_and_exports_read_from_the_replica(world, reading_from_replica):
	"""Deliverable of docs/deployment.md's "What reads where": each of these reads on the replica only."""
	from community_consultation.www.consultation import index as public_index

	replica = reading_from_replica
	site_user = frappe.local.conf.db_name
	card = frappe.get_all(
		"Number Card",
		filters={"name": "Open Topics"},
		fields=["name", "document_type", "filters_json", "function", "aggregate_function_based_on"],
	)[0]
	year = str(getdate(nowdate()).year)
	reads = {
		"dashboard chart source": lambda: call(
			"community_consultation.community_consultation.dashboard_chart_source.outcomes_by_status"
			".outcomes_by_status.get"
		),
		"number card": lambda: call(
			"frappe.desk.doctype.number_card.number_card.get_result",
			doc=frappe.as_json(card),
			filters=card.filters_json,
		),
		"session calendar": lambda: call(
			"community_consultation.portal.session_calendar.get_events",
			start=f"{year}-01-01",
			end=f"{year}-12-31",
		),
		"public outcome pages": lambda: public_index.get_context(frappe._dict()),
		"report export": lambda: call(
			"frappe.desk.query_report.export_query",
			"POST",
			report_name=REPORT,
			file_format_type="CSV",
			filters=frappe.as_json({"year": year}),
			visible_idx="[]",
		),
	}
	with as_user(world.officer):
		for what, read in reads.items():
			selects, primary = replica.user_statistics(site_user)["select_commands"], primary_selects()
			answer = read()
			assert answer is not None, what
			assert replica.user_statistics(site_user)["select_commands"] > selects, what
			assert primary_selects() == primary, what
			assert not replica_override.on_replica(), what


def test_replica_stopped_reports_answer_from_the_primary_and_the_fallback_is_logged(
	world, reading_from_replica
):
	class Capture(logging.Handler):
		def __init__(self):
			super().__init__()
			self.messages = []

		def emit(self, record):
			self.messages.append(record.getMessage())

	capture = Capture()
	logger = replica_override.logger()
	logger.addHandler(capture)
	try:
		replica_script("stop")
		with as_user(world.officer):
			started = time.monotonic()
			result = run_return()
			elapsed = time.monotonic() - started
			frappe.local.conf.read_from_replica = 0
			expected = run_return()
	finally:
		logger.removeHandler(capture)
	assert figures(result) == figures(expected)
	assert any("reading from the primary instead of the replica" in m for m in capture.messages)
	assert elapsed < replica_override.CONNECT_TIMEOUT_SECONDS + 5
	assert not replica_override.on_replica()
