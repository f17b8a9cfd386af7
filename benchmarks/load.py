"""Load test: 20 clerks of different villages working through the procedure at once, over the REST API.

Each clerk loops, with a short pause between steps as a person at a desk would make, through:
list topics → open a session (create it with 20–50 participants, then load it as the form does) →
save the session (the four steps, the vote, the minutes) → conclude it → file an outcome (start it
from the session, fill it, submit it) → publicise it → add a progress update (one or two) → every
third case, run the yearly return for the village. A township officer runs the yearly return for the
whole township every few seconds besides. Every clerk stops by itself when the time is up (10 minutes
by default, `--duration` in seconds) or when no accepted topic of its village awaits a session
(benchmarks/load_setup.py keeps 100 ready per village; run it again to top them up).

Only a server on this machine is driven (127.0.0.1, localhost or ::1). Prepare the site first with
benchmarks/load_setup.py; run the server with benchmarks/run_load.sh (gunicorn and RQ workers), or:

	/opt/frappe-bench/env/bin/python benchmarks/load.py --url http://127.0.0.1:8040 --duration 120

It prints requests, errors and p50/p95 per operation; `--record benchmarks/RESULTS.md` writes them to
the "Load" section of that file (the other sections are left as they are), `--json FILE` keeps the raw
figures. With `--bench`, it also reads from the site's database how many errors the server logged and
whether InnoDB saw deadlocks or lock-wait timeouts during the run. The exit status is 1 when any request
got a server error (5xx), a deadlock or a lock-wait timeout.
"""

import argparse
import asyncio
import datetime
import ipaddress
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

OPERATIONS = (
	("list_topics", "list topics (GET /api/resource)"),
	("create_session", "open a session: create it with 20–50 participants"),
	("open_session", "open a session: load the form (getdoc)"),
	("save_session", "save the session: four steps, vote, minutes (PUT)"),
	("conclude_session", "conclude the session (frappe.client.submit)"),
	("make_outcome", "start the outcome (make_outcome)"),
	("file_outcome_save", "fill the outcome (PUT)"),
	("file_outcome_submit", "file the outcome (frappe.client.submit)"),
	("publicise_outcome", "record notices and publicity (PUT after submit)"),
	("add_progress", "add a progress update (PUT after submit)"),
	("yearly_return", "yearly return, the clerk's village (query_report.run)"),
	("yearly_return_township", "yearly return, the whole township (query_report.run)"),
)
REPORT = "Consultation Annual Return Figures"
LOCK_ERRORS = re.compile(r"deadlock|lock wait timeout|1205|1213", re.IGNORECASE)
LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


class StepFailed(Exception):
	pass


def parse_args(argv=None):
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--url", default="http://127.0.0.1:8040", help="the local server (loopback only)")
	parser.add_argument("--site", default="load.localhost", help="sent as the Host header")
	parser.add_argument(
		"--plan", help="plan file of load_setup.py (default /tmp/community_consultation-load-<site>.json)"
	)
	parser.add_argument("--duration", type=float, default=600, help="seconds (default 600: 10 minutes)")
	parser.add_argument(
		"--clerks", type=int, default=20, help="concurrent clerks (default 20, at most the plan's)"
	)
	parser.add_argument(
		"--think", type=float, default=0.5, help="mean pause between a clerk's steps, seconds"
	)
	parser.add_argument(
		"--officer-every", type=float, default=10, help="seconds between township returns (0: none)"
	)
	parser.add_argument("--seed", type=int, default=2026)
	parser.add_argument("--record", help="write the figures to the 'Load' section of this Markdown file")
	parser.add_argument("--json", help="write the raw figures to this file")
	parser.add_argument(
		"--bench", help="bench folder: also read the server's error log and InnoDB's counters"
	)
	parser.add_argument("--note", default="", help="a line on how the server was run, for the record")
	args = parser.parse_args(argv)
	check_loopback(args.url)
	return args


