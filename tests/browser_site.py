"""A served copy of the test site for the checks that run in Debian's Chromium (axe-core, the desk's
language): `bench serve` on a free port of its own, on committed records made for the walks and deleted
after them, and the node runner tests/a11y/check.mjs (playwright-core and @axe-core/playwright from
tests/a11y/package.json, installed by scripts/test).

Each browser module walks its own world (`run_walk`); in a parallel run the two modules walk at once,
in two workers."""

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from urllib.request import urlopen

import frappe
from frappe.utils import add_days, now_datetime
from frappe.utils.password import update_password

from community_consultation.tests.shared import committed_records

A11Y = Path(__file__).parent / "a11y"
PASSWORD = "Browser@2026"


def chromium_ready() -> str | None:
	"""Why the browser checks cannot run here, or None."""
	if not Path(os.environ.get("CHROMIUM", "/usr/bin/chromium")).exists():
		return "Debian's chromium is not installed (scripts/test installs it)"
	if not (A11Y / "node_modules" / "@axe-core" / "playwright").exists():
		return "tests/a11y/node_modules is missing (scripts/test runs npm ci there)"
	return None


def free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


def build_world() -> frappe._dict:
	"""Units, residents' proposals, a public outcome with progress, an announced session, a concluded
	representatives' meeting, one record of each township-and-village DocType, and one user of each unit
	role (simplified Chinese, password PASSWORD)."""
	from community_consultation.tests.factory import (
		make_outcome,
		make_people,
		make_session,
		make_topic,
		make_unit_tree,
		session_values,
	)
	from community_consultation.tests.meetings import make_basis, make_meeting, representatives
	from community_consultation.tests.township_factory import make_township_records
	from community_consultation.tests.users import make_user

	units = make_unit_tree("浏览")
	frappe.db.set_value("Community Unit", units.village_a, "bulletin_board", "村委会门口公开栏")
	people = make_people(units.village_a)
	outcome = make_outcome(
		make_session(make_topic(units.village_a, stakeholders=people, title="修缮村道路灯"), people),
		progress=[{"percent_complete": 40, "note": "已更换十盏路灯"}],
	)
	session = frappe.get_doc(
		session_values(
			make_topic(units.village_a, stakeholders=people, title="村口停车场规划"),
			people,
			starts_on=add_days(now_datetime(), 5).replace(hour=19, minute=30, second=0, microsecond=0),
			notice_published_on=now_datetime(),
			venue="甲村党群服务中心",
		)
	).insert()
	basis = make_basis(units.village_a, adults=120, households=40, representatives=5)
	meeting = make_meeting(
		units.village_a,
		"Villagers' Representatives' Meeting",
		[make_topic(units.village_a, stakeholders=people, title="村集体鱼塘承包方案")],
		votes=(4, 1, 0),
		title="村民代表会议",
		attendance=representatives(basis),
	)
	township_records = make_township_records(units, people)
	group_people = make_people(units.building, prefix="组员")
	building_topic = make_topic(units.building, stakeholders=group_people, title="楼道堆放杂物清理")
	building_session = make_session(building_topic, group_people, conclude=False)
	# (user, first name, roles, units) of each role
	accounts = {
		"resident": ("browser-resident", "陈秀英", ["Resident"], []),
		"clerk": ("browser-clerk", "甲村文书", ["Committee Clerk"], [units.village_a]),
		"secretary": ("browser-secretary", "甲村书记", ["Community Secretary"], [units.village_a]),
		"building_head": ("browser-group", "一组组长", ["Building Head"], [units.building]),
		"township": ("browser-township", "镇干部", ["Township Officer"], [units.township]),
	}
	users = frappe._dict(
		{
			key: make_user(f"{user}@example.com", roles, in_units, first_name=first_name, language="zh")
			for key, (user, first_name, roles, in_units) in accounts.items()
		}
	)
	for user in users.values():
		update_password(user, PASSWORD)
	resident_stakeholder = people[1]
	frappe.db.set_value("Stakeholder", resident_stakeholder, "user", users.resident)
	proposal = make_topic(
		units.village_a, accepted=False, title="小区路灯不亮", source_channel="Online Submission"
	)
	proposal.db_set("owner", users.resident)
	return frappe._dict(
		units=units,
		outcome=outcome,
		session=session,
		users=users,
		proposal=proposal,
		building_topic=building_topic,
		building_session=building_session,
		meeting=meeting,
		basis=basis,
		**township_records,
	)


class ServedSite:
	"""`bench serve` for the test site on a free port, until stop()."""

	def __init__(self):
		self.port = free_port()
		self.base = f"http://127.0.0.1:{self.port}"
		bench = Path(frappe.utils.get_bench_path())
		self.log = open(bench / "logs" / f"browser-tests-{self.port}.log", "w")
		self.process = subprocess.Popen(
			[
				sys.executable,
				*("-m", "frappe.utils.bench_helper", "frappe", "--site", frappe.local.site),
				*("serve", "--port", str(self.port), "--noreload"),
			],
			cwd=bench / "sites",
			stdout=self.log,
			stderr=subprocess.STDOUT,
		)
		deadline = time.time() + 90
		while time.time() < deadline:
			try:
				with urlopen(self.base + "/api/method/ping", timeout=5) as response:
					if response.status == 200:
						return
			except OSError:
				time.sleep(1)
		self.stop()
		raise RuntimeError(f"bench serve did not answer on {self.base}")

	def stop(self):
		if self.process.poll() is None:
			self.process.terminate()
			try:
				self.process.wait(timeout=20)
			except subprocess.TimeoutExpired:
				self.process.kill()
		self.log.close()


def run_browser(job: dict) -> list[dict]:
	"""Run tests/a11y/check.mjs on `job` and return its report."""
	result = subprocess.run(
		["node", str(A11Y / "check.mjs")],
		input=json.dumps(job),
		capture_output=True,
		text=True,
		cwd=A11Y,
		timeout=900,
	)
	if result.returncode != 0:
		raise RuntimeError(f"the browser checks failed: {result.stderr[-3000:]}")
	return json.loads(result.stdout)


@contextmanager
def served_world():
	"""(world, site): the records committed and the site served for the block, both gone after it."""
	with committed_records():
		# the desk sends users of a site whose setup is not complete to the setup wizard; the site's
		# language is 简体中文, as a township's is
		setup_complete = frappe.db.get_single_value("System Settings", "setup_complete")
		language = frappe.db.get_single_value("System Settings", "language")
		site = None
		try:
			frappe.db.set_single_value("System Settings", {"setup_complete": 1, "language": "zh"})
			world = build_world()
			frappe.db.commit()
			frappe.clear_cache()
			site = ServedSite()
			yield world, site
		finally:
			if site:
				site.stop()
			frappe.db.rollback()
			frappe.db.set_single_value(
				"System Settings", {"setup_complete": setup_complete or 0, "language": language}
			)
			frappe.db.commit()


def run_walk(job: Callable, facts: Callable | None = None) -> frappe._dict:
	"""A walk of Chromium over a served world: `job(world, base)` gives check.mjs its job; `facts(world)`,
	if given, reads what the walk left in the database before the world's records are removed again.
	Returns world, job, report (check.mjs's) and facts; the reports are data, the records are gone."""
	with served_world() as (world, site):
		done = frappe._dict(world=world, job=job(world, site.base))
		done.report = run_browser(done.job)
		done.facts = facts(world) if facts else None
	return done
