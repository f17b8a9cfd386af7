"""Township and village together (§三(二), 三(三), 二(六)): referral up, township-level consultation with
participants from several villages, entrusted matters assigned down and reported back, and what each
side may see."""

import frappe
import pytest
from frappe.utils import add_days, nowdate

from community_consultation.community_consultation.doctype.consultation_session.consultation_session import (
	LIFE_CYCLE as SESSION_LIFE_CYCLE,
)
from community_consultation.portal.outcomes import public_outcomes
from community_consultation.tests.factory import (
	DEFAULT_CATEGORY,
	make_outcome,
	make_people,
	make_session,
	make_topic,
	make_unit,
	make_unit_tree,
)
from community_consultation.tests.users import as_user, make_user
from community_consultation.township.doctype.entrusted_matter_report.entrusted_matter_report import (
	DuplicateReportError,
	NotAnEntrustedMatterError,
	ReportDateError,
)
from community_consultation.township.doctype.township_assignment.township_assignment import (
	AssignedVillageError,
	ReportBackDateError,
	follow_report_backs,
)
from community_consultation.township.doctype.township_referral.township_referral import (
	DuplicateReferralError,
	ReferralDecidedError,
	ReferralNotAllowedError,
	TopicWithTownshipError,
)
from community_consultation.township.queries import township_matters
from community_consultation.township.sharing import concerned_villages
from community_consultation.units.tree import NotATownshipError, VillageOutsideTownshipError


@pytest.fixture
def world():
	units = make_unit_tree("联动")
	units.village_c = make_unit("联动丙村", "Village", units.township)
	other_township = make_unit("联动外镇", "Township", units.county)
	units.foreign_village = make_unit("联动外村", "Village", other_township)
	w = frappe._dict(units=units)
	w.officer = make_user("township-officer@example.com", ["Township Officer"], [units.township])
	w.clerk_a = make_user(
		"clerk-a@example.com", ["Committee Clerk", "Community Secretary"], [units.village_a]
	)
	w.clerk_b = make_user(
		"clerk-b@example.com", ["Committee Clerk", "Community Secretary"], [units.village_b]
	)
	w.people_a = make_people(units.village_a)
	w.people_b = make_people(units.village_b)
	return w


def refer(topic, reason="涉及甲乙两村用水纠纷，超出本村职权"):
	return frappe.get_doc({"doctype": "Township Referral", "topic": topic.name, "reason": reason}).insert()


# ------------------------------------------------------------------------------------ referral up


def test_village_topic_is_referred_to_its_township_and_waits(world):
	with as_user(world.clerk_a):
		topic = make_topic(world.units.village_a, stakeholders=world.people_a, title="两村水渠纠纷")
		referral = refer(topic)
		assert referral.township == world.units.township
		assert referral.status == "Awaiting Township"
		assert referral.referred_on
		with pytest.raises(TopicWithTownshipError):
			make_session(topic, world.people_a)
		with pytest.raises(DuplicateReferralError):
			refer(topic)


def test_referral_needs_a_reason_and_an_open_village_topic(world):
	with as_user(world.clerk_a):
		topic = make_topic(world.units.village_a, stakeholders=world.people_a)
		with pytest.raises(frappe.ValidationError):
			refer(topic, reason="  ")
		building_topic = make_topic(world.units.building, stakeholders=world.people_a)
		with pytest.raises(ReferralNotAllowedError):
			refer(building_topic)
		agreed = make_topic(world.units.village_a, stakeholders=world.people_a, title="已协商议题")
		make_session(agreed, world.people_a)
		with pytest.raises(ReferralNotAllowedError):
			refer(agreed)


def test_only_the_township_takes_up_a_referral(world):
	with as_user(world.clerk_a):
		topic = make_topic(world.units.village_a, stakeholders=world.people_a)
		referral = refer(topic)
		with pytest.raises(frappe.PermissionError):
			referral.take_up()
		referral.reload()
		referral.status = "Taken Up"
		with pytest.raises(ReferralDecidedError):
			referral.save()


def test_township_takes_up_a_referral_as_its_own_topic(world):
	with as_user(world.clerk_a):
		topic = make_topic(world.units.village_a, stakeholders=world.people_a)
		referral = refer(topic)
	with as_user(world.officer):
		referral = frappe.get_doc("Township Referral", referral.name)
		township_topic = referral.take_up()
		with pytest.raises(ReferralDecidedError):
			referral.send_back("重复")
	township_topic = frappe.get_doc("Consultation Topic", township_topic)
	assert township_topic.community_unit == world.units.township
	assert township_topic.escalated_from == topic.name
	assert frappe.db.get_value("Consultation Topic", topic.name, "status") == "Escalated"
	assert frappe.db.get_value("Township Referral", referral.name, "township_topic") == township_topic.name