def check_loopback(url: str):
	host = urlsplit(url).hostname or ""
	try:
		loopback = ipaddress.ip_address(host).is_loopback
	except ValueError:
		loopback = host in LOOPBACK_NAMES
	if not loopback:
		sys.exit(
			f"refusing to load {host}: only a server on this machine (127.0.0.1, localhost, ::1) is driven"
		)


# ------------------------------------------------------------------------------------ recording


class Recorder:
	def __init__(self):
		self.samples: dict[str, list[float]] = {op: [] for op, _label in OPERATIONS}
		self.statuses: dict[str, dict[str, int]] = {op: {} for op, _label in OPERATIONS}
		self.failures: list[dict] = []
		self.cases = 0
		self.cases_done = 0

	def add(self, op: str, seconds: float, status: str, error: str | None = None):
		self.samples[op].append(seconds)
		self.statuses[op][status] = self.statuses[op].get(status, 0) + 1
		if error:
			self.failures.append({"op": op, "status": status, "error": error[:300], "at": time.time()})

	def summary(self) -> list[dict]:
		rows = []
		for op, label in OPERATIONS:
			times = self.samples[op]
			if not times:
				continue
			statuses = self.statuses[op]
			rows.append(
				{
					"op": op,
					"label": label,
					"requests": len(times),
					"server_errors": sum(n for s, n in statuses.items() if s.startswith("5")),
					"client_errors": sum(n for s, n in statuses.items() if s.startswith("4")),
					"transport_errors": statuses.get("transport", 0),
					"p50_ms": round(percentile(times, 50) * 1000),
					"p95_ms": round(percentile(times, 95) * 1000),
					"max_ms": round(max(times) * 1000),
				}
			)
		return rows

	def lock_errors(self) -> int:
		return sum(1 for f in self.failures if LOCK_ERRORS.search(f["error"]))


def percentile(values: list[float], p: int) -> float:
	if len(values) == 1:
		return values[0]
	return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def error_text(response: httpx.Response) -> str:
	"""The message Frappe gave, in short."""
	try:
		body = response.json()
	except ValueError:
		return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))[:300]
	parts = [body.get("exc_type") or ""]
	for raw in json.loads(body.get("_server_messages") or "[]"):
		try:
			parts.append(json.loads(raw).get("message", ""))
		except (ValueError, AttributeError):
			parts.append(str(raw))
	if body.get("exception"):
		parts.append(body["exception"])
	return re.sub(r"<[^>]+>", "", " | ".join(p for p in parts if p))[:300]


# ------------------------------------------------------------------------------------ the clerk


