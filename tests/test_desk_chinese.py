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
from browser_site import PASSWORD, chromium_ready, run_browser, served_world

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
# record numbers (TOP-2026-00001, STK-00012), e-mail addresses, URLs, time zones (Asia/Shanghai), the
# editor's font sizes (14px)
NOT_WORDS = re.compile(
	r"\b[A-Z]{2,4}-(\d{4}-)?\d+(-\d+)?\b|\S+@\S+|https?://\S+|\b[A-Z]{2,4}-\.?Y+|\b[A-Z][a-z]+/[A-Za-z_]+\b|\b\d+px\b"
)
WORD = re.compile(r"[A-Za-z][A-Za-z']+")


def english_words(text: str) -> list[str]:
	text = NOT_WORDS.sub(" ", text)
	return sorted({w for w in WORD.findall(text) if w not in ALLOWED})


def desk_pages(world, role: str) -> list[str]:
	# a building head works on their building's records, the others on the village's
	topic, session = (
		(world.building_topic.name, world.building_session.name)
		if role == "building_head"
		else (world.topic, world.session.name)
	)
	pages = [
		"/app/community-consultation",
		"/app/consultation-topic",
		f"/app/consultation-topic/{quote(topic)}",
		"/app/consultation-session",
		f"/app/consultation-session/{quote(session)}",
		"/app/stakeholder",
		"/app/notice-channel",
		"/app/consultation-topic/new",
		"/app/consultation-session/view/calendar",
		"/app/consultation-notice-log",
		"/app/query-report/Topic Register",
	]
	if role != "building_head":
		pages += [
			"/app/consultation-outcome",
			f"/app/consultation-outcome/{quote(world.outcome.name)}",
			"/app/supervision-remark",
			"/app/proposal-progress-notice",
			"/app/query-report/Implementation Tracker",
			"/app/query-report/Stakeholder Participation",
			"/app/query-report/Online Proposals to Review",
		]
	if role == "township":
		pages += ["/app/consultation-annual-return", "/app/query-report/Yearly Consultation Return"]
	return pages


@pytest.fixture(scope="module")
def desk_text():
	for world, site in served_world():
		world.topic = frappe.db.get_value("Consultation Session", world.session.name, "topic")
		pages = []
		for role in ("clerk", "secretary", "building_head", "township"):
			pages += [
				{"path": path, "user": world.users[role], "password": PASSWORD, "role": role, "wait": 1500}
				for path in desk_pages(world, role)
			]
		# screenshots of every page, to look at: $FRAPPE_BENCH/logs/desk-screenshots/
		shots = Path(frappe.utils.get_bench_path()) / "logs" / "desk-screenshots"
		shutil.rmtree(shots, ignore_errors=True)
		shots.mkdir()
		entries = run_browser({"base": site.base, "mode": "text", "pages": pages, "screenshots": str(shots)})
		for page, entry in zip(pages, entries, strict=True):
			entry["role"] = page["role"]
		# kept beside the bench's logs to read when the check fails
		(Path(frappe.utils.get_bench_path()) / "logs" / "desk-chinese-report.json").write_text(
			json.dumps(entries, ensure_ascii=False, indent=1)
		)
		yield entries


def test_desk_pages_of_every_unit_role_show_no_english(desk_text):
	found = {}
	for entry in desk_text:
		assert not entry.get("error"), entry["error"]
		assert entry["status"] == 200, entry
		# the page itself, not the desk's refusal
		assert frappe._("Not Permitted", lang="zh") not in entry["text"], (entry["role"], entry["path"])
		words = english_words(entry["text"])
		if words:
			found[f"{entry['role']} {entry['path']}"] = words
	assert found == {}, "\n".join(f"{page}: {' '.join(words)}" for page, words in found.items())


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
