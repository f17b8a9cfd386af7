"""Records the work plan defines, created once at install if missing.

Administrators own them afterwards: they rename, disable and add their own, and `bench migrate`
never re-creates or overwrites what they changed (these are not fixtures).
"""

import frappe

from community_consultation.decision_bodies.four_deliberations import DELIBERATION, PROPOSAL, REVIEW

# 二(二) 协商事项目录: (no, name, decision route, requires party consent)
CATEGORIES = (
	(1, "党和政府方针政策、重点工作部署在城乡社区的落实", "Consultation", 0),
	(2, "村(居)民委员会设立、撤销、范围调整方案", "Villagers' Meeting", 0),
	(3, "村(社区)经济社会发展规划和年度计划", "Villagers' Meeting", 0),
	(4, "自治章程、村规民约、居民公约、财务管理制度", "Villagers' Meeting", 0),
	(5, "社区服务、美丽乡村、基础设施、卫生环境、物业管理等公共事务", "Consultation", 0),
	(6, "村(居)民委员会换届选举方案及选举事宜", "Legal Procedure", 0),
	(7, "集体“三资”、收益分配、成员资格、土地林地宅基地、大额资金", "Villagers' Meeting", 0),
	(8, "“三留守”、空巢老人、旧楼加装电梯、宠物、餐饮污染、排污、垃圾收集等热点难点", "Consultation", 0),
	(9, "法律法规和政策规定要求协商的事项", "Legal Procedure", 0),
	(10, "协商主体提出、经村(社区)党组织同意协商的事项", "Consultation", 1),
)

# 二(四) 协商形式: (name, online)
FORMS = (
	("村(居)民会议", 0),
	("村(居)民代表会议", 0),
	("党群联席会议", 0),
	("村(居)民小组会议", 0),
	("村(居)民理事会", 0),
	("小区协商", 0),
	("业主协商", 0),
	("座谈会", 0),
	("民主听证会", 0),
	("民主咨询会", 0),
	("民主评议会", 0),
	("民意收集", 0),
	("民主恳谈会", 0),
	("网上议事厅", 1),
	("网络论坛", 1),
	("社区网页", 1),
	("微信群", 1),
	# 四议两公开: the sessions that prove the first three stages (FOUR_DELIBERATIONS_FORMS)
	("村党组织会议", 0),
	("村“两委”联席会议", 0),
	("党员大会", 0),
)
# 四议两公开: the stage a concluded session of each shipped form proves (Consultation Form's
# `four_deliberations_stage`, which administrators own afterwards)
FOUR_DELIBERATIONS_FORMS = {
	"村党组织会议": PROPOSAL,
	"村“两委”联席会议": DELIBERATION,
	"党员大会": REVIEW,
}

# 二(三) 协商主体: (name, respected person, organisation)
STAKEHOLDER_TYPES = (
	("基层政府及派出机关", 0, 1),
	("村(社区)党组织", 0, 1),
	("村(居)民委员会", 0, 1),
	("村(居)务监督委员会", 0, 1),
	("村(居)民小组", 0, 1),
	("村(居)民理事会", 0, 1),
	("驻村(社区)单位", 0, 1),
	("基层群团组织", 0, 1),
	("社区社会组织", 0, 1),
	("业主委员会", 0, 1),
	("农村集体经济组织", 0, 1),
	("农民合作组织", 0, 1),
	("物业服务企业", 0, 1),
	("户籍居民", 0, 0),
	("非户籍居民代表", 0, 0),
	("其他利益相关方", 0, 0),
	("老党员", 1, 0),
	("老干部", 1, 0),
	("群众代表", 1, 0),
	("党代表", 1, 0),
	("人大代表", 1, 0),
	("政协委员", 1, 0),
	("群团组织负责人", 1, 0),
	("社会工作者", 1, 0),
	("法律顾问", 1, 0),
)

# 二(五)2: (name, electronic)
NOTICE_CHANNELS = (
	("Bulletin Board", 0),
	("Phone", 1),
	("Web", 1),
	("SMS", 1),
	("WeChat", 1),
)