class Clerk:
	def __init__(self, ctx, account: dict, rng: random.Random):
		self.ctx, self.account, self.rng = ctx, account, rng
		self.unit = account["unit"]
		self.taken: set[str] = set()
		self.out_of_topics = False
		self.client = httpx.AsyncClient(
			base_url=ctx.args.url,
			headers={
				"Host": ctx.args.site,
				"Authorization": f"token {account['api_key']}:{account['api_secret']}",
				"Accept": "application/json",
			},
			timeout=httpx.Timeout(130.0),
		)

	async def call(self, op: str, method: str, path: str, **kw):
		started = time.perf_counter()
		try:
			response = await self.client.request(method, path, **kw)
		except httpx.HTTPError as e:
			self.ctx.recorder.add(op, time.perf_counter() - started, "transport", f"{type(e).__name__}: {e}")
			raise StepFailed(op) from e
		elapsed = time.perf_counter() - started
		if response.status_code >= 400:
			self.ctx.recorder.add(op, elapsed, str(response.status_code), error_text(response))
			raise StepFailed(op)
		self.ctx.recorder.add(op, elapsed, str(response.status_code))
		return response.json()

	async def pause(self):
		if self.ctx.args.think > 0:
			await asyncio.sleep(self.rng.uniform(0, 2 * self.ctx.args.think))

	def time_left(self) -> bool:
		return time.monotonic() < self.ctx.deadline

	async def run(self):
		case = 0
		try:
			while self.time_left() and not self.out_of_topics:
				case += 1
				try:
					await self.work_case(case)
				except StepFailed:
					continue
		finally:
			await self.client.aclose()

	async def step(self, op: str, method: str, path: str, **kw):
		if not self.time_left():
			raise StepFailed("time is up")
		await self.pause()
		return await self.call(op, method, path, **kw)

	async def work_case(self, case: int):
		today = datetime.date.today()
		now = datetime.datetime.now().replace(microsecond=0)
		starts_on = now - datetime.timedelta(days=1)
		notice_on = starts_on - datetime.timedelta(days=5)
		notified_on = starts_on - datetime.timedelta(days=4)

		# the topics the Party organisation accepted and that await their session, oldest first
		listed = await self.step(
			"list_topics",
			"GET",
			"/api/resource/Consultation Topic",
			params={
				"fields": json.dumps(["name", "title", "status", "community_unit", "modified"]),
				"filters": json.dumps([["community_unit", "=", self.unit], ["status", "=", "Accepted"]]),
				"order_by": "creation asc",
				"limit_page_length": 20,
			},
		)
		topic = next((t["name"] for t in listed["data"] if t["name"] not in self.taken), None)
		if not topic:
			self.out_of_topics = True
			return
		self.taken.add(topic)
		self.ctx.recorder.cases += 1

		people = self.rng.sample(self.account["stakeholders"], self.rng.randint(20, 50))
		roles = ["Convener", "Proposer"] + ["Participant"] * (len(people) - 2)
		created = await self.step(
			"create_session",
			"POST",
			"/api/resource/Consultation Session",
			json={
				"topic": topic,
				"consultation_form": "党群联席会议",
				"starts_on": str(starts_on),
				"venue": "村委会议室",
				"organiser": "村党支部、村民委员会",
				"rules_of_procedure": "<p>一人一票，举手表决，过半数为通过。</p>",
				"notice_published_on": str(notice_on),
				"notice_channels": [{"channel": "Bulletin Board"}],
				"participants": [
					{
						"stakeholder": s,
						"participant_role": roles[i],
						"notified_on": str(notified_on),
						"notified_via": "电话",
						"attended": 1,
					}
					for i, s in enumerate(people)
				],
			},
		)
		session = created["data"]["name"]

		await self.step(
			"open_session",
			"GET",
			"/api/method/frappe.desk.form.load.getdoc",
			params={"doctype": "Consultation Session", "name": session},
		)

		saved = await self.step(
			"save_session",
			"PUT",
			f"/api/resource/Consultation Session/{session}",
			json={
				"convener_statement": "议题来源于入户走访，经村党支部审核，按议事规则协商。",
				"proposer_statement": "提出人说明路灯损坏情况及维修建议。",
				"discussion": "与会人员充分发表意见，赞成尽快维修。",
				"vote_method": "Show of Hands",
				"votes_for": len(people),
				"votes_against": 0,
				"votes_abstain": 0,
				"result": "Consensus",
				"consultation_opinion": "同意由村委会组织维修路灯，费用从村集体公益金列支。",
				"minutes": "<p>会议记录：到会人员逐一发言，举手表决，一致同意。</p>",
				"recorder": "村文书",
			},
		)

		await self.step(
			"conclude_session", "POST", "/api/method/frappe.client.submit", json={"doc": saved["data"]}
		)

		made = await self.step(
			"make_outcome",
			"POST",
			"/api/method/run_doc_method",
			json={"dt": "Consultation Session", "dn": session, "method": "make_outcome"},
		)
		outcome = made["message"]

		filled = await self.step(
			"file_outcome_save",
			"PUT",
			f"/api/resource/Consultation Outcome/{outcome}",
			json={
				"decision": "<p>由村委会组织维修路灯，30日内完成。</p>",
				"implementer_type": "Village",
				"implementer": "村民委员会",
				"implementation_deadline": str(today + datetime.timedelta(days=30)),
				"filed_with_party_on": str(today),
				"filed_with_committee_on": str(today),
			},
		)
		filed = await self.step(
			"file_outcome_submit", "POST", "/api/method/frappe.client.submit", json={"doc": filled["data"]}
		)
		filed = filed["message"]

		notified = {n["stakeholder"] for n in filed.get("notices") or [] if n.get("notified_on")}
		notices = list(filed.get("notices") or []) + [
			{"stakeholder": s, "notified_on": str(now), "notified_via": "电话"}
			for s in dict.fromkeys(self.account["stakeholders"][:3] + people)
			if s not in notified
		]
		publicised = await self.step(
			"publicise_outcome",
			"PUT",
			f"/api/resource/Consultation Outcome/{outcome}",
			json={
				"notices": notices,
				"stakeholders_notified_on": str(now),
				"publicity_from": str(today),
				"publicity_to": str(today + datetime.timedelta(days=9)),
			},
		)

		progress = list(publicised["data"].get("progress") or [])
		for percent in self.rng.sample((20, 40, 60), self.rng.randint(1, 2)):
			progress.append(
				{
					"update_on": str(today),
					"percent_complete": percent,
					"note": f"已完成{percent}%，在公开栏公布",
					"published_on": str(today),
				}
			)
			updated = await self.step(
				"add_progress",
				"PUT",
				f"/api/resource/Consultation Outcome/{outcome}",
				json={"progress": progress},
			)
			progress = list(updated["data"].get("progress") or [])

		if case % 3 == 0:
			await self.step(
				"yearly_return",
				"POST",
				"/api/method/frappe.desk.query_report.run",
				json={"report_name": REPORT, "filters": {"year": today.year}, "ignore_prepared_report": True},
			)
		self.ctx.recorder.cases_done += 1


