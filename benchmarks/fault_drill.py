"""Fault drill: Redis or MariaDB restarted while clerks work.

A few clerks (from the plan of benchmarks/load_setup.py) keep reading their topics and saving a draft
session of their own against the local gunicorn server. The drill stops the service for a few seconds,
starts it again, and records, second by second, what the clerks got: how requests fail while the
service is away (status and message), how long after its return every clerk works again, and whether
anything acknowledged was lost or half-written. After the service returns it also checks that the RQ
workers run jobs again.

Redis and MariaDB are shared by every site of the bench: the drill keeps the outage short and always
starts the service again, also when it is interrupted. Run it with the server of benchmarks/run_load.sh
(or any gunicorn on 127.0.0.1) and the bench's Python:

	/opt/frappe-bench/env/bin/python benchmarks/fault_drill.py --service redis
	/opt/frappe-bench/env/bin/python benchmarks/fault_drill.py --service mariadb --record benchmarks/RESULTS.md

The exit status is 1 when the clerks do not all recover, when an acknowledged save is lost or a record
is half-written, or when the workers do not run a job after the service returned.
"""

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import check_loopback, error_text

SERVICES = {
	"redis": {
		"stop": ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave"],
		"start": [
			"redis-server",
			"--daemonize",
			"yes",
			"--bind",
			"127.0.0.1",
			"--port",
			"6379",
			"--save",
			"",
			"--appendonly",
			"no",
			"--dir",
			"/tmp",
		],
		"ping": ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"],
	},
	"mariadb": {
		"stop": ["mysqladmin", "-h", "127.0.0.1", "-uroot", "shutdown"],
		"start": ["start-stop-daemon", "--start", "--oknodo", "--background", "--exec", "/usr/sbin/mariadbd"],
		"ping": ["mysqladmin", "-h", "127.0.0.1", "-uroot", "ping"],
	},
}


FAULTS_INTRO = (
	"Redis or MariaDB stopped and started again while clerks read their topics and save their sessions "
	"against the gunicorn server (`benchmarks/run_load.sh drill redis|mariadb`)."
)


def parse_args(argv=None):
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--service", choices=sorted(SERVICES), required=True)
	parser.add_argument("--url", default="http://127.0.0.1:8040")
	parser.add_argument("--site", default="load.localhost")
	parser.add_argument("--bench", default=os.environ.get("FRAPPE_BENCH", "/opt/frappe-bench"))
	parser.add_argument(
		"--plan", help="plan of load_setup.py (default /tmp/community_consultation-load-<site>.json)"
	)
	parser.add_argument("--clerks", type=int, default=5)
	parser.add_argument("--before", type=float, default=8, help="seconds of normal work before the outage")
	parser.add_argument("--down", type=float, default=8, help="seconds the service stays down (at most 30)")
	parser.add_argument("--after", type=float, default=25, help="seconds of work after the service is back")
	parser.add_argument("--record", help="add the result to the 'Faults' section of this Markdown file")
	args = parser.parse_args(argv)
	check_loopback(args.url)
	args.down = min(args.down, 30)
	return args


# ------------------------------------------------------------------------------------ the service


def run(cmd: list[str]) -> bool:
	return subprocess.run(cmd, capture_output=True, text=True, timeout=30).returncode == 0


def is_up(service: str) -> bool:
	try:
		out = subprocess.run(SERVICES[service]["ping"], capture_output=True, text=True, timeout=5)
	except subprocess.TimeoutExpired:
		return False
	return out.returncode == 0 and ("PONG" in out.stdout or "alive" in out.stdout)


def start(service: str, wait: float = 60) -> float:
	"""Start the service if it is down; return when it answers (seconds waited)."""
	started = time.monotonic()
	if not is_up(service):
		run(SERVICES[service]["start"])
	while not is_up(service):
		if time.monotonic() - started > wait:
			raise RuntimeError(f"{service} did not come back within {wait} s: start it by hand now")
		time.sleep(0.2)
	return time.monotonic() - started


MYSQL = ["mysql", "-h", "127.0.0.1", "-uroot", "-N", "-B"]
# settings that a restart legitimately changes
RESTART_VARIABLES = re.compile(r"^(gtid_|timestamp|pseudo_|rand_seed|last_insert_id|insert_id|warning_count)")


def mariadb_globals() -> dict[str, str]:
	out = subprocess.run([*MYSQL, "-e", "show global variables"], capture_output=True, text=True, timeout=30)
	return dict(line.split("\t", 1) for line in out.stdout.splitlines() if "\t" in line)


