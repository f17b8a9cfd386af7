"""Accessibility of the public pages (无障碍环境建设法 art. 32; GB/T 37668-2019 level 2, in line with
WCAG 2.1 AA): axe-core in Debian's Chromium at 360 px (a phone, WeChat's user agent) and 1280 px finds
no serious or critical violation on the public outcome pages, the proposal web form and its
confirmation, the login page, the resident's proposals page; the pages are in Chinese (lang zh), do
not scroll sideways at 320 CSS px (a 1280 px window at 200 % zoom is 640), and the proposal form is
filled and sent by keyboard alone with a visible focus on every stop. See docs/accessibility.md."""

import json
from pathlib import Path
from urllib.parse import quote

import frappe
import pytest
from browser_site import PASSWORD, chromium_ready, run_walk

WIDTHS = [360, 1280]
SERIOUS = ("serious", "critical")

pytestmark = pytest.mark.skipif(bool(chromium_ready()), reason=chromium_ready() or "")


def axe_job(world, base: str) -> dict:
	unit = quote(world.units.village_a)
	resident = {"user": world.users.resident, "password": PASSWORD}
	pages = [
		{"path": "/consultation", "zoom_check": True},
		{"path": f"/consultation/{unit}", "zoom_check": True},
		{"path": "/login", "zoom_check": True},
		{"path": "/personal-information", "zoom_check": True},
		{"path": "/my-proposals", **resident, "zoom_check": True},
		{"path": "/propose-topic", **resident},
		{
			"path": "/propose-topic/new",
			**resident,
			"zoom_check": True,
			"keyboard": True,
			"fill_form": [
				["community_unit", {"select": "浏览甲村"}],
				["category", {"select": "社区服务"}],
				["title", "楼道灯坏了"],
				["description", "三楼楼道灯坏了一个月，老人上下楼不方便。"],
			],
		},
	]
	return {"base": base, "mode": "axe", "pages": pages, "widths": WIDTHS}


def axe_facts(world) -> dict:
	"""What the keyboard-only proposal left: the resident's topic (read before the world is removed)."""
	frappe.db.rollback()  # a fresh snapshot: the served site committed it
	return {
		"proposal_received": bool(
			frappe.db.exists("Consultation Topic", {"title": "楼道灯坏了", "owner": world.users.resident})
		)
	}


@pytest.fixture(scope="module")
def report():
	done = run_walk(axe_job, axe_facts)
	# kept beside the bench's logs to read when a check fails
	(Path(frappe.utils.get_bench_path()) / "logs" / "accessibility-report.json").write_text(
		json.dumps(done.report, ensure_ascii=False, indent=1)
	)
	return frappe._dict(world=done.world, entries=done.report, facts=done.facts)


def entries(report, path_start: str):
	found = [e for e in report.entries if e["path"].startswith(path_start)]
	assert found, path_start
	return found


@pytest.mark.parametrize(
	"path",
	[
		"/consultation",
		"/consultation/",
		"/login",
		"/personal-information",
		"/my-proposals",
		"/propose-topic",
		"/propose-topic/new",
	],
)
def test_public_page_has_no_serious_or_critical_axe_violation(report, path):
	for entry in [
		e
		for e in report.entries
		if e["path"] == path
		or (path.endswith("/") and e["path"].startswith(path) and e["path"] != path.rstrip("/"))
	]:
		assert not entry.get("error"), entry.get("error")
		assert entry["status"] == 200, entry
		serious = [v for v in entry["violations"] if v["impact"] in SERIOUS]
		assert serious == [], f"{entry['path']} at {entry['width']} px: {serious}"
		assert entry["facts"]["lang"].startswith("zh"), entry["facts"]
		assert not entry["facts"]["scrolls_sideways"], (
			f"{entry['path']} scrolls sideways at {entry['width']} px"
		)
		if "scrolls_sideways_at_320" in entry:
			assert not entry["scrolls_sideways_at_320"], f"{entry['path']} scrolls sideways at 320 CSS px"


def test_proposal_form_is_reached_by_keyboard_with_visible_focus(report):
	(entry,) = [e for e in report.entries if e["path"] == "/propose-topic/new" and "keyboard" in e]
	fields = [step["name"] for step in entry["keyboard"]]
	for field in ("community_unit", "category", "title", "description"):
		assert field in fields, fields
	assert entry["keyboard"][-1]["is_submit"], entry["keyboard"]
	invisible = [step for step in entry["keyboard"] if not step["visible_focus"]]
	assert invisible == [], invisible


def test_proposal_is_sent_by_keyboard_alone_and_its_confirmation_is_accessible(report):
	(entry,) = [e for e in report.entries if e["path"] == "/propose-topic/new" and "filled" in e]
	assert entry["filled"].get("submitted"), entry["filled"]
	assert report.facts["proposal_received"]
	serious = [v for v in entry["after_submit_violations"] if v["impact"] in SERIOUS]
	assert serious == [], serious
	assert frappe._("Proposal received", lang="zh") in entry["after_submit"]["text"]