async def township_officer(ctx, account: dict):
	"""The township's officer runs the yearly return of every village, every few seconds."""
	officer = Clerk(ctx, account, random.Random(ctx.args.seed + 1000))
	try:
		while officer.time_left():
			await asyncio.sleep(ctx.args.officer_every)
			if not officer.time_left():
				break
			await township_return(officer)
	finally:
		await officer.client.aclose()


async def township_return(officer: Clerk):
	"""The officer's yearly return of the whole township, live in the request (query_report.run)."""
	try:
		await officer.call(
			"yearly_return_township",
			"POST",
			"/api/method/frappe.desk.query_report.run",
			json={
				"report_name": REPORT,
				"filters": {"year": datetime.date.today().year},
				"ignore_prepared_report": True,
			},
		)
	except StepFailed:
		pass


# ------------------------------------------------------------------------------------ server side


def site_db(bench: str, site: str):
	sys.path.insert(0, str(Path(bench) / "apps" / "frappe"))
	import pymysql

	common = json.loads((Path(bench) / "sites" / "common_site_config.json").read_text())
	conf = {**common, **json.loads((Path(bench) / "sites" / site / "site_config.json").read_text())}
	return pymysql.connect(
		host=conf.get("db_host", "127.0.0.1"),
		port=int(conf.get("db_port", 3306)),
		user=conf.get("db_user", conf["db_name"]),
		password=conf["db_password"],
		database=conf["db_name"],
		charset="utf8mb4",
	)


def server_counters(bench: str, site: str) -> dict:
	conn = site_db(bench, site)
	try:
		with conn.cursor() as cur:
			cur.execute(
				"show global status where Variable_name in ('Innodb_deadlocks', 'Innodb_row_lock_waits', 'Innodb_row_lock_time_max')"
			)
			status = {name: int(value) for name, value in cur.fetchall()}
			cur.execute("select now(6)")
			status["db_now"] = str(cur.fetchone()[0])
		return status
	finally:
		conn.close()


