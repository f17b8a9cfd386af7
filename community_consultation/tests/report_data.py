"""A small county whose every report figure is known: the data the report tests check against.

Built with the factory, so every record passes the work plan's rules. All of it falls in the current
year except one topic proposed last year (outside every period filter used by the tests).

    county 报表县 → township 报表镇 → village A 报表甲村 (with villager group G 报表甲村一组)
                                    → village B 报表乙村

Village A (G rolls up into it)
- A1 (A, community level, category 5): session S1 round 1, form 党群联席会议, 4 invited, 4 attended,
  Consensus → outcome O1 (Village), deadline in 30 days, progress 100% today: implemented on time.
- G1 (G, building level, category 8): session SG1 round 1, form 党群联席会议, 4 invited, 3 attended,
  No Consensus → escalated to A2.
- A2 (A, community level, category 8, escalated from G1): session SA2 round 1, form 民主听证会,
  4 invited, 4 attended, Referred to Villagers' Meeting → outcome O2 (Government Entrusted, not
  reported back), deadline 3 days ago, no progress: overdue by 3 days. A villagers' meeting yesterday
  passed A2 (60 of 100 adults present); another, the day before, was not quorate (30 of 100).
Village B
- B1 (B, community level, category 5): session SB1 round 1, form 党群联席会议, 3 invited, 3 attended,
  No Consensus; session SB2 round 2, form 民主恳谈会, 3 invited, 2 attended (the deputy absent),
  Consensus → outcome O3 (Government Entrusted, reported back today), deadline yesterday, progress
  100% today: implemented, late.
- B2 (B, community level, category 1): a draft topic.
- B0 (B, category 1): a draft topic proposed on 1 January of last year.
"""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_to_date, getdate, now_datetime, nowdate

from community_consultation.tests import shared
from community_consultation.tests.factory import (
	held_values,
	make_outcome,
	make_people,
	make_stakeholder,
	make_topic,
	make_unit_tree,
	session_values,
)
from community_consultation.tests.meetings import make_basis, make_meeting, villagers
from community_consultation.tests.users import make_user

PREFIX = "报表"
HOT_ISSUES_CATEGORY_NO = 8
POLICY_CATEGORY_NO = 1
HEARING_FORM = "民主听证会"
HEART_TO_HEART_FORM = "民主恳谈会"
DEPUTY_TYPE = "人大代表"


def category(no: int) -> str:
	return frappe.db.get_value("Consultation Category", {"category_no": no}, "name")


def held_session(topic, people: list[str], result: str, absent: tuple[str, ...] = (), **kw):
	"""A concluded session two hours ago, `absent` stakeholders not attending; votes fit the attendance."""
	starts_on = kw.pop("starts_on", add_to_date(now_datetime(), hours=-2))
	values = session_values(topic, people, starts_on=starts_on, **kw)
	for row in values["participants"]:
		row["attended"] = 0 if row["stakeholder"] in absent else 1
	values.update(held_values(result, attendees=len(people) - len(absent)))
	doc = frappe.get_doc(values)
	doc.insert()
	doc.submit()
	return doc


def build() -> frappe._dict:
	units = make_unit_tree(PREFIX)
	people_a = make_people(units.village_a, 4, "甲居民")
	people_g = make_people(units.building, 4, "组员")
	people_b = [
		*make_people(units.village_b, 2, "乙居民"),
		make_stakeholder(f"{PREFIX}乙村人大代表", units.village_b, DEPUTY_TYPE),
	]
	today = nowdate()

	a1 = make_topic(units.village_a, stakeholders=people_a, title="报表甲村路灯维修")
	s1 = held_session(a1, people_a, "Consensus")
	o1 = make_outcome(s1, progress=[{"percent_complete": 100}])

	g1 = make_topic(
		units.building,
		stakeholders=people_g,
		title="报表一组垃圾收集点",
		category=category(HOT_ISSUES_CATEGORY_NO),
	)
	sg1 = held_session(g1, people_g, "No Consensus", absent=(people_g[3],))
	a2 = frappe.get_doc("Consultation Topic", g1.escalate())
	a2.accept()
	sa2 = held_session(a2, people_a, "Referred to Villagers' Meeting", consultation_form=HEARING_FORM)
	o2 = make_outcome(
		sa2,
		implementer_type="Government Entrusted",
		implementer="镇农业农村办",
		implementation_deadline=add_days(today, -3),
	)

	make_basis(units.village_a, adults=100, households=30)
	make_meeting(
		units.village_a,
		attendance=villagers(30),
		record_as_inquorate=1,
		topics=[a2],
		meeting_on=add_days(now_datetime(), -2),
	)
	make_meeting(units.village_a, topics=[a2], attendance=villagers(60), votes=(45, 10, 5))

	b1 = make_topic(units.village_b, stakeholders=people_b, title="报表乙村文化室改造")
	sb1 = held_session(b1, people_b, "No Consensus")
	sb2 = held_session(
		b1, people_b, "Consensus", absent=(people_b[2],), consultation_form=HEART_TO_HEART_FORM
	)
	o3 = make_outcome(
		sb2,
		implementer_type="Government Entrusted",
		implementer="镇民政办",
		implementation_deadline=add_days(today, -1),
		reported_to_government_on=today,
		progress=[{"percent_complete": 100}],
	)
	b2 = make_topic(
		units.village_b, accepted=False, title="报表乙村政策宣讲", category=category(POLICY_CATEGORY_NO)
	)
	b0 = make_topic(
		units.village_b,
		accepted=False,
		title="报表乙村往年议题",
		category=category(POLICY_CATEGORY_NO),
		proposed_on=f"{getdate(today).year - 1}-01-01",
	)
	return frappe._dict(
		units=units,
		people_a=people_a,
		people_g=people_g,
		people_b=people_b,
		topics=frappe._dict(a1=a1, g1=g1, a2=a2, b1=b1, b2=b2, b0=b0),
		sessions=frappe._dict(s1=s1, sg1=sg1, sa2=sa2, sb1=sb1, sb2=sb2),
		outcomes=frappe._dict(o1=o1, o2=o2, o3=o3),
	)


