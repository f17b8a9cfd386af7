"""The public pages' cache (community_consultation/portal/public_cache.py): a guest is served the unit's
page, the index and the open data from the cache; a published change shows at once, what is not public
never shows, and a cached page never carries one visitor's data to another."""

import time
from urllib.parse import quote

import frappe
import pytest
from frappe.utils import add_days, add_to_date, now_datetime, nowdate, set_request
from frappe.website.serve import get_response

from community_consultation.portal import open_data
from community_consultation.portal.public_cache import drop_all_pages
from community_consultation.tests.factory import (
	make_outcome,
	make_people,
	make_session,
	make_topic,
	make_unit_tree,
	session_values,
)
from community_consultation.tests.shared import committed_records
from community_consultation.tests.users import make_user


def render(path: str, user: str = "Guest", csrf_token: str | None = None) -> tuple[str, bool]:
	"""The page as `user` opens it: its HTML, and whether it came from the cache."""
	previous = frappe.session.user
	frappe.set_user(user)
	if csrf_token:
		frappe.local.session.data.csrf_token = csrf_token
	frappe.local.response = frappe._dict()
	try:
		set_request(method="GET", path=quote(path))
		response = get_response(path)
		assert response.status_code == 200, path
		return response.get_data(as_text=True), response.headers.get("X-From-Cache") == "True"
	finally:
		frappe.local.request = None
		frappe.local.response = frappe._dict()
		frappe.set_user(previous)


def open_data_of(unit: str, method: str = "outcomes_csv") -> str:
	"""The unit's open data (CSV, or another of open_data's methods) as a guest downloads it."""
	previous = frappe.session.user
	frappe.set_user("Guest")
	try:
		getattr(open_data, method)(unit)
		return frappe.response["filecontent"].decode("utf-8")
	finally:
		frappe.set_user(previous)


def outcome_of(units, people, title: str, **kw):
	topic = make_topic(units.village_a, stakeholders=people, title=title)
	return make_outcome(make_session(topic, people), **kw)


@pytest.fixture(scope="module")
def world():
	"""A village with a public outcome, a draft, a filed outcome whose publicity has not started, and a
	resident with an account: committed, as a guest's request reads them."""
	frappe.flags.force_website_cache = True
	with committed_records():
		units = make_unit_tree("缓存")
		people = make_people(units.village_a)
		out = frappe._dict(units=units, people=people)
		out.public = outcome_of(units, people, "缓存村道路灯维修")
		out.draft = outcome_of(units, people, "缓存草稿成果", file=False)
		out.filed = outcome_of(units, people, "缓存已备案未公示的成果", publicise=False)
		out.resident = make_user("cache-resident@example.com", first_name="缓存居民王五")
		frappe.db.commit()
		drop_all_pages()
		try:
			yield out
		finally:
			frappe.flags.force_website_cache = False
			drop_all_pages()


@pytest.fixture(autouse=True)
def no_cached_pages(world):
	drop_all_pages()
	yield


def test_a_guest_is_served_the_unit_page_from_the_cache(world):
	page = f"/consultation/{world.units.village_a}"
	first, from_cache = render(page)
	assert not from_cache
	assert "缓存村道路灯维修" in first
	second, from_cache = render(page)
	assert from_cache
	assert second == first


def test_a_published_progress_shows_at_once_on_every_page_that_shows_the_outcome(world):
	pages = [f"/consultation/{u}" for u in (world.units.village_a, world.units.township)] + ["/consultation"]
	for page in pages:
		render(page)
		assert render(page)[1], page
	assert "缓存进展：路灯已装好" not in open_data_of(world.units.village_a)

	outcome = frappe.get_doc("Consultation Outcome", world.public.name)
	outcome.append(
		"progress",
		{
			"update_on": nowdate(),
			"published_on": nowdate(),
			"percent_complete": 90,
			"note": "缓存进展：路灯已装好",
		},
	)
	outcome.save()
	frappe.db.commit()

	for page in pages[:2]:
		html, from_cache = render(page)
		assert not from_cache, page
		assert "缓存进展：路灯已装好" in html, page
	assert "缓存进展：路灯已装好" in open_data_of(world.units.village_a)


def test_a_correction_withdraws_the_outcome_from_the_cached_page_at_once(world):
	outcome = outcome_of(world.units, world.people, "缓存将被撤销的成果")
	frappe.db.commit()
	page = f"/consultation/{world.units.village_a}"
	assert "缓存将被撤销的成果" in render(page)[0]
	assert render(page)[1]

	frappe.get_doc("Consultation Outcome", outcome.name).cancel()
	frappe.db.commit()

	html, from_cache = render(page)
	assert not from_cache
	assert "缓存将被撤销的成果" not in html


