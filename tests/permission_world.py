"""The records and users of the permission tests (tests/test_permissions.py, tests/test_rest_permissions.py).

Two counties. In the first: township 1 with villages A and B, and a villager group ("building") under A.
In the second: township 2 with village C. Each of A, the building, B and C has stakeholders, an
accepted topic, a concluded session, a filed outcome and a supervision remark; titles carry a common
word (路灯) so searches for it find every unit's records, and the unit's marker so a result tells where
it comes from.

The users, each limited by a User Permission on one unit (and what lies beneath it):

| user | role | unit | sees |
| --- | --- | --- | --- |
| clerk | Committee Clerk | village A | A and the building |
| secretary | Community Secretary | village A | A and the building |
| supervisor | Supervision Committee Member | village A | A and the building (read only) |
| building_head | Building Head | the building | the building's topics and sessions |
| township | Township Officer | township 1 | A, the building and B |
"""

import copy

import frappe

from community_consultation.tests import shared
from community_consultation.tests.factory import (
	make_outcome,
	make_people,
	make_session,
	make_topic,
	make_unit_tree,
)
from community_consultation.tests.users import make_user

RECORD_DOCTYPES = ("Consultation Topic", "Consultation Session", "Consultation Outcome", "Stakeholder")
# what each role may read at all (DocType permissions)
READS = {
	"Committee Clerk": {*RECORD_DOCTYPES, "Supervision Remark", "Consultation Notice Log"},
	"Community Secretary": {*RECORD_DOCTYPES, "Supervision Remark", "Consultation Notice Log"},
	"Supervision Committee Member": {*RECORD_DOCTYPES, "Supervision Remark", "Consultation Notice Log"},
	"Building Head": {"Consultation Topic", "Consultation Session", "Stakeholder", "Consultation Notice Log"},
	"Township Officer": {*RECORD_DOCTYPES, "Supervision Remark", "Consultation Notice Log"},
}
# user key → (role, unit key, unit keys seen)
USERS = {
	"clerk": ("Committee Clerk", "a", {"a", "building"}),
	"secretary": ("Community Secretary", "a", {"a", "building"}),
	"supervisor": ("Supervision Committee Member", "a", {"a", "building"}),
	"building_head": ("Building Head", "building", {"building"}),
	"township": ("Township Officer", "township1", {"a", "building", "b"}),
}


def build_world(prefix: str = "权", slug: str = "perm") -> frappe._dict:
	"""Create the records and users above (as Administrator); nothing is committed here."""
	first = make_unit_tree(f"{prefix}一")
	second = make_unit_tree(f"{prefix}二")
	units = frappe._dict(
		county1=first.county,
		township1=first.township,
		a=first.village_a,
		b=first.village_b,
		building=first.building,
		township2=second.township,
		county2=second.county,
		c=second.village_a,
	)
	world = frappe._dict(units=units, records=frappe._dict(), users=frappe._dict())
	for key in ("a", "building", "b", "c"):
		unit = units[key]
		people = make_people(unit, 4, prefix=f"{key}居民")
		topic = make_topic(unit, stakeholders=people, title=f"{key}村路灯维修{prefix}")
		session = make_session(topic, people)
		outcome = make_outcome(session)
		remark = frappe.get_doc(
			{
				"doctype": "Supervision Remark",
				"reference_doctype": "Consultation Topic",
				"reference_name": topic.name,
				"remark": f"{key}: 程序合法有序",
			}
		).insert(ignore_permissions=True)
		# a draft session of a second topic, to try submitting and moving
		draft_topic = make_topic(unit, stakeholders=people, title=f"{key}村垃圾收集{prefix}")
		draft = make_session(draft_topic, people, conclude=False)
		# an accepted topic without sessions, to point a session at
		spare_topic = make_topic(unit, stakeholders=people, title=f"{key}村污水管网{prefix}")
		world.records[key] = frappe._dict(
			unit=unit,
			people=people,
			topic=topic.name,
			title=topic.title,
			session=session.name,
			outcome=outcome.name,
			remark=remark.name,
			draft_topic=draft_topic.name,
			draft_session=draft.name,
			spare_topic=spare_topic.name,
		)
	for user_key, (role, unit_key, _seen) in USERS.items():
		world.users[user_key] = make_user(
			f"{user_key}-{slug}@example.com".replace("_", "-"), [role], [units[unit_key]], first_name=user_key
		)
	return world


def shared_world() -> frappe._dict:
	"""The world above, made and committed once for the run and removed at its end (the pytest harness;
	community_consultation.tests.shared), for tests/test_permissions.py's classes and
	tests/test_rest_permissions.py alike: a copy, so no test changes another's."""
	return copy.deepcopy(shared.committed("permission world", build_world, prefix="权"))


def names(world, doctype: str, keys) -> set[str]:
	"""The names of `doctype`'s records of the units `keys`."""
	field = {
		"Consultation Topic": "topic",
		"Consultation Session": "session",
		"Consultation Outcome": "outcome",
		"Supervision Remark": "remark",
	}.get(doctype)
	out = set()
	for key in keys:
		rec = world.records[key]
		if doctype == "Stakeholder":
			out.update(rec.people)
		elif field:
			out.add(rec[field])
			if doctype == "Consultation Topic":
				out.update((rec.draft_topic, rec.spare_topic))
			if doctype == "Consultation Session":
				out.add(rec.draft_session)
	return out


def seen_units(user_key: str) -> set[str]:
	return USERS[user_key][2]


def hidden_units(user_key: str) -> set[str]:
	return {"a", "building", "b", "c"} - seen_units(user_key)