def test_township_sends_a_referral_back_and_the_village_consults_again(world):
	with as_user(world.clerk_a):
		topic = make_topic(world.units.village_a, stakeholders=world.people_a)
		referral = refer(topic)
	with as_user(world.officer):
		referral = frappe.get_doc("Township Referral", referral.name)
		with pytest.raises(frappe.ValidationError):
			referral.send_back("")
		referral.send_back("属本村自治范围，由村内协商")
	assert frappe.db.get_value("Township Referral", referral.name, "status") == "Sent Back"
	with as_user(world.clerk_a):
		make_session(topic, world.people_a)


# ------------------------------------------------------------------------------------ township-level consultation


def township_case(world):
	"""A village refers a cross-village dispute; the township consults with people of two villages."""
	with as_user(world.clerk_a):
		topic = make_topic(world.units.village_a, stakeholders=world.people_a[:2], title="甲乙两村水渠纠纷")
		referral = refer(topic)
	with as_user(world.officer):
		name = frappe.get_doc("Township Referral", referral.name).take_up()
		township_topic = frappe.get_doc("Consultation Topic", name)
		township_topic.append("participants", {"stakeholder": world.people_b[0]})
		township_topic.save()
		township_topic.accept()
		people = world.people_a[:2] + world.people_b[:2]
		session = make_session(township_topic, people, venue="镇政府会议室")
		outcome = make_outcome(session)
	return frappe._dict(village_topic=topic, topic=township_topic, session=session, outcome=outcome)


def test_township_consults_with_participants_of_two_villages(world):
	case = township_case(world)
	assert case.session.community_unit == world.units.township
	assert case.outcome.community_unit == world.units.township
	assert concerned_villages(case.topic.name) == sorted([world.units.village_a, world.units.village_b])


def test_township_outcome_is_public_on_each_concerned_village_page(world):
	case = township_case(world)
	for village in (world.units.village_a, world.units.village_b):
		assert case.outcome.name in [o.name for o in public_outcomes(village)]
	assert case.outcome.name not in [o.name for o in public_outcomes(world.units.village_c)]


def test_village_clerk_sees_the_township_matters_of_their_village_only(world):
	case = township_case(world)
	with as_user(world.clerk_b):
		matters = township_matters()
		assert [m.name for m in matters] == [case.topic.name]
		assert matters[0].outcome.name == case.outcome.name
		# the township's records of it are the clerk's to read, not to change; the other village's own
		# topic stays out of reach
		for doctype, name in (
			("Consultation Topic", case.topic.name),
			("Consultation Session", case.session.name),
			("Consultation Outcome", case.outcome.name),
		):
			assert frappe.has_permission(doctype, "read", doc=name)
			assert not frappe.has_permission(doctype, "write", doc=name)
		assert not frappe.has_permission("Consultation Topic", doc=case.village_topic.name)
	clerk_c = make_user("clerk-c@example.com", ["Committee Clerk"], [world.units.village_c])
	with as_user(clerk_c):
		assert township_matters() == []
		assert not frappe.has_permission("Consultation Topic", doc=case.topic.name)


def test_township_officer_writes_only_the_townships_own_sessions(world):
	with as_user(world.clerk_a):
		topic = make_topic(world.units.village_a, stakeholders=world.people_a)
	with as_user(world.officer):
		assert frappe.has_permission("Consultation Topic", "read", doc=topic.name)
		with pytest.raises(frappe.PermissionError):
			make_session(topic, world.people_a)


# ------------------------------------------------------------------------------------ assignment down


def assignment(world, villages=None, **kw):
	return frappe.get_doc(
		{
			"doctype": "Township Assignment",
			"title": "农村人居环境整治",
			"entrusted_by": "县农业农村局",
			"community_unit": world.units.township,
			"category": DEFAULT_CATEGORY,
			"description": "<p>各村协商确定整治方案并报告结果。</p>",
			"report_back_by": kw.pop("report_back_by", add_days(nowdate(), 10)),
			"villages": [
				{"village": v}
				for v in villages or (world.units.village_a, world.units.village_b, world.units.village_c)
			],
			**kw,
		}
	)


def report(topic, **kw):
	return frappe.get_doc(
		{
			"doctype": "Entrusted Matter Report",
			"topic": topic,
			"reported_on": kw.pop("reported_on", nowdate()),
			"content": "<p>经协商，已完成整治方案并实施。</p>",
			**kw,
		}
	).insert()


def test_assignment_gives_each_village_its_own_topic(world):
	with as_user(world.officer):
		doc = assignment(world).insert()
		assert doc.status == "Draft"
		made = doc.assign()
		assert len(made) == 3
		assert doc.assign() == []  # no duplicate topics
	doc.reload()
	assert doc.status == "Assigned"
	for row in doc.villages:
		topic = frappe.db.get_value(
			"Consultation Topic", row.topic, ["community_unit", "source_channel"], as_dict=True
		)
		assert topic.community_unit == row.village
		assert topic.source_channel == "Government Entrustment"
		assert row.report_status == "Awaiting Report"


