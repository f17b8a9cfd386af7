"""Benchmark the reports, a village clerk's list and saving a session, in one run on one site.

Run on a site filled by benchmarks/generate.py (timings are wall-clock medians of warm runs; the
first, cold run is shown too):

	cd /opt/frappe-bench/sites && ../env/bin/python /work/main/benchmarks/run.py --site bench.localhost

Measures
1. the Consultation Annual Return Figures for the whole city (Administrator) — the report's `execute`, and the
   whole `frappe.desk.query_report.run` call the desk makes — against a hand-written aggregate
   query over the same rows (the four datasets summed per unit: no unit tree, scope or rollup);
2. the same return for one township;
3. a village clerk's topic list: `frappe.desk.reportview.get` (the list view's call) and its count,
   as a Committee Clerk with a User Permission on the busiest village;
4. saving a session with 50 participants (insert, submit) against inserting the same 51 rows as bare
   ToDo documents, and against writing them with `db_insert` and no controller at all;
5. SQL queries per session insert and submit for 10, 30 and 50 participants (a + b·n).

Everything the session benchmark writes is rolled back. `--indexes` first adds the indexes proposed
in RESULTS.md (on this site only; the app adds them in `on_doctype_update`), `--indexes drop`
removes them, to measure without.
"""

import argparse
import json
import platform
import statistics
import time
from contextlib import contextmanager

import frappe
from frappe.utils import getdate, nowdate

RUNS = 5
PROPOSED_INDEXES = (
	("Consultation Topic", ["proposed_on"]),
	("Consultation Outcome", ["filed_on"]),
	("Consultation Participant", ["parent", "attended"]),
	("Implementation Update", ["parent", "percent_complete", "update_on"]),
)


def timed(fn, runs: int = RUNS) -> dict:
	"""Cold (first) run and the median of `runs` warm runs, in milliseconds."""
	start = time.perf_counter()
	result = fn()
	cold = (time.perf_counter() - start) * 1000
	warm = []
	for _ in range(runs):
		start = time.perf_counter()
		fn()
		warm.append((time.perf_counter() - start) * 1000)
	return {"cold_ms": round(cold, 1), "median_ms": round(statistics.median(warm), 1), "result": result}


@contextmanager
def counting_queries():
	queries = []
	orig_sql = frappe.db.__class__.sql

	def sql(db, *args, **kwargs):
		queries.append(args[0] if args else kwargs.get("query"))
		return orig_sql(db, *args, **kwargs)

	frappe.db.__class__.sql = sql
	try:
		yield queries
	finally:
		frappe.db.__class__.sql = orig_sql


# ---------------------------------------------------------------------- reports


def hand_written_return(year: int) -> list:
	"""The floor: the same rows read once, summed per unit, by one hand-written statement."""
	from community_consultation.reporting.figures import period_indexes

	start, end = f"{year}-01-01", f"{year}-12-31"
	# the same index choice as the report's: a hand-written query would name the date index too
	hint = {t: f"force index (`{i}`)" for t, i in period_indexes().items()}
	topic_hint, session_hint, outcome_hint = (
		hint.get("tabConsultation Topic", ""),
		hint.get("tabConsultation Session", ""),
		hint.get("tabConsultation Outcome", ""),
	)
	return frappe.db.sql(
		f"""
		select unit, sum(topics), sum(building), sum(escalations), sum(sessions), sum(consensus),
			sum(second_rounds), sum(referrals), sum(participants), sum(attended), sum(outcomes),
			sum(on_time), sum(overdue), sum(entrusted), sum(reported)
		from (
			select t.community_unit as unit, count(*) as topics, sum(t.level = 'Building') as building,
				sum(t.escalated_from is not null) as escalations, 0 as sessions, 0 as consensus,
				0 as second_rounds, 0 as referrals, 0 as participants, 0 as attended, 0 as outcomes,
				0 as on_time, 0 as overdue, 0 as entrusted, 0 as reported
			from `tabConsultation Topic` t {topic_hint} where t.proposed_on between %(start)s and %(end)s
			group by t.community_unit
			union all
			select s.community_unit, 0, 0, 0, count(*), sum(s.result = 'Consensus'), sum(s.round_no > 1),
				sum(s.result = 'Referred to Villagers'' Meeting'), 0, 0, 0, 0, 0, 0, 0
			from `tabConsultation Session` s {session_hint}
			where s.docstatus = 1 and s.starts_on >= %(start)s and s.starts_on < %(end)s + interval 1 day
			group by s.community_unit
			union all
			select s.community_unit, 0, 0, 0, 0, 0, 0, 0, count(*), sum(p.attended), 0, 0, 0, 0, 0
			from `tabConsultation Session` s {session_hint}
			join `tabConsultation Participant` p on p.parent = s.name
			where s.docstatus = 1 and s.starts_on >= %(start)s and s.starts_on < %(end)s + interval 1 day
			group by s.community_unit
			union all
			select o.community_unit, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*),
				sum(o.status = 'Implemented' and (select min(u.update_on) from `tabImplementation Update` u
					where u.parent = o.name and u.percent_complete >= 100) <= o.implementation_deadline),
				sum(o.percent_complete < 100 and o.implementation_deadline < %(today)s),
				sum(o.implementer_type = 'Government Entrusted'),
				sum(o.implementer_type = 'Government Entrusted' and o.reported_to_government_on is not null)
			from `tabConsultation Outcome` o {outcome_hint}
			where o.docstatus = 1 and o.filed_on >= %(start)s and o.filed_on < %(end)s + interval 1 day
			group by o.community_unit
		) a
		group by unit
		""",
		{"start": start, "end": end, "today": nowdate()},
	)