# The annual return's figures of each village, as the docstring above works them out.
EXPECTED_VILLAGE_A = {
	"villages": 1,
	"topics": 3,
	"topics_community": 2,
	"topics_building": 1,
	"escalations": 1,
	"sessions": 3,
	"participants": 12,
	"attended": 11,
	"attendance_rate": 91.7,
	"consensus": 1,
	"second_rounds": 0,
	"referrals": 1,
	"outcomes_filed": 2,
	"implemented": 1,
	"implemented_on_time": 1,
	"overdue": 1,
	"government_entrusted": 1,
	"reported_back": 0,
	"meetings_held": 2,
	"meetings_inquorate": 1,
	"resolutions_passed": 1,
	"resolutions_not_passed": 0,
	"four_deliberations_completed": 0,
}
EXPECTED_VILLAGE_B = {
	"villages": 1,
	"topics": 2,
	"topics_community": 2,
	"topics_building": 0,
	"escalations": 0,
	"sessions": 2,
	"participants": 6,
	"attended": 5,
	"attendance_rate": 83.3,
	"consensus": 1,
	"second_rounds": 1,
	"referrals": 0,
	"outcomes_filed": 1,
	"implemented": 1,
	"implemented_on_time": 0,
	"overdue": 0,
	"government_entrusted": 1,
	"reported_back": 1,
	"meetings_held": 0,
	"meetings_inquorate": 0,
	"resolutions_passed": 0,
	"resolutions_not_passed": 0,
	"four_deliberations_completed": 0,
}
# the township-and-village figures (reporting.township_return_parts): this world has none of their records
NO_TOWNSHIP_RECORDS = {
	"township_topics": 0,
	"entrusted_assigned": 0,
	"entrusted_reported_on_time": 0,
	"plan_dates": 0,
	"plan_dates_kept": 0,
	"inspections": 0,
	"corrections_closed": 0,
}
EXPECTED_VILLAGE_A.update(NO_TOWNSHIP_RECORDS)
EXPECTED_VILLAGE_B.update(NO_TOWNSHIP_RECORDS)
# topics per category number and per form name
EXPECTED_CATEGORIES_A = {5: 1, 8: 2}
EXPECTED_CATEGORIES_B = {5: 1, 1: 1}
EXPECTED_FORMS_A = {"党群联席会议": 2, HEARING_FORM: 1}
EXPECTED_FORMS_B = {"党群联席会议": 1, HEART_TO_HEART_FORM: 1}


def expected_total(*villages: dict) -> dict:
	total = {k: sum(v[k] for v in villages) for k in villages[0] if k != "attendance_rate"}
	total["attendance_rate"] = round(100.0 * total["attended"] / total["participants"], 1)
	return total


def build_names() -> frappe._dict:
	"""build(), and the names of what it made (documents are read afresh by each class: see `load`)."""
	data = build()
	return frappe._dict(
		units=dict(data.units),
		people_a=data.people_a,
		people_g=data.people_g,
		people_b=data.people_b,
		**{
			group: {key: doc.name for key, doc in data[group].items()}
			for group in ("topics", "sessions", "outcomes")
		},
	)


def load(names: frappe._dict) -> frappe._dict:
	"""The county of `build_names()`, with its topics, sessions and outcomes read from the database."""
	doctypes = {
		"topics": "Consultation Topic",
		"sessions": "Consultation Session",
		"outcomes": "Consultation Outcome",
	}
	data = frappe._dict(
		units=frappe._dict(names.units),
		people_a=list(names.people_a),
		people_g=list(names.people_g),
		people_b=list(names.people_b),
	)
	for group, doctype in doctypes.items():
		data[group] = frappe._dict({key: frappe.get_doc(doctype, name) for key, name in names[group].items()})
	return data


class ReportDataTestCase(FrappeTestCase):
	"""The county of this module, for every class: under the pytest harness it is built and committed
	once for the run and removed at its end (community_consultation.tests.shared); under `bench run-tests`
	each class builds it and FrappeTestCase rolls it back after the class.

	Each test runs inside a savepoint rolled back after it, so tests see the same data."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.data = load(shared.committed("report county", build_names, prefix=PREFIX))
		cls.year = getdate(nowdate()).year

	def setUp(self):
		frappe.db.savepoint("report_data_test")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="report_data_test")

	def as_restricted_user(self, unit: str, role: str = "Committee Clerk") -> str:
		"""Switch to a new user limited to `unit` (its User Permission is rolled back with the class)."""
		email = make_user(f"report-{frappe.generate_hash(length=8)}@example.com", [role], [unit])
		frappe.set_user(email)
		return email
