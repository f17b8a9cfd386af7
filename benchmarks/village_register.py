"""A village's household register at a real village's size: 800 households, 2,500 people.

Measures, in-process on a site of the bench (one connection, as a clerk's request would run):
- the import of the register from a CSV (`register.import_register`), and the same file again;
- a villagers' meeting counted from it, and attendance ticked for 400 households one tick at a time
  (`community_meeting.tick_attendance`, as the sign-in dialog and the door page call it: the meeting read,
  checked, the row written, the quorum recounted, committed): the time and the database queries of each
  tick, at the 1st, 100th, 200th, 300th and 400th tick;
- the sign-in sheet's PDF (民主决策会议签到表): its time and pages; the first page as a PNG (pdftoppm).

The village is made under units named 基准户籍…; a run deletes the previous run's records first. Run it
with the bench's Python from the sites folder, and append the figures to RESULTS.md with --record:

	cd /opt/frappe-bench/sites
	../env/bin/python /work/main/benchmarks/village_register.py --site <site> --record

With --ticks-only the import is not timed again and no PDF is made (a short run for the ticks).
"""

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import frappe
from frappe.utils import add_days, now_datetime

HOUSEHOLDS = 800
PEOPLE = 2500
TICKED = 400
PREFIX = "基准户籍"
HERE = Path(__file__).resolve().parent


def register_csv(rng: random.Random) -> bytes:
	"""800 households of 1 to 6 people, 2,500 in all: a head aged 30–80, then adults and children."""
	sizes = [3] * HOUSEHOLDS
	for _ in range(PEOPLE - sum(sizes)):
		sizes[rng.randrange(HOUSEHOLDS)] += 1
	lines = ["户号,姓名,户主,与户主关系,出生日期,年龄段,户籍,户代表,身份证号"]
	surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
	for h, size in enumerate(sizes, start=1):
		number = f"{h:04d}"
		for i in range(size):
			year = rng.randint(1945, 1995) if i == 0 else rng.randint(1950, 2020)
			head = "是" if i == 0 else "否"
			relation = "户主" if i == 0 else rng.choice(["配偶", "子", "女", "孙子", "孙女", "父", "母"])
			residence = "户籍" if rng.random() < 0.9 else "非户籍"
			name = f"{rng.choice(surnames)}{number}{i + 1}"
			lines.append(
				f"{number},{name},{head},{relation},{year}-{rng.randint(1, 12):02d}-15,,{residence},,"
			)
	return "\n".join(lines).encode("utf-8")


class QueryCounter:
	"""Counts `frappe.db.sql` calls while active."""

	def __enter__(self):
		self.count = 0
		self.original = frappe.db.sql

		def counted(*args, **kwargs):
			self.count += 1
			return self.original(*args, **kwargs)

		frappe.db.sql = counted
		return self

	def __exit__(self, *exc):
		frappe.db.sql = self.original


def purge():
	from community_consultation.tests.concurrency import purge_units

	units = frappe.get_all("Community Unit", filters={"unit_name": ("like", f"{PREFIX}%")}, pluck="name")
	if units:
		frappe.db.sql("delete from `tabVillage Household` where community_unit in %s", (tuple(units),))
		frappe.db.sql(
			"""delete from `tabHousehold Member` where parenttype = 'Village Household'
			and parent not in (select name from `tabVillage Household`)"""
		)
		for name in frappe.get_all("Community Meeting", {"community_unit": ("in", units)}, pluck="name"):
			frappe.db.sql("delete from `tabMeeting Attendance` where parent = %s", name)
			frappe.db.sql("delete from `tabMeeting Agenda Item` where parent = %s", name)
			frappe.db.sql("delete from `tabMeeting Notice Channel` where parent = %s", name)
			frappe.db.sql("delete from `tabCommunity Meeting` where name = %s", name)
		frappe.db.commit()
		purge_units(units)


