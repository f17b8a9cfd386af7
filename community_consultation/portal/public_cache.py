"""The public pages' cache: what a share in a village's WeChat group opens (主动公开协商成果, 二(五)4).

A link shared in a group is opened by hundreds of phones within a minute, as guests; each render of a
unit's page runs the app's queries and Jinja (230–270 ms of CPU for a busy village's page, against 16 ms
for the same page from the cache: benchmarks/burst.py). The pages and the open
data a guest reads are kept in the site's Redis cache (`frappe.cache`), one entry per unit, kind of page
and language (`KINDS`: the unit's page, its CSV and JSON, its iCalendar feed; the unit "" is the index
`/consultation`), and are dropped when what they show changes:

- every save, submit, cancel, change after submit, `db_set` (the daily status), deletion or renaming of
  a record a public page reads (`doc_events` in hooks.py → `drop_pages_of_record`), once its transaction
  is committed (and at once): the pages of the record's unit and of every unit above it (their pages show the units
  beneath them), and for a township's or county's record every unit beneath it too (a township
  outcome shows on the page of each village it concerns); a unit renamed or a stakeholder type changed,
  every page;
- a page is stored with the date it was rendered on: a publicity or a published progress that starts
  on a later day is shown from that day (`publicity_from`, `published_on` are dates);
- a session notice published at a set time: the unit's page and calendar are kept until then at most
  (`_seconds_to_next_notice`), and every entry for `MAX_AGE_SECONDS` at most (what no record's event tells: the
  site's settings; `bench clear-website-cache` drops them all at once).

What is stored is exactly what a guest is shown: only guests are served from it and only their
renders are stored (a signed-in resident or clerk gets a fresh page, with their own CSRF token and
name); the page is stored before Frappe puts the request's CSRF token into it. A request that wrote in
its transaction, a render that began before the last change of its unit, and — on a site that reads
from a replica — a render within `REPLICA_ALLOWANCE_SECONDS` of that change are shown but not stored.
Frappe's switches for its own website cache apply: site config `disable_website_cache` (or developer
mode) turns it off, `frappe.flags.force_website_cache` on; while the test suite runs it is off unless
forced (tests change records in one uncommitted transaction).
"""

import time

import frappe
from frappe.utils import get_datetime, now_datetime, nowdate
from frappe.website.page_renderers.template_page import TemplatePage

from community_consultation.units import tree as unit_tree

PREFIX = "community_consultation:public|"
CHANGED = "community_consultation:public-changed|"
# what is cached per unit: the unit's page (or the index, unit ""), its open data, its calendar
KINDS = ("page", "outcomes_csv", "outcomes_json", "sessions_ics")
# the pages Frappe renders through PublicPage: route → form_dict key of the unit ("" for none)
PAGES = {"consultation": None, "consultation/unit": "unit"}
# the longest an entry is kept: bounds what no record's event tells (settings, templates)
MAX_AGE_SECONDS = 600
# on a site that reads from a replica: a render this soon after a change may have read the replica
# before it applied the change, and is not stored
REPLICA_ALLOWANCE_SECONDS = 5
# the units whose records show on the pages of every unit beneath them (township outcomes)
SPREADS_DOWN = (unit_tree.COUNTY, *unit_tree.TOWNSHIP_TYPES)
ALL = "*"
WECHAT_VARIANT = "|wechat"


def enabled() -> bool:
	"""Frappe's own switches of the website cache (`frappe.website.utils.can_cache`), off in tests
	unless forced."""
	if frappe.flags.force_website_cache:
		return True
	conf = frappe.local.conf
	return not (conf.disable_website_cache or conf.developer_mode or frappe.flags.in_test)


def serves_from_cache() -> bool:
	"""A guest's GET, in a request that has not written: the only one served from the cache."""
	request = getattr(frappe.local, "request", None)
	return (
		enabled()
		and frappe.session.user == "Guest"
		and (request is None or request.method in ("GET", "HEAD"))
		and not frappe.db.transaction_writes
	)


def _key(unit: str, kind: str, lang: str) -> str:
	return f"{PREFIX}{unit}|{kind}|{lang}"


def cached(unit: str, kind: str, lang: str, produce, keep=None):
	"""`produce()` for `unit`'s `kind` of page, from the cache for a guest when it is there. A fresh value
	is stored only when `keep()` (when given) says it is the page of the unit as named in the tree."""
	if not serves_from_cache():
		return produce()
	key = _key(unit, kind, lang)
	entry = frappe.cache.get_value(key, expires=True)
	if entry and entry["on"] == nowdate() and entry["until"] > time.time():
		frappe.local.response.from_cache = True
		return entry["value"]
	started = time.time()
	value = produce()
	if (keep is None or keep()) and _unchanged_since(unit, started):
		age = min(MAX_AGE_SECONDS, _seconds_to_next_notice(unit, kind))
		if age > 0:
			entry = {"value": value, "on": nowdate(), "until": started + age}
			frappe.cache.set_value(key, entry, expires_in_sec=int(age) + 1)
	return value


def _unchanged_since(unit: str, started: float) -> bool:
	allowance = REPLICA_ALLOWANCE_SECONDS if frappe.local.conf.read_from_replica else 0
	for marker in (unit, ALL):
		changed = frappe.cache.get_value(CHANGED + marker, expires=True)
		if changed and changed + allowance >= started:
			return False
	return True


