"""Load through nginx: 20 clerks at work while 5 city officers run the city-wide yearly return again and
again, (a) with every read on the primary and (b) with the reports on the replica, plus the clerks alone
as the baseline, in one run (three phases, one after the other, on the same servers).

The clerks are benchmarks/load.py's (list topics → session → outcome → progress, the village's return
every third case). Each officer (no unit restriction: the whole city) asks for the city's return the
way the desk's "Generate New Report" does (`make_prepared_report`: a Prepared Report on the long queue),
then asks for the result every second until it is there; the return's time is from the request to the
result. Between phases the site's `read_from_replica` is switched in its site_config.json (each request
reads it afresh; no restart).

Prepare once (officers and their API keys, added to load_setup.py's plan):

	$BENCH/env/bin/python benchmarks/replica_load.py --site SITE --bench $BENCH --prepare

Run through benchmarks/run_cluster_load.sh (it starts the replica and the servers), or by hand:

	$BENCH/env/bin/python benchmarks/replica_load.py --url http://127.0.0.1:8414 --site SITE --bench $BENCH

Only a server on this machine is driven. The exit status is 1 on any server error, deadlock, lost save
or failed return.
"""

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # benchmarks/load.py, beside this file

REPORT = load.REPORT
PHASES = (
	("alone", "clerks alone (no officers)", None),
	("primary", "(a) 5 officers, every read on the primary", 0),
	("replica", "(b) 5 officers, reports on the replica", 1),
)
CLERK_OPS = [op for op, _label in load.OPERATIONS if op != "yearly_return_township"]


def parse_args(argv=None):
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--url", default="http://127.0.0.1:8414", help="nginx on this machine")
	parser.add_argument("--site", default="load.localhost")
	parser.add_argument("--bench", default=os.environ.get("FRAPPE_BENCH", "/opt/frappe-bench"))
	parser.add_argument(
		"--plan", help="load_setup.py's plan (default /tmp/community_consultation-load-<site>.json)"
	)
	parser.add_argument("--prepare", action="store_true", help="create the officers, add them to the plan")
	parser.add_argument("--phase-duration", type=float, default=120, help="seconds per phase (default 120)")
	parser.add_argument("--clerks", type=int, default=20)
	parser.add_argument("--officers", type=int, default=5)
	parser.add_argument("--think", type=float, default=0.5, help="mean pause between a clerk's steps")
	parser.add_argument("--poll", type=float, default=1.0, help="seconds between an officer's looks")
	parser.add_argument("--seed", type=int, default=2026)
	parser.add_argument("--record", help="write the section to this Markdown file (benchmarks/RESULTS.md)")
	parser.add_argument("--json", help="write the raw figures to this file")
	parser.add_argument("--note", default="", help="how the servers ran, for the record")
	args = parser.parse_args(argv)
	load.check_loopback(args.url)
	args.plan = Path(args.plan or f"/tmp/community_consultation-load-{args.site}.json")
	return args


# ------------------------------------------------------------------------------------ prepare


def prepare(args):
	"""City officers (Consultation Administrator, no User Permission: the whole city) with API keys."""
	sys.path.insert(0, str(Path(args.bench) / "apps" / "frappe"))
	os.chdir(Path(args.bench) / "sites")
	import frappe

	frappe.init(args.site, sites_path=".")
	frappe.connect()
	try:
		from load_setup import api_credentials

		from community_consultation.tests.users import make_user

		officers = []
		for i in range(1, args.officers + 1):
			email = f"load.city{i:02d}@example.com"
			make_user(email, ["Consultation Administrator"], [], first_name=f"市民政局{i:02d}", language="zh")
			key, secret = api_credentials(email)
			officers.append({"user": email, "api_key": key, "api_secret": secret, "unit": None})
		frappe.db.commit()
	finally:
		frappe.destroy()
	plan = json.loads(args.plan.read_text())
	plan["city_officers"] = officers
	args.plan.write_text(json.dumps(plan, ensure_ascii=False, indent=1))
	print(f"{len(officers)} city officers added to {args.plan}")


# ------------------------------------------------------------------------------------ the officers


