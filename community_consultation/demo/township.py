"""Demo data of township and village together (part of `bench --site S consultation-demo`), in 太和镇:

- an entrusted matter (§二(六)): 清新区农业农村局 entrusts the sorting and collection of household
  waste; the township assigns it to 坑口村, 水边村 and 新城社区; 坑口村 and 水边村 consult on it and
  report back in time, 新城社区 does not, and its report back is overdue (the township's officers were
  told by the daily job);
- a cross-village dispute (§三(二)): 坑口村 refers the irrigation water of the reservoir it shares with
  水边村 to the township, which consults with villagers of both in the township hall; the outcome is
  public on both villages' pages;
- regular consultation: a yearly plan for every village and community (a fixed consultation day each
  month, the quarterly representatives' meeting); 石潭村 last met four months ago and is silent;
- inspection and guidance (§三(三)): the township's organisation office inspected 石潭村 and required two
  corrections; the village answered one and the township closed it, the other is open.

Sessions start at fixed hours (the villages at 19:30, when people are home; the township hall at 09:30),
on days counted from the day the demo is loaded, so that deadlines, "overdue" and "silent" hold on it.
Running it again adds nothing once the township has its assignment."""

import frappe
from frappe.utils import add_days, add_months, getdate, nowdate

from community_consultation.setup.records import (
	make_assignment,
	make_inspection,
	make_plan,
	make_referral,
	make_report,
	make_stakeholder,
	make_topic,
)
from community_consultation.township.doctype.consultation_plan.consultation_plan import (
	send_plan_reminders,
)

TOWNSHIP = "太和镇"
KENGKOU, SHUIBIAN, XINCHENG, SHITAN = "坑口村", "水边村", "新城社区", "石潭村"
POLICY = "党和政府方针政策、重点工作部署在城乡社区的落实"
HOT_ISSUES = "“三留守”、空巢老人、旧楼加装电梯、宠物、餐饮污染、排污、垃圾收集等热点难点"
DISPUTE = "坑口村与水边村共用山塘灌溉用水纠纷"
# each village's fixed consultation day of the month (议事日)
CONSULTATION_DAYS = {KENGKOU: 15, SHUIBIAN: 10, XINCHENG: 20, SHITAN: 5, "白湾村": 8, "学府社区": 25}
TOWNSHIP_HALL_HOUR = 9, 30


def make_township_demo(people: dict[str, list[str]], conclude, file_outcome):
	if not frappe.db.exists("Community Unit", TOWNSHIP) or frappe.db.exists(
		"Township Assignment", {"community_unit": TOWNSHIP}
	):
		return
	make_plans()
	entrusted_matter(people, conclude, file_outcome)
	cross_village_dispute(people, conclude, file_outcome)
	silent_village(people, conclude)
	inspection()


def make_plans():
	"""A plan for this year in every village and community; the reminders of the coming days go out."""
	year = getdate(nowdate()).year
	for village, day in CONSULTATION_DAYS.items():
		if frappe.db.exists("Community Unit", village) and not frappe.db.exists(
			"Consultation Plan", {"community_unit": village, "year": year}
		):
			make_plan(village, year=year, monthly_day=day, quarterly_meeting=1, reminder_days=3)
	send_plan_reminders()


def entrusted_matter(people, conclude, file_outcome):
	assignment = make_assignment(
		TOWNSHIP,
		[KENGKOU, SHUIBIAN, XINCHENG],
		title="生活垃圾分类投放点设置和收运安排",
		entrusted_by="清新区农业农村局",
		category=POLICY,
		description=(
			"<p>按区农业农村局农村人居环境整治部署，各村（社区）就垃圾分类投放点位置、保洁员配置和"
			"收运频次开展协商，形成方案后报告镇人民政府。</p>"
		),
		report_back_by=nowdate(),
	)
	# assigned three weeks ago, to be reported back three days ago
	dated("Township Assignment", assignment.name, assigned_on=days_ago(21), report_back_by=days_ago(3))
	topics = {row.village: row.topic for row in assignment.villages}
	for topic in topics.values():
		dated("Consultation Topic", topic, proposed_on=days_ago(21))
	for village, held, reported, opinion in (
		(KENGKOU, 12, 8, "每个村民小组设一个分类投放点，聘请两名保洁员，每日收运一次。"),
		(SHUIBIAN, 10, 5, "在村口和祠堂旁各设一个投放点，保洁员由村民小组轮流推荐，隔日收运。"),
	):
		topic = frappe.get_doc("Consultation Topic", topics[village])
		topic.append("participants", {"stakeholder": people[village][3]})
		topic.proposer = people[village][0]
		topic.save()
		topic.accept()
		dated("Consultation Topic", topic.name, reviewed_on=days_ago(held + 3))
		session = conclude(topic, people[village][3:8], held, consultation_opinion=opinion)
		outcome = file_outcome(
			session,
			held - 1,
			30,
			implementer=frappe.db.get_value("Community Unit", village, "committee_name") or "村民委员会",
		)
		make_report(
			topic.name,
			reported_on=days_ago(reported),
			content=f"<p>经{village}协商议定：{opinion}方案已在公开栏公示。</p>",
			outcome=outcome.name,
		)
	assignment.reload()
	assignment.follow_the_calendar()