def test_an_unpublished_outcome_never_appears_on_a_cached_page(world):
	page = f"/consultation/{world.units.village_a}"
	hidden = ("缓存草稿成果", "缓存已备案未公示的成果", world.draft.name, world.filed.name)
	for _ in range(2):
		html, _from_cache = render(page)
		for text in hidden:
			assert text not in html, text
	assert render(page)[1]

	# the draft edited and the filed outcome changed: the page is rendered again, still without them
	draft = frappe.get_doc("Consultation Outcome", world.draft.name)
	draft.decision_note = "缓存草稿的说明"
	draft.save()
	frappe.get_doc("Consultation Outcome", world.filed.name).db_set("decision_note", "缓存备案的说明")
	frappe.db.commit()
	html, from_cache = render(page)
	assert not from_cache
	for text in (*hidden, "缓存草稿的说明", "缓存备案的说明"):
		assert text not in html, text
	feed = open_data_of(world.units.village_a)
	for text in hidden:
		assert text not in feed, text


def test_a_cached_page_never_carries_one_visitors_data_to_another(world):
	page = f"/consultation/{world.units.village_a}"
	signed_in, from_cache = render(page, world.resident, csrf_token="csrf-of-the-resident")
	assert not from_cache
	assert "csrf-of-the-resident" in signed_in

	# the resident's page was not stored: the guest's is rendered afresh, with nothing of the resident's
	guest, from_cache = render(page, csrf_token="csrf-of-a-guest")
	assert not from_cache
	for theirs in ("csrf-of-the-resident", "缓存居民王五", world.resident):
		assert theirs not in guest, theirs
	assert "csrf-of-a-guest" in guest

	# the next guest gets the stored page with their own token, not the first guest's
	other, from_cache = render(page, csrf_token="csrf-of-another-guest")
	assert from_cache
	assert "csrf-of-another-guest" in other
	assert "csrf-of-a-guest" not in other

	# a signed-in visitor is never served the guests' page
	again, from_cache = render(page, world.resident, csrf_token="csrf-of-the-resident")
	assert not from_cache
	assert "csrf-of-the-resident" in again
	assert "csrf-of-another-guest" not in again


def test_a_unit_renamed_shows_at_once_on_its_own_and_its_units_pages(world):
	pages = ["/consultation", f"/consultation/{world.units.building}"]
	for page in pages:
		render(page)
		assert render(page)[1], page

	unit = frappe.get_doc("Community Unit", world.units.village_a)
	old_name = unit.unit_name
	unit.unit_name = "缓存新名村"
	unit.save()
	frappe.db.commit()
	try:
		for page in pages:
			html, from_cache = render(page)
			assert not from_cache, page
			assert "缓存新名村" in html, page
	finally:
		unit.reload()
		unit.unit_name = old_name
		unit.save()
		frappe.db.commit()


def test_a_session_notice_shows_on_the_page_and_calendar_when_it_is_published(world):
	"""A notice published at a set time: the cached page and calendar are kept until then at most."""
	page = f"/consultation/{world.units.village_a}"
	topic = make_topic(world.units.village_a, stakeholders=world.people, title="缓存停车场规划")
	notice_at = add_to_date(now_datetime(), seconds=15)
	frappe.get_doc(
		session_values(
			topic,
			world.people,
			starts_on=add_days(now_datetime(), 5),
			notice_published_on=notice_at,
			venue="缓存党群服务中心",
		)
	).insert()
	frappe.db.commit()
	assert "缓存停车场规划" not in render(page)[0]
	html, from_cache = render(page)
	assert from_cache and "缓存停车场规划" not in html
	assert "缓存停车场规划" not in open_data_of(world.units.village_a, "sessions_ics")

	time.sleep(max(0, (notice_at - now_datetime()).total_seconds()) + 1)
	html, from_cache = render(page)
	assert not from_cache
	assert "缓存停车场规划" in html
	assert "缓存停车场规划" in open_data_of(world.units.village_a, "sessions_ics")


def test_a_township_outcome_shows_at_once_on_the_page_of_the_village_it_concerns(world):
	"""§三(二): a township outcome is public on each village's page it concerns; its change drops them."""
	page = f"/consultation/{world.units.village_a}"
	render(page)
	assert render(page)[1]

	topic = make_topic(world.units.township, stakeholders=world.people, title="缓存镇级水渠整治")
	make_outcome(make_session(topic, world.people))
	frappe.db.commit()

	html, from_cache = render(page)
	assert not from_cache
	assert "缓存镇级水渠整治" in html