class CityOfficer:
	def __init__(self, ctx, account: dict, year: int):
		self.ctx, self.year = ctx, year
		self.client = httpx.AsyncClient(
			base_url=ctx.args.url,
			headers={
				"Host": ctx.args.site,
				"Authorization": f"token {account['api_key']}:{account['api_secret']}",
				"Accept": "application/json",
			},
			timeout=httpx.Timeout(130.0),
		)

	async def request(self, method: str, path: str, **kw):
		started = time.perf_counter()
		try:
			response = await self.client.request(method, path, **kw)
		except httpx.HTTPError as e:
			self.ctx.officer_errors.append(f"transport: {e}")
			raise load.StepFailed(path) from e
		self.ctx.officer_requests.append((time.perf_counter() - started, response.status_code))
		if response.status_code >= 400:
			self.ctx.officer_errors.append(f"{response.status_code}: {load.error_text(response)}")
			raise load.StepFailed(path)
		return response.json()

	async def city_return(self):
		filters = {"year": str(self.year)}
		started = time.perf_counter()
		made = await self.request(
			"POST",
			"/api/method/frappe.core.doctype.prepared_report.prepared_report.make_prepared_report",
			json={"report_name": REPORT, "filters": json.dumps(filters)},
		)
		name = made["message"]["name"]
		while True:
			await asyncio.sleep(self.ctx.args.poll)
			answer = await self.request(
				"GET",
				"/api/method/frappe.desk.query_report.run",
				params={
					"report_name": REPORT,
					"filters": json.dumps({**filters, "prepared_report_name": name}),
				},
			)
			doc = (answer.get("message") or {}).get("doc") or {}
			if doc.get("status") == "Completed" and answer["message"].get("result"):
				self.ctx.returns.append(time.perf_counter() - started)
				return
			if doc.get("status") == "Error" or time.perf_counter() - started > 600:
				self.ctx.officer_errors.append(f"return {name}: {doc.get('status')}")
				return

	async def run(self):
		try:
			while time.monotonic() < self.ctx.deadline:
				try:
					await self.city_return()
				except load.StepFailed:
					await asyncio.sleep(1)
		finally:
			await self.client.aclose()


# ------------------------------------------------------------------------------------ the run


def set_read_from_replica(args, value: int):
	subprocess.run(
		["bench", "--site", args.site, "set-config", "read_from_replica", str(value), "--parse"],
		cwd=args.bench,
		check=True,
		capture_output=True,
	)


def cpu_times() -> list[tuple[int, int]]:
	"""(busy, total) jiffies of each CPU since boot (/proc/stat: busy is all but idle and iowait)."""
	times = []
	for line in Path("/proc/stat").read_text().splitlines():
		name, *fields = line.split()
		if name.startswith("cpu") and name != "cpu":
			values = [int(v) for v in fields[:8]]
			times.append((sum(values) - values[3] - values[4], sum(values)))
	return times


def cpu_busy(before: list, after: list) -> list[int]:
	"""Percent of each CPU busy between two cpu_times() (whatever ran on it: the whole machine)."""
	return [
		round(100 * (b1 - b0) / (t1 - t0)) if t1 > t0 else 0
		for (b0, t0), (b1, t1) in zip(before, after, strict=True)
	]


CPU_ROLES = (
	("web", "the web masters and workers (gunicorn)"),
	("primary", "the primary MariaDB (also the other benches' queries)"),
	("replica", "the replica MariaDB"),
	("long", "the long-queue worker (the prepared returns)"),
	("cluster", "the rest of the cluster (nginx, Redis, socketio, short worker, scheduler)"),
	("client", "this load client"),
	("others", "the machine's other processes (other benches, their tests)"),
)


def process_role(pid: int, cmd: str, bench: str) -> str:
	if pid == os.getpid():
		return "client"
	if "mariadbd" in cmd:
		return "replica" if "community-consultation-replica" in cmd else "primary"
	if cmd.startswith("nginx"):
		return "cluster"
	try:
		cwd = os.readlink(f"/proc/{pid}/cwd")
	except OSError:
		return "others"
	if not (cwd == bench or cwd.startswith(bench + "/")):
		return "others"
	if "gunicorn" in cmd:
		return "web"
	if "worker" in cmd and "--queue long" in cmd:
		return "long"
	return "cluster"


def cpu_seconds_by_role(bench: str) -> dict[str, float]:
	"""CPU seconds each role's live processes have used so far, with their waited-for children (an RQ
	worker's work horses): utime + stime + cutime + cstime of /proc/<pid>/stat."""
	bench = str(Path(bench).resolve())
	tick = os.sysconf("SC_CLK_TCK")
	used = {role: 0.0 for role, _label in CPU_ROLES}
	for entry in Path("/proc").iterdir():
		if not entry.name.isdigit():
			continue
		try:
			stat = (entry / "stat").read_text()
			cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
		except OSError:
			continue
		fields = stat.rsplit(")", 1)[1].split()  # from the state (field 3) on
		seconds = sum(int(v) for v in fields[11:15]) / tick
		used[process_role(int(entry.name), cmd, bench)] += seconds
	return used


