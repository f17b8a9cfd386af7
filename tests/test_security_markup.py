"""Hostile text: no script a resident or a clerk types ever runs in anyone's browser.

Each attack goes through Frappe's WSGI application (`community_consultation.tests.http.Client`) as the
user who would try it — a resident through the web form `/propose-topic`'s endpoint, a clerk through REST,
`frappe.client.set_value` and `frappe.client.submit` — and the pages that show the text are then read as
whoever reads them: the public pages as a guest, the print views and the open-data CSV. Where script
execution is the question (the desk's list, report view and query reports, the public page), the pages are
opened in Debian's Chromium with a handler that records every dialog an injected `alert` opens.

The policy is `community_consultation/procedure/text_policy.py` (docs/security.md).
"""

import csv
import io
import json

import frappe
import pytest
from browser_site import PASSWORD, chromium_ready, run_browser, served_world
from bs4 import BeautifulSoup

from community_consultation.portal.web_form import WEB_FORM
from community_consultation.procedure import text_policy
from community_consultation.setup.records import DEFAULT_CATEGORY
from community_consultation.tests.factory import (
	make_outcome,
	make_people,
	make_session,
	make_topic,
	make_unit_tree,
)
from community_consultation.tests.http import Client, api_token, resource
from community_consultation.tests.shared import committed_records
from community_consultation.tests.users import make_user

# the title: no well-formed tag, so Frappe's sanitize_html returns it unchanged
TITLE = "x </title><img src=x onerror=alert(1)//"
# a string that parses as JSON: sanitize_html returns it unchanged too
JSON_TEXT = '"<img src=x onerror=alert(2)>"'
# markup breaking out of an attribute
ATTRIBUTE = '"><img src=x onerror=alert(3)>'
FORMULA = '=HYPERLINK("http://example.com/x","点击")'


def injected(html: str) -> list[str]:
	"""The elements of `html`, parsed as a browser parses it, that would run the attacks' script (every
	payload calls `alert`): an event handler attribute (`onerror`, `onfocus`…) or a script element."""
	soup = BeautifulSoup(html, "html5lib")
	return [
		str(tag)[:200]
		for tag in soup.find_all(True)
		if any(
			attribute.lower().startswith("on") and "alert(" in str(value)
			for attribute, value in tag.attrs.items()
		)
		or (tag.name == "script" and "alert(" in (tag.string or ""))
	]


# --------------------------------------------------------------------------------------------- world


@pytest.fixture(scope="module")
def world():
	with committed_records():
		units = make_unit_tree("标记")
		people = make_people(units.village_a, prefix="标记居民")
		clerk = make_user("markup-clerk@example.com", ["Committee Clerk"], [units.village_a])
		resident = make_user("markup-resident@example.com", ["Resident"], user_type="Website User")
		topic = make_topic(units.village_a, stakeholders=people, title="标记路灯维修")
		session = make_session(topic, people)
		outcome = make_outcome(session, progress=[{"percent_complete": 30, "note": "已开工"}])
		draft = make_outcome(
			make_session(make_topic(units.village_a, stakeholders=people, title="标记垃圾收集"), people),
			file=False,
		)
		# renamed on a site where renaming is on: its own record, so the others keep their names
		renamable = make_outcome(
			make_session(make_topic(units.village_a, stakeholders=people, title="标记改名"), people)
		)
		draft_session = make_session(
			make_topic(units.village_a, stakeholders=people, title="标记停车"), people, conclude=False
		)
		world = frappe._dict(
			units=units,
			people=people,
			clerk=clerk,
			resident=resident,
			topic=topic,
			session=session,
			outcome=outcome,
			draft=draft,
			draft_session=draft_session,
			renamable=renamable,
			clerk_token=api_token(clerk),
			resident_token=api_token(resident),
		)
		frappe.db.commit()
		yield world


def clerk(world) -> Client:
	return Client(world.clerk_token)


# ------------------------------------------------------------------------------------ the policy


def test_rich_text_is_sanitised_whatever_it_looks_like():
	for value in (TITLE, JSON_TEXT, ATTRIBUTE, "<p>好<script>alert(4)</script></p>"):
		assert injected(text_policy.sanitize_rich_text(value)) == [], value
	assert text_policy.sanitize_rich_text("<p>路灯 <strong>30</strong> 日内修好</p>") == (
		"<p>路灯 <strong>30</strong> 日内修好</p>"
	)


