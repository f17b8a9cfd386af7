"""Demo data of the meetings that decide by law (part of `bench --site S consultation-demo`).

In 坑口村: the quorum basis (120 villagers aged 18+, 40 households, 15 representatives); a quorate
villagers' meeting that authorises the representatives' meeting to decide the collective economy's
matters; a topic that consultation referred to the meeting, decided by a quorate representatives'
meeting through the first five stages of 四议两公开 (the collective economy's matters follow them), its
outcome in implementation; and an inquorate villagers' meeting that decided nothing. Meetings sit at
19:30, as the sessions do. Running it again adds nothing once the village has its basis."""

import frappe
from frappe.utils import add_days, getdate, nowdate

from community_consultation.setup.records import make_stakeholder, make_topic, meeting_time
from community_consultation.tests.meetings import representatives, villagers

VILLAGE = "坑口村"
SUPERVISOR = "kengkou.supervisor@example.com"
ASSETS = "集体“三资”、收益分配、成员资格、土地林地宅基地、大额资金"
PLANNING = "村(社区)经济社会发展规划和年度计划"
REPRESENTATIVES = ("李", "陈", "黄", "刘", "张", "王", "赵", "周", "吴", "郑", "孙", "朱", "胡", "林", "何")


def make_meeting_demo(people: dict[str, list[str]], conclude, file_outcome):
	if not frappe.db.exists("Community Unit", VILLAGE) or frappe.db.exists(
		"Meeting Basis", {"community_unit": VILLAGE}
	):
		return
	basis = frappe.get_doc(
		{
			"doctype": "Meeting Basis",
			"community_unit": VILLAGE,
			"effective_from": add_days(nowdate(), -365),
			"adults": 120,
			"households": 40,
			"source": "2025年户籍登记；村民代表由各村民小组推选",
			"representatives": [
				{
					"stakeholder": make_stakeholder(f"{surname}代表", VILLAGE, "群众代表"),
					"households_represented": 2,
				}
				for surname in REPRESENTATIVES
			],
		}
	).insert()
	stakeholders = people[VILLAGE][3:8]
	# the county has the collective economy's matters follow the four deliberations and two disclosures
	frappe.db.set_value("Consultation Category", ASSETS, "four_deliberations", 1)

	budget = make_topic(
		VILLAGE,
		stakeholders=stakeholders,
		title="村集体年度收支预算",
		category=PLANNING,
		description="<p>村集体下一年度收入、支出和公益事业资金安排，需经村民会议审议。</p>",
	)
	meeting(
		"Villagers' Meeting",
		"2026年第一次村民会议",
		[budget],
		villagers(28, households=True, prefix="户代表"),
		days_ago=60,
		votes=(25, 2, 1),
		resolution="同意村集体年度收支预算。",
		authorised_categories=[{"category": ASSETS}, {"category": PLANNING}],
	)

	lease = make_topic(
		VILLAGE,
		stakeholders=stakeholders,
		title="村集体闲置厂房出租方案",
		category=ASSETS,
		description="<p>村集体原砖厂厂房闲置多年，拟公开招租，租金收入纳入村集体账户。</p>",
	)
	conclude(lease, stakeholders, 40, "No Consensus")
	referred = conclude(lease, stakeholders, 20, "Referred to Villagers' Meeting")
	outcome = file_outcome(referred, 18, 60)
	decided = meeting(
		"Villagers' Representatives' Meeting",
		"村民代表会议（厂房出租）",
		[lease],
		representatives(basis, 12),
		days_ago=5,
		votes=(10, 1, 1),
		resolution="同意将闲置厂房公开招租，租期五年，租金收入纳入村集体账户。",
	)
	decided.db_set("resolution_published_on", add_days(nowdate(), -4))
	lease.reload()
	for stage, form, days_ago in (
		("Party Organisation's Proposal", "村党组织会议", 30),
		("Two Committees' Deliberation", "村“两委”联席会议", 28),
		("Party Members' Assembly Review", "党员大会", 25),
	):
		own = make_topic(
			VILLAGE,
			stakeholders=stakeholders,
			title=f"{form}：闲置厂房出租",
			description="<p>按“四议两公开”程序研究村集体闲置厂房出租方案。</p>",
		)
		session = conclude(own, stakeholders, days_ago, consultation_form=form)
		lease.append(
			"four_deliberations",
			{"stage": stage, "completed_on": getdate(session.starts_on), "session": session.name},
		)
	for stage, on in (
		("Meeting Resolution", getdate(decided.meeting_on)),
		("Resolution Made Public", add_days(nowdate(), -4)),
	):
		lease.append("four_deliberations", {"stage": stage, "completed_on": on, "meeting": decided.name})
	lease.save()
	remark_as_supervisor(
		(
			(
				"Community Meeting",
				decided.name,
				None,
				"Lawful and Orderly",
				"到会代表12人，超过三分之二，表决程序合法。",
			),
			(
				"Consultation Topic",
				lease.name,
				"Two Committees' Deliberation",
				"Concern",
				"联席会议记录未附租金测算依据，已提醒补充。",
			),
		)
	)
	outcome.reload()
	outcome.meeting = decided.name
	outcome.append(
		"progress",
		{
			"update_on": add_days(nowdate(), -3),
			"published_on": add_days(nowdate(), -3),
			"percent_complete": 30,
			"note": "招租公告已在公开栏发布",
		},
	)
	outcome.save()

	homestead = make_topic(
		VILLAGE,
		stakeholders=stakeholders,
		title="宅基地使用方案",
		category=ASSETS,
		description="<p>本村新增宅基地的申请条件、审批程序和分配顺序。</p>",
	)
	attendance = villagers(35, prefix="村民") + villagers(10, households=True, prefix="户代表")
	meeting(
		"Villagers' Meeting",
		"2026年第二次村民会议",
		[homestead],
		attendance,
		days_ago=2,
		record_as_inquorate=1,
	)


