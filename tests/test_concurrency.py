"""Two clerks at the same moment, each on their own database connection.

- editing the same session: the later save is refused with Frappe's "document has been modified"
  and nothing is lost;
- concluding the same session at once: exactly one succeeds;
- escalating a topic or starting an outcome by double-clicking: one record;
- two clerks saving a new outcome of the same session at once (the form, not the button): one is
  saved, the other is told the session already has it;
- two clerks saving the two newest outcomes (their child tables) at once: no deadlock;
- two officers creating their county's return for one year at once: one return;
- the first documents of a new series (a year's first sessions, returns …) saved at once: no deadlock;
- two meetings concluding a resolution on one topic at once: one decides it, the other is refused.

The records are committed so that the other connections see them, and removed again afterwards.
"""

import threading
import uuid

import frappe
import pytest
from frappe.utils import nowdate

from community_consultation.decision_bodies.doctype.community_meeting.community_meeting import (
	ItemDecidedTwiceError,
)
from community_consultation.tests.concurrency import purge_units, race
from community_consultation.tests.factory import (
	held_values,
	make_outcome,
	make_people,
	make_session,
	make_topic,
	make_unit_tree,
)
from community_consultation.tests.meetings import make_basis, make_meeting, villagers
from community_consultation.tests.users import make_user

MODIFIED_MESSAGE = "Document has been modified after you have opened it"


@pytest.fixture
def case():
	token = uuid.uuid4().hex[:8]
	units = make_unit_tree(f"并发{token}")
	clerks = [
		make_user(f"clerk-{side}-{token}@example.com", ["Committee Clerk"], [units.village_a])
		for side in ("a", "b")
	]
	people = make_people(units.village_a, count=6)
	frappe.db.commit()
	try:
		yield frappe._dict(units=units, clerks=clerks, people=people, token=token)
	finally:
		purge_units(units.values(), clerks)


def draft_session(case, **kw):
	topic = make_topic(case.units.village_a, stakeholders=case.people, title=f"并发议题{case.token}")
	session = make_session(topic, case.people, conclude=False, **kw)
	frappe.db.commit()
	return session


def purge_returns(**filters):
	"""Delete the annual returns matching `filters` with their rows (not committed)."""
	frappe.db.rollback()
	returns = frappe.get_all("Consultation Annual Return", filters=filters, pluck="name") or [""]
	for table in frappe.get_meta("Consultation Annual Return").get_table_fields():
		frappe.db.delete(table.options, {"parent": ("in", returns)})
	frappe.db.delete("Consultation Annual Return", {"name": ("in", returns)})


def load(doctype: str, name: str):
	return lambda: frappe.get_doc(doctype, name)


def test_later_save_of_same_session_is_refused_and_nothing_lost(case):
	session = draft_session(case)
	edits = {
		case.clerks[0]: ("venue", "村委会二楼会议室"),
		case.clerks[1]: ("minutes", "<p>甲、乙两位文书同时记录。</p>"),
	}

	def edit(doc):
		field, value = edits[frappe.session.user]
		doc.set(field, value)
		doc.save()

	clerks = race(load("Consultation Session", session.name), edit, case.clerks)

	winners = [c for c in clerks if c.ok]
	losers = [c for c in clerks if not c.ok]
	assert len(winners) == 1 and len(losers) == 1, [c.error for c in clerks]
	assert isinstance(losers[0].error, frappe.TimestampMismatchError), losers[0].error
	assert MODIFIED_MESSAGE in str(losers[0].error)

	# the first save is kept whole
	frappe.db.rollback()
	saved = frappe.get_doc("Consultation Session", session.name)
	field, value = edits[winners[0].user]
	assert saved.get(field) == value
	assert len(saved.participants) == len(case.people)

	# the refused clerk reloads, enters the change again, and both changes are there
	field, value = edits[losers[0].user]
	saved.set(field, value)
	saved.save()
	frappe.db.commit()
	again = frappe.get_doc("Consultation Session", session.name)
	for field, value in edits.values():
		assert again.get(field) == value


def test_concluding_same_session_twice_at_once_succeeds_once(case):
	session = draft_session(case)
	session.update(held_values(attendees=len(case.people)))
	session.save()
	frappe.db.commit()

	clerks = race(load("Consultation Session", session.name), lambda doc: doc.submit(), case.clerks)

	winners = [c for c in clerks if c.ok]
	assert len(winners) == 1, [c.error for c in clerks]
	loser = next(c for c in clerks if not c.ok)
	assert isinstance(loser.error, frappe.TimestampMismatchError), loser.error

	frappe.db.rollback()
	concluded = frappe.db.get_value(
		"Consultation Session", session.name, ["docstatus", "concluded_by", "status"], as_dict=True
	)
	assert concluded.docstatus == 1
	assert concluded.status == "Concluded"
	assert concluded.concluded_by == winners[0].user
	assert frappe.db.count("Consultation Session", {"topic": session.topic}) == 1