def _seconds_to_next_notice(unit: str, kind: str) -> float:
	"""Seconds until the next session notice of the unit's subtree is published (its page and calendar
	list the sessions whose notice is out), or MAX_AGE_SECONDS when none is due before."""
	if not unit or kind not in ("page", "sessions_ics"):
		return MAX_AGE_SECONDS
	bounds = unit_tree.bounds(unit)
	if not bounds:
		return MAX_AGE_SECONDS
	now = now_datetime()
	session = frappe.qb.DocType("Consultation Session")
	cu = frappe.qb.DocType("Community Unit")
	next_notice = (
		frappe.qb.from_(session)
		.join(cu)
		.on(cu.name == session.community_unit)
		.select(frappe.query_builder.functions.Min(session.notice_published_on))
		.where(
			unit_tree.within_criterion(cu, [bounds])
			& (session.docstatus < 2)
			& (session.notice_published_on > now)
		)
		.run()
	)[0][0]
	if not next_notice:
		return MAX_AGE_SECONDS
	return (get_datetime(next_notice) - now).total_seconds()


# ------------------------------------------------------------------------------------ the pages


class PublicPage(TemplatePage):
	"""`/consultation` and `/consultation/<unit>` (hooks.py `page_renderer`): Frappe's template page,
	its HTML kept in the public cache. Frappe's own page cache (`cache_html`) never keeps a page of a
	dynamic route, and keeps one page per path for every user."""

	def can_render(self):
		return self.path in PAGES and super().can_render()

	def get_html(self):
		from community_consultation.portal.outcomes import PUBLIC_LANGUAGE

		field = PAGES[self.path]
		variant = _page_variant(PUBLIC_LANGUAGE)
		if not field:
			return cached("", "page", variant, self.render_html)
		unit = frappe.form_dict.get(field) or ""
		# stored only as the page of the unit named as in the tree: another spelling the database
		# matches (case, trailing spaces) is rendered afresh each time, never kept under a key no
		# change drops; a hit needs no query of its own
		return cached(
			unit,
			"page",
			variant,
			self.render_html,
			keep=lambda: bool(unit) and (self.context.get("unit") or {}).get("name") == unit,
		)

	def render_html(self) -> str:
		"""TemplatePage.get_html without Frappe's page cache (`cache_html`, which this one replaces)."""
		return TemplatePage.get_html.__wrapped__(self)


# ------------------------------------------------------------------------------------ invalidation


def pages_of_unit(unit: str | None) -> list[str] | None:
	"""The units whose pages show records of `unit`: itself and every unit above it, and for a township
	or county every unit beneath it. None: every page (no such unit in the tree)."""
	bounds = unit_tree.bounds(unit)
	if not bounds:
		return None
	cu = frappe.qb.DocType("Community Unit")
	shown_on = unit_tree.encloses_criterion(cu, bounds)
	if unit_tree.unit_type(unit) in SPREADS_DOWN:
		shown_on = shown_on | unit_tree.within_criterion(cu, [bounds])
	return frappe.qb.from_(cu).select(cu.name).where(shown_on).run(pluck=True)


def drop_pages(units: list[str] | None):
	"""Drop the cached pages of `units` and the index (None: every cached page), now and, when the
	transaction wrote, again once it is committed; renders that began before are not stored."""

	def drop():
		now = time.time()
		if units is None:
			frappe.cache.delete_keys(PREFIX)
			frappe.cache.set_value(CHANGED + ALL, now, expires_in_sec=MAX_AGE_SECONDS)
			return
		frappe.cache.delete_value(
			[_key(unit, kind, lang) for unit in ["", *units] for kind in KINDS for lang in _languages()]
		)
		for unit in ["", *units]:
			frappe.cache.set_value(CHANGED + unit, now, expires_in_sec=MAX_AGE_SECONDS)

	drop()
	if frappe.db.transaction_writes:
		frappe.db.after_commit.add(drop)


def _languages() -> list[str]:
	"""Every variant a page is kept under: its language, and the same in WeChat's browser."""
	from community_consultation.portal.outcomes import PUBLIC_LANGUAGE

	return [PUBLIC_LANGUAGE, f"{PUBLIC_LANGUAGE}{WECHAT_VARIANT}"]


def _page_variant(lang: str) -> str:
	"""A page opened in WeChat's browser carries the share card's script when it is set up
	(templates/public_page.html): kept apart from the page every other browser gets."""
	from community_consultation.portal.wechat_login import consultation_wechat_share

	return f"{lang}{WECHAT_VARIANT}" if consultation_wechat_share() else lang


def drop_pages_of_record(doc, method=None, *args):
	"""doc_events: a record a public page reads changed (saved, submitted, cancelled, changed after
	submit, `db_set`, deleted)."""
	if doc.doctype in ("Community Unit", "Stakeholder Type"):
		# names and types show on the pages of the units around it
		drop_pages(None)
		return
	field = unit_tree.unit_field(doc.doctype)
	units = {doc.get(field)} if field else set()
	before = doc.get_doc_before_save()
	if before and field:
		# a record moved to another unit leaves the old unit's pages
		units.add(before.get(field))
	pages = []
	for unit in units - {None, ""}:
		shown_on = pages_of_unit(unit)
		if shown_on is None:
			drop_pages(None)
			return
		pages += shown_on
	drop_pages(pages)


def drop_all_pages(*args, **kwargs):
	"""`website_clear_cache` (bench clear-website-cache, the website settings saved): every page."""
	drop_pages(None)