def bench_reports(year: int) -> dict:
	from frappe.desk.query_report import run

	from community_consultation.community_consultation.report.consultation_annual_return_figures.consultation_annual_return_figures import (
		execute,
	)

	frappe.set_user("Administrator")
	township = frappe.db.sql(
		"""select t.name from `tabCommunity Unit` t
		where t.unit_type = 'Township' order by t.lft limit 1"""
	)[0][0]
	city = timed(lambda: execute({"year": year}))
	total = city.pop("result")[1][0]
	desk = timed(
		lambda: run("Consultation Annual Return Figures", filters={"year": year}, ignore_prepared_report=True)
	)
	desk.pop("result")
	floor = timed(lambda: hand_written_return(year))
	floor_rows = floor.pop("result")
	floor_topics = sum(int(r[1] or 0) for r in floor_rows)
	floor_participants = sum(int(r[8] or 0) for r in floor_rows)
	one_township = timed(lambda: execute({"year": year, "community_unit": township}))
	one_township.pop("result")
	return {
		"city_return_execute": city,
		"city_return_desk_run": desk,
		"hand_written_aggregate": floor,
		"city_vs_hand_written": round(city["median_ms"] / floor["median_ms"], 2),
		"same_rows": {
			"report_topics": total["topics"],
			"floor_topics": floor_topics,
			"report_participants": total["participants"],
			"floor_participants": floor_participants,
		},
		"township": township,
		"township_return_execute": one_township,
	}


# ---------------------------------------------------------------------- a village clerk's list