def test_double_click_escalate_gives_one_topic(case):
	building = case.units.building
	people = make_people(building, count=4, prefix="住户")
	topic = make_topic(building, stakeholders=people, title=f"楼道议题{case.token}")
	make_session(topic, people, result="No Consensus")
	frappe.db.commit()

	clerks = race(load("Consultation Topic", topic.name), lambda doc: doc.escalate(), case.clerks)

	assert all(c.ok for c in clerks), [c.error for c in clerks]
	frappe.db.rollback()
	escalated = frappe.get_all("Consultation Topic", filters={"escalated_from": topic.name}, pluck="name")
	assert len(escalated) == 1
	assert {c.result for c in clerks} == {escalated[0]}
	assert frappe.db.get_value("Consultation Topic", topic.name, "status") == "Escalated"


def test_double_click_make_outcome_gives_one_outcome(case):
	topic = make_topic(case.units.village_a, stakeholders=case.people, title=f"成果议题{case.token}")
	session = make_session(topic, case.people)
	frappe.db.commit()

	clerks = race(load("Consultation Session", session.name), lambda doc: doc.make_outcome(), case.clerks)

	assert all(c.ok for c in clerks), [c.error for c in clerks]
	frappe.db.rollback()
	outcomes = frappe.get_all("Consultation Outcome", filters={"session": session.name}, pluck="name")
	assert len(outcomes) == 1
	assert {c.result for c in clerks} == {outcomes[0]}


def test_two_outcomes_of_one_session_saved_at_once_give_one(case):
	topic = make_topic(case.units.village_a, stakeholders=case.people, title=f"表单成果{case.token}")
	session = make_session(topic, case.people)
	frappe.db.commit()

	def new_outcome():
		return frappe.get_doc(
			{
				"doctype": "Consultation Outcome",
				"session": session.name,
				"decision": f"<p>{frappe.session.user} 填写的成果。</p>",
				"implementer_type": "Village",
				"implementer": "村民委员会",
				"implementation_deadline": nowdate(),
			}
		)

	clerks = race(new_outcome, lambda doc: doc.insert().name, case.clerks)

	winners = [c for c in clerks if c.ok]
	assert len(winners) == 1, [repr(c.error) for c in clerks]
	loser = next(c for c in clerks if not c.ok)
	assert isinstance(loser.error, frappe.ValidationError), repr(loser.error)
	assert f"The session already has the outcome {winners[0].result}." in str(loser.error)
	frappe.db.rollback()
	assert frappe.get_all("Consultation Outcome", filters={"session": session.name}, pluck="name") == [
		winners[0].result
	]


def test_two_clerks_saving_the_newest_outcomes_at_once_do_not_deadlock(case):
	"""Saving an outcome loads it locked and rewrites its child rows. Locked through their `parent`
	index, the newest outcomes' rows share the locked gap at the end of the index: the second clerk
	waits for the first one's transaction (under load, the two deadlock). Here both clerks have loaded
	and cleared their rows before either inserts, the order in which they would wait on each other."""
	outcomes = []
	for village in (case.units.village_a, case.units.village_b):
		people = case.people if village == case.units.village_a else make_people(village, count=4)
		topic = make_topic(village, stakeholders=people, title=f"进度议题{case.token}")
		outcomes.append(make_outcome(make_session(topic, people)).name)
	clerk_b = make_user(f"clerk-b-{case.token}@example.com", ["Committee Clerk"], [case.units.village_b])
	frappe.db.commit()
	mine = dict(zip((case.clerks[0], clerk_b), outcomes, strict=True))
	inserting = threading.Barrier(2)

	def add_progress(doc):
		row = doc.append(
			"progress",
			{"update_on": nowdate(), "published_on": nowdate(), "note": "已开工", "percent_complete": 10},
		)
		insert = row.db_update

		def after_both_deleted():
			inserting.wait(timeout=30)
			insert()

		row.db_update = after_both_deleted
		try:
			doc.save()
		except Exception:
			inserting.abort()
			raise

	clerks = race(
		lambda: frappe.get_doc("Consultation Outcome", mine[frappe.session.user]),
		add_progress,
		mine.keys(),
	)

	assert all(c.ok for c in clerks), [repr(c.error) for c in clerks]
	frappe.db.rollback()
	for name in outcomes:
		assert frappe.db.count("Implementation Update", {"parent": name}) == 1


