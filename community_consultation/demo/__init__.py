"""Simplified-Chinese demo data: `bench --site S consultation-demo`.

A county with two townships, villages and urban communities, villager groups, buildings and estates,
stakeholders of many types, demo users for every role, and topics, sessions and outcomes at every
stage of the procedure; the meetings that decide by law (meetings.py), a village's household register
with a meeting counted from it (register.py), and the township and its villages together
(township.py). Running it again adds nothing that exists.
"""

import zlib

import frappe
from frappe.utils import add_days, add_to_date, now_datetime, nowdate

from community_consultation.demo.meetings import make_meeting_demo
from community_consultation.demo.register import make_register_demo
from community_consultation.demo.township import make_township_demo
from community_consultation.setup.records import (
	held_values,
	make_stakeholder,
	make_topic,
	make_unit,
	meeting_time,
	session_values,
)
from community_consultation.setup.roles import (
	BUILDING_HEAD,
	COMMITTEE_CLERK,
	COMMUNITY_SECRETARY,
	CONSULTATION_ADMINISTRATOR,
	RESIDENT,
	SUPERVISION_COMMITTEE_MEMBER,
	TOWNSHIP_OFFICER,
)
from community_consultation.setup.site import set_default_workspace
from community_consultation.units.tree import BUILDING_LEVEL_TYPES, VILLAGE_TYPES

DEMO_PASSWORD = "Demo@2026"

UNITS = {
	"清新区": {
		"太和镇": {
			"坑口村": ("Village", ["第一村民小组", "第二村民小组", "第三村民小组"]),
			"水边村": ("Village", ["上围村民小组", "下围村民小组"]),
			"新城社区": ("Community", ["3栋", "5栋", "碧桂园小区"]),
			"石潭村": ("Village", ["石潭一组", "石潭二组"]),
		},
		"山塘镇": {
			"白湾村": ("Village", ["白湾一组", "白湾二组"]),
			"学府社区": ("Community", ["学府花园小区", "8栋"]),
		},
	}
}

GROUP_TYPE_BY_SUFFIX = {"栋": "Building", "小区": "Estate"}

# (name, type, household status)
PEOPLE = (
	("李建国", "老党员", "Registered"),
	("陈秀英", "户籍居民", "Registered"),
	("黄志强", "群众代表", "Registered"),
	("刘桂芳", "户籍居民", "Registered"),
	("张伟", "非户籍居民代表", "Non-registered"),
	("王丽", "人大代表", "Registered"),
	("赵明", "法律顾问", "Not Applicable"),
	("周红", "社会工作者", "Not Applicable"),
)
USERS = (
	# (email, first name, roles, unit)
	("admin.consult@example.com", "协商管理员", [CONSULTATION_ADMINISTRATOR], None),
	("taihe.officer@example.com", "太和镇干部", [TOWNSHIP_OFFICER], "太和镇"),
	("kengkou.secretary@example.com", "坑口村书记", [COMMUNITY_SECRETARY], "坑口村"),
	("kengkou.clerk@example.com", "坑口村文书", [COMMITTEE_CLERK], "坑口村"),
	("xincheng.clerk@example.com", "新城社区文书", [COMMITTEE_CLERK], "新城社区"),
	("shuibian.clerk@example.com", "水边村文书", [COMMITTEE_CLERK], "水边村"),
	("kengkou.group1@example.com", "坑口一组组长", [BUILDING_HEAD], "第一村民小组"),
	("kengkou.supervisor@example.com", "坑口村监委会", [SUPERVISION_COMMITTEE_MEMBER], "坑口村"),
	("resident.chen@example.com", "陈秀英", [RESIDENT], None),
)


def load_demo() -> list[str]:
	# what the records and notices say through _() (the notices' subjects, a referral's record) is in the
	# site's language, as when a clerk does it in the desk, not in the command line's English
	frappe.local.lang = frappe.get_system_settings("language") or frappe.local.lang
	before = {
		dt: frappe.db.count(dt) for dt in ("Community Unit", "Stakeholder", "User", "Consultation Topic")
	}
	make_units()
	people = make_demo_people()
	make_users()
	make_cases(people)
	make_meeting_demo(people, conclude, file_outcome)
	make_register_demo()
	make_township_demo(people, conclude, file_outcome)
	after = {dt: frappe.db.count(dt) for dt in before}
	created = {dt: after[dt] - before[dt] for dt in before}
	lines = [f"{dt}: +{n} (now {after[dt]})" for dt, n in created.items()]
	lines.append(f"demo users' password: {DEMO_PASSWORD}")
	return lines