def server_errors_since(bench: str, site: str, since: str) -> list[dict]:
	conn = site_db(bench, site)
	try:
		with conn.cursor() as cur:
			cur.execute(
				"select method, left(error, 4000) from `tabError Log` where creation >= %s order by creation",
				(since,),
			)
			return [
				{
					"title": title,
					"lock": bool(LOCK_ERRORS.search(error or "")),
					"last_line": (error or "").strip().splitlines()[-1:],
				}
				for title, error in cur.fetchall()
			]
	finally:
		conn.close()


def data_volume(bench: str, site: str) -> dict:
	conn = site_db(bench, site)
	try:
		with conn.cursor() as cur:
			volume = {}
			for doctype in (
				"Community Unit",
				"Stakeholder",
				"Consultation Topic",
				"Consultation Session",
				"Consultation Participant",
				"Consultation Outcome",
				"Version",
			):
				cur.execute(f"select count(*) from `tab{doctype}`")
				volume[doctype] = cur.fetchone()[0]
			return volume
	finally:
		conn.close()


# ------------------------------------------------------------------------------------ run


async def run(args) -> dict:
	plan_path = Path(args.plan or f"/tmp/community_consultation-load-{args.site}.json")
	if not plan_path.exists():
		sys.exit(f"no plan at {plan_path}: run benchmarks/load_setup.py --site {args.site} first")
	plan = json.loads(plan_path.read_text())
	accounts = plan["clerks"][: args.clerks]
	if len(accounts) < args.clerks:
		sys.exit(
			f"the plan has {len(accounts)} clerks, {args.clerks} asked for: rerun load_setup.py --clerks {args.clerks}"
		)

	ctx = argparse.Namespace(args=args, recorder=Recorder())
	before = server_counters(args.bench, args.site) if args.bench else None
	volume = data_volume(args.bench, args.site) if args.bench else None
	started = time.monotonic()
	ctx.deadline = started + args.duration
	rng = random.Random(args.seed)
	tasks = [Clerk(ctx, a, random.Random(rng.random())).run() for a in accounts]
	if args.officer_every > 0 and plan.get("officer"):
		tasks.append(township_officer(ctx, plan["officer"]))
	await asyncio.gather(*tasks)
	elapsed = time.monotonic() - started

	result = {
		"site": args.site,
		"url": args.url,
		"date": time.strftime("%Y-%m-%d %H:%M"),
		"clerks": len(accounts),
		"duration_s": round(elapsed),
		"think_s": args.think,
		"cases_started": ctx.recorder.cases,
		"cases_completed": ctx.recorder.cases_done,
		"operations": ctx.recorder.summary(),
		"lock_errors": ctx.recorder.lock_errors(),
		"failures": ctx.recorder.failures[:200],
		"note": args.note,
		"data_before": volume,
	}
	result["requests"] = sum(r["requests"] for r in result["operations"])
	result["server_errors"] = sum(r["server_errors"] for r in result["operations"])
	result["client_errors"] = sum(r["client_errors"] for r in result["operations"])
	result["transport_errors"] = sum(r["transport_errors"] for r in result["operations"])
	if args.bench:
		after = server_counters(args.bench, args.site)
		result["innodb"] = {
			"deadlocks": after["Innodb_deadlocks"] - before["Innodb_deadlocks"],
			"row_lock_waits": after["Innodb_row_lock_waits"] - before["Innodb_row_lock_waits"],
			"row_lock_time_max_ms": after["Innodb_row_lock_time_max"],
		}
		result["error_log"] = server_errors_since(args.bench, args.site, before["db_now"])
	return result


