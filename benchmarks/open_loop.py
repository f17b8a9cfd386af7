"""Open-loop load: the city's December as arrivals at a rate, not clerks in a closed loop.

Clerks' cases (benchmarks/load.py's clerk's day: list topics → create, open, save and conclude a session
→ start, fill, file and publicise the outcome → one or two progress updates → the village's return every
third case) start at Poisson-distributed moments, whether or not the earlier ones are done; each case runs
its steps one after the other without pauses. Township returns (a township officer's live yearly return)
and county returns (a city officer's return prepared on the long queue, asked for until it is there,
benchmarks/replica_load.py's officer) arrive the same way, at their share of the requests
(`--township-share`, `--county-share`, derived in docs/deployment.md).

First a calibration run at `--calibrate` requests/s measures the CPU milliseconds per request of the web
tier and MariaDB; the rate one core serves is 1000 / (web + MariaDB ms per request). Then one run per
fraction of that rate (`--fractions`, default 25, 50, 75 %). For each: each operation's p50/p95, and each
tier's CPU milliseconds per request of the mix, read from /proc/<pid>/stat before and after the run
(utime + stime, with reaped children's): the web workers (gunicorn's master and workers, started here as
`bench setup supervisor` runs them), the RQ worker (started here: short, default, long), MariaDB (the
`mariadbd` serving the site's port; on a shared machine it also serves other sites, so the figure is an
upper bound — with `userstat` on, the site's own database user's CPU time is given beside it) and the
replica (the `mariadbd` on the site's `replica_db_port`, when the site reads from one).

Prepare the site like benchmarks/load.py's (load_setup.py; replica_load.py --prepare for county returns).
Only this machine is driven; every run stops by itself.

	cd $BENCH && env/bin/python <checkout>/benchmarks/open_loop.py --site load.localhost --bench $BENCH \\
		--record <checkout>/benchmarks/RESULTS.md

About four minutes on a quiet machine (40 s calibration, 45 s per rate, plus the cases still running when
the arrivals stop). MariaDB's `userstat` (`SET GLOBAL userstat = 1`, as the bench's root login; off again
at its next restart) gives the site's own database CPU; without it only the whole server's is read.
"""

import argparse
import asyncio
import datetime
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
import load
from replica_load import CityOfficer
from servers import Gunicorn, descendants, load_average, pids_named, process_cpu_seconds

SECTION = "## Open loop: the city's December"
# requests per clerk's case: list, create, open, save, conclude, make, fill, file, publicise, 1.5
# progress updates, a third of a return (load.py's case)
REQUESTS_PER_CASE = 11.5 + 1 / 3
COUNTY_OP = ("county_return", "county return, prepared on the long queue (request to result)")


def parse_args(argv=None):
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", default="load.localhost")
	parser.add_argument("--bench", required=True)
	parser.add_argument(
		"--plan", help="load_setup.py's plan (default /tmp/community_consultation-load-<site>.json)"
	)
	parser.add_argument("--port", type=int, default=8015)
	parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
	parser.add_argument("--duration", type=float, default=45, help="seconds of arrivals per rate")
	parser.add_argument("--calibrate", type=float, default=2.0, help="requests/s of the calibration run")
	parser.add_argument("--calibrate-duration", type=float, default=40, help="seconds")
	parser.add_argument("--core-rate", type=float, help="requests/s one core serves (skips the calibration)")
	parser.add_argument("--fractions", default="25,50,75", help="percent of one core's rate")
	parser.add_argument("--township-share", type=float, default=0.0056, help="township returns per request")
	parser.add_argument("--county-share", type=float, default=0.0006, help="county returns per request")
	parser.add_argument(
		"--poll", type=float, default=1.0, help="seconds between asking for a prepared return"
	)
	parser.add_argument("--seed", type=int, default=2026)
	parser.add_argument("--record", help="write the figures to this Markdown file")
	parser.add_argument(
		"--section", default=SECTION, help=f"the heading of the section written (default '{SECTION}')"
	)
	args = parser.parse_args(argv)
	args.url = f"http://127.0.0.1:{args.port}"
	args.think = 0
	load.check_loopback(args.url)
	return args


