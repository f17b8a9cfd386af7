"""Generate city-scale consultation data on a dedicated benchmark site.

At scale 1: 8 counties, 85 townships, 1,200 villages and communities, 15,000 villager groups,
buildings and estates; ten years of records — about 245k topics, 250k sessions, 5.2M participant
rows, 230k outcomes and 460k progress updates. `--scale 0.1` makes a tenth of every count (at least
one county and township).

Rows are written with multi-row INSERTs (the driver's `executemany`), in primary-key order per table,
one commit per year; the nested set (`lft`/`rgt`) of the unit tree is computed here, not by Frappe.
Every record is as the procedure's controllers would leave it: the fetched fields, the derived
statuses, the counts of attendees and votes, the outcome's percent complete. Child rows of topics
(proposed stakeholders) and sessions' notice channels and materials are not generated: no report or
list reads them.

The site must be marked as a benchmark site (the generator deletes the app's records there):

	cd /opt/frappe-bench
	bench --site bench.localhost set-config benchmark_site 1 --parse
	cd sites && ../env/bin/python /work/main/benchmarks/generate.py --site bench.localhost --scale 0.1
"""

import argparse
import datetime
import math
import random
import sys
import time

import frappe
from frappe.utils import add_days, getdate, nowdate

YEARS = 10
SIZES = {"County": 8, "Township": 85, "Village": 1200, "Group": 15000}
TOPICS_PER_YEAR = 24000
STAKEHOLDERS_PER_VILLAGE = 40
STAKEHOLDERS_PER_GROUP = 4
BATCH = 5000

# (table, doctypes' child tables included) the generator empties before writing
TABLES = (
	"tabImplementation Update",
	"tabOutcome Notice",
	"tabConsultation Outcome",
	"tabConsultation Participant",
	"tabSession Notice Channel",
	"tabConsultation Material",
	"tabConsultation Session",
	"tabConsultation Topic Stakeholder",
	"tabConsultation Topic",
	"tabStakeholder",
	"tabCommunity Unit",
)

FORM_WEIGHTS = None  # set from the site's forms
OWNER = "Administrator"


class Writer:
	"""Buffers rows per table and writes them with multi-row INSERTs."""

	def __init__(self):
		self.buffers: dict[str, tuple[list[str], list[tuple]]] = {}
		self.counts: dict[str, int] = {}
		self.cursor = frappe.db._conn.cursor()

	def add(self, table: str, row: dict):
		columns, rows = self.buffers.setdefault(table, (list(row), []))
		rows.append(tuple(row[c] for c in columns))
		if len(rows) >= BATCH:
			self.flush(table)

	def flush(self, table: str | None = None):
		for name in [table] if table else list(self.buffers):
			columns, rows = self.buffers.get(name, ([], []))
			if not rows:
				continue
			sql = "insert into `{}` ({}) values ({})".format(
				name, ", ".join(f"`{c}`" for c in columns), ", ".join(["%s"] * len(columns))
			)
			self.cursor.executemany(sql, rows)
			self.counts[name] = self.counts.get(name, 0) + len(rows)
			rows.clear()


def base(name: str, creation: datetime.datetime, docstatus: int = 0, **extra) -> dict:
	return {
		"name": name,
		"creation": creation,
		"modified": creation,
		"owner": OWNER,
		"modified_by": OWNER,
		"docstatus": docstatus,
		"idx": 0,
		**extra,
	}


def child(name: str, parent: str, parenttype: str, parentfield: str, idx: int, creation, docstatus: int):
	return base(name, creation, docstatus, parent=parent, parenttype=parenttype, parentfield=parentfield) | {
		"idx": idx
	}


def scaled(n: float, scale: float, minimum: int = 0) -> int:
	return max(minimum, round(n * scale))


# ---------------------------------------------------------------------- units and stakeholders