def test_plain_text_drops_tags_and_decodes_entities_once():
	assert (
		text_policy.plain_text("议题&nbsp;“路灯” &#34;&gt; <b>好</b><script>x()</script>")
		== '议题 “路灯” "> 好'
	)
	# decoded once: text that shows an entity keeps showing it
	assert text_policy.plain_text("a &amp;lt;b&amp;gt;") == "a &lt;b&gt;"
	assert "<img" not in text_policy.plain_text('<p>x</p><img src=x onerror="alert(1)">')


def test_a_cell_a_spreadsheet_would_run_is_neutralised():
	for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", FORMULA):
		assert text_policy.csv_cell(value) == "'" + value
	for value in ("路灯", "1-2", 5, -5, None, ""):
		assert text_policy.csv_cell(value) == value


# ------------------------------------------------------------------------------------ write paths


def stored(doctype: str, name: str, fieldname: str) -> str:
	frappe.db.rollback()  # read what the request committed
	return frappe.db.get_value(doctype, name, fieldname) or ""


def test_a_clerks_rich_text_is_sanitised_on_set_value(world):
	response = clerk(world).method(
		"frappe.client.set_value",
		http="post",
		doctype="Consultation Session",
		name=world.draft_session.name,
		fieldname="rules_of_procedure",
		value=JSON_TEXT,
	)
	assert response.status_code == 200, response.get_data(as_text=True)[:500]
	assert injected(stored("Consultation Session", world.draft_session.name, "rules_of_procedure")) == []


def test_a_clerks_rich_text_is_sanitised_on_rest_save(world):
	response = clerk(world).request(
		"put", resource("Consultation Outcome", world.draft.name), json={"decision": JSON_TEXT}
	)
	assert response.status_code == 200, response.get_data(as_text=True)[:500]
	assert injected(stored("Consultation Outcome", world.draft.name, "decision")) == []


def test_a_clerks_decision_given_on_submit_is_sanitised(world):
	"""Frappe v15 sanitises no field that is not allow_on_submit while the document is submitted."""
	doc = frappe.get_doc("Consultation Outcome", world.draft.name).as_dict(convert_dates_to_str=True)
	doc["decision"] = ATTRIBUTE
	response = clerk(world).method("frappe.client.submit", http="post", doc=doc)
	assert response.status_code == 200, response.get_data(as_text=True)[:500]
	assert stored("Consultation Outcome", world.draft.name, "docstatus") == 1
	assert injected(stored("Consultation Outcome", world.draft.name, "decision")) == []


def test_a_residents_proposal_is_sanitised_through_the_web_form(world):
	data = {
		"community_unit": world.units.village_a,
		"category": DEFAULT_CATEGORY,
		"title": TITLE,
		"description": JSON_TEXT,
	}
	# from an address of its own: Frappe allows 10 web-form posts a minute per address, which another
	# module's requests from 127.0.0.1 in the same worker may have used up
	response = Client(world.resident_token).request(
		"post",
		"/api/method/frappe.website.doctype.web_form.web_form.accept",
		json={"web_form": WEB_FORM, "data": json.dumps(data)},
		headers={"X-Forwarded-For": "10.19.0.1"},
	)
	body = response.get_data(as_text=True)
	assert response.status_code == 200, body[:500]
	name = json.loads(body)["message"]["name"]
	assert injected(stored("Consultation Topic", name, "description")) == []
	# the title is plain text: kept as the resident typed it, escaped wherever it is shown
	assert stored("Consultation Topic", name, "title") == text_policy.plain_text(TITLE)


# ------------------------------------------------------------------------------------ renaming


def test_no_app_doctype_may_be_renamed():
	renamable = frappe.get_all(
		"DocType",
		filters={"module": ("in", list(text_policy.app_modules())), "allow_rename": 1},
		pluck="name",
	)
	assert renamable == []


def test_a_clerk_cannot_rename_a_public_outcome(world):
	response = clerk(world).method(
		"frappe.client.rename_doc",
		http="post",
		doctype="Consultation Outcome",
		old_name=world.renamable.name,
		new_name=f'{world.renamable.name}" autofocus onfocus="alert(5)',
	)
	assert response.status_code >= 400
	frappe.db.rollback()
	assert frappe.db.exists("Consultation Outcome", world.renamable.name)


# ------------------------------------------------------------------------------------ rendering