def cross_village_dispute(people, conclude, file_outcome):
	topic = make_topic(
		KENGKOU,
		stakeholders=people[KENGKOU][3:6],
		title=DISPUTE,
		description=(
			"<p>坑口村与水边村共用的山塘在两村交界处，春耕放水时上游坑口村先灌，下游水边村农田缺水，"
			"两村多次协调未果。</p>"
		),
		category=HOT_ISSUES,
		source_channel="Visiting Residents",
	)
	dated("Consultation Topic", topic.name, proposed_on=days_ago(18), reviewed_on=days_ago(17))
	referral = make_referral(topic, "山塘为两村共用，放水次序和清淤分工涉及水边村，超出本村职权")
	township_topic = frappe.get_doc("Consultation Topic", referral.take_up())
	dated("Township Referral", referral.name, referred_on=days_ago(15), decided_on=days_ago(13))
	water_station = make_stakeholder("太和镇水利站", TOWNSHIP, "基层政府及派出机关")
	for stakeholder in [water_station, *people[SHUIBIAN][3:6]]:
		township_topic.append("participants", {"stakeholder": stakeholder})
	township_topic.save()
	township_topic.accept()
	dated("Consultation Topic", township_topic.name, proposed_on=days_ago(13), reviewed_on=days_ago(12))
	participants = [water_station, *people[KENGKOU][3:6], *people[SHUIBIAN][3:6]]
	held = 6
	session = conclude(
		township_topic,
		participants,
		held,
		starts_on=f"{days_ago(held)} {TOWNSHIP_HALL_HOUR[0]:02d}:{TOWNSHIP_HALL_HOUR[1]:02d}:00",
		venue="太和镇人民政府二楼会议室",
		organiser="太和镇党委、太和镇人民政府",
		convener_statement="议题由坑口村提请镇里协调，经镇党委审核，按议事规则协商。",
		proposer_statement="坑口村村民说明春耕放水次序和下游缺水情况。",
		consultation_opinion=(
			"山塘放水按两村灌溉面积分时段轮灌，由镇水利站统一调度；每年冬季两村按受益面积分摊清淤劳力。"
		),
	)
	file_outcome(session, held - 1, 60, implementer="坑口村、水边村村民委员会及镇水利站")


def silent_village(people, conclude):
	"""石潭村 last consulted four months ago: silent in the township's view."""
	if not people.get(SHITAN):
		return
	topic = make_topic(SHITAN, stakeholders=people[SHITAN][3:8], title="村民小组长补选办法")
	held = (getdate(nowdate()) - getdate(add_months(nowdate(), -4))).days
	dated("Consultation Topic", topic.name, proposed_on=days_ago(held + 12), reviewed_on=days_ago(held + 10))
	conclude(topic, people[SHITAN][3:8], held)


def inspection():
	inspected_on = days_ago(10)
	doc = make_inspection(
		SHITAN,
		inspected_on=inspected_on,
		inspecting_body="太和镇党委组织办、镇民政办",
		checked="协商计划执行情况、协商议题台账、会议记录和成果公开",
		findings=(
			"<p>石潭村本年度协商计划定于每月5日召开议事日，近三个月未召开协商会议；"
			"部分会议记录缺少表决结果，公开栏未公布上次协商成果的落实进展。</p>"
		),
		corrections=[
			{
				"requirement": "按协商计划恢复每月议事日，下一次议事日前报镇民政办备案",
				"deadline": add_days(nowdate(), 20),
			},
			{
				"requirement": "补齐会议记录中的表决结果，在公开栏公布成果落实进展",
				"deadline": add_days(inspected_on, 7),
			},
		],
	)
	answered = doc.corrections[1]
	answered.village_answer = "已补齐上次会议的举手表决结果，并在村党群服务中心公开栏公布落实进展。"
	answered.answered_on = add_days(inspected_on, 5)
	doc.save()
	doc.close_correction(answered.name)


def days_ago(days: int):
	return add_days(nowdate(), -days)


def dated(doctype: str, name: str, **dates):
	"""The dates of a step taken on an earlier day than the demo's loading (the rules checked the record
	as of today; its dates say when the village or township took the step)."""
	frappe.db.set_value(doctype, name, dates, update_modified=False)