def bench_village_list() -> dict:
	from frappe.desk.reportview import get, get_count

	from community_consultation.tests.users import make_user

	village = frappe.db.sql(
		"""select t.community_unit from `tabConsultation Topic` t
		join `tabCommunity Unit` u on u.name = t.community_unit and u.unit_type in ('Village', 'Community')
		group by t.community_unit order by count(*) desc limit 1"""
	)[0][0]
	clerk = make_user("bench-clerk@example.com", ["Committee Clerk"], [village])
	frappe.db.commit()
	fields = [
		"`tabConsultation Topic`.`name`",
		"`tabConsultation Topic`.`title`",
		"`tabConsultation Topic`.`category`",
		"`tabConsultation Topic`.`community_unit`",
		"`tabConsultation Topic`.`status`",
		"`tabConsultation Topic`.`level`",
		"`tabConsultation Topic`.`modified`",
	]
	args = {
		"doctype": "Consultation Topic",
		"fields": fields,
		"filters": [],
		"order_by": "`tabConsultation Topic`.`creation` desc",
		"start": 0,
		"page_length": 20,
		"with_comment_count": 1,
	}
	frappe.set_user(clerk)
	try:
		frappe.local.form_dict = frappe._dict(args)
		page = timed(lambda: get(), runs=20)
		rows = page.pop("result")
		count = timed(lambda: get_count(doctype="Consultation Topic", filters=[]), runs=20)
		visible = count.pop("result")
		frappe.local.form_dict = frappe._dict({**args, "page_length": 20, "start": 0})
		with counting_queries() as queries:
			get()
		units = set(frappe.get_list("Consultation Topic", pluck="community_unit", limit=0, distinct=True))
	finally:
		frappe.set_user("Administrator")
		frappe.local.form_dict = frappe._dict()
	# Frappe lets a user see records whose unit is empty unless permissions are strict, which turns
	# the count's condition into `ifnull(community_unit, '') = '' or community_unit in (...)` and
	# defeats the index; the unit is required everywhere, so strict mode shows the same records
	strict_before = frappe.db.get_single_value("System Settings", "apply_strict_user_permissions")
	frappe.db.set_single_value("System Settings", "apply_strict_user_permissions", 1)
	frappe.clear_cache()
	frappe.set_user(clerk)
	try:
		frappe.local.form_dict = frappe._dict(args)
		strict_page = timed(lambda: get(), runs=20)
		strict_page.pop("result")
		strict_count = timed(lambda: get_count(doctype="Consultation Topic", filters=[]), runs=20)
		strict_visible = strict_count.pop("result")
	finally:
		frappe.set_user("Administrator")
		frappe.local.form_dict = frappe._dict()
		frappe.db.set_single_value("System Settings", "apply_strict_user_permissions", strict_before)
		frappe.db.commit()
		frappe.clear_cache()
	in_subtree = frappe.db.sql(
		"""select count(*) from `tabConsultation Topic` t join `tabCommunity Unit` u on u.name = t.community_unit
		join `tabCommunity Unit` v on v.name = %s where u.lft >= v.lft and u.rgt <= v.rgt""",
		village,
	)[0][0]
	return {
		"village": village,
		"topics_in_village_subtree": in_subtree,
		"list_page_20": page,
		"list_count": count,
		"count_seen_by_clerk": visible,
		"strict_user_permissions": {
			"list_page_20": strict_page,
			"list_count": strict_count,
			"count_seen_by_clerk": strict_visible,
		},
		"rows_returned": len(rows.get("values", [])) if isinstance(rows, dict) else len(rows),
		"queries_per_list_call": len(queries),
		"clerk_sees_only_the_village": units
		<= set(
			frappe.db.sql_list(
				"""select u.name from `tabCommunity Unit` u join `tabCommunity Unit` v on v.name = %s
				where u.lft >= v.lft and u.rgt <= v.rgt""",
				village,
			)
		),
	}


# ---------------------------------------------------------------------- saving a session


def bench_session_save() -> dict:
	from community_consultation.tests.factory import held_values, make_topic, session_values

	frappe.set_user("Administrator")
	frappe.flags.mute_emails = True
	village = frappe.db.sql(
		"""select v.name from `tabCommunity Unit` v where v.unit_type in ('Village', 'Community')
		order by v.lft limit 1"""
	)[0][0]
	people = frappe.db.sql_list(
		"""select s.name from `tabStakeholder` s join `tabCommunity Unit` u on u.name = s.community_unit
		join `tabCommunity Unit` v on v.name = %s where u.lft >= v.lft and u.rgt <= v.rgt
		order by s.name limit 50""",
		village,
	)
	assert len(people) == 50, f"{village} has {len(people)} stakeholders; 50 are needed"

	def new_session(n: int):
		topic = make_topic(village, stakeholders=people[:n], title="基准测试议题")
		values = session_values(topic, people[:n])
		values.update(held_values("Consensus", attendees=n))
		return frappe.get_doc(values)

	result = {"village": village}
	insert_ms, submit_ms, todo_ms, raw_ms = [], [], [], []
	for _ in range(RUNS + 1):
		doc = new_session(50)
		start = time.perf_counter()
		doc.insert()
		insert_ms.append((time.perf_counter() - start) * 1000)
		start = time.perf_counter()
		doc.submit()
		submit_ms.append((time.perf_counter() - start) * 1000)

		start = time.perf_counter()
		for i in range(51):
			frappe.get_doc({"doctype": "ToDo", "description": f"基准测试 {i}", "allocated_to": None}).insert()
		todo_ms.append((time.perf_counter() - start) * 1000)

		raw = new_session(50)
		raw.round_no = 1
		raw.name = frappe.generate_hash(length=12)
		start = time.perf_counter()
		raw.db_insert()
		for row in raw.participants:
			row.parent, row.parenttype, row.parentfield = raw.name, raw.doctype, "participants"
			row.db_insert()
		raw_ms.append((time.perf_counter() - start) * 1000)
		frappe.db.rollback()

	def stats(values):
		return {"cold_ms": round(values[0], 1), "median_ms": round(statistics.median(values[1:]), 1)}

	result["session_insert_50"] = stats(insert_ms)
	result["session_submit_50"] = stats(submit_ms)
	result["session_insert_plus_submit_50"] = stats(
		[a + b for a, b in zip(insert_ms, submit_ms, strict=True)]
	)
	result["todo_51_inserts"] = stats(todo_ms)
	result["db_insert_floor_51_rows"] = stats(raw_ms)
	result["insert_vs_todo_floor"] = round(
		result["session_insert_50"]["median_ms"] / result["todo_51_inserts"]["median_ms"], 2
	)

	counts = {}
	for n in (10, 30, 50):
		doc = new_session(n)
		with counting_queries() as queries:
			doc.insert()
		inserted = len(queries)
		with counting_queries() as queries:
			doc.submit()
		counts[n] = {"insert": inserted, "submit": len(queries)}
		frappe.db.rollback()
	with counting_queries() as queries:
		for i in range(51):
			frappe.get_doc({"doctype": "ToDo", "description": f"基准测试 {i}"}).insert()
	frappe.db.rollback()
	counts["todo_51_inserts"] = len(queries)
	for step in ("insert", "submit"):
		slope = (counts[50][step] - counts[10][step]) / 40
		counts[f"{step}_per_participant"] = slope
		counts[f"{step}_constant"] = counts[10][step] - slope * 10
	result["queries"] = counts
	return result