def make_units():
	for county, townships in UNITS.items():
		county_name = make_unit(county, "County", unit_code="441803000000")
		for township, villages in townships.items():
			township_name = make_unit(township, "Township", county_name)
			for village, (unit_type, groups) in villages.items():
				suffix = "村" if unit_type == "Village" else "居"
				village_name = make_unit(
					village,
					unit_type,
					township_name,
					party_organisation=f"{village}党支部",
					committee_name=f"{village}{suffix}民委员会",
					bulletin_board=f"{village}党群服务中心公开栏",
				)
				for group in groups:
					group_type = next(
						(t for k, t in GROUP_TYPE_BY_SUFFIX.items() if group.endswith(k)), "Villager Group"
					)
					make_unit(group, group_type, village_name)


def village_units():
	return frappe.get_all("Community Unit", filters={"unit_type": ("in", VILLAGE_TYPES)}, pluck="name")


def make_demo_people() -> dict[str, list[str]]:
	people = {}
	for unit in village_units():
		unit_type, committee = frappe.db.get_value("Community Unit", unit, ["unit_type", "committee_name"])
		affairs = "村务" if unit_type == "Village" else "居务"
		names = [
			make_stakeholder(f"{unit}党支部", unit, "村(社区)党组织"),
			make_stakeholder(committee or f"{unit}委员会", unit, "村(居)民委员会"),
			make_stakeholder(f"{unit}{affairs}监督委员会", unit, "村(居)务监督委员会"),
		]
		for name, stakeholder_type, household in PEOPLE:
			mobile = f"138{zlib.crc32((unit + name).encode()) % 100000000:08d}"
			names.append(
				make_stakeholder(name, unit, stakeholder_type, household_status=household, mobile_no=mobile)
			)
		people[unit] = names
	for group in frappe.get_all(
		"Community Unit",
		filters={"unit_type": ("in", BUILDING_LEVEL_TYPES)},
		pluck="name",
	):
		people[group] = [
			make_stakeholder(f"{group}楼宇长", group, "村(居)民小组"),
			make_stakeholder(f"{group}住户甲", group, "户籍居民", household_status="Registered"),
			make_stakeholder(f"{group}住户乙", group, "户籍居民", household_status="Registered"),
			make_stakeholder(f"{group}业主代表", group, "业主委员会"),
		]
	return people


def make_users():
	for email, first_name, roles, unit in USERS:
		if not frappe.db.exists("User", email):
			user = frappe.get_doc(
				{
					"doctype": "User",
					"email": email,
					"first_name": first_name,
					"language": "zh",
					"time_zone": "Asia/Shanghai",
					"send_welcome_email": 0,
					"user_type": "Website User" if roles == [RESIDENT] else "System User",
					"new_password": DEMO_PASSWORD,
				}
			)
			user.flags.no_welcome_mail = True
			user.insert(ignore_permissions=True)
			user.add_roles(*roles)
			if roles != [RESIDENT]:
				set_default_workspace(email)
		give_exactly_unit(email, unit)
	resident = frappe.db.get_value("Stakeholder", {"stakeholder_name": "陈秀英", "community_unit": "坑口村"})
	if resident:
		frappe.db.set_value("Stakeholder", resident, "user", "resident.chen@example.com")


def give_exactly_unit(user: str, unit: str | None):
	"""The demo user holds exactly the unit they claim (a User Permission on it, on no other unit); a
	unit the demo does not make is an error, not a user who silently sees nothing."""
	if unit and not frappe.db.exists("Community Unit", unit):
		frappe.throw(f"the demo user {user} claims the unit {unit}, which the demo does not make")
	for name in frappe.get_all(
		"User Permission",
		filters={"user": user, "allow": "Community Unit", "for_value": ("!=", unit or "")},
		pluck="name",
	):
		frappe.delete_doc("User Permission", name, ignore_permissions=True, force=True)
	if unit and not frappe.db.exists(
		"User Permission", {"user": user, "allow": "Community Unit", "for_value": unit}
	):
		frappe.get_doc(
			{
				"doctype": "User Permission",
				"user": user,
				"allow": "Community Unit",
				"for_value": unit,
				"apply_to_all_doctypes": 1,
			}
		).insert(ignore_permissions=True)


