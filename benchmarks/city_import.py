"""A real city's size: its division list and its staff imported, then its reports and public pages.

	cd /opt/frappe-bench/sites && ../env/bin/python /path/to/checkout/benchmarks/city_import.py --site SITE

On any site with the app (the demo's is fine): everything runs in one transaction that is rolled back at
the end, so the site is left as it was (`--keep` commits instead). The city is generated
(`community_consultation/tests/division_list.py`: 8 counties, 92 townships, 1,235 villages and
communities, 211 village rows sharing a name) under a city code the site does not use yet.

Measures, each with its hand-written floor in the same run:
1. the import of the list (`units.importer.import_units`): seconds and SQL queries; its re-run; the floor
   is the same units written with one multi-row INSERT and the nested set computed in Python;
2. the import of 1,000 staff accounts (`units.staff.import_staff`, one clerk per village): seconds and
   queries, and a check that each has exactly one role and one User Permission;
3. with `--cases N` villages holding a published outcome each: the city's Consultation Annual Return Figures
   (`execute`) against benchmarks/run.py's hand-written aggregate; the Township Overview of the whole
   city against one grouped query per figure; the public index page (/consultation) against the
   public page of one village (the target: no slower).

`--only overview` imports the city and its cases and times the Township Overview alone (no staff, no
return, no pages): a run of a minute or two.
"""

import argparse
import json
import os
import platform
import sys
import time

import frappe
from run import counting_queries, hand_written_return, timed  # benchmarks/run.py, beside this file


def free_city_code() -> str:
	"""A 4-digit city code none of the site's units uses."""
	for city in range(4419, 4499):
		if not frappe.db.exists("Community Unit", {"unit_code": ("like", f"{city}%")}):
			return str(city)
	raise SystemExit("no free city code")