def restore_mariadb_globals(before: dict[str, str]) -> list[str]:
	"""Settings made at run time (SET GLOBAL) are lost with a restart: set them again."""
	after = mariadb_globals()
	restored = []
	for name, value in before.items():
		if after.get(name) == value or RESTART_VARIABLES.match(name):
			continue
		quoted = value if re.fullmatch(r"-?\d+", value) else "'" + value.replace("'", "''") + "'"
		done = subprocess.run(
			[*MYSQL, "-e", f"set global {name} = {quoted}"], capture_output=True, timeout=30
		)
		if done.returncode == 0:
			restored.append(f"{name}={value}")
	return restored


def stop(service: str):
	run(SERVICES[service]["stop"])
	for _ in range(100):
		if not is_up(service):
			return
		time.sleep(0.1)
	raise RuntimeError(f"{service} did not stop")


# ------------------------------------------------------------------------------------ the clerks


class DrillClerk:
	def __init__(self, args, account: dict, log: list, t0: float):
		self.args, self.account, self.log, self.t0 = args, account, log, t0
		self.client = httpx.AsyncClient(
			base_url=args.url,
			headers={
				"Host": args.site,
				"Authorization": f"token {account['api_key']}:{account['api_secret']}",
				"Accept": "application/json",
			},
			timeout=httpx.Timeout(60.0),
		)
		self.session = None
		self.participants = 0
		self.acknowledged = None  # the venue of the last save the server confirmed
		self.stopping = False

	async def request(self, op: str, method: str, path: str, **kw):
		started = time.monotonic()
		try:
			response = await self.client.request(method, path, **kw)
			status, message = (
				response.status_code,
				(error_text(response) if response.status_code >= 400 else ""),
			)
			body = response.json() if status < 400 else None
		except httpx.HTTPError as e:
			status, message, body = "transport", f"{type(e).__name__}: {e}", None
		self.log.append(
			{
				"t": started - self.t0,
				"clerk": self.account["user"],
				"op": op,
				"status": status,
				"ms": round((time.monotonic() - started) * 1000),
				"message": message[:240],
			}
		)
		return body

	async def prepare(self):
		listed = await self.request(
			"list_topics",
			"GET",
			"/api/resource/Consultation Topic",
			params={
				"filters": json.dumps(
					[["community_unit", "=", self.account["unit"]], ["status", "=", "Accepted"]]
				),
				"order_by": "creation asc",
				"limit_page_length": 1,
			},
		)
		if not listed or not listed["data"]:
			raise SystemExit(f"no accepted topic left for {self.account['user']}: rerun load_setup.py")
		people = self.account["stakeholders"][:25]
		self.participants = len(people)
		roles = ["Convener", "Proposer"] + ["Participant"] * (len(people) - 2)
		created = await self.request(
			"create_session",
			"POST",
			"/api/resource/Consultation Session",
			json={
				"topic": listed["data"][0]["name"],
				"consultation_form": "党群联席会议",
				"starts_on": time.strftime("%Y-%m-%d 09:00:00", time.localtime(time.time() + 7 * 86400)),
				"venue": "村委会议室",
				"rules_of_procedure": "<p>一人一票，举手表决。</p>",
				"participants": [
					{"stakeholder": s, "participant_role": roles[i]} for i, s in enumerate(people)
				],
			},
		)
		if not created:
			raise SystemExit(f"could not create a session for {self.account['user']}: {self.log[-1]}")
		self.session = created["data"]["name"]
		self.acknowledged = created["data"]["venue"]

	async def work(self):
		"""Until `stopping` is set; a request under way is always finished (its answer recorded)."""
		n = 0
		while not self.stopping:
			n += 1
			await self.request(
				"list_topics",
				"GET",
				"/api/resource/Consultation Topic",
				params={
					"filters": json.dumps([["community_unit", "=", self.account["unit"]]]),
					"limit_page_length": 20,
				},
			)
			venue = f"村委会议室（第{n}次调整）"
			saved = await self.request(
				"save_session",
				"PUT",
				f"/api/resource/Consultation Session/{self.session}",
				json={"venue": venue},
			)
			if saved:
				self.acknowledged = venue
			await asyncio.sleep(random.uniform(0.1, 0.4))

	async def verify(self) -> list[str]:
		"""What this clerk's session holds now, compared with what the server acknowledged."""
		problems = []
		doc = await self.request("verify", "GET", f"/api/resource/Consultation Session/{self.session}")
		if not doc:
			return [f"{self.session}: could not be read after the drill"]
		data = doc["data"]
		if data["venue"] != self.acknowledged:
			problems.append(
				f"{self.session}: venue {data['venue']!r}, the last acknowledged save was {self.acknowledged!r}"
			)
		if len(data["participants"]) != self.participants:
			problems.append(
				f"{self.session}: {len(data['participants'])} participants, {self.participants} saved"
			)
		return problems


# ------------------------------------------------------------------------------------ workers