def print_summary(result: dict):
	print(
		f"\n{result['clerks']} clerks, {result['duration_s']} s, {result['requests']} requests, "
		f"{result['cases_completed']}/{result['cases_started']} cases completed, "
		f"{result['server_errors']} server errors (5xx), {result['client_errors']} refused (4xx), "
		f"{result['transport_errors']} transport errors, {result['lock_errors']} deadlocks/lock-wait timeouts"
	)
	print(f"{'operation':<24}{'requests':>9}{'5xx':>6}{'4xx':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
	for r in result["operations"]:
		print(
			f"{r['op']:<24}{r['requests']:>9}{r['server_errors']:>6}{r['client_errors']:>6}"
			f"{r['p50_ms']:>9}{r['p95_ms']:>9}{r['max_ms']:>9}"
		)
	if "innodb" in result:
		print(f"InnoDB during the run (whole server): {result['innodb']}")
		print(f"Error Log entries on the site during the run: {len(result['error_log'])}")
	seen = set()
	for f in result["failures"]:
		key = (f["op"], f["status"], f["error"][:80])
		if key not in seen:
			seen.add(key)
			print(f"  {f['op']} {f['status']}: {f['error'][:200]}")


def setting_lines(result: dict, servers_label: str) -> list[str]:
	"""The servers a run had and the data it started from, for its section of RESULTS.md."""
	lines = [f"{servers_label}: {result['note']}."] if result.get("note") else []
	if result.get("data_before"):
		lines.append(
			"Data at the start: " + ", ".join(f"{n} {dt}" for dt, n in result["data_before"].items()) + "."
		)
	return lines


def markdown(result: dict) -> str:
	lines = [
		"## Load",
		"",
		"`benchmarks/load.py`: "
		f"{result['clerks']} clerks of different villages at once for {result['duration_s']} s "
		f"(pause between steps 0–{2 * result['think_s']:g} s), plus a township officer running the yearly "
		f"return of the whole township every few seconds; {result['date']}, site `{result['site']}`.",
	]
	lines += setting_lines(result, "Server")
	lines += [
		"",
		f"**{result['requests']} requests, {result['server_errors']} server errors (5xx), "
		f"{result['lock_errors']} deadlocks or lock-wait timeouts, {result['client_errors']} refused (4xx), "
		f"{result['transport_errors']} transport errors; "
		f"{result['cases_completed']} cases (session → outcome → progress) completed of {result['cases_started']} started.**",
		"",
		"| operation | requests | 5xx | 4xx | p50 ms | p95 ms | max ms |",
		"| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
	]
	for r in result["operations"]:
		lines.append(
			f"| {r['label']} | {r['requests']} | {r['server_errors']} | {r['client_errors']} | "
			f"{r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} |"
		)
	if "innodb" in result:
		lines += [
			"",
			f"InnoDB counters over the run (the whole MariaDB server, shared with other sites): "
			f"{result['innodb']['deadlocks']} deadlocks, {result['innodb']['row_lock_waits']} row-lock waits. "
			f"Error Log entries written on the site during the run: {len(result['error_log'])}.",
		]
	return "\n".join(lines) + "\n"


def record(path: str, section: str):
	"""Replace the figures of the section whose heading is `section`'s first line (up to its first '### '
	subsection or the next '## ' heading), or append the section; the other sections and this section's
	subsections (the reading of a run) stay. Used by benchmarks/replica_load.py too."""
	heading = section.splitlines()[0]
	file = Path(path)
	text = file.read_text() if file.exists() else "# Benchmark results\n"
	pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^### |^## (?!#)|\Z)", re.MULTILINE | re.DOTALL)
	if pattern.search(text):
		text = pattern.sub(lambda m: section + ("\n" if m.end() < len(text) else ""), text, count=1)
	else:
		text = text.rstrip("\n") + "\n\n" + section
	file.write_text(text)


def main(argv=None):
	args = parse_args(argv)
	result = asyncio.run(run(args))
	print_summary(result)
	if args.json:
		Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1))
	if args.record:
		record(args.record, markdown(result))
		print(f"recorded in {args.record}")
	bad = result["server_errors"] or result["lock_errors"] or (result.get("innodb") or {}).get("deadlocks")
	return 1 if bad else 0


if __name__ == "__main__":
	sys.exit(main())