def stage(text: str):
	print(f"{time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def once(label: str, fn):
	stage(label)
	with counting_queries() as queries:
		start = time.perf_counter()
		result = fn()
		seconds = time.perf_counter() - start
	return result, round(seconds, 2), len(queries)


def floor_insert(rows) -> float:
	"""The same units with one multi-row INSERT and the nested set computed in Python, then removed."""
	from community_consultation.units import codes

	units = [r for r in rows[1:] if codes.unit_type_of(codes.normalise_code(r[0]) or "000000000000")]
	start = time.perf_counter()
	now = frappe.utils.now()
	values = [
		(f"floor-{r[0]}", r[1], codes.unit_type_of(r[0]), f"floor-{r[3]}", f"F{r[0]}", now, now, i, i + 1)
		for i, r in enumerate(units)
	]
	frappe.db.sql(
		"""insert into `tabCommunity Unit` (name, unit_name, unit_type, parent_community_unit, unit_code,
		creation, modified, lft, rgt) values {}""".format(", ".join(["%s"] * len(values))),
		tuple(values),
	)
	seconds = time.perf_counter() - start
	frappe.db.sql("delete from `tabCommunity Unit` where name like 'floor-%%'")
	return round(seconds, 2)


def staff_rows(city: str, count: int):
	villages = frappe.get_all(
		"Community Unit",
		filters={"unit_code": ("like", f"{city}%"), "unit_type": ("in", ("Village", "Community"))},
		pluck="unit_code",
		order_by="unit_code",
		limit=count,
	)
	header = ("姓名", "手机号", "角色", "单位代码")
	return [header] + [
		(f"文书{i:04d}", f"1370{i:07d}", "Committee Clerk", code) for i, code in enumerate(villages)
	]


def make_cases(city: str, count: int) -> list[str]:
	from community_consultation.tests.factory import make_outcome, make_people, make_session, make_topic

	villages = frappe.get_all(
		"Community Unit",
		filters={"unit_code": ("like", f"{city}%"), "unit_type": "Village"},
		pluck="name",
		order_by="unit_code",
	)
	step = max(1, len(villages) // count)
	chosen = villages[::step][:count]
	for village in chosen:
		people = make_people(village)
		topic = make_topic(village, stakeholders=people, title="修缮村道路灯")
		make_outcome(make_session(topic, people))
	return chosen


def render(path: str) -> str:
	from urllib.parse import quote

	from frappe.utils import set_request
	from frappe.website.serve import get_response

	user = frappe.session.user
	frappe.set_user("Guest")
	try:
		set_request(method="GET", path=quote(path))
		return get_response(path).get_data(as_text=True)
	finally:
		frappe.local.request = None
		frappe.set_user(user)


def hand_written_overview():
	return frappe.db.sql(
		"""select v.name, count(t.name)
		from `tabCommunity Unit` v
		left join `tabConsultation Topic` t on t.community_unit = v.name
		where v.unit_type in ('Village', 'Community')
		group by v.name"""
	)


def time_overview() -> dict:
	"""The Township Overview of the whole city (`execute`, no unit chosen) against one grouped query of
	the villages' topics, with its rows and queries."""
	from community_consultation.township.report.township_overview.township_overview import execute

	stage("township overview")
	with counting_queries() as queries:
		rows = execute({})[1]
	overview = timed(lambda: execute({}))
	overview.pop("result")
	floor = timed(hand_written_overview)
	floor.pop("result")
	return {
		**overview,
		"villages": len(rows),
		"queries": len(queries),
		"floor": floor,
		"ratio": round(overview["median_ms"] / floor["median_ms"], 2),
	}


def main(argv=None):
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("--staff", type=int, default=1000)
	parser.add_argument("--cases", type=int, default=40)
	parser.add_argument("--keep", action="store_true", help="commit the city instead of rolling back")
	parser.add_argument("--only", choices=("overview",), help="import the city, then time this alone")
	args = parser.parse_args(argv)
	frappe.init(site=args.site)
	frappe.connect()
	frappe.set_user("Administrator")
	from community_consultation.tests.division_list import as_csv, city_rows
	from community_consultation.units.importer import import_units
	from community_consultation.units.staff import import_staff

	out = {"load_average": os.getloadavg(), "python": platform.python_version()}
	try:
		city = free_city_code()
		rows = city_rows(city=city)
		content = as_csv(rows)
		result, seconds, queries = once("import", lambda: import_units(content, "city.csv"))
		out["import"] = {"units": len(result.created), "seconds": seconds, "queries": queries}
		out["import_floor_seconds"] = floor_insert(rows)
		again, seconds, queries = once("re-run", lambda: import_units(content, "city.csv"))
		out["rerun"] = {"unchanged": again.unchanged, "seconds": seconds, "queries": queries}

		chosen, seconds, _queries = once("cases", lambda: make_cases(city, args.cases))
		out["cases"] = {"villages_with_a_published_outcome": len(chosen), "seconds": seconds}
		if args.only == "overview":
			out["township_overview_whole_city"] = time_overview()
			return
		staff = as_csv(staff_rows(city, args.staff))
		accounts, seconds, queries = once("staff", lambda: import_staff(staff, "staff.csv"))
		users = accounts.created
		wrong = frappe.db.sql(
			"""select u.name from `tabUser` u where u.name in %(users)s and (
				(select count(*) from `tabHas Role` r where r.parent = u.name and r.parenttype = 'User') != 1
				or (select count(*) from `tabUser Permission` p where p.user = u.name) != 1)""",
			{"users": users or [""]},
		)
		out["staff"] = {
			"accounts": len(users),
			"seconds": seconds,
			"queries": queries,
			"per_account_ms": round(seconds * 1000 / max(1, len(users)), 1),
			"accounts_without_exactly_one_role_and_unit": len(wrong),
		}

		year = frappe.utils.getdate().year
		from community_consultation.community_consultation.report.consultation_annual_return_figures.consultation_annual_return_figures import (
			execute as yearly_return,
		)

		stage("reports and pages")
		report = timed(lambda: yearly_return({"year": year}))
		report.pop("result")
		floor = timed(lambda: hand_written_return(year))
		floor.pop("result")
		out["city_return"] = {
			**report,
			"floor": floor,
			"ratio": round(report["median_ms"] / floor["median_ms"], 2),
		}
		out["township_overview_whole_city"] = time_overview()
		index = timed(lambda: render("/consultation"))
		html = index.pop("result")
		unit_page = timed(lambda: render(f"/consultation/{chosen[0]}"))
		unit_page.pop("result")
		out["public_index"] = {
			**index,
			"villages_listed": html.count('href="/consultation/'),
			"floor_one_village_page": unit_page,
			"ratio": round(index["median_ms"] / unit_page["median_ms"], 2),
		}
		if args.keep:
			frappe.db.commit()
	finally:
		if not args.keep:
			frappe.db.rollback()
		frappe.destroy()
		print(json.dumps(out, ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
	main()