@pytest.fixture(scope="module")
def hostile(world):
	"""The filed outcome with every text field holding script, written as a record saved before the
	policy would be (straight into the database): rendering alone must make it inert."""
	outcome = world.outcome
	values = {
		"decision": JSON_TEXT,
		"decision_note": ATTRIBUTE,
		"implementer": TITLE,
		"correction_reason": ATTRIBUTE,
	}
	frappe.db.set_value("Consultation Outcome", outcome.name, values, update_modified=False)
	frappe.db.set_value("Consultation Topic", world.topic.name, "title", TITLE, update_modified=False)
	frappe.db.set_value("Consultation Outcome", outcome.name, "topic_title", TITLE, update_modified=False)
	for row in frappe.get_all("Implementation Update", {"parent": outcome.name}, pluck="name"):
		frappe.db.set_value("Implementation Update", row, "note", FORMULA + ATTRIBUTE, update_modified=False)
	session = world.session
	frappe.db.set_value(
		"Consultation Session",
		session.name,
		{
			"minutes": JSON_TEXT,
			"rules_of_procedure": ATTRIBUTE,
			"venue": ATTRIBUTE,
			"discussion": TITLE,
			"consultation_opinion": ATTRIBUTE,
			"topic_title": TITLE,
		},
		update_modified=False,
	)
	frappe.db.commit()
	return world


def test_the_public_unit_page_shows_hostile_text_inert(hostile):
	response = Client().get(f"/consultation/{hostile.units.village_a}")
	html = response.get_data(as_text=True)
	assert response.status_code == 200
	assert hostile.outcome.name in html
	assert injected(html) == []


def every_text_hostile(doctype: str, name: str):
	"""Every plain-text and rich-text field of the record and of its rows holds script (straight into the
	database, as a record older than the policy; Select fields keep their option)."""
	payloads = (TITLE, ATTRIBUTE, JSON_TEXT)
	doc = frappe.get_doc(doctype, name)
	for d in (doc, *doc.get_all_children()):
		values = {
			df.fieldname: payloads[i % len(payloads)]
			for i, df in enumerate(d.meta.fields)
			if df.fieldtype in (*text_policy.PLAIN_TEXT, *text_policy.RICH_TEXT)
			and df.fieldtype != "Select"
			and not df.is_virtual
		}
		if values:
			frappe.db.set_value(d.doctype, d.name, values, update_modified=False)


def test_the_print_formats_show_hostile_text_inert(hostile):
	"""Every print format of the app, on a record of its DocType whose every text field holds script."""
	from community_consultation.tests.meetings import make_basis, make_meeting, representatives

	basis = make_basis(hostile.units.village_a, adults=120, households=40, representatives=5)
	meeting = make_meeting(
		hostile.units.village_a,
		"Villagers' Representatives' Meeting",
		[hostile.draft_session.topic],
		votes=(4, 1, 0),
		attendance=representatives(basis),
	)
	annual = frappe.get_doc(
		{
			"doctype": "Consultation Annual Return",
			"county": hostile.units.county,
			"year": 2002,
			"work_summary": "<p>总结</p>",
		}
	).insert()
	records = {
		"Consultation Outcome": hostile.outcome.name,
		"Consultation Session": hostile.session.name,
		"Community Meeting": meeting.name,
		"Consultation Annual Return": annual.name,
	}
	for doctype, name in records.items():
		every_text_hostile(doctype, name)
	formats = frappe.get_all(
		"Print Format",
		filters={"module": ("in", list(text_policy.app_modules())), "disabled": 0},
		fields=["name", "doc_type"],
	)
	assert {f.doc_type for f in formats} <= set(records), formats
	for print_format in formats:
		html = frappe.get_print(print_format.doc_type, records[print_format.doc_type], print_format.name)
		assert injected(html) == [], print_format.name
	frappe.db.rollback()  # the fixture's committed records as they were


def test_frappes_standard_print_shows_hostile_text_inert(hostile):
	"""Frappe's own print format of a DocType the app has none for (`doc.get_formatted`)."""
	html = frappe.get_print("Consultation Topic", hostile.topic.name, "Standard")
	assert "onerror=alert(1)" in html  # the title, as text
	assert injected(html) == []


def test_the_open_data_csv_neutralises_formulas(hostile):
	frappe.db.set_value(
		"Consultation Outcome", hostile.outcome.name, "implementer", FORMULA, update_modified=False
	)
	frappe.db.commit()
	response = Client().get(
		"/api/method/community_consultation.portal.open_data.outcomes_csv",
		{"unit": hostile.units.village_a},
	)
	assert response.status_code == 200
	rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
	cells = [cell for row in rows[1:] for cell in row]
	assert "'" + FORMULA in cells
	assert [cell for cell in cells if cell.startswith(text_policy.FORMULA_START)] == []