def remark_as_supervisor(remarks):
	"""The village's supervision committee member records remarks (reference, stage, finding, text)."""
	if not frappe.db.exists("User", SUPERVISOR):
		return
	user = frappe.session.user
	frappe.set_user(SUPERVISOR)
	try:
		for doctype, name, stage, finding, remark in remarks:
			frappe.get_doc(
				{
					"doctype": "Supervision Remark",
					"reference_doctype": doctype,
					"reference_name": name,
					"stage": stage,
					"remark_on": add_days(nowdate(), -3),
					"finding": finding,
					"remark": remark,
				}
			).insert()
	finally:
		frappe.set_user(user)


def convened(kind: str, title: str, days_from_today: int) -> dict:
	"""A meeting of 坑口村 as its committee convenes it: noticed 12 days ahead, in the village hall."""
	meeting_on = meeting_time(days_from_today)
	return {
		"doctype": "Community Meeting",
		"meeting_kind": kind,
		"community_unit": VILLAGE,
		"title": title,
		"convened_by": "坑口村村民委员会",
		"chaired_by": "坑口村村民委员会主任",
		"meeting_on": meeting_on,
		"notice_published_on": getdate(add_days(meeting_on, -12)),
		"notice_channels": [{"channel": "Bulletin Board"}, {"channel": "WeChat"}],
		"venue": "坑口村文化室",
		"recorder": "坑口村文书",
	}


def meeting(kind, title, topics, attendance, days_ago, votes=None, resolution=None, **kw):
	doc = frappe.get_doc(
		{
			**convened(kind, title, -days_ago),
			"typed_basis_reason": "坑口村户籍名册尚未导入，按村委会登记的人数计算",
			"agenda": [
				{
					"topic": t.name,
					"matter": f"是否同意{t.title}",
					"vote_method": "Show of Hands" if votes else None,
					"votes_for": votes[0] if votes else 0,
					"votes_against": votes[1] if votes else 0,
					"votes_abstain": votes[2] if votes else 0,
					"resolution": resolution,
				}
				for t in topics
			],
			"attendance": attendance,
			"minutes": "<p>主持人宣布到会人数，逐项说明议题，与会人员举手表决，当场公布结果。</p>",
			**kw,
		}
	)
	doc.insert()
	doc.submit()
	return doc