def workers_run_a_job(bench: str, site: str, wait: float = 60) -> tuple[bool, float]:
	"""Enqueue a job for the site and wait until an RQ worker has run it."""
	code = (
		"import frappe, time, sys\n"
		f"frappe.init({site!r}, sites_path='.'); frappe.connect()\n"
		"job = frappe.enqueue('frappe.ping', queue='short', job_id=None)\n"
		"frappe.db.commit()\n"
		"t = time.monotonic()\n"
		f"while time.monotonic() - t < {wait}:\n"
		"    s = job.get_status(refresh=True)\n"
		"    if s == 'finished': print(round(time.monotonic() - t, 1)); sys.exit(0)\n"
		"    if s == 'failed': sys.exit(2)\n"
		"    time.sleep(0.5)\n"
		"sys.exit(1)\n"
	)
	out = subprocess.run(
		[str(Path(bench) / "env" / "bin" / "python"), "-c", code],
		cwd=str(Path(bench) / "sites"),
		capture_output=True,
		text=True,
		timeout=wait + 60,
	)
	if out.returncode == 0:
		return True, float(out.stdout.strip().splitlines()[-1])
	return False, wait


# ------------------------------------------------------------------------------------ drill


async def drill(args) -> dict:
	plan = json.loads(Path(args.plan or f"/tmp/community_consultation-load-{args.site}.json").read_text())
	if not is_up(args.service):
		raise SystemExit(f"{args.service} is not running: the drill starts from a working server")
	log: list[dict] = []
	t0 = time.monotonic()
	clerks = [DrillClerk(args, a, log, t0) for a in plan["clerks"][: args.clerks]]
	await asyncio.gather(*(c.prepare() for c in clerks))

	events = {}
	settings = mariadb_globals() if args.service == "mariadb" else {}
	work = [asyncio.create_task(c.work()) for c in clerks]
	try:
		await asyncio.sleep(args.before)
		events["stopped"] = time.monotonic() - t0
		await asyncio.to_thread(stop, args.service)
		await asyncio.sleep(args.down)
	finally:
		# whatever happened, the service is started again, with its run-time settings
		events["restart"] = time.monotonic() - t0
		await asyncio.to_thread(start, args.service)
		events["back"] = time.monotonic() - t0
		if settings:
			restored = await asyncio.to_thread(restore_mariadb_globals, settings)
			print("MariaDB settings made at run time, set again: " + (", ".join(restored) or "none"))
	await asyncio.sleep(args.after)
	for clerk in clerks:
		clerk.stopping = True
	await asyncio.gather(*work)

	problems = []
	for clerk in clerks:
		problems += await clerk.verify()
		await clerk.client.aclose()
	worker_ok, worker_wait = await asyncio.to_thread(workers_run_a_job, args.bench, args.site)
	return analyse(args, log, events, problems, worker_ok, worker_wait, [c.account["user"] for c in clerks])