def index_name(fields: list[str]) -> str:
	return "_".join(fields) + "_index"


def proposed_indexes_present() -> list[str]:
	return [
		f"{doctype}({', '.join(fields)})"
		for doctype, fields in PROPOSED_INDEXES
		if frappe.db.has_index(f"tab{doctype}", index_name(fields))
	]


def add_indexes():
	for doctype, fields in PROPOSED_INDEXES:
		frappe.db.add_index(doctype, fields)
	frappe.db.commit()


def drop_indexes():
	for doctype, fields in PROPOSED_INDEXES:
		if frappe.db.has_index(f"tab{doctype}", index_name(fields)):
			frappe.db.sql_ddl(f"alter table `tab{doctype}` drop index `{index_name(fields)}`")


def main(argv=None):
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", default=".")
	parser.add_argument("--year", type=int, default=None)
	parser.add_argument(
		"--indexes",
		choices=("keep", "add", "drop"),
		default="keep",
		help="add or drop the proposed indexes first (on this site only)",
	)
	parser.add_argument("--only", choices=("reports", "list", "session"), default=None)
	parser.add_argument("--json", help="also write the figures to this file")
	args = parser.parse_args(argv)

	frappe.init(args.site, sites_path=args.sites_path)
	frappe.connect()
	if not frappe.conf.get("benchmark_site"):
		raise SystemExit(f"{args.site} is not a benchmark site (see benchmarks/generate.py)")
	if args.indexes == "add":
		add_indexes()
	elif args.indexes == "drop":
		drop_indexes()
	year = args.year or getdate(nowdate()).year
	sizes = {
		t: frappe.db.sql(f"select count(*) from `tab{t}`")[0][0]
		for t in (
			"Community Unit",
			"Stakeholder",
			"Consultation Topic",
			"Consultation Session",
			"Consultation Participant",
			"Consultation Outcome",
			"Implementation Update",
		)
	}
	figures = {
		"machine": {
			"cpus": __import__("os").cpu_count(),
			"python": platform.python_version(),
			"mariadb": frappe.db.sql("select version()")[0][0],
			"innodb_buffer_pool_mb": int(frappe.db.sql("select @@innodb_buffer_pool_size")[0][0]) // 2**20,
			"frappe": frappe.__version__,
		},
		"year": year,
		"rows": sizes,
		"proposed_indexes_present": proposed_indexes_present(),
	}
	if args.only in (None, "reports"):
		figures["reports"] = bench_reports(year)
	if args.only in (None, "list"):
		figures["village_list"] = bench_village_list()
	if args.only in (None, "session"):
		figures["session_save"] = bench_session_save()
	text = json.dumps(figures, indent=1, ensure_ascii=False, default=str)
	print(text)
	if args.json:
		with open(args.json, "w") as f:
			f.write(text + "\n")
	frappe.db.rollback()
	frappe.destroy()


if __name__ == "__main__":
	main()