def build_units(writer: Writer, scale: float, rng: random.Random) -> dict:
	"""The unit tree with its nested set computed depth-first; returns the villages and groups."""
	counties = scaled(SIZES["County"], scale, 1)
	townships = scaled(SIZES["Township"], scale, counties)
	villages = scaled(SIZES["Village"], scale, townships)
	groups = scaled(SIZES["Group"], scale, villages)

	def spread(total: int, parts: int) -> list[int]:
		return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]

	now = datetime.datetime(2016, 1, 1, 8, 0)
	counter = [0]
	rows: list[dict] = []
	result = {"villages": [], "groups": {}, "townships": [], "counties": []}

	def unit(name, unit_type, parent, is_group, children_fn):
		counter[0] += 1
		row = base(
			name,
			now,
			unit_name=name,
			unit_type=unit_type,
			parent_community_unit=parent,
			is_group=is_group,
			lft=counter[0],
			rgt=0,
			old_parent=parent,
		)
		rows.append(row)
		children_fn(name)
		counter[0] += 1
		row["rgt"] = counter[0]

	township_split = spread(townships, counties)
	village_split = spread(villages, townships)
	group_split = spread(groups, villages)
	t_index, v_index = [0], [0]

	for c in range(counties):
		county = f"县{c + 1:02d}"
		result["counties"].append(county)

		def county_children(county_name, c=c):
			for _t in range(township_split[c]):
				t = t_index[0]
				t_index[0] += 1
				township = f"{county_name}-镇{t + 1:03d}"
				result["townships"].append(township)

				def township_children(township_name, t=t):
					for _v in range(village_split[t]):
						v = v_index[0]
						v_index[0] += 1
						kind = "Community" if rng.random() < 0.25 else "Village"
						village = f"{township_name}-{'社区' if kind == 'Community' else '村'}{v + 1:04d}"
						result["villages"].append(village)

						def village_children(village_name, v=v, kind=kind):
							names = []
							for g in range(group_split[v]):
								group_type = (
									rng.choice(("Building", "Estate"))
									if kind == "Community"
									else "Villager Group"
								)
								group = f"{village_name}-{'栋' if kind == 'Community' else '组'}{g + 1:02d}"
								names.append(group)
								unit(group, group_type, village_name, 0, lambda _n: None)
							result["groups"][village_name] = names

						unit(village, kind, township_name, 1, village_children)

				unit(township, "Township", county_name, 1, township_children)

		unit(county, "County", None, 1, county_children)

	for row in rows:
		writer.add("tabCommunity Unit", row)
	writer.flush()
	return result


def build_stakeholders(writer: Writer, units: dict, rng: random.Random) -> dict[str, list[tuple]]:
	"""A pool of stakeholders per village (with its groups' residents): name, display name, type."""
	types = frappe.get_all("Stakeholder Type", pluck="name")
	resident = "户籍居民" if "户籍居民" in types else types[0]
	weights = [30 if t == resident else 2 for t in types]
	created = datetime.datetime(2016, 1, 1, 9, 0)
	pools: dict[str, list[tuple]] = {}
	seq = 0
	for village in units["villages"]:
		pool = []
		members = [(village, STAKEHOLDERS_PER_VILLAGE)] + [
			(g, STAKEHOLDERS_PER_GROUP) for g in units["groups"][village]
		]
		for unit_name, count in members:
			for _ in range(count):
				seq += 1
				name = f"STK-{seq:07d}"
				display = f"协商主体{seq}"
				stakeholder_type = rng.choices(types, weights)[0]
				writer.add(
					"tabStakeholder",
					base(
						name,
						created,
						naming_series="STK-.#####",
						stakeholder_name=display,
						stakeholder_type=stakeholder_type,
						community_unit=unit_name,
						household_status="Registered" if stakeholder_type == resident else "Not Applicable",
						enabled=1,
					),
				)
				pool.append((name, display, stakeholder_type, unit_name))
		pools[village] = pool
	writer.flush()
	return pools


# ---------------------------------------------------------------------- the procedure


