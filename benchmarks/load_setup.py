"""Prepare a site for benchmarks/load.py: 20 villages of a load-test township, each with its clerk, 50
stakeholders and a pool of accepted topics, and a township officer who runs the yearly return.

Run with the bench's Python from anywhere (idempotent: a second run tops the topic pools up again):

	/opt/frappe-bench/env/bin/python benchmarks/load_setup.py --site load.localhost

It writes the plan the load client reads (users, API keys, units, stakeholders) to
/tmp/community_consultation-load-<site>.json (mode 600: it holds the test users' API secrets).

The clerks work on topics the Party organisation has already accepted: accepting is the village Party
organisation's step (its workflow refuses it to a clerk), and the load is about what clerks do on the
busy days — sessions, conclusions, outcomes, progress — not about proposing topics.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

PASSWORD = "Demo@2026"
TOWNSHIP = "负载测试镇"
TOPIC_PREFIX = "负载议题"


def parse_args():
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", default="load.localhost")
	parser.add_argument("--bench", default=os.environ.get("FRAPPE_BENCH", "/opt/frappe-bench"))
	parser.add_argument("--clerks", type=int, default=20, help="villages, one clerk each (default 20)")
	parser.add_argument("--stakeholders", type=int, default=50, help="stakeholders per village (default 50)")
	parser.add_argument(
		"--topics",
		type=int,
		default=100,
		help="unused accepted topics per village to keep ready (default 100)",
	)
	parser.add_argument("--out", help="plan file (default /tmp/community_consultation-load-<site>.json)")
	return parser.parse_args()


def api_credentials(user: str) -> tuple[str, str]:
	"""The user's API key and secret, generated once."""
	import frappe
	from frappe.utils.password import get_decrypted_password

	doc = frappe.get_doc("User", user)
	if not doc.api_key:
		doc.api_key = frappe.generate_hash(length=15)
		doc.api_secret = frappe.generate_hash(length=15)
		doc.save(ignore_permissions=True)
	return doc.api_key, get_decrypted_password("User", user, "api_secret")


def make_load_user(email: str, first_name: str, role: str, unit: str) -> dict:
	import frappe

	from community_consultation.tests.users import make_user

	fields = {"first_name": first_name, "language": "zh"}
	if not frappe.db.exists("User", email):
		fields["new_password"] = PASSWORD
	make_user(email, [role], [unit], **fields)
	key, secret = api_credentials(email)
	return {"user": email, "api_key": key, "api_secret": secret, "unit": unit}


def topic_pool(village: str, people: list[str], wanted: int) -> list[str]:
	"""Accepted topics of the village that have no session yet, topped up to `wanted`."""
	import frappe

	from community_consultation.tests.factory import make_topic

	unused = frappe.db.sql_list(
		"""select t.name from `tabConsultation Topic` t
		where t.community_unit = %s and t.title like %s and t.review_decision = 'Accepted'
		and not exists (select 1 from `tabConsultation Session` s where s.topic = t.name)
		order by t.creation""",
		(village, f"{TOPIC_PREFIX}%"),
	)
	total = frappe.db.count("Consultation Topic", {"community_unit": village})
	for k in range(wanted - len(unused)):
		topic = make_topic(
			village,
			stakeholders=people[:3],
			title=f"{TOPIC_PREFIX}{total + k + 1:04d}：{village}村道路灯维修",
		)
		unused.append(topic.name)
	return unused


def prepare(args) -> dict:
	import frappe

	from community_consultation.tests.factory import make_people, make_unit

	frappe.set_user("Administrator")
	county = frappe.db.get_value("Community Unit", {"unit_type": "County"}, "name") or make_unit(
		"负载测试区", "County"
	)
	township = make_unit(TOWNSHIP, "Township", county)
	clerks = []
	for i in range(1, args.clerks + 1):
		village_name = f"负载{i:02d}村"
		village = make_unit(
			village_name,
			"Village",
			township,
			party_organisation=f"{village_name}党支部",
			committee_name=f"{village_name}村民委员会",
		)
		people = make_people(village, count=args.stakeholders, prefix="村民")
		clerk = make_load_user(
			f"load.clerk{i:02d}@example.com", f"{village_name}文书", "Committee Clerk", village
		)
		clerk.update(stakeholders=people, topics=topic_pool(village, people, args.topics))
		clerks.append(clerk)
		frappe.db.commit()
		print(
			f"{village}: {len(people)} stakeholders, {len(clerk['topics'])} accepted topics ready", flush=True
		)
	officer = make_load_user("load.township@example.com", f"{TOWNSHIP}干部", "Township Officer", township)
	frappe.db.commit()
	return {
		"site": args.site,
		"prepared_at": time.strftime("%Y-%m-%d %H:%M:%S"),
		"township": township,
		"clerks": clerks,
		"officer": officer,
	}


def main():
	args = parse_args()
	sites = Path(args.bench) / "sites"
	sys.path.insert(0, str(Path(args.bench) / "apps" / "frappe"))
	os.chdir(sites)
	import frappe

	frappe.init(args.site, sites_path=".")
	frappe.connect()
	try:
		plan = prepare(args)
	finally:
		frappe.destroy()
	out = Path(args.out or f"/tmp/community_consultation-load-{args.site}.json")
	out.touch(mode=0o600, exist_ok=True)
	out.chmod(0o600)
	out.write_text(json.dumps(plan, ensure_ascii=False, indent=1))
	print(f"plan for {len(plan['clerks'])} clerks written to {out}")


if __name__ == "__main__":
	main()