class Tiers:
	"""The CPU seconds of each tier, read from /proc."""

	def __init__(self, web: Gunicorn, worker_pid: int, conf: dict):
		self.web, self.worker_pid = web, worker_pid
		self.db_port = int(conf.get("db_port", 3306))
		self.replica_port = int(conf["replica_db_port"]) if conf.get("read_from_replica") else None

	def mariadbd(self, port: int) -> list[int]:
		found = []
		for pid in pids_named("mariadbd") + pids_named("mysqld"):
			try:
				cmdline = Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
			except OSError:
				continue
			has_port = "--port" in cmdline
			if (has_port and f"--port={port}" in cmdline) or (not has_port and port == 3306):
				found.append(pid)
		return found

	def read(self) -> dict[str, float]:
		tiers = {
			"web": process_cpu_seconds(self.web.pids()),
			"rq": process_cpu_seconds(descendants(self.worker_pid)),
			"mariadb": process_cpu_seconds(self.mariadbd(self.db_port)),
		}
		if self.replica_port:
			tiers["replica"] = process_cpu_seconds(self.mariadbd(self.replica_port))
		return tiers


def user_cpu_seconds(conf: dict) -> float | None:
	"""The site's database user's CPU seconds (MariaDB `userstat`, read with the bench's `root_login`:
	user statistics need the PROCESS privilege), or None when userstat is off or there is no such login."""
	import pymysql

	if not conf.get("root_login"):
		return None
	conn = pymysql.connect(
		host=conf.get("db_host", "127.0.0.1"),
		port=int(conf.get("db_port", 3306)),
		user=conf["root_login"],
		password=conf.get("root_password") or "",
	)
	try:
		with conn.cursor() as cur:
			cur.execute("select @@userstat")
			if not cur.fetchone()[0]:
				return None
			cur.execute(
				"select cpu_time from information_schema.user_statistics where user = %s",
				(conf.get("db_user") or conf["db_name"],),
			)
			row = cur.fetchone()
			return float(row[0]) if row else 0.0
	finally:
		conn.close()


async def poisson(rate: float, duration: float, rng: random.Random, start) -> list:
	"""Call `start()` at Poisson-distributed moments for `duration` seconds; wait for what it started."""
	tasks, at, began = [], 0.0, time.monotonic()
	if rate <= 0:
		return []
	while True:
		at += rng.expovariate(rate)
		if at > duration:
			break
		await asyncio.sleep(max(0.0, began + at - time.monotonic()))
		tasks.append(asyncio.create_task(start()))
	return await asyncio.gather(*tasks, return_exceptions=True)