class Procedure:
	def __init__(self, writer: Writer, units: dict, pools: dict, scale: float, rng: random.Random):
		self.w, self.units, self.pools, self.rng = writer, units, pools, rng
		self.scale = scale
		self.today = getdate(nowdate())
		categories = frappe.get_all("Consultation Category", fields=["name", "category_no", "decision_route"])
		self.categories = categories
		self.category_weights = [8 if c.category_no in (5, 8) else 1 for c in categories]
		self.forms = frappe.get_all("Consultation Form", pluck="name")
		# village activity follows a skewed distribution: a few villages consult a lot
		self.village_weights = [rng.paretovariate(2.0) for _ in units["villages"]]
		self.seq = {"TOP": 0, "SES": 0, "OUT": 0}
		self.hash_seq = 0

	def next_name(self, prefix: str, year: int) -> str:
		self.seq[prefix] += 1
		return f"{prefix}-{year}-{self.seq[prefix]:06d}"

	def row_name(self) -> str:
		"""Child row names as Frappe makes them: ten random hex digits (unique here by a counter)."""
		self.hash_seq += 1
		return f"{self.rng.getrandbits(24):06x}{self.hash_seq:08x}"[:14]

	def moment(self, day: datetime.date, hour: int = 9) -> datetime.datetime:
		return datetime.datetime.combine(day, datetime.time(hour, self.rng.randrange(60)))

	def run_year(self, year: int):
		for prefix in self.seq:
			self.seq[prefix] = 0
		last_day = min(datetime.date(year, 12, 31), self.today)
		days = (last_day - datetime.date(year, 1, 1)).days + 1
		count = scaled(TOPICS_PER_YEAR * days / 365, self.scale)
		villages = self.rng.choices(self.units["villages"], self.village_weights, k=count)
		topics = []
		for village in villages:
			proposed = datetime.date(year, 1, 1) + datetime.timedelta(days=self.rng.randrange(days))
			topics.append((proposed, village))
		topics.sort()
		for proposed, village in topics:
			self.topic(year, proposed, village)
		self.w.flush()

	def topic(self, year: int, proposed: datetime.date, village: str, escalated_from=None):
		rng = self.rng
		groups = self.units["groups"][village]
		if escalated_from:
			unit, level = village, "Community"
		elif groups and rng.random() < 0.3:
			unit, level = rng.choice(groups), "Building"
		else:
			unit, level = village, "Community"
		category = (
			escalated_from[1] if escalated_from else rng.choices(self.categories, self.category_weights)[0]
		)
		name = self.next_name("TOP", year)
		title = f"议题{name}"
		pool = self.pools[village]
		people = [p for p in pool if p[3] == unit] or pool
		proposer = rng.choice(people)[0]
		roll = rng.random()
		review = None if roll < 0.04 else "Rejected" if roll < 0.06 else "Accepted"
		status = {None: "Draft", "Rejected": "Rejected"}.get(review, "Accepted")
		created = self.moment(proposed, 8)
		row = base(
			name,
			created,
			naming_series="TOP-.YYYY.-.#####",
			title=title,
			category=category.name,
			community_unit=unit,
			level=level,
			status=status,
			source_channel="Escalation"
			if escalated_from
			else rng.choice(("Visiting Residents", "Speaking for the Masses", "Council Member Proposal")),
			proposer=proposer,
			proposed_on=proposed,
			decision_route=category.decision_route,
			description=f"<p>{title}的情况说明。</p>",
			review_decision=review,
			reviewed_on=add_days(proposed, 2) if review else None,
			escalated_from=escalated_from[0] if escalated_from else None,
		)
		if review == "Accepted":
			row["status"] = self.consult(year, row, village, people)
		self.w.add("tabConsultation Topic", row)

	def consult(self, year: int, topic: dict, village: str, people: list[tuple]) -> str:
		"""Hold the topic's rounds; returns the topic's derived status."""
		rng = self.rng
		starts = add_days(topic["proposed_on"], rng.randrange(7, 21))
		if getdate(starts) > self.today:
			return "Accepted"
		first = rng.random()
		if first < 0.85:
			result = "Consensus"
		elif first < 0.95 or topic["level"] == "Building":
			result = "No Consensus"
		else:
			result = "Referred to Villagers' Meeting"
		session = self.session(year, topic, 1, starts, result, village, people)
		if result == "No Consensus":
			if topic["level"] == "Building":
				self.topic(
					year, add_days(starts, 1), village, escalated_from=(topic["name"], self.category(topic))
				)
				return "Escalated"
			starts = add_days(starts, rng.randrange(14, 40))
			if getdate(starts) > self.today:
				return "Awaiting Second Round"
			result = "Consensus" if rng.random() < 0.8 else "Referred to Villagers' Meeting"
			session = self.session(year, topic, 2, starts, result, village, people)
		outcome_status = self.outcome(year, topic, session, village)
		if outcome_status is None:
			return "Referred" if result != "Consensus" else "In Consultation"
		return "Closed" if outcome_status == "Implemented" else "Agreed"

	def category(self, topic: dict):
		return next(c for c in self.categories if c.name == topic["category"])

	def session(self, year, topic, round_no, starts, result, village, people) -> dict:
		rng = self.rng
		name = self.next_name("SES", year)
		starts_on = self.moment(getdate(starts), rng.choice((9, 14, 19)))
		notice = starts_on - datetime.timedelta(days=rng.randrange(3, 8))
		pool = self.pools[village]
		size = min(len(pool), rng.randrange(10, 33))
		chosen = rng.sample(people, min(len(people), size // 2))
		taken = {p[0] for p in chosen}
		chosen += rng.sample([p for p in pool if p[0] not in taken], size - len(chosen))
		attended = 0
		for idx, (stakeholder, display, stakeholder_type, _unit) in enumerate(chosen, start=1):
			role = "Convener" if idx == 1 else "Proposer" if idx == 2 else "Participant"
			present = 1 if idx <= 2 or rng.random() < 0.9 else 0
			attended += present
			self.w.add(
				"tabConsultation Participant",
				child(self.row_name(), name, "Consultation Session", "participants", idx, notice, 1)
				| {
					"stakeholder": stakeholder,
					"stakeholder_name": display,
					"stakeholder_type": stakeholder_type,
					"participant_role": role,
					"notified_on": notice + datetime.timedelta(hours=2),
					"notified_via": "电话",
					"attended": present,
				},
			)
		if result == "Consensus":
			votes_for = max(1, math.ceil(attended * rng.uniform(0.67, 1.0)))
		else:
			votes_for = rng.randrange(0, max(1, attended // 2))
		votes_for = min(votes_for, attended)
		votes_against = rng.randrange(0, attended - votes_for + 1)
		row = base(
			name,
			notice,
			1,
			naming_series="SES-.YYYY.-.#####",
			topic=topic["name"],
			topic_title=topic["title"],
			round_no=round_no,
			community_unit=topic["community_unit"],
			level=topic["level"],
			status="Concluded",
			consultation_form=rng.choice(self.forms),
			starts_on=starts_on,
			ends_on=starts_on + datetime.timedelta(hours=2),
			venue="村委会议室",
			notice_published_on=notice,
			rules_of_procedure="<p>一人一票，举手表决。</p>",
			convener_statement="召集人说明议题来源和议事规则。",
			proposer_statement="提出人说明议题。",
			discussion="与会人员充分发表意见。",
			vote_method="Show of Hands",
			attendees=attended,
			votes_for=votes_for,
			votes_against=votes_against,
			votes_abstain=attended - votes_for - votes_against,
			result=result,
			consultation_opinion="形成协商意见。",
			minutes="<p>会议记录。</p>",
			concluded_by=OWNER,
			concluded_on=starts_on + datetime.timedelta(hours=2),
		)
		self.w.add("tabConsultation Session", row)
		return row

	def outcome(self, year, topic, session, village) -> str | None:
		rng = self.rng
		filed = add_days(session["starts_on"].date(), rng.randrange(1, 6))
		if getdate(filed) > self.today:
			return None
		name = self.next_name("OUT", year)
		roll = rng.random()
		implementer_type = (
			"Village" if roll < 0.7 else "Stakeholder" if roll < 0.9 else "Government Entrusted"
		)
		deadline = add_days(filed, rng.randrange(30, 121))
		publicity_from = add_days(filed, 1)
		percent, updates, reported = 0.0, [], None
		if getdate(deadline) < self.today:
			if rng.random() < 0.8:  # implemented, mostly on time
				done = add_days(
					deadline, -rng.randrange(0, 25) if rng.random() < 0.85 else rng.randrange(1, 30)
				)
				done = min(getdate(done), self.today)
				updates = [(add_days(done, -rng.randrange(5, 20)), 50.0), (done, 100.0)]
				if implementer_type == "Government Entrusted":
					reported = add_days(done, rng.randrange(0, 10))
			else:
				updates = [(add_days(filed, rng.randrange(10, 25)), float(rng.choice((20, 40, 60, 80))))]
		elif rng.random() < 0.5:
			updates = [(min(getdate(add_days(filed, rng.randrange(5, 20))), self.today), 30.0)]
		if updates:
			percent = updates[-1][1]
		if implementer_type == "Government Entrusted" and percent >= 100 and not reported:
			reported = updates[-1][0]
		if reported and getdate(reported) > self.today:
			reported = self.today
		if percent >= 100:
			status = "Implemented"
		elif getdate(deadline) < self.today:
			status = "Overdue"
		elif updates:
			status = "In Implementation"
		elif getdate(publicity_from) <= self.today:
			status = "Publicised"
		else:
			status = "Filed"
		filed_on = self.moment(getdate(filed), 10)
		for idx, (update_on, pct) in enumerate(updates, start=1):
			self.w.add(
				"tabImplementation Update",
				child(self.row_name(), name, "Consultation Outcome", "progress", idx, filed_on, 1)
				| {
					"update_on": update_on,
					"percent_complete": pct,
					"note": "进展情况",
					"published_on": update_on,
				},
			)
		self.w.add(
			"tabConsultation Outcome",
			base(
				name,
				filed_on,
				1,
				naming_series="OUT-.YYYY.-.#####",
				session=session["name"],
				topic=topic["name"],
				topic_title=topic["title"],
				community_unit=topic["community_unit"],
				status=status,
				percent_complete=percent,
				decision="<p>协商成果。</p>",
				decision_note="村民代表会议决议" if session["result"] != "Consensus" else None,
				implementer_type=implementer_type,
				implementer="村民委员会" if implementer_type == "Village" else "实施单位",
				implementation_deadline=deadline,
				filed_with_party_on=filed,
				filed_with_committee_on=filed,
				filed_by=OWNER,
				filed_on=filed_on,
				stakeholders_notified_on=filed_on,
				publicity_from=publicity_from,
				publicity_to=add_days(publicity_from, 9),
				reported_to_government_on=reported,
			),
		)
		return status


def main(argv=None):
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--scale", type=float, default=0.1)
	parser.add_argument("--years", type=int, default=YEARS)
	parser.add_argument("--seed", type=int, default=2019)
	parser.add_argument("--sites-path", default=".")
	args = parser.parse_args(argv)

	frappe.init(args.site, sites_path=args.sites_path)
	frappe.connect()
	if not frappe.conf.get("benchmark_site"):
		sys.exit(
			f"{args.site} is not marked as a benchmark site: bench --site {args.site} set-config benchmark_site 1 --parse"
		)
	rng = random.Random(args.seed)
	started = time.monotonic()
	frappe.db.sql("set session unique_checks = 0, foreign_key_checks = 0")
	for table in TABLES:
		frappe.db.sql(f"truncate table `{table}`")
	frappe.db.commit()

	writer = Writer()
	units = build_units(writer, args.scale, rng)
	pools = build_stakeholders(writer, units, rng)
	frappe.db.commit()
	print(
		f"units: {len(units['counties'])} counties, {len(units['townships'])} townships, "
		f"{len(units['villages'])} villages, {sum(len(g) for g in units['groups'].values())} groups; "
		f"{writer.counts.get('tabStakeholder', 0)} stakeholders ({time.monotonic() - started:.0f} s)",
		flush=True,
	)
	procedure = Procedure(writer, units, pools, args.scale, rng)
	this_year = getdate(nowdate()).year
	for year in range(this_year - args.years + 1, this_year + 1):
		year_started = time.monotonic()
		procedure.run_year(year)
		frappe.db.commit()
		print(f"{year}: {procedure.seq} ({time.monotonic() - year_started:.0f} s)", flush=True)
	frappe.db.sql("analyze table " + ", ".join(f"`{t}`" for t in TABLES))
	elapsed = time.monotonic() - started
	print("rows:", {k.removeprefix("tab"): v for k, v in sorted(writer.counts.items())})
	print(f"generated in {elapsed:.0f} s")
	frappe.destroy()


if __name__ == "__main__":
	main()