def saved_counts(args) -> dict:
	"""Sessions and filed outcomes in the database (nothing is deleted during a run)."""
	conn = load.site_db(args.bench, args.site)
	try:
		with conn.cursor() as cur:
			cur.execute("select count(*) from `tabConsultation Session`")
			sessions = cur.fetchone()[0]
			cur.execute("select count(*) from `tabConsultation Outcome` where docstatus = 1")
			outcomes = cur.fetchone()[0]
		return {"sessions": sessions, "outcomes_filed": outcomes}
	finally:
		conn.close()


async def run_phase(args, plan: dict, key: str, officers: bool) -> dict:
	ctx = argparse.Namespace(
		args=argparse.Namespace(**{**vars(args), "officer_every": 0}),
		recorder=load.Recorder(),
		returns=[],
		officer_requests=[],
		officer_errors=[],
	)
	before = load.server_counters(args.bench, args.site)
	saved_before = saved_counts(args)
	cpu_before, roles_before = cpu_times(), cpu_seconds_by_role(args.bench)
	started = time.monotonic()
	ctx.deadline = started + args.phase_duration
	rng = random.Random(f"{args.seed}-{key}")
	tasks = [load.Clerk(ctx, a, random.Random(rng.random())).run() for a in plan["clerks"][: args.clerks]]
	if officers:
		year = time.localtime().tm_year
		tasks += [CityOfficer(ctx, a, year).run() for a in plan["city_officers"][: args.officers]]
	await asyncio.gather(*tasks)
	cpu = cpu_busy(cpu_before, cpu_times())
	roles = {k: round(max(0.0, v - roles_before[k])) for k, v in cpu_seconds_by_role(args.bench).items()}
	after = load.server_counters(args.bench, args.site)
	load_average = os.getloadavg()[1]  # the last 5 minutes: the phase, on the whole machine
	operations = ctx.recorder.summary()
	all_clerk = [s for op in CLERK_OPS for s in ctx.recorder.samples[op]]
	statuses = ctx.recorder.statuses
	acknowledged = {
		"sessions": statuses["create_session"].get("200", 0),
		"outcomes_filed": statuses["file_outcome_submit"].get("200", 0),
	}
	return {
		"phase": key,
		"duration_s": round(time.monotonic() - started),
		"load_average": round(load_average, 1),
		"cpu_busy": cpu,
		"cpu_seconds": roles,
		"operations": operations,
		"clerk_requests": len(all_clerk),
		"clerk_p50_ms": round(load.percentile(all_clerk, 50) * 1000) if all_clerk else None,
		"clerk_p95_ms": round(load.percentile(all_clerk, 95) * 1000) if all_clerk else None,
		"server_errors": sum(r["server_errors"] for r in operations)
		+ sum(1 for _t, code in ctx.officer_requests if code >= 500),
		"client_errors": sum(r["client_errors"] for r in operations),
		"lock_errors": ctx.recorder.lock_errors(),
		"deadlocks": after["Innodb_deadlocks"] - before["Innodb_deadlocks"],
		"failures": ctx.recorder.failures[:50],
		"returns": len(ctx.returns),
		"return_p50_s": round(load.percentile(ctx.returns, 50), 1) if ctx.returns else None,
		"return_p95_s": round(load.percentile(ctx.returns, 95), 1) if ctx.returns else None,
		"officer_requests": len(ctx.officer_requests),
		"officer_errors": ctx.officer_errors[:20],
		"acknowledged": acknowledged,
		"saved": {k: v - saved_before[k] for k, v in saved_counts(args).items()},
		"cases": [ctx.recorder.cases_done, ctx.recorder.cases],
	}


async def run(args) -> dict:
	plan = json.loads(args.plan.read_text())
	if len(plan.get("city_officers") or []) < args.officers:
		sys.exit(f"no city officers in {args.plan}: run with --prepare first")
	phases = []
	for key, _label, replica in PHASES:
		set_read_from_replica(args, replica or 0)
		await asyncio.sleep(2)
		print(f"phase {key} ({args.phase_duration:.0f} s)…", flush=True)
		phases.append(await run_phase(args, plan, key, officers=replica is not None))
		print_phase(phases[-1])
	set_read_from_replica(args, 1)
	return {
		"site": args.site,
		"url": args.url,
		"date": time.strftime("%Y-%m-%d %H:%M"),
		"clerks": args.clerks,
		"officers": args.officers,
		"think_s": args.think,
		"note": args.note,
		"data_before": load.data_volume(args.bench, args.site),
		"phases": phases,
	}


