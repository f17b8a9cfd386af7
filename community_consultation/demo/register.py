"""Demo data of 坑口村's household register (part of `bench --site S consultation-demo`).

Forty households, about 120 adults and their children, imported the way a clerk imports the village's
own spreadsheet (`decision_bodies.register.import_register`), and the village's next villagers' meeting,
a week ahead, whose quorum basis is counted from the register and whose attendance the clerk or the
supervision committee ticks at the door (`/meeting-sign-in`). Names and dates are generated, the same on
every site; no ID-card number is given. Running it again adds nothing once the village has a register.
"""

import csv
import io
import random

import frappe
from frappe.utils import getdate, nowdate

from community_consultation.decision_bodies.register import import_register
from community_consultation.demo.meetings import PLANNING, VILLAGE, convened
from community_consultation.setup.records import make_topic

HOUSEHOLDS = 40
SURNAMES = "李陈黄刘张王赵周吴郑林何罗梁谢邓冯曾彭"
GIVEN = "志伟建国秀英丽华桂芳永强海燕国平春梅少华家明惠玲德胜淑珍金凤文杰晓东雪梅子豪思雨梓涵浩然欣怡"
HEADER = ("户号", "姓名", "户主", "与户主关系", "出生日期", "户籍", "户代表")


def given_name(rng: random.Random) -> str:
	pairs = [GIVEN[i : i + 2] for i in range(0, len(GIVEN), 2)]
	return rng.choice(pairs)


def register_rows(seed: int = 2026) -> list[tuple]:
	"""The register's lines: per household its head (the representative), a spouse, grown children or an
	aged parent, and children under 18 (one daughter-in-law in three lives here unregistered)."""
	rng = random.Random(seed)
	year = getdate(nowdate()).year
	rows = [HEADER]

	def born(low: int, high: int) -> str:
		return f"{year - rng.randint(low, high)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

	for number in range(1, HOUSEHOLDS + 1):
		household = f"KK{number:03d}"
		surname = SURNAMES[(number - 1) % len(SURNAMES)]
		rows.append((household, surname + given_name(rng), "是", "户主", born(35, 70), "户籍", "是"))
		rows.append(
			(household, rng.choice(SURNAMES) + given_name(rng), "否", "配偶", born(33, 68), "户籍", "否")
		)
		if number % 2:
			rows.append((household, surname + given_name(rng), "否", "子", born(19, 30), "户籍", "否"))
		else:
			rows.append(
				(household, rng.choice(SURNAMES) + given_name(rng), "否", "母亲", born(70, 88), "户籍", "否")
			)
		if number % 3 == 0:
			rows.append(
				(
					household,
					rng.choice(SURNAMES) + given_name(rng),
					"否",
					"儿媳",
					born(24, 32),
					"非户籍",
					"否",
				)
			)
		for _child in range(rng.randint(0, 2)):
			rows.append((household, surname + given_name(rng), "否", "孙子女", born(2, 16), "户籍", "否"))
	return rows


def make_register_demo():
	if not frappe.db.exists("Community Unit", VILLAGE) or frappe.db.exists(
		"Village Household", {"community_unit": VILLAGE}
	):
		return
	out = io.StringIO()
	csv.writer(out).writerows(register_rows())
	import_register(VILLAGE, out.getvalue().encode("utf-8"), "坑口村户籍名册.csv")

	road = make_topic(
		VILLAGE,
		stakeholders=[],
		title="村道硬化工程筹资筹劳方案",
		category=PLANNING,
		description="<p>坑口村至石潭公路段村道硬化，拟以“一事一议”方式筹资筹劳，需经村民会议讨论决定。</p>",
	)
	frappe.get_doc(
		{
			**convened("Villagers' Meeting", "2026年第三次村民会议", 7),
			"agenda": [{"topic": road.name, "matter": f"是否同意{road.title}"}],
		}
	).insert()