def conclude(topic, people, days_ago: int, result: str = "Consensus", **kw):
	starts_on = meeting_time(-days_ago)
	values = session_values(topic, people, starts_on=starts_on)
	values.update(held_values(result, attendees=len(people)))
	values.update(kw)
	doc = frappe.get_doc(values)
	doc.insert()
	doc.submit()
	return doc


def file_outcome(session, days_ago: int, deadline_in: int, progress: list[int] = (), publicise=True, **kw):
	filed = add_days(nowdate(), -days_ago)
	doc = frappe.get_doc(
		{
			"doctype": "Consultation Outcome",
			"session": session.name,
			"decision": f"<p>{session.consultation_opinion}</p>",
			"implementer_type": kw.pop("implementer_type", "Village"),
			"implementer": kw.pop("implementer", "村民委员会"),
			"implementation_deadline": add_days(nowdate(), deadline_in),
			"filed_with_party_on": filed,
			"filed_with_committee_on": filed,
			**kw,
		}
	)
	doc.insert()
	doc.submit()
	if not publicise:
		return doc
	for stakeholder in doc.topic_stakeholders():
		doc.append(
			"notices",
			{"stakeholder": stakeholder, "notified_on": add_to_date(filed, hours=10), "notified_via": "电话"},
		)
	doc.stakeholders_notified_on = add_to_date(filed, hours=12)
	doc.publicity_from = add_days(filed, 1)
	doc.publicity_to = add_days(filed, 10)
	for i, percent in enumerate(progress):
		day = add_days(filed, 12 + i * 10)
		doc.append(
			"progress",
			{
				"update_on": day,
				"published_on": day,
				"percent_complete": percent,
				"note": f"已完成{percent}%，在公开栏公布",
			},
		)
	doc.save()
	return doc


def topic_exists(title: str, unit: str) -> bool:
	return bool(frappe.db.exists("Consultation Topic", {"title": title, "community_unit": unit}))