# The meetings that decide by law, as the 2018 texts set them (Organic Law of the Villagers' Committees,
# art. 21, 22, 26, 28; Urban Residents' Committees Organic Law, art. 9). Both laws were amended on
# 2025-10-28, in force 2026-01-01: a county enters the amended figures as new rules from that date.
# (kind, title, legal basis, notice days, adults, households, members, decision);
# each share is (comparison, numerator, denominator) or None where the basis does not apply
MORE_THAN_HALF = ("More Than", 1, 2)
TWO_THIRDS = ("At Least", 2, 3)
MEETING_RULES = (
	(
		"Villagers' Meeting",
		"村民会议（村民委员会组织法2018年修正）",
		"《中华人民共和国村民委员会组织法》（2018年修正）第二十一条：召开村民会议，应当提前十天通知村民。第二十二条：召开村民会议，应当有本村十八周岁以上村民的过半数，或者本村三分之二以上的户的代表参加，村民会议所作决定应当经到会人员的过半数通过。",
		10,
		MORE_THAN_HALF,
		TWO_THIRDS,
		None,
		MORE_THAN_HALF,
	),
	(
		"Villagers' Representatives' Meeting",
		"村民代表会议（村民委员会组织法2018年修正）",
		"《中华人民共和国村民委员会组织法》（2018年修正）第二十六条：村民代表会议有三分之二以上的组成人员参加方可召开，所作决定应当经到会人员的过半数同意。",
		0,
		None,
		None,
		TWO_THIRDS,
		MORE_THAN_HALF,
	),
	(
		"Villagers' Group Meeting",
		"村民小组会议（村民委员会组织法2018年修正）",
		"《中华人民共和国村民委员会组织法》（2018年修正）第二十八条：召开村民小组会议，应当有本村民小组十八周岁以上的村民三分之二以上，或者本村民小组三分之二以上的户的代表参加，所作决定应当经到会人员的过半数同意。",
		0,
		TWO_THIRDS,
		TWO_THIRDS,
		None,
		MORE_THAN_HALF,
	),
	(
		"Residents' Meeting",
		"居民会议（城市居民委员会组织法2018年修正）",
		"《中华人民共和国城市居民委员会组织法》（2018年修正）第九条：居民会议必须有全体十八周岁以上的居民、户的代表或者居民小组选举的代表的过半数出席，才能举行。会议的决定，由出席人的过半数通过。",
		0,
		MORE_THAN_HALF,
		MORE_THAN_HALF,
		MORE_THAN_HALF,
		MORE_THAN_HALF,
	),
	(
		"Residents' Representatives' Meeting",
		"居民代表会议（参照村民委员会组织法第二十六条，按本地议事规则）",
		"城市居民委员会组织法未规定居民代表会议的人数要求；此处参照《村民委员会组织法》（2018年修正）第二十六条，县（市、区）可按本地规定修改。",
		0,
		None,
		None,
		TWO_THIRDS,
		MORE_THAN_HALF,
	),
)
MEETING_RULES_FROM = "2018-12-29"


def create_meeting_rules():
	"""The 2018 figures, once: a kind that already has a rule (the administrator's) keeps its rules."""
	for kind, title, basis, notice_days, adults, households, members, decision in MEETING_RULES:
		if frappe.db.exists("Meeting Rule", {"meeting_kind": kind}):
			continue
		values = {
			"doctype": "Meeting Rule",
			"rule_title": title,
			"meeting_kind": kind,
			"effective_from": MEETING_RULES_FROM,
			"legal_basis": basis,
			"notice_days": notice_days,
		}
		for prefix, share in (
			("adults", adults),
			("households", households),
			("members", members),
			("pass", decision),
		):
			if share:
				values.update(
					{
						f"{prefix}_comparison": share[0],
						f"{prefix}_numerator": share[1],
						f"{prefix}_denominator": share[2],
					}
				)
		frappe.get_doc(values).insert(ignore_permissions=True)


def create_defaults():
	for no, name, route, consent in CATEGORIES:
		_insert_if_missing(
			"Consultation Category",
			name,
			category_name=name,
			category_no=no,
			decision_route=route,
			requires_party_consent=consent,
			enabled=1,
		)
	for name, online in FORMS:
		_insert_if_missing(
			"Consultation Form",
			name,
			form_name=name,
			is_online=online,
			enabled=1,
			four_deliberations_stage=FOUR_DELIBERATIONS_FORMS.get(name),
		)
	for name, respected, organisation in STAKEHOLDER_TYPES:
		_insert_if_missing(
			"Stakeholder Type",
			name,
			stakeholder_type_name=name,
			is_respected_person=respected,
			is_organisation=organisation,
		)
	for name, electronic in NOTICE_CHANNELS:
		_insert_if_missing("Notice Channel", name, channel_name=name, is_electronic=electronic)
	create_meeting_rules()


def mark_four_deliberations_forms():
	"""The shipped forms of 四议两公开 say which stage their sessions prove, unless an administrator has
	already marked the form (sites installed before the stage was data)."""
	for name, stage in FOUR_DELIBERATIONS_FORMS.items():
		frappe.db.set_value(
			"Consultation Form",
			{"name": name, "four_deliberations_stage": ("is", "not set")},
			"four_deliberations_stage",
			stage,
		)


def _insert_if_missing(doctype, name, **values):
	if frappe.db.exists(doctype, name):
		return
	frappe.get_doc({"doctype": doctype, **values}).insert(ignore_permissions=True)