def print_phase(p: dict):
	print(
		f"  {p['phase']}: {p['clerk_requests']} clerk requests, p50 {p['clerk_p50_ms']} ms, p95 "
		f"{p['clerk_p95_ms']} ms; {p['returns']} city returns (p50 {p['return_p50_s']} s); "
		f"{p['server_errors']} server errors, {p['deadlocks']} deadlocks; saved {p['saved']} "
		f"acknowledged {p['acknowledged']}",
		flush=True,
	)
	for f in p["officer_errors"][:5]:
		print(f"    officer: {f}")
	for f in p["failures"][:5]:
		print(f"    clerk {f['op']} {f['status']}: {f['error'][:160]}")


def markdown(result: dict) -> str:
	phases = {p["phase"]: p for p in result["phases"]}
	alone = phases["alone"]
	lines = [
		"## Reads on a replica, behind nginx",
		"",
		f"`benchmarks/replica_load.py` through nginx ({result['url']}): {result['clerks']} clerks of "
		f"different villages (pause between steps 0–{2 * result['think_s']:g} s), in three phases of "
		f"{alone['duration_s']} s one after the other: the clerks alone; (a) with {result['officers']} city "
		"officers running the city-wide yearly return again and again (a Prepared Report on the long queue, "
		"asked for as the desk's Generate New Report, then looked for every second) with every read on the "
		"primary; (b) the same with the reports on the replica. "
		f"{result['date']}, site `{result['site']}`.",
	]
	lines += load.setting_lines(result, "Servers")
	lines += [
		"",
		"| | clerks alone | (a) reports on the primary | (b) reports on the replica |",
		"| --- | ---: | ---: | ---: |",
	]

	def row(label: str, fn):
		lines.append(f"| {label} | " + " | ".join(fn(phases[k]) for k, _l, _r in PHASES) + " |")

	row(f"machine load average (5 min, {os.cpu_count()} cores)", lambda p: str(p.get("load_average", "—")))
	row(
		"CPU busy during the phase, per core (" + " / ".join(f"cpu{i}" for i in range(os.cpu_count())) + ")",
		lambda p: " / ".join(f"{c} %" for c in p["cpu_busy"]) if p.get("cpu_busy") else "—",
	)
	for role, label in CPU_ROLES:
		row(
			f"CPU seconds in the phase: {label}",
			lambda p, role=role: str(p.get("cpu_seconds", {}).get(role, "—")),
		)
	row("clerk requests", lambda p: str(p["clerk_requests"]))
	row("officers' requests (ask for the return, then look for it)", lambda p: str(p["officer_requests"]))
	row("clerks, all requests: p50 / p95 ms", lambda p: f"{p['clerk_p50_ms']} / {p['clerk_p95_ms']}")
	row(
		"clerks' p95 against alone",
		lambda p: f"{p['clerk_p95_ms'] / alone['clerk_p95_ms']:.2f}×" if alone["clerk_p95_ms"] else "—",
	)
	for op, label in load.OPERATIONS:
		if op not in CLERK_OPS:
			continue

		def cell(p, op=op):
			r = next((r for r in p["operations"] if r["op"] == op), None)
			return f"{r['p50_ms']} / {r['p95_ms']}" if r else "—"

		row(f"{label}: p50 / p95 ms", cell)
	row("city-wide returns completed", lambda p: str(p["returns"]) if p["phase"] != "alone" else "—")
	row(
		"city-wide return, request to result: p50 / p95 s",
		lambda p: f"{p['return_p50_s']} / {p['return_p95_s']}" if p["returns"] else "—",
	)
	row("server errors (5xx)", lambda p: str(p["server_errors"]))
	row("refused (4xx)", lambda p: str(p["client_errors"]))
	row("deadlocks", lambda p: str(p["deadlocks"]))
	row(
		"sessions / outcomes acknowledged → in the database",
		lambda p: (
			f"{p['acknowledged']['sessions']} / {p['acknowledged']['outcomes_filed']} → "
			f"{p['saved']['sessions']} / {p['saved']['outcomes_filed']}"
		),
	)
	return "\n".join(lines) + "\n"


def main(argv=None):
	args = parse_args(argv)
	if args.prepare:
		prepare(args)
		return 0
	result = asyncio.run(run(args))
	if args.json:
		Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1))
	if args.record:
		load.record(args.record, markdown(result))
		print(f"recorded in {args.record}")
	bad = any(
		p["server_errors"]
		or p["deadlocks"]
		or p["lock_errors"]
		or p["officer_errors"]
		or p["saved"] != p["acknowledged"]
		for p in result["phases"]
	)
	return 1 if bad else 0


if __name__ == "__main__":
	sys.exit(main())