def run(site: str, ticks_only: bool = False) -> dict:
	from community_consultation.decision_bodies.doctype.community_meeting.community_meeting import (
		tick_attendance,
	)
	from community_consultation.decision_bodies.register import import_register
	from community_consultation.tests.factory import make_topic, make_unit_tree
	from community_consultation.tests.meetings import meeting_values

	frappe.init(site=site)
	frappe.connect()
	frappe.set_user("Administrator")
	purge()
	rng = random.Random(22)
	units = make_unit_tree(PREFIX)
	village = units.village_a
	frappe.db.commit()
	content = register_csv(rng)
	figures = {"load": os.getloadavg()}

	t = time.perf_counter()
	counts = import_register(village, content, "register.csv")
	frappe.db.commit()
	figures["import"] = (time.perf_counter() - t, counts)
	print("import", figures["import"], flush=True)
	if not ticks_only:
		t = time.perf_counter()
		again = import_register(village, content, "register.csv")
		frappe.db.commit()
		figures["reimport"] = (time.perf_counter() - t, again)
		print("re-import", figures["reimport"], flush=True)

	topic = make_topic(village, title="基准村民会议议题")
	t = time.perf_counter()
	meeting = frappe.get_doc(
		meeting_values(
			village, topics=[topic], typed_basis_reason="", meeting_on=add_days(now_datetime(), -1)
		)
	).insert()
	frappe.db.commit()
	figures["meeting"] = (time.perf_counter() - t, meeting.basis_adults, meeting.basis_households)

	# one adult of each of the first 400 households, ticked one at a time
	heads = frappe.db.sql(
		"""select m.name from `tabHousehold Member` m join `tabVillage Household` h on h.name = m.parent
		where h.community_unit = %s and m.is_head = 1 order by h.household_no limit %s""",
		(village, TICKED),
		pluck=True,
	)
	ticks, every = [], []
	for i, member in enumerate(heads, start=1):
		with QueryCounter() as q:
			t = time.perf_counter()
			state = tick_attendance(meeting.name, [member])
			frappe.db.commit()
			elapsed = time.perf_counter() - t
		every.append((elapsed, q.count))
		if i in (1, 100, 200, 300, 400):
			ticks.append((i, elapsed, q.count, state["households_present"], state["quorate"]))
			print("tick", ticks[-1], flush=True)
	figures["ticks"] = ticks
	# single ticks are noisy on a shared machine: the mean of the first and the last 20 as well
	figures["tick_means"] = [
		(first, last, sum(e for e, _q in every[first - 1 : last]) / (last - first + 1))
		for first, last in ((1, 20), (TICKED - 19, TICKED))
	]
	figures["tick_queries"] = (min(q for _e, q in every), max(q for _e, q in every))
	figures["load_after_ticks"] = os.getloadavg()
	figures["mariadb"] = frappe.db.sql("select version()")[0][0]
	figures["when"] = now_datetime()
	if ticks_only:
		frappe.destroy()
		return figures

	# wkhtmltopdf fetches the print stylesheet from the site's URL: served here as the tests serve it
	sys.path.insert(0, str(HERE.parent / "tests"))
	from frappe.translate import print_language
	from test_print_formats import served_assets

	with served_assets(), print_language("zh"):
		t = time.perf_counter()
		pdf = frappe.get_print("Community Meeting", meeting.name, "民主决策会议签到表", as_pdf=True)
		figures["pdf_seconds"] = time.perf_counter() - t
	path = Path("/tmp/village_register_sign_in.pdf")
	path.write_bytes(pdf)
	from pypdf import PdfReader

	figures["pdf_pages"] = len(PdfReader(str(path)).pages)
	subprocess.run(
		["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(path), "/tmp/village_register_page"]
	)
	frappe.destroy()
	return figures


def report(figures: dict) -> str:
	load = ", ".join(f"{x:.2f}" for x in figures["load"])
	load_after = ", ".join(f"{x:.2f}" for x in figures["load_after_ticks"])
	seconds, counts = figures["import"]
	lines = [
		"",
		"## A village's household register (`benchmarks/village_register.py`)",
		"",
		f"In-process on the bench's site, {figures['when']:%Y-%m-%d %H:%M} (site time); {figures['mariadb']}; 2 cores shared "
		f"with other engineers' benches and tests (load average at the start {load}; after the ticks "
		f"{load_after}).",
		f"{HOUSEHOLDS} households, {PEOPLE} people (CSV, one line per person).",
		"",
		"| step | result |",
		"| --- | --- |",
		f"| import the register | {seconds:.1f} s: {counts.created} households created, {counts.members} members |",
		f"| a villagers' meeting counted from it | {figures['meeting'][0]:.2f} s: "
		f"{figures['meeting'][1]} adults, {figures['meeting'][2]} households |",
	]
	if "reimport" in figures:
		reseconds, again = figures["reimport"]
		lines.insert(
			-1,
			f"| the same file again | {reseconds:.1f} s: {again.unchanged} unchanged, {again.updated} updated |",
		)
	for i, elapsed, queries, households, quorate in figures["ticks"]:
		lines.append(
			f"| tick no. {i} (one member; households present after it: {households}, quorate {quorate}) | "
			f"{elapsed * 1000:.0f} ms, {queries} queries |"
		)
	for first, last, mean in figures["tick_means"]:
		lines.append(f"| ticks no. {first}–{last}, mean | {mean * 1000:.0f} ms |")
	lines.append(
		f"| queries per tick, all {TICKED} | {figures['tick_queries'][0]}–{figures['tick_queries'][1]} |"
	)
	if "pdf_seconds" in figures:
		lines.append(
			f"| sign-in sheet PDF (民主决策会议签到表) | {figures['pdf_seconds']:.1f} s, "
			f"{figures['pdf_pages']} A4 pages |"
		)
	return "\n".join(lines) + "\n"


def main():
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("--record", action="store_true", help="append the figures to benchmarks/RESULTS.md")
	parser.add_argument("--ticks-only", action="store_true", help="no second import, no PDF")
	args = parser.parse_args()
	text = report(run(args.site, args.ticks_only))
	sys.stdout.write(text)
	if args.record:
		with open(HERE / "RESULTS.md", "a") as f:
			f.write(text)


if __name__ == "__main__":
	main()