def analyse(args, log, events, problems, worker_ok, worker_wait, users) -> dict:
	def phase(entry):
		if entry["t"] < events["stopped"]:
			return "before"
		if entry["t"] < events["back"]:
			return "down"
		return "after"

	work_log = [e for e in log if e["op"] in ("list_topics", "save_session")]
	phases = {}
	for name in ("before", "down", "after"):
		entries = [e for e in work_log if phase(e) == name]
		ok = [e for e in entries if isinstance(e["status"], int) and e["status"] < 400]
		failed = [e for e in entries if e not in ok]
		messages = {}
		for e in failed:
			key = f"{OP_LABELS[e['op']]}: {e['status']} {short(e['message'])}"
			messages[key] = messages.get(key, 0) + 1
		phases[name] = {
			"requests": len(entries),
			"ok": len(ok),
			"failed": len(failed),
			"messages": messages,
			"p50_ms": sorted(e["ms"] for e in entries)[len(entries) // 2] if entries else 0,
			"max_ms": max((e["ms"] for e in entries), default=0),
		}

	# recovery: from the service answering again to each clerk's first success after it, and no
	# failure at all after the last clerk recovered
	recovered_at = {}
	for user in users:
		first = next(
			(e for e in work_log if e["clerk"] == user and e["t"] >= events["back"] and ok_status(e)), None
		)
		recovered_at[user] = first["t"] if first else None
	all_recovered = all(t is not None for t in recovered_at.values())
	last = max((t for t in recovered_at.values() if t is not None), default=None)
	later_failures = [e for e in work_log if last is not None and e["t"] > last and not ok_status(e)]
	return {
		"service": args.service,
		"date": time.strftime("%Y-%m-%d %H:%M"),
		"clerks": len(users),
		"down_s": round(events["back"] - events["stopped"], 1),
		"restart_s": round(events["back"] - events["restart"], 1),
		"phases": phases,
		"all_recovered": all_recovered,
		"recovery_s": round(last - events["back"], 1) if last is not None else None,
		"failures_after_recovery": len(later_failures),
		"problems": problems,
		"worker_ok": worker_ok,
		"worker_wait_s": worker_wait,
	}


def ok_status(entry) -> bool:
	return isinstance(entry["status"], int) and entry["status"] < 400


OP_LABELS = {"list_topics": "list topics (GET)", "save_session": "save session (PUT)"}


def short(message: str) -> str:
	message = re.sub(r"\s+", " ", message).strip()
	# an HTML error page gives its title and its heading: say it once
	message = re.sub(r"^(.+?) \1$", r"\1", message)
	return message[:160]


def print_result(r: dict):
	print(
		f"\n{r['service']} down for {r['down_s']} s under {r['clerks']} clerks (restart took {r['restart_s']} s)"
	)
	for name, p in r["phases"].items():
		print(
			f"  {name:<7} {p['requests']:>4} requests, {p['ok']:>4} ok, {p['failed']:>4} failed, "
			f"p50 {p['p50_ms']} ms, max {p['max_ms']} ms"
		)
		for message, n in p["messages"].items():
			print(f"           {n:>4} × {message}")
	print(
		f"  every clerk working again {r['recovery_s']} s after the service answered; "
		f"{r['failures_after_recovery']} failures after that"
		if r["all_recovered"]
		else "  NOT every clerk recovered"
	)
	print(f"  RQ workers ran a job after the restart: {r['worker_ok']} ({r['worker_wait_s']} s)")
	print(
		"  acknowledged saves and records: "
		+ ("all intact" if not r["problems"] else "; ".join(r["problems"]))
	)


def markdown(r: dict) -> str:
	lines = [
		f"### {r['service']} restarted under {r['clerks']} clerks ({r['date']})",
		"",
		f"Down for {r['down_s']} s (`benchmarks/fault_drill.py --service {r['service']}`).",
		"",
		"| phase | requests | ok | failed | p50 ms | max ms | what the failed requests got |",
		"| --- | ---: | ---: | ---: | ---: | ---: | --- |",
	]
	for name, p in r["phases"].items():
		got = "; ".join(f"{n} × {m}" for m, n in p["messages"].items()) or "—"
		lines.append(
			f"| {name} | {p['requests']} | {p['ok']} | {p['failed']} | {p['p50_ms']} | {p['max_ms']} | "
			f"{got.replace('|', '/')} |"
		)
	if r["phases"]["before"]["failed"]:
		lines += [
			"",
			"Requests count in the phase in which they started: the failures under *before* were under way "
			"when the service stopped.",
		]
	lines += [
		"",
		(
			f"Every clerk worked again {r['recovery_s']} s after the service answered, with "
			f"{r['failures_after_recovery']} failures after that"
			if r["all_recovered"]
			else "Not every clerk recovered"
		)
		+ f"; the RQ workers ran a new job {'in ' + str(r['worker_wait_s']) + ' s' if r['worker_ok'] else 'NOT within a minute'}; "
		+ (
			"every acknowledged save was there and no record was half-written."
			if not r["problems"]
			else "problems: " + "; ".join(r["problems"])
		),
		"",
	]
	return "\n".join(lines)


def record(path: str, section: str, service: str):
	"""One subsection per service under '## Faults', replacing this service's previous one; the rest of
	the file is left as it is."""
	file = Path(path)
	text = file.read_text() if file.exists() else "# Benchmark results\n"
	found = re.search(r"^## Faults\n(.*?)(?=^## (?!#)|\Z)", text, re.MULTILINE | re.DOTALL)
	if not found:
		file.write_text(text.rstrip("\n") + "\n\n## Faults\n\n" + FAULTS_INTRO + "\n\n" + section)
		return
	body = re.sub(
		rf"^### {service} restarted.*?(?=^### |\Z)", "", found.group(1), flags=re.MULTILINE | re.DOTALL
	)
	body = body.strip("\n")
	new = "## Faults\n\n" + (body + "\n\n" if body else "") + section
	rest = text[found.end() :]
	file.write_text(text[: found.start()] + new + ("\n" + rest if rest else ""))


def main(argv=None):
	args = parse_args(argv)
	try:
		result = asyncio.run(drill(args))
	finally:
		if not is_up(args.service):
			start(args.service)
	print_result(result)
	if args.record:
		record(args.record, markdown(result), args.service)
		print(f"recorded in {args.record}")
	bad = not result["all_recovered"] or result["problems"] or not result["worker_ok"]
	return 1 if bad else 0


if __name__ == "__main__":
	sys.exit(main())
