"""Audit: every DocType of the app keeps its version history, and concluded sessions and
filed outcomes show who concluded or filed them and when."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import frappe
import pytest
from frappe.utils import get_datetime, now_datetime

from community_consultation.tests import shared
from community_consultation.tests.factory import (
	held_values,
	make_outcome,
	make_people,
	make_session,
	make_topic,
	make_unit_tree,
)
from community_consultation.tests.users import as_user, make_user

DOCTYPES = (
	Path(__file__).resolve().parent.parent / "community_consultation" / "community_consultation" / "doctype"
)


def app_doctypes() -> list[dict]:
	"""Every DocType JSON of the app, the ones added later included."""
	docs = []
	for path in sorted(DOCTYPES.glob("*/*.json")):
		doc = json.loads(path.read_text())
		if doc.get("doctype") == "DocType":
			docs.append(doc)
	return docs


@pytest.mark.no_site
def test_every_doctype_keeps_its_version_history():
	"""Child tables are versioned with their parent; every other DocType tracks its changes."""
	doctypes = app_doctypes()
	assert len(doctypes) > 10
	untracked = sorted(d["name"] for d in doctypes if not d.get("istable") and not d.get("track_changes"))
	assert not untracked, f"DocTypes without track_changes (no version history): {untracked}"


def make_case() -> frappe._dict:
	units = make_unit_tree("审计")
	people = make_people(units.village_a)
	clerk = make_user("audit-clerk@example.com", ["Committee Clerk"], [units.village_a])
	secretary = make_user("audit-secretary@example.com", ["Community Secretary"], [units.village_a])
	return frappe._dict(units=units, people=people, clerk=clerk, secretary=secretary)


@pytest.fixture
def case():
	"""Village A's units, people, clerk and secretary: made and committed once for the run (users are slow
	to make; community_consultation.tests.shared), each test's writes rolled back after it."""
	return frappe._dict(shared.committed("audit case", make_case, prefix="审计"))


@contextmanager
def as_on_site(user: str) -> Iterator[str]:
	"""Act as `user` as on the live site: Frappe skips version history while `in_test` is set."""
	in_test = frappe.flags.in_test
	frappe.flags.in_test = False
	try:
		with as_user(user):
			yield user
	finally:
		frappe.flags.in_test = in_test


def versions(doctype: str, name: str) -> list[dict]:
	rows = frappe.get_all(
		"Version",
		filters={"ref_doctype": doctype, "docname": name},
		fields=["owner", "data", "creation"],
		order_by="creation asc",
	)
	for row in rows:
		row.data = json.loads(row.data)
	return rows


def changed_fields(version: dict) -> dict:
	return {field: (old, new) for field, old, new in version.data.get("changed", [])}


def test_edits_leave_versions_naming_who_changed_what(case):
	# the Party organisation accepted the topic; the clerk edits it and prepares its session
	topic = make_topic(case.units.village_a, stakeholders=case.people, title="审计议题")
	with as_on_site(case.clerk):
		topic = frappe.get_doc("Consultation Topic", topic.name)
		topic.title = "审计议题（修改）"
		topic.save()
		session = make_session(topic, case.people, conclude=False, venue="村委会议室")
		session.venue = "文化室"
		session.save()

	topic_versions = versions("Consultation Topic", topic.name)
	edit = next(v for v in topic_versions if "title" in changed_fields(v))
	assert changed_fields(edit)["title"] == ("审计议题", "审计议题（修改）")
	assert edit.owner == case.clerk

	session_versions = versions("Consultation Session", session.name)
	edit = next(v for v in session_versions if "venue" in changed_fields(v))
	assert changed_fields(edit)["venue"] == ("村委会议室", "文化室")
	assert edit.owner == case.clerk


def test_concluded_session_shows_who_concluded_it_and_when(case):
	topic = make_topic(case.units.village_a, stakeholders=case.people)
	session = make_session(topic, case.people, conclude=False)
	session.update(held_values(attendees=len(case.people)))
	session.save()
	before = now_datetime().replace(microsecond=0)

	with as_on_site(case.clerk):
		session = frappe.get_doc("Consultation Session", session.name)
		session.submit()

	stored = frappe.db.get_value(
		"Consultation Session", session.name, ["concluded_by", "concluded_on", "docstatus"], as_dict=True
	)
	assert stored.docstatus == 1
	assert stored.concluded_by == case.clerk
	assert get_datetime(stored.concluded_on) >= before
	# the conclusion itself is in the version history, by the clerk
	last = versions("Consultation Session", session.name)[-1]
	assert last.owner == case.clerk
	assert changed_fields(last)["docstatus"] == (0, 1)


def test_filed_outcome_shows_who_filed_it_and_when(case):
	topic = make_topic(case.units.village_a, stakeholders=case.people)
	session = make_session(topic, case.people)
	outcome = make_outcome(session, file=False)
	before = now_datetime().replace(microsecond=0)

	with as_on_site(case.clerk):
		outcome = frappe.get_doc("Consultation Outcome", outcome.name)
		outcome.submit()

	stored = frappe.db.get_value(
		"Consultation Outcome", outcome.name, ["filed_by", "filed_on", "docstatus"], as_dict=True
	)
	assert stored.docstatus == 1
	assert stored.filed_by == case.clerk
	assert get_datetime(stored.filed_on) >= before
	assert versions("Consultation Outcome", outcome.name)[-1].owner == case.clerk


def test_corrected_outcome_keeps_the_original_and_its_history(case):
	topic = make_topic(case.units.village_a, stakeholders=case.people)
	session = make_session(topic, case.people)
	original = make_outcome(session, publicise=False)

	with as_on_site(case.secretary):
		original = frappe.get_doc("Consultation Outcome", original.name)
		original.cancel()
		amended = frappe.copy_doc(original, ignore_no_copy=False)
		amended.amended_from = original.name
		amended.correction_reason = "原决定违反土地管理法，依法纠正。"
		amended.decision = "<p>依法纠正后的决定。</p>"
		amended.insert()

	assert frappe.db.get_value("Consultation Outcome", original.name, "docstatus") == 2
	assert frappe.db.get_value("Consultation Outcome", original.name, "status") == "Corrected"
	assert frappe.db.get_value("Consultation Outcome", amended.name, "amended_from") == original.name
	history = versions("Consultation Outcome", original.name)
	assert any(changed_fields(v).get("docstatus") == (1, 2) and v.owner == case.secretary for v in history)
	# the amendment's first version compares it with the original it corrects
	assert any("decision" in changed_fields(v) for v in versions("Consultation Outcome", amended.name))