def test_an_app_reports_csv_export_neutralises_formulas(hostile):
	"""The clerk exports the Implementation Tracker: the implementer is a formula (set just above)."""
	response = clerk(hostile).request(
		"post",
		"/api/method/frappe.desk.query_report.export_query",
		data={
			"report_name": "Implementation Tracker",
			"file_format_type": "CSV",
			"filters": json.dumps({"community_unit": hostile.units.village_a}),
			"visible_idx": "[]",  # every row
		},
	)
	body = response.get_data(as_text=True)
	assert response.status_code == 200, body[:500]
	cells = [cell for row in csv.reader(io.StringIO(body.lstrip("\ufeff"))) for cell in row]
	assert "'" + FORMULA in cells, cells
	assert [cell for cell in cells if cell.startswith(text_policy.FORMULA_START)] == []


def test_rich_text_stored_before_the_policy_is_sanitised_by_its_patch(hostile):
	from community_consultation.patches.v0_1 import sanitise_stored_rich_text

	sanitise_stored_rich_text.execute()
	frappe.db.commit()
	assert injected(stored("Consultation Outcome", hostile.outcome.name, "decision")) == []
	assert injected(stored("Consultation Session", hostile.session.name, "minutes")) == []
	assert injected(stored("Consultation Session", hostile.session.name, "rules_of_procedure")) == []
	# plain text stays as typed
	assert stored("Consultation Outcome", hostile.outcome.name, "implementer") == FORMULA


# ------------------------------------------------------------------------------------ in Chromium

needs_chromium = pytest.mark.skipif(bool(chromium_ready()), reason=chromium_ready() or "")


def desk_job(world, base: str) -> dict:
	"""The clerk's desk pages that show the hostile title, implementer and decision."""
	pages = [
		"/app/consultation-topic",
		"/app/consultation-topic/view/report",
		"/app/query-report/Topic Register",
		"/app/query-report/Implementation Tracker",
		"/app/consultation-outcome/view/report",
		f"/app/consultation-topic/{world.proposal.name}",
		f"/app/consultation-outcome/{world.outcome.name}",
	]
	return {
		"base": base,
		"mode": "text",
		"pages": [{"path": path, "user": world.users.clerk, "password": PASSWORD} for path in pages],
	}


def make_hostile(world):
	frappe.db.set_value("Consultation Topic", world.proposal.name, "title", TITLE, update_modified=False)
	frappe.db.set_value(
		"Consultation Outcome",
		world.outcome.name,
		{"implementer": TITLE, "topic_title": TITLE, "decision": JSON_TEXT},
		update_modified=False,
	)
	frappe.db.commit()


@pytest.fixture(scope="module")
def walks():
	"""The clerk's desk and a guest's public page in Chromium, on a served world with hostile text: plain
	text as typed, rich text as a record stored before the policy has it after its patch ran (the desk
	shows stored rich text as HTML, as Frappe does), then as it was before the patch (the public page)."""
	from community_consultation.patches.v0_1 import sanitise_stored_rich_text

	with served_world() as (world, site):
		make_hostile(world)
		sanitise_stored_rich_text.execute()
		frappe.db.commit()
		desk = run_browser(desk_job(world, site.base))
		# the public page sanitises rich text again as it reads it, whatever is stored
		frappe.db.set_value(
			"Consultation Outcome", world.outcome.name, "decision", JSON_TEXT, update_modified=False
		)
		frappe.db.commit()
		public = run_browser(
			{
				"base": site.base,
				"mode": "walk",
				"width": 1280,
				"steps": [{"goto": f"/consultation/{world.units.village_a}", "inspect": True}],
			}
		)
	return frappe._dict(desk=desk, public=public)


@needs_chromium
def test_no_hostile_text_runs_in_the_clerks_desk(walks):
	for entry in walks.desk:
		assert not entry.get("error"), entry
		assert entry.get("status") == 200, entry
		assert entry["dialogs"] == [], (entry["path"], entry["dialogs"])
	# the title is there, as text
	report_view = walks.desk[1]
	assert "onerror=alert(1)" in report_view["text"], report_view["text"][:1000]


@needs_chromium
def test_no_hostile_text_runs_on_the_public_page(walks):
	(entry,) = walks.public
	assert not entry.get("error"), entry
	assert entry.get("status") == 200, entry
	assert entry["dialogs"] == [], entry["dialogs"]