def test_assignment_rules(world):
	with as_user(world.officer):
		with pytest.raises(NotATownshipError):
			assignment(world, community_unit=world.units.village_a).insert()
		# a village of another township is refused to the officer by their unit, and to anyone by the rule
		with pytest.raises(frappe.PermissionError):
			assignment(world, villages=[world.units.village_a, world.units.foreign_village]).insert()
		with pytest.raises(VillageOutsideTownshipError):
			assignment(world, villages=[world.units.building]).insert()
	with pytest.raises(VillageOutsideTownshipError):
		assignment(world, villages=[world.units.village_a, world.units.foreign_village]).insert()
	with as_user(world.officer):
		with pytest.raises(AssignedVillageError):
			assignment(world, villages=[world.units.village_a, world.units.village_a]).insert()
		with pytest.raises(ReportBackDateError):
			assignment(world, report_back_by=add_days(nowdate(), -1)).insert()
		doc = assignment(world).insert()
		doc.assign()
		doc.villages = [row for row in doc.villages if row.village != world.units.village_c]
		with pytest.raises(AssignedVillageError):
			doc.save()


def test_report_back_rules(world):
	with as_user(world.officer):
		doc = assignment(world).insert()
		doc.assign()
	topic_a = doc.villages[0].topic
	with as_user(world.clerk_a):
		own = make_topic(world.units.village_a, stakeholders=world.people_a)
		with pytest.raises(NotAnEntrustedMatterError):
			report(own.name)
		with pytest.raises(ReportDateError):
			report(topic_a, reported_on=add_days(nowdate(), 1))
		with pytest.raises(frappe.ValidationError):
			report(topic_a, content="<p> </p>")
		report(topic_a)
		with pytest.raises(DuplicateReportError):
			report(topic_a)
		# the other village's topic is not the clerk's to report on
		with pytest.raises(frappe.PermissionError):
			report(doc.villages[1].topic)


def test_three_villages_two_report_in_time_one_overdue_and_the_officer_is_told(world):
	with as_user(world.officer):
		doc = assignment(world, report_back_by=nowdate()).insert()
		doc.assign()
	rows = {row.village: row.topic for row in doc.villages}
	with as_user(world.clerk_a):
		report(rows[world.units.village_a])
	with as_user(world.clerk_b):
		report(rows[world.units.village_b])
	doc.reload()
	statuses = {row.village: row.report_status for row in doc.villages}
	assert statuses[world.units.village_a] == "Reported on Time"
	assert statuses[world.units.village_c] == "Awaiting Report"

	tomorrow = add_days(nowdate(), 1)
	assert follow_report_backs(today=tomorrow) == 1
	doc.reload()
	statuses = {row.village: row.report_status for row in doc.villages}
	assert statuses == {
		world.units.village_a: "Reported on Time",
		world.units.village_b: "Reported on Time",
		world.units.village_c: "Overdue",
	}
	assert doc.status == "Overdue"
	logged = frappe.get_all(
		"Consultation Notice Log",
		filters={"reference_doctype": "Township Assignment", "reference_name": doc.name},
		fields=["notice_type", "recipient_user", "period"],
	)
	assert {r.recipient_user for r in logged} == {world.officer}
	assert all(r.notice_type == "Report Back Overdue" for r in logged)
	# once per village and deadline
	follow_report_backs(today=tomorrow)
	assert frappe.db.count(
		"Consultation Notice Log", {"reference_doctype": "Township Assignment", "reference_name": doc.name}
	) == len(logged)


def test_a_late_report_back_is_counted_late(world):
	with as_user(world.officer):
		doc = assignment(world, villages=[world.units.village_a]).insert()
		doc.assign()
	frappe.db.set_value("Township Assignment", doc.name, "report_back_by", add_days(nowdate(), -2))
	with as_user(world.clerk_a):
		report(doc.villages[0].topic)
	doc.reload()
	assert doc.villages[0].report_status == "Reported Late"
	assert doc.status == "Reported Back"


def test_village_clerk_sees_nothing_of_the_assignment_records_of_other_villages(world):
	with as_user(world.officer):
		doc = assignment(world).insert()
		doc.assign()
	rows = {row.village: row.topic for row in doc.villages}
	with as_user(world.clerk_b):
		b_report = report(rows[world.units.village_b])
	with as_user(world.clerk_a):
		assert not frappe.has_permission("Township Assignment", doc=doc.name)
		assert not frappe.has_permission("Entrusted Matter Report", doc=b_report.name)
		assert not frappe.has_permission("Consultation Topic", doc=rows[world.units.village_b])
		assert frappe.has_permission("Consultation Topic", doc=rows[world.units.village_a])
		with pytest.raises(frappe.PermissionError):
			frappe.get_list("Township Assignment Village", parent_doctype="Township Assignment")
	with as_user(world.officer):
		assert frappe.has_permission("Entrusted Matter Report", doc=b_report.name)