def test_first_documents_of_a_new_series_saved_at_once_do_not_deadlock(case, monkeypatch):
	"""Each year's first topic, session, outcome or return is numbered by a counter row that does not
	exist yet. Two officers file their counties' returns for a year that has none: without the counter
	made first (locking.ensure_series_row) both lock the gap where it would go, then both insert it,
	and one is killed as a deadlock. Here both have looked for the counter before either inserts it,
	the order in which they would deadlock (or, with the counter there, the second waits for the first)."""
	import frappe.model.naming

	other = make_unit_tree(f"并发乙{case.token}")
	counties = [case.units.county, other.county]
	year = next(
		y
		for y in range(2001, 2026)
		if not frappe.db.exists("Series", f"CAR-{y}-")
		and not frappe.db.exists("Consultation Annual Return", {"year": y})
	)
	officers = [
		make_user(f"officer-{i}-{case.token}@example.com", ["Township Officer"], [county])
		for i, county in enumerate(counties)
	]
	frappe.db.commit()
	county_of = dict(zip(officers, counties, strict=True))
	looked_up = threading.Barrier(2)
	getseries = frappe.model.naming.getseries

	def getseries_after_both_looked(key, digits):
		frappe.db.sql("select `current` from `tabSeries` where `name` = %s for update", key)
		try:
			looked_up.wait(timeout=3)
		except threading.BrokenBarrierError:
			pass  # the other officer waits for this one's lock on the counter row
		return getseries(key, digits)

	monkeypatch.setattr(frappe.model.naming, "getseries", getseries_after_both_looked)
	try:
		clerks = race(
			lambda: frappe.get_doc(
				{
					"doctype": "Consultation Annual Return",
					"county": county_of[frappe.session.user],
					"year": year,
				}
			),
			lambda doc: doc.insert().name,
			officers,
		)
		assert all(c.ok for c in clerks), [repr(c.error) for c in clerks]
		assert sorted(c.result for c in clerks) == [f"CAR-{year}-00001", f"CAR-{year}-00002"]
	finally:
		purge_returns(year=year)
		frappe.db.delete("Series", {"name": f"CAR-{year}-"})
		frappe.db.commit()
		purge_units(other.values(), officers)


def test_two_returns_of_one_county_and_year_created_at_once_give_one(case):
	officers = [
		make_user(f"officer-{side}-{case.token}@example.com", ["Township Officer"], [case.units.county])
		for side in ("a", "b")
	]
	year = int(nowdate()[:4]) - 1
	frappe.db.commit()

	def new_return():
		return frappe.get_doc(
			{"doctype": "Consultation Annual Return", "county": case.units.county, "year": year}
		)

	try:
		clerks = race(new_return, lambda doc: doc.insert().name, officers)

		winners = [c for c in clerks if c.ok]
		assert len(winners) == 1, [repr(c.error) for c in clerks]
		loser = next(c for c in clerks if not c.ok)
		assert f"already has the return {winners[0].result} for {year}" in str(loser.error)
		frappe.db.rollback()
		assert frappe.get_all(
			"Consultation Annual Return", filters={"county": case.units.county}, pluck="name"
		) == [winners[0].result]
	finally:
		purge_returns(county=case.units.county)
		frappe.db.commit()
		purge_units([], officers)


def test_two_meetings_deciding_one_topic_at_once_decide_it_once(case):
	"""A topic is decided once (Organic Law art. 22; `CommunityMeeting.validate_not_decided_elsewhere`).
	Two clerks conclude two meetings that each voted on it, at the same moment: the second waits for the
	first one's lock on the topic, then sees it decided and is refused; nothing of it is written."""
	topic = make_topic(case.units.village_a, stakeholders=case.people, title=f"会议议题{case.token}")
	make_basis(case.units.village_a, adults=100, households=30)
	meetings = [
		make_meeting(
			case.units.village_a,
			topics=[topic],
			attendance=villagers(60),
			votes=(40, 10),
			submit=False,
			title=f"村民会议{side}",
		).name
		for side in ("甲", "乙")
	]
	frappe.db.commit()
	mine = dict(zip(case.clerks, meetings, strict=True))

	clerks = race(
		lambda: frappe.get_doc("Community Meeting", mine[frappe.session.user]),
		lambda doc: doc.submit(),
		case.clerks,
	)

	winners = [c for c in clerks if c.ok]
	assert len(winners) == 1, [repr(c.error) for c in clerks]
	loser = next(c for c in clerks if not c.ok)
	assert isinstance(loser.error, ItemDecidedTwiceError), repr(loser.error)
	decided = mine[winners[0].user]
	assert f"already decided by the meeting {decided}" in str(loser.error)
	frappe.db.rollback()
	concluded = frappe.get_all(
		"Community Meeting", filters={"name": ("in", meetings), "docstatus": 1}, pluck="name"
	)
	assert concluded == [decided]
	assert frappe.db.get_value("Community Meeting", mine[loser.user], "status") == "Notice Published"
