"""A share burst on a public page: 200 guests open one unit's page within 10 seconds, as when an
outcome's page is shared in a village's WeChat group, with the public pages' cache and without it.

For each phase (cache on, cache off) it starts the deployment's web server (benchmarks/servers.py:
gunicorn as `bench setup supervisor` runs it) on 127.0.0.1, warms it with three requests, empties the
public pages' cache, then sends the guests at random moments spread evenly over the window, each a new
client without cookies (a phone opening the link), and stops the server again. The cache is turned off
with the site config `disable_website_cache` (Frappe's own switch, which the app's cache follows) and
turned back on at the end, whatever happens. Only this machine is driven.

	cd $BENCH && env/bin/python <checkout>/benchmarks/burst.py --site dev.localhost --bench $BENCH
	... --unit <Community Unit> --guests 200 --window 10 --workers 4 --port 8015 --record <checkout>/benchmarks/RESULTS.md

It prints, and with `--record` writes to the section "Public pages: a share burst" of RESULTS.md, each
phase's p50/p95/max, errors, pages per second and the web tier's CPU milliseconds per page (gunicorn's
master and workers, from /proc), with the machine's load average at the start.
"""

import argparse
import asyncio
import random
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from load import check_loopback, percentile, record, site_db
from servers import Gunicorn, bench_execute, load_average, process_cpu_seconds, site_config_set

SECTION = "## Public pages: a share burst"


def parse_args(argv=None):
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", required=True)
	parser.add_argument("--bench", required=True)
	parser.add_argument(
		"--unit", help="the unit whose page is shared (default: the one with most public outcomes)"
	)
	parser.add_argument("--guests", type=int, default=200)
	parser.add_argument("--window", type=float, default=10, help="seconds over which the guests arrive")
	parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
	parser.add_argument("--port", type=int, default=8015)
	parser.add_argument("--phases", default="on,off", help="cache on, off, or both (default on,off)")
	parser.add_argument("--seed", type=int, default=2026)
	parser.add_argument("--record", help="write the figures to this Markdown file")
	args = parser.parse_args(argv)
	check_loopback("http://127.0.0.1")
	return args


def busiest_unit(bench: str, site: str) -> str:
	"""The unit with the most outcomes whose publicity has started."""
	conn = site_db(bench, site)
	try:
		with conn.cursor() as cur:
			cur.execute(
				"""select community_unit from `tabConsultation Outcome`
				where docstatus = 1 and publicity_from <= curdate()
				group by community_unit order by count(*) desc limit 1"""
			)
			row = cur.fetchone()
	finally:
		conn.close()
	if not row:
		sys.exit(f"no public outcome on {site}: give --unit")
	return row[0]


async def guest(url: str, site: str, delay: float, samples: list, errors: list):
	await asyncio.sleep(delay)
	started = time.perf_counter()
	try:
		async with httpx.AsyncClient(timeout=120) as client:
			response = await client.get(url, headers={"Host": site, "Accept-Language": "zh-CN"})
		elapsed = time.perf_counter() - started
		if response.status_code != 200:
			errors.append(str(response.status_code))
		samples.append((elapsed, response.headers.get("X-From-Cache") == "True"))
	except httpx.HTTPError as e:
		errors.append(type(e).__name__)
		samples.append((time.perf_counter() - started, False))


async def burst(url: str, args, rng: random.Random) -> tuple[list, list, float]:
	samples, errors = [], []
	delays = sorted(rng.uniform(0, args.window) for _ in range(args.guests))
	started = time.perf_counter()
	await asyncio.gather(*(guest(url, args.site, d, samples, errors) for d in delays))
	return samples, errors, time.perf_counter() - started


def phase(args, unit: str, cache: bool) -> dict:
	site_config_set(args.bench, args.site, "disable_website_cache", 0 if cache else 1)
	log = f"/tmp/community_consultation-burst-{args.site}.log"
	server = Gunicorn(args.bench, args.port, args.workers, args.site, log).start()
	try:
		path = f"/consultation/{quote(unit)}"
		for _ in range(3):
			server.get(path)
		bench_execute(args.bench, args.site, "community_consultation.portal.public_cache.drop_all_pages")
		load = load_average()
		cpu_before = process_cpu_seconds(server.pids())
		samples, errors, elapsed = asyncio.run(
			burst(f"http://127.0.0.1:{args.port}{path}", args, random.Random(args.seed))
		)
		cpu = process_cpu_seconds(server.pids()) - cpu_before
	finally:
		server.stop()
	times = [s for s, _hit in samples]
	return {
		"cache": cache,
		"load": load,
		"guests": len(samples),
		"errors": len(errors),
		"error_kinds": sorted(set(errors)),
		"from_cache": sum(1 for _s, hit in samples if hit),
		"p50_ms": round(percentile(times, 50) * 1000),
		"p95_ms": round(percentile(times, 95) * 1000),
		"max_ms": round(max(times) * 1000),
		"elapsed_s": round(elapsed, 1),
		"web_cpu_ms_per_page": round(cpu * 1000 / max(len(samples), 1), 1),
	}


def markdown(args, unit: str, results: list[dict]) -> str:
	lines = [
		SECTION,
		"",
		f"`benchmarks/burst.py`: {args.guests} guests open the page of one unit (`{unit}`) at random moments "
		f"within {args.window:g} s, each a new client without cookies, through gunicorn "
		f"(`-w {args.workers} --threads 1 --preload`, as `bench setup supervisor` runs it) on this machine; "
		f"{time.strftime('%Y-%m-%d %H:%M')}, site `{args.site}`. Load average (1, 5, 15 min) at the start of "
		"each phase: above the machine's cores, other work queues with the guests and the latencies measure it.",
		"",
		"| cache | load average at start | guests | errors | served from the cache | p50 ms | p95 ms | max ms "
		"| last answer after s | web CPU ms per page |",
		"| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
	]
	for r in results:
		lines.append(
			f"| {'on' if r['cache'] else 'off'} | {r['load']} | {r['guests']} | {r['errors']}"
			f"{' (' + ', '.join(r['error_kinds']) + ')' if r['error_kinds'] else ''} | {r['from_cache']} | "
			f"{r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} | {r['elapsed_s']} | {r['web_cpu_ms_per_page']} |"
		)
	return "\n".join(lines) + "\n"


def main(argv=None):
	args = parse_args(argv)
	unit = args.unit or busiest_unit(args.bench, args.site)
	results = []
	try:
		for name in args.phases.split(","):
			results.append(phase(args, unit, cache=name.strip() == "on"))
			print(results[-1], flush=True)
	finally:
		site_config_set(args.bench, args.site, "disable_website_cache", 0)
	text = markdown(args, unit, results)
	print(text)
	if args.record:
		record(args.record, text)
		print(f"recorded in {args.record}")
	return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
	sys.exit(main())
