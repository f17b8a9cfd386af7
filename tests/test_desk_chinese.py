"""The desk in Chinese, as a clerk sees it: Debian's Chromium logs in as a committee clerk, a community
secretary, a building head and a township officer (each with language zh), opens the app's workspace,
lists, forms and reports, and finds no English word of the app's or Frappe's on them."""

import json
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import frappe
import pytest
from browser_site import PASSWORD, chromium_ready, run_walk

pytestmark = pytest.mark.skipif(bool(chromium_ready()), reason=chromium_ready() or "")

# Latin words that are no English a clerk must read: names, abbreviations, the framework's name
ALLOWED = {
	"PDF",
	"CSV",
	"JSON",
	"SMS",
	"QR",
	"ID",
	"Frappe",
	"Administrator",
	"Ctrl",
	"Alt",
	"Shift",
	"MB",
	"KB",
}
# record numbers (TOP-2026-00001, STK-00012, PLN-甲村-2026), the random names of log records
# (5uc4ql4k8v), e-mail addresses, URLs, time zones (Asia/Shanghai), the editor's font sizes (14px)
NOT_WORDS = re.compile(
	r"\b[A-Z]{2,4}-(\d{4}-)?\d+(-\d+)?\b|\b[A-Z]{2,4}-[^\s/A-Za-z]+-\d{4}\b|\b(?=[a-z]*\d)[a-z\d]{10}\b"
	r"|\S+@\S+|https?://\S+|\b[A-Z]{2,4}-\.?Y+|\b[A-Z][a-z]+/[A-Za-z_]+\b|\b\d+px\b"
)
WORD = re.compile(r"[A-Za-z][A-Za-z']+")


def english_words(text: str) -> list[str]:
	text = NOT_WORDS.sub(" ", text)
	return sorted({w for w in WORD.findall(text) if w not in ALLOWED})


def zh(text: str) -> str:
	return frappe._(text, lang="zh")


def desk_pages(world, role: str) -> list[dict]:
	"""The pages `role` works on, each {"path", "actions"}: an action opens a button's dropdown, dialog
	or popover (read, then closed with Escape: nothing is changed)."""
	# a building head works on their building's records, the others on the village's
	topic, session = (
		(world.building_topic.name, world.building_session.name)
		if role == "building_head"
		else (world.topic, world.session.name)
	)
	form_menu = {"selector": ".menu-btn-group > button"}
	pages = [
		("/app/community-consultation", []),
		("/app/consultation-topic", [{"button": zh("Filter")}]),
		(f"/app/consultation-topic/{quote(topic)}", [form_menu]),
		("/app/consultation-session", []),
		(f"/app/consultation-session/{quote(session)}", []),
		("/app/stakeholder", []),
		("/app/notice-channel", []),
		("/app/consultation-topic/new", []),
		("/app/consultation-session/view/calendar", []),
		("/app/consultation-notice-log", []),
		("/app/query-report/Topic Register", []),
		("/app/community-meeting", []),
		("/app/meeting-basis", []),
		("/app/meeting-rule", []),
	]
	if role in ("clerk", "secretary"):
		pages += [
			# the resident's proposal waits for the Party organisation's review: the workflow's actions
			(f"/app/consultation-topic/{quote(world.proposal.name)}", [{"button": zh("Actions")}]),
			# the notice is out: the clerk tells the participants not yet told
			(
				f"/app/consultation-session/{quote(world.session.name)}",
				[{"button": zh("Notify Remaining Participants")}],
			),
			(f"/app/community-meeting/{quote(world.meeting.name)}", [form_menu]),
			(f"/app/meeting-basis/{quote(world.basis.name)}", []),
			("/app/community-meeting/new", []),
			("/app/township-referral", []),
			(f"/app/township-referral/{quote(world.referral.name)}", []),
			("/app/consultation-plan", []),
			(f"/app/consultation-plan/{quote(world.plan.name)}", []),
			("/app/consultation-inspection", []),
			(f"/app/consultation-inspection/{quote(world.inspection.name)}", []),
			("/app/entrusted-matter-report", []),
		]
	if role != "building_head":
		pages += [
			("/app/consultation-outcome", []),
			(f"/app/consultation-outcome/{quote(world.outcome.name)}", []),
			("/app/supervision-remark", []),
			("/app/proposal-progress-notice", []),
			("/app/query-report/Implementation Tracker", []),
			("/app/query-report/Stakeholder Participation", []),
			("/app/query-report/Online Proposals to Review", []),
		]
	if role == "township":
		pages += [
			(f"/app/community-meeting/{quote(world.meeting.name)}", []),
			("/app/township-and-village", []),
			("/app/township-assignment", []),
			(f"/app/township-assignment/{quote(world.assignment.name)}", [form_menu]),
			("/app/township-assignment/new", []),
			("/app/township-referral", []),
			(f"/app/township-referral/{quote(world.referral.name)}", []),
			("/app/consultation-inspection", []),
			(f"/app/consultation-inspection/{quote(world.inspection.name)}", []),
			("/app/consultation-plan", []),
			("/app/query-report/Township Overview", []),
			("/app/consultation-annual-return", []),
			("/app/query-report/Consultation Annual Return Figures", []),
		]
	return [{"path": path, "actions": actions} for path, actions in pages]