async def run_rate(
	args, plan: dict, rate: float, duration: float, tiers: Tiers, conf: dict, county_first: bool = False
) -> dict:
	"""Arrivals at `rate` requests/s for `duration` s; `county_first`: one county return at the start
	besides (the calibration: the long-queue worker's CPU per county return)."""
	ctx = argparse.Namespace(
		args=args,
		recorder=load.Recorder(),
		deadline=time.monotonic() + duration + 120,
		returns=[],
		officer_requests=[],
		officer_errors=[],
	)
	ctx.recorder.samples[COUNTY_OP[0]] = []
	ctx.recorder.statuses[COUNTY_OP[0]] = {}
	rng = random.Random(args.seed + int(rate * 1000))
	clerks = [load.Clerk(ctx, account, random.Random(rng.random())) for account in plan["clerks"]]
	officer = load.Clerk(ctx, plan["officer"], random.Random(rng.random()))
	county = (
		CityOfficer(ctx, plan["city_officers"][0], datetime.date.today().year)
		if plan.get("city_officers")
		else None
	)
	case_no = iter(range(1, 10**9))

	async def case():
		clerk = rng.choice(clerks)
		try:
			await clerk.work_case(next(case_no))
		except load.StepFailed:
			pass

	async def county_return():
		started = time.perf_counter()
		try:
			await county.city_return()
			ctx.recorder.add(COUNTY_OP[0], time.perf_counter() - started, "200")
		except load.StepFailed:
			ctx.recorder.add(COUNTY_OP[0], time.perf_counter() - started, "error", "county return failed")

	load_at_start = load_average()
	before, user_before, started = tiers.read(), user_cpu_seconds(conf), time.monotonic()
	arrivals = [
		poisson(rate / REQUESTS_PER_CASE, duration, rng, case),
		poisson(rate * args.township_share, duration, rng, lambda: load.township_return(officer)),
	]
	if county:
		arrivals.append(poisson(rate * args.county_share, duration, rng, county_return))
		if county_first:
			arrivals.append(asyncio.gather(county_return(), return_exceptions=True))
	outcomes = [o for started_ in await asyncio.gather(*arrivals) for o in started_]
	elapsed = time.monotonic() - started
	crashed = [repr(o) for o in outcomes if isinstance(o, BaseException)]
	after, user_after = tiers.read(), user_cpu_seconds(conf)
	for client in [c.client for c in clerks] + [officer.client] + ([county.client] if county else []):
		await client.aclose()

	rows = ctx.recorder.summary()
	county_times = ctx.recorder.samples[COUNTY_OP[0]]
	if county_times:
		rows.append(
			{
				"op": COUNTY_OP[0],
				"label": COUNTY_OP[1],
				"requests": len(county_times),
				"server_errors": 0,
				"client_errors": ctx.recorder.statuses[COUNTY_OP[0]].get("error", 0),
				"p50_ms": round(load.percentile(county_times, 50) * 1000),
				"p95_ms": round(load.percentile(county_times, 95) * 1000),
				"max_ms": round(max(county_times) * 1000),
			}
		)
	requests = (
		sum(r["requests"] for r in rows) + len(ctx.officer_requests) - len(ctx.recorder.samples[COUNTY_OP[0]])
	)
	cpu = {tier: after[tier] - before[tier] for tier in after}
	result = {
		"rate": round(rate, 2),
		"duration_s": round(elapsed),
		"load": load_at_start,
		"requests": requests,
		"achieved_rate": round(requests / elapsed, 2),
		"server_errors": sum(r["server_errors"] for r in rows),
		"client_errors": sum(r["client_errors"] for r in rows),
		"operations": rows,
		"crashed": crashed[:5],
		"failures": sorted({f"{f['op']} {f['status']}: {f['error'][:120]}" for f in ctx.recorder.failures})[
			:10
		],
		"cpu_s": {tier: round(s, 2) for tier, s in cpu.items()},
		"cpu_ms_per_request": {tier: round(s * 1000 / max(requests, 1), 1) for tier, s in cpu.items()},
		"web_busy": round(cpu["web"] / elapsed, 2),
		"county_returns": len(ctx.recorder.samples[COUNTY_OP[0]]),
	}
	if result["county_returns"]:
		result["rq_cpu_s_per_county_return"] = round(cpu["rq"] / result["county_returns"], 2)
	if user_before is not None and user_after is not None:
		result["cpu_ms_per_request"]["mariadb_site_user"] = round(
			(user_after - user_before) * 1000 / max(requests, 1), 1
		)
	return result


async def warm_up(args, plan: dict, worker_pid: int):
	"""Each gunicorn worker imports the app's modules on its first requests and the RQ worker on start:
	done before the figures are read."""
	clerk = plan["clerks"][0]
	headers = {"Host": args.site, "Authorization": f"token {clerk['api_key']}:{clerk['api_secret']}"}
	async with httpx.AsyncClient(base_url=args.url, headers=headers, timeout=120) as client:
		for _ in range(3):
			await asyncio.gather(
				*(
					client.get("/api/resource/Consultation Topic", params={"limit_page_length": 1})
					for _ in range(args.workers)
				)
			)
	last = -1.0
	for _ in range(60):
		used = process_cpu_seconds(descendants(worker_pid))
		if used - last < 0.05:
			break
		last = used
		await asyncio.sleep(1)


def database_ms(result: dict) -> float:
	"""MariaDB's CPU ms per request: the site's own database user's when userstat gives it, else the
	whole server's."""
	figures = result["cpu_ms_per_request"]
	return figures.get("mariadb_site_user", figures["mariadb"])


