"""What the burst and open-loop runs share: the deployment's web server started and stopped, and the CPU
each tier used, read from /proc.

The web server is the one `bench setup supervisor` runs in production (and benchmarks/run_load.sh, and
scripts/cluster for each app server): `gunicorn -w N --threads 1 -t 120 --preload frappe.app:application`
from the bench's `sites` folder. nginx in front of it only passes the requests on (the app's pages are
not cached by nginx: docs/deployment.md), so the runs send them to gunicorn on 127.0.0.1.
"""

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class Gunicorn:
	"""The bench's gunicorn on 127.0.0.1:`port`, in a process group of its own, stopped by `stop()`."""

	def __init__(self, bench: str, port: int, workers: int, site: str, log: str):
		self.bench, self.port, self.workers, self.site, self.log = bench, port, workers, site, log
		self.process = None

	def start(self):
		try:
			httpx.get(f"http://127.0.0.1:{self.port}/", timeout=2)
			raise SystemExit(f"something already listens on 127.0.0.1:{self.port}")
		except httpx.TransportError:
			pass
		self.process = subprocess.Popen(
			[
				f"{self.bench}/env/bin/gunicorn",
				*("-b", f"127.0.0.1:{self.port}", "-w", str(self.workers), "--threads", "1", "-t", "120"),
				"--preload",
				"frappe.app:application",
			],
			cwd=f"{self.bench}/sites",
			stdout=open(self.log, "ab"),
			stderr=subprocess.STDOUT,
			start_new_session=True,
		)
		for _ in range(120):
			try:
				if self.get("/api/method/ping").status_code == 200:
					return self
			except httpx.TransportError:
				pass
			if self.process.poll() is not None:
				break
			time.sleep(1)
		self.stop()
		raise SystemExit(f"gunicorn did not come up on port {self.port}: see {self.log}")

	def get(self, path: str) -> httpx.Response:
		return httpx.get(f"http://127.0.0.1:{self.port}{path}", headers={"Host": self.site}, timeout=60)

	def pids(self) -> list[int]:
		"""The master and its workers."""
		return descendants(self.process.pid) if self.process else []

	def stop(self):
		if not self.process or self.process.poll() is not None:
			return
		os.killpg(self.process.pid, signal.SIGTERM)
		try:
			self.process.wait(30)
		except subprocess.TimeoutExpired:
			os.killpg(self.process.pid, signal.SIGKILL)
			self.process.wait()


def children(pid: int) -> list[int]:
	found = []
	for stat in Path("/proc").glob("[0-9]*/stat"):
		try:
			fields = stat.read_text().rsplit(")", 1)[1].split()
		except OSError:
			continue
		if int(fields[1]) == pid:
			found.append(int(stat.parent.name))
	return found


def descendants(pid: int) -> list[int]:
	"""`pid` and every process beneath it."""
	found = [pid]
	for child in children(pid):
		found += descendants(child)
	return found


def pids_named(name: str) -> list[int]:
	"""Processes whose command is `name` (e.g. mariadbd)."""
	found = []
	for comm in Path("/proc").glob("[0-9]*/comm"):
		try:
			if comm.read_text().strip() == name:
				found.append(int(comm.parent.name))
		except OSError:
			continue
	return found


def process_cpu_seconds(pids: list[int]) -> float:
	"""User + system CPU seconds of these processes so far, with their reaped children's
	(/proc/<pid>/stat utime, stime, cutime, cstime)."""
	total = 0
	for pid in pids:
		try:
			fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
		except OSError:
			continue
		total += sum(int(f) for f in fields[11:15])
	return total / CLOCK_TICKS


def load_average() -> str:
	return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def site_config_set(bench: str, site: str, key: str, value: int):
	"""`bench --site SITE set-config KEY VALUE --parse`."""
	command = ["bench", "--site", site, "set-config", key, str(value), "--parse"]
	subprocess.run(command, cwd=bench, check=True, capture_output=True)


def bench_execute(bench: str, site: str, method: str):
	subprocess.run(["bench", "--site", site, "execute", method], cwd=bench, check=True, capture_output=True)