def desk_job(world, base: str) -> dict:
	world.topic = frappe.db.get_value("Consultation Session", world.session.name, "topic")
	pages = [
		{**page, "user": world.users[role], "password": PASSWORD, "role": role}
		for role in ("clerk", "secretary", "building_head", "township")
		for page in desk_pages(world, role)
	]
	# screenshots of every page and dialog, to look at: $FRAPPE_BENCH/logs/desk-screenshots/
	shots = Path(frappe.utils.get_bench_path()) / "logs" / "desk-screenshots"
	shutil.rmtree(shots, ignore_errors=True)
	shots.mkdir()
	return {
		"base": base,
		"mode": "text",
		"pages": pages,
		"screenshots": str(shots),
		"loading_text": zh("Loading..."),
	}


@pytest.fixture(scope="module")
def desk_text():
	done = run_walk(desk_job)
	for page, entry in zip(done.job["pages"], done.report, strict=True):
		entry["role"] = page["role"]
	# kept beside the bench's logs to read when the check fails
	(Path(frappe.utils.get_bench_path()) / "logs" / "desk-chinese-report.json").write_text(
		json.dumps(done.report, ensure_ascii=False, indent=1)
	)
	return done.report


def test_desk_pages_of_every_unit_role_show_no_english(desk_text):
	found = {}
	for entry in desk_text:
		assert not entry.get("error"), entry["error"]
		assert entry["status"] == 200, entry
		# the page itself, not the desk's refusal
		assert frappe._("Not Permitted", lang="zh") not in entry["text"], (entry["role"], entry["path"])
		words = english_words("\n".join([entry["text"], *(a["text"] for a in entry["actions"])]))
		if words:
			found[f"{entry['role']} {entry['path']}"] = words
	assert found == {}, "\n".join(f"{page}: {' '.join(words)}" for page, words in found.items())


def test_the_workspaces_cards_and_charts_load(desk_text):
	"""Each role's workspace shows its number cards' figures and its charts, not "Loading..." for good."""
	still_loading = [
		(e["role"], e["path"])
		for e in desk_text
		if e["path"] in ("/app/community-consultation", "/app/township-and-village")
		and zh("Loading...") in e["text"]
	]
	assert still_loading == []


def test_a_record_merely_opened_is_not_changed(desk_text):
	"""Opening a record's form changes nothing in it: the form does not say "Not Saved" (an editable
	Datetime field once rewrote its stored seconds, public/js/datetime_input.js)."""
	unsaved = [(e["role"], e["path"]) for e in desk_text if e.get("unsaved_on_open")]
	assert unsaved == []


def test_the_buttons_of_the_app_open_their_menus_and_dialogs(desk_text):
	"""Each action of the walk opened what its button opens (its English is checked with the page's)."""
	unopened = [
		(entry["role"], entry["path"], action)
		for entry in desk_text
		for action in entry["actions"]
		if not action["opened"]
	]
	assert unopened == []


def test_the_desk_sidebar_shows_only_the_app_workspace_to_unit_roles(desk_text):
	for entry in desk_text:
		if entry["path"] == "/app/community-consultation":
			for name in (
				"用户",
				"网站",
				"工具",
				"集成",
				"构建",
				"Users",
				"Website",
				"Tools",
				"Integrations",
				"Build",
			):
				assert f"\n{name}\n" not in f"\n{entry['text']}\n", (entry["role"], name)