def markdown(args, core_rate: float, calibration: dict | None, results: list[dict]) -> str:
	tiers = sorted(
		{t for r in results for t in r["cpu_ms_per_request"]},
		key=["web", "mariadb", "mariadb_site_user", "replica", "rq"].index,
	)
	lines = [
		args.section,
		"",
		f"`benchmarks/open_loop.py`: clerks' cases, township returns and county returns arriving at random "
		f"(Poisson) at a set rate of requests per second for {args.duration:g} s each, through gunicorn "
		f"(`-w {args.workers} --threads 1 --preload`) and one RQ worker on this machine; "
		f"{time.strftime('%Y-%m-%d %H:%M')}, site `{args.site}`. One core's rate: {core_rate:.1f} requests/s"
		+ (
			f" (calibrated at {calibration['rate']} requests/s: web {calibration['cpu_ms_per_request']['web']} + "
			f"MariaDB {database_ms(calibration)} CPU ms per request)."
			if calibration
			else " (given)."
		),
		"CPU ms per request: the tier's CPU over the run divided by the requests served; MariaDB is the "
		"whole server (other sites' load included) unless `userstat` gives the site's own user.",
		"",
		"| rate | load average at start | requests/s served | 5xx | web busy (cores) | "
		+ " | ".join(f"{t} CPU ms/request" for t in tiers)
		+ " |",
		"| --- | --- | ---: | ---: | ---: | " + " | ".join("---:" for _ in tiers) + " |",
	]
	for r in results:
		lines.append(
			f"| {r['label']} ({r['rate']}/s) | {r['load']} | {r['achieved_rate']} | {r['server_errors']} | "
			f"{r['web_busy']} | " + " | ".join(str(r["cpu_ms_per_request"].get(t, "")) for t in tiers) + " |"
		)
	for r in results:
		if r.get("rq_cpu_s_per_county_return") is not None:
			lines += [
				"",
				f"RQ worker CPU per county return ({r['label']}, {r['county_returns']} returns): "
				f"{r['rq_cpu_s_per_county_return']} s (the worker also ran the other jobs the run queued).",
			]
	ops = [(op, label) for op, label in [*load.OPERATIONS, COUNTY_OP]]
	lines += ["", "| operation | " + " | ".join(f"{r['label']} p50 / p95 ms" for r in results) + " |"]
	lines.append("| --- | " + " | ".join("---:" for _ in results) + " |")
	for op, label in ops:
		cells = []
		for r in results:
			row = next((x for x in r["operations"] if x["op"] == op), None)
			cells.append(f"{row['p50_ms']} / {row['p95_ms']} ({row['requests']})" if row else "–")
		if any(c != "–" for c in cells):
			lines.append(f"| {label} | " + " | ".join(cells) + " |")
	return "\n".join(lines) + "\n"


def main(argv=None):
	args = parse_args(argv)
	plan_path = Path(args.plan or f"/tmp/community_consultation-load-{args.site}.json")
	if not plan_path.exists():
		sys.exit(f"no plan at {plan_path}: run benchmarks/load_setup.py --site {args.site} first")
	plan = json.loads(plan_path.read_text())
	common = json.loads((Path(args.bench) / "sites" / "common_site_config.json").read_text())
	conf = {**common, **json.loads((Path(args.bench) / "sites" / args.site / "site_config.json").read_text())}

	web = Gunicorn(
		args.bench,
		args.port,
		args.workers,
		args.site,
		f"/tmp/community_consultation-open-loop-{args.site}.log",
	)
	web.start()
	worker = subprocess.Popen(
		["bench", "worker", "--queue", "short,default,long"],
		cwd=args.bench,
		stdout=subprocess.DEVNULL,
		stderr=subprocess.DEVNULL,
		start_new_session=True,
	)
	tiers = Tiers(web, worker.pid, conf)
	asyncio.run(warm_up(args, plan, worker.pid))
	results, calibration = [], None
	try:
		core_rate = args.core_rate
		if not core_rate:
			calibration = asyncio.run(
				run_rate(args, plan, args.calibrate, args.calibrate_duration, tiers, conf, county_first=True)
			)
			calibration["label"] = "calibration"
			per_request = calibration["cpu_ms_per_request"]["web"] + database_ms(calibration)
			core_rate = 1000 / per_request
			print(json.dumps({k: v for k, v in calibration.items() if k != "operations"}), flush=True)
		for percent in [int(p) for p in args.fractions.split(",") if p.strip()]:
			result = asyncio.run(run_rate(args, plan, core_rate * percent / 100, args.duration, tiers, conf))
			result["label"] = f"{percent} % of one core"
			results.append(result)
			print(json.dumps({k: v for k, v in result.items() if k != "operations"}), flush=True)
	finally:
		os.killpg(worker.pid, signal.SIGTERM)
		worker.wait(30)
		web.stop()
	text = markdown(args, core_rate, calibration, [*([calibration] if calibration else []), *results])
	print(text)
	if args.record:
		load.record(args.record, text)
		print(f"recorded in {args.record}")
	return 1 if any(r["server_errors"] for r in results) else 0


if __name__ == "__main__":
	sys.exit(main())