def make_cases(people: dict[str, list[str]]):
	"""Topics at every stage; each is skipped when its title already exists in its unit."""
	kk, xc, sb, bw = "坑口村", "新城社区", "水边村", "白湾村"
	group = (
		"坑口村-第一村民小组" if frappe.db.exists("Community Unit", "坑口村-第一村民小组") else "第一村民小组"
	)
	building = "3栋"

	def topic(unit, title, accepted=True, **kw):
		stakeholders = kw.pop("stakeholders", people[unit][3:8])
		return make_topic(unit, accepted=accepted, stakeholders=stakeholders, title=title, **kw)

	def participants(unit):
		return people[unit][3:8]

	cases = [
		(
			kk,
			"村规民约修订征求意见",
			lambda: topic(
				kk,
				"村规民约修订征求意见",
				accepted=False,
				category="自治章程、村规民约、居民公约、财务管理制度",
				source_channel="Council Member Proposal",
			),
		),
		(kk, "村道路灯维修", lambda: topic(kk, "村道路灯维修")),
		(
			kk,
			"广场舞噪音扰民",
			lambda: topic(
				kk,
				"广场舞噪音扰民",
				accepted=False,
				review_decision="Rejected",
				rejection_reason="已由镇综治办依法处理，不列入协商。",
			),
		),
		(
			xc,
			"老旧小区加装电梯",
			lambda: in_consultation(
				topic(
					xc,
					"老旧小区加装电梯",
					category="“三留守”、空巢老人、旧楼加装电梯、宠物、餐饮污染、排污、垃圾收集等热点难点",
				),
				participants(xc),
			),
		),
		(
			kk,
			"垃圾收集点选址",
			lambda: conclude(
				topic(
					kk,
					"垃圾收集点选址",
					category="“三留守”、空巢老人、旧楼加装电梯、宠物、餐饮污染、排污、垃圾收集等热点难点",
				),
				participants(kk),
				20,
				"No Consensus",
			),
		),
		(
			group,
			"小组公共晒谷场使用",
			lambda: escalate(topic(group, "小组公共晒谷场使用", stakeholders=people[group]), people[group]),
		),
		(
			sb,
			"集体土地征收补偿分配",
			lambda: referred(
				topic(
					sb,
					"集体土地征收补偿分配",
					category="集体“三资”、收益分配、成员资格、土地林地宅基地、大额资金",
				),
				participants(sb),
			),
		),
		(
			xc,
			"社区停车位划线管理",
			lambda: file_outcome(
				conclude(topic(xc, "社区停车位划线管理"), participants(xc), 15),
				10,
				40,
				implementer="新城社区居民委员会",
			),
		),
		(
			kk,
			"村内排水沟清淤",
			lambda: file_outcome(
				conclude(topic(kk, "村内排水沟清淤"), participants(kk), 40), 35, 20, progress=[30, 60]
			),
		),
		(
			bw,
			"村卫生站修缮",
			lambda: file_outcome(
				conclude(topic(bw, "村卫生站修缮"), participants(bw), 90), 80, -10, progress=[40]
			),
		),
		(
			kk,
			"文化室图书添置",
			lambda: file_outcome(
				conclude(topic(kk, "文化室图书添置"), participants(kk), 100), 95, -20, progress=[50, 100]
			),
		),
		(
			xc,
			"社区宠物管理公约",
			lambda: corrected(
				topic(
					xc,
					"社区宠物管理公约",
					category="“三留守”、空巢老人、旧楼加装电梯、宠物、餐饮污染、排污、垃圾收集等热点难点",
				),
				participants(xc),
			),
		),
		(
			building,
			"楼道电动车充电安全",
			lambda: draft_outcome(
				topic(building, "楼道电动车充电安全", stakeholders=people[building]), people[building]
			),
		),
		(
			sb,
			"村口桥梁护栏加固",
			lambda: file_outcome(
				conclude(topic(sb, "村口桥梁护栏加固"), participants(sb), 3), 0, 30, publicise=False
			),
		),
		(sb, "河道保洁责任划分", lambda: cancelled(topic(sb, "河道保洁责任划分"), participants(sb))),
		(
			bw,
			"山塘镇村道硬化（政府委托）",
			lambda: file_outcome(
				conclude(
					topic(bw, "山塘镇村道硬化（政府委托）", source_channel="Government Entrustment"),
					participants(bw),
					30,
				),
				25,
				60,
				progress=[20],
				implementer_type="Government Entrusted",
				implementer="山塘镇人民政府",
			),
		),
	]
	cases += [
		(kk, title, lambda title=title: resident_proposal(kk, title, description))
		for title, description in (
			("村口公交站增设遮阳棚", "<p>夏天等车暴晒，建议在村口公交站增设遮阳棚和座椅。</p>"),
			("老人食堂延长供餐时间", "<p>建议长者饭堂晚餐延长到18:30，方便子女下班后接送老人。</p>"),
		)
	]
	for unit, title, build in cases:
		if not frappe.db.exists("Community Unit", unit) or topic_exists(title, unit):
			continue
		build()


def resident_proposal(unit, title, description):
	"""A proposal as it arrives through the resident web form (二(四) online channel)."""
	user = "resident.chen@example.com"
	proposer = frappe.db.get_value("Stakeholder", {"user": user})
	doc = make_topic(
		unit,
		accepted=False,
		title=title,
		description=description,
		source_channel="Online Submission",
		proposer=proposer,
	)
	doc.db_set("owner", user, update_modified=False)
	return doc


def in_consultation(topic, people):
	values = session_values(topic, people, starts_on=meeting_time(6))
	values["notice_published_on"] = now_datetime()
	doc = frappe.get_doc(values)
	doc.insert()
	return doc


def escalate(topic, people):
	conclude(topic, people, 30, "No Consensus")
	topic.reload()
	return topic.escalate()


def referred(topic, people):
	conclude(topic, people, 40, "No Consensus")
	return conclude(topic, people, 20, "Referred to Villagers' Meeting")


def corrected(topic, people):
	original = file_outcome(conclude(topic, people, 50), 45, 30)
	original.reload()
	original.cancel()
	amended = frappe.copy_doc(original, ignore_no_copy=False)
	amended.amended_from = original.name
	amended.docstatus = 0
	amended.decision = "<p>删除原决定中“禁止饲养大型犬”一条，改为依法办理犬只登记。</p>"
	amended.correction_reason = "原决定“禁止饲养大型犬”超出居民公约权限，经镇司法所审查依法更正。"
	amended.insert()
	amended.submit()
	return amended


def cancelled(topic, people):
	outcome = file_outcome(conclude(topic, people, 12), 10, 30, publicise=False)
	outcome.reload()
	outcome.cancel()
	return outcome


def draft_outcome(topic, people):
	session = conclude(topic, people, 5)
	return session.make_outcome()
