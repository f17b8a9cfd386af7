"""No leaks: a user limited to some units gets nothing of the others, by any path.

The matrix: every restricted role (tests/permission_world.py) × every path a record or a figure can take
to a user — list view, `frappe.client`, the form, `/api/resource`, print and PDF, child-table rows, link
search, global search, number cards and dashboard charts, every report (rows and totals), the public
pages, the connections and every whitelisted method of the app — and every way to write: create in
another unit, move a record there, submit, cancel, change or delete there, or bring another unit's
stakeholder in. Each path is called as the desk calls it: through `frappe.handler.execute_cmd` (so the
app's `override_whitelisted_methods` apply) or Frappe's `/api/resource` handlers. The same paths over a
real HTTP server: tests/test_rest_permissions.py.

Each check is also made the other way: what the user may see, they do see (a test that shows nothing to
anyone would pass otherwise).
"""

import json
from contextlib import contextmanager
from unittest.mock import patch

import frappe
import frappe.api.v1
import frappe.handler
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_months, get_first_day, nowdate, set_request
from permission_world import READS, USERS, hidden_units, names, seen_units, shared_world

REFUSED = (frappe.PermissionError, frappe.DoesNotExistError)
UNIT_KEYS = ("a", "building", "b", "c")


@contextmanager
def request(http_method: str = "POST", **form):
	"""Run as a request to the API would: `frappe.local.request`, `form_dict` and `response` set."""
	saved = {k: getattr(frappe.local, k, None) for k in ("request", "form_dict", "response")}
	set_request(method=http_method, path="/api/method/test", base_url="http://localhost")
	frappe.local.form_dict = frappe._dict(form)
	frappe.local.response = frappe._dict(docs=[])
	try:
		yield
	finally:
		for key, value in saved.items():
			if value is None:
				delattr(frappe.local, key) if hasattr(frappe.local, key) else None
			else:
				setattr(frappe.local, key, value)


def api(cmd: str, http_method: str = "POST", **kwargs):
	"""Call `/api/method/<cmd>` in-process: Frappe's overrides, whitelist and HTTP-method checks apply."""
	with request(http_method, cmd=cmd, **kwargs):
		return frappe.handler.execute_cmd(cmd)


def rest(handler, *args, http_method: str = "GET", **form):
	"""Call one of Frappe's `/api/resource` handlers (frappe.api.v1) in-process."""
	with request(http_method, **form):
		return handler(*args)


def doc_names(rows) -> set[str]:
	return {r["name"] if isinstance(r, dict) else r[0] for r in rows}


class PermissionMatrix(FrappeTestCase):
	"""The world of tests/permission_world.py (committed once for the run: `shared_world`); what the
	class's tests write is rolled back after the class."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.world = shared_world()

	def setUp(self):
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")

	@contextmanager
	def as_user(self, key: str):
		frappe.set_user(self.world.users[key])
		try:
			yield
		finally:
			frappe.set_user("Administrator")

	def visible(self, user_key: str, doctype: str) -> set[str]:
		return names(self.world, doctype, seen_units(user_key))

	def hidden(self, user_key: str, doctype: str) -> set[str]:
		return names(self.world, doctype, hidden_units(user_key))

	def readable(self, user_key: str):
		return READS[USERS[user_key][0]]

	def users_and_doctypes(self):
		for user_key in USERS:
			for doctype in (
				"Consultation Topic",
				"Consultation Session",
				"Consultation Outcome",
				"Stakeholder",
			):
				yield user_key, doctype

	def assertRefused(self, fn, *args, refusals=REFUSED, **kwargs):
		with self.assertRaises(refusals):
			fn(*args, **kwargs)
		frappe.clear_messages()


class TestReadPaths(PermissionMatrix):
	def test_list_view_client_get_list_and_api_resource_show_only_own_units(self):
		for user_key, doctype in self.users_and_doctypes():
			with self.subTest(user=user_key, doctype=doctype), self.as_user(user_key):
				if doctype not in self.readable(user_key):
					self.assertRefused(api, "frappe.client.get_list", doctype=doctype)
					continue
				paths = {
					"frappe.get_list": set(frappe.get_list(doctype, pluck="name", limit_page_length=0)),
					"frappe.client.get_list": doc_names(
						api("frappe.client.get_list", doctype=doctype, limit_page_length=0)
					),
					"list view": {
						row[0]
						for row in api(
							"frappe.desk.reportview.get",
							doctype=doctype,
							fields=json.dumps([f"`tab{doctype}`.`name`"]),
							page_length=500,
						)["values"]
					},
					"/api/resource": doc_names(
						rest(frappe.api.v1.document_list, doctype, limit_page_length=0, fields='["name"]')
					),
				}
				for path, got in paths.items():
					self.assertFalse(got & self.hidden(user_key, doctype), f"{path} leaks")
					self.assertTrue(self.visible(user_key, doctype) <= got, f"{path} hides own records")

	def test_counts_and_sidebar_count_only_own_units(self):
		for user_key, doctype in self.users_and_doctypes():
			if doctype not in self.readable(user_key):
				continue
			with self.subTest(user=user_key, doctype=doctype), self.as_user(user_key):
				own = len(frappe.get_list(doctype, pluck="name", limit_page_length=0))
				self.assertEqual(api("frappe.client.get_count", doctype=doctype), own)
				self.assertEqual(api("frappe.desk.reportview.get_count", doctype=doctype), own)
				by_unit = api(
					"frappe.desk.listview.get_group_by_count",
					doctype=doctype,
					current_filters="[]",
					field="community_unit",
				)
				self.assertEqual(
					{r["name"] for r in by_unit},
					{self.world.units[k] for k in seen_units(user_key)},
				)
				self.assertEqual(sum(r["count"] for r in by_unit), own)

	def test_assigned_to_counts_only_own_units(self):
		for key in UNIT_KEYS:
			frappe.get_doc(
				{
					"doctype": "ToDo",
					"allocated_to": "Administrator",
					"reference_type": "Consultation Topic",
					"reference_name": self.world.records[key].topic,
					"description": "跟进",
				}
			).insert(ignore_permissions=True)
		for user_key in USERS:
			with self.subTest(user=user_key), self.as_user(user_key):
				counts = api(
					"frappe.desk.listview.get_group_by_count",
					doctype="Consultation Topic",
					current_filters="[]",
					field="assigned_to",
				)
				self.assertEqual(sum(r["count"] for r in counts), len(seen_units(user_key)))

	def test_form_client_get_and_api_resource_refuse_other_units(self):
		for user_key, doctype in self.users_and_doctypes():
			if doctype not in self.readable(user_key):
				continue
			with self.subTest(user=user_key, doctype=doctype), self.as_user(user_key):
				for name in self.hidden(user_key, doctype):
					self.assertRefused(api, "frappe.client.get", doctype=doctype, name=name)
					self.assertRefused(api, "frappe.desk.form.load.getdoc", doctype=doctype, name=name)
					self.assertRefused(api, "frappe.desk.form.load.get_docinfo", doctype=doctype, name=name)
					self.assertRefused(rest, frappe.api.v1.read_doc, doctype, name)
					self.assertFalse(
						api("frappe.client.get_value", doctype=doctype, filters=name, fieldname="name")
					)
					self.assertFalse(api("frappe.client.get_list", doctype=doctype, filters={"name": name}))
				for name in self.visible(user_key, doctype):
					self.assertEqual(api("frappe.client.get", doctype=doctype, name=name)["name"], name)
					self.assertEqual(rest(frappe.api.v1.read_doc, doctype, name).name, name)

	def test_community_units_only_own_subtree(self):
		for user_key in USERS:
			with self.subTest(user=user_key), self.as_user(user_key):
				got = set(frappe.get_list("Community Unit", pluck="name", limit_page_length=0))
				own = {self.world.units[k] for k in seen_units(user_key)}
				self.assertTrue(own <= got)
				self.assertFalse(got & {self.world.units[k] for k in hidden_units(user_key)})
				self.assertNotIn(self.world.units.township2, got)
				self.assertNotIn(self.world.units.county1, got)

	def test_print_and_pdf_refuse_other_units(self):
		for user_key, doctype in self.users_and_doctypes():
			if doctype not in self.readable(user_key) or doctype == "Stakeholder":
				continue
			with self.subTest(user=user_key, doctype=doctype), self.as_user(user_key):
				for name in self.hidden(user_key, doctype):
					self.assertRefused(api, "frappe.www.printview.get_html_and_style", doc=doctype, name=name)
					self.assertRefused(
						api,
						"frappe.utils.print_format.download_pdf",
						doctype=doctype,
						name=name,
					)
					self.assertRefused(frappe.get_print, doctype, name)
				visible = sorted(self.visible(user_key, doctype))[0]
				html = api("frappe.www.printview.get_html_and_style", doc=doctype, name=visible)["html"]
				self.assertIn(visible, html)

	def test_pdf_of_own_record_is_made(self):
		"""Up to the PDF engine (wkhtmltopdf, which needs the site served to fetch its assets)."""
		cmd = "frappe.utils.print_format.download_pdf"
		name = self.world.records.a.outcome
		rendered = []

		def pdf_engine(html, *args, **kwargs):
			rendered.append(html)
			return b"%PDF-1.4 stub"

		with (
			patch("frappe.utils.pdf.get_pdf", pdf_engine),
			self.as_user("clerk"),
			request("POST", cmd=cmd, doctype="Consultation Outcome", name=name),
		):
			frappe.handler.execute_cmd(cmd)
			self.assertTrue(frappe.local.response.filecontent.startswith(b"%PDF"))
		self.assertIn(name, rendered[0])

	def test_child_table_rows_only_of_own_units(self):
		tables = {
			"Consultation Participant": "Consultation Session",
			"Consultation Topic Stakeholder": "Consultation Topic",
			"Outcome Notice": "Consultation Outcome",
			"Session Notice Channel": "Consultation Session",
		}
		for user_key in USERS:
			for child, parent in tables.items():
				if parent not in self.readable(user_key):
					continue
				with self.subTest(user=user_key, table=child), self.as_user(user_key):
					rows = api(
						"frappe.client.get_list",
						doctype=child,
						parent=parent,
						fields=["parent"],
						limit_page_length=0,
					)
					parents = {r["parent"] for r in rows}
					self.assertFalse(parents & self.hidden(user_key, parent))
					self.assertTrue(parents & self.visible(user_key, parent))

	def test_link_search_and_link_titles_only_of_own_units(self):
		for user_key, doctype in self.users_and_doctypes():
			if doctype not in self.readable(user_key):
				continue
			with self.subTest(user=user_key, doctype=doctype), self.as_user(user_key):
				for ignore in (0, 1):
					found = {
						r["value"]
						for r in api(
							"frappe.desk.search.search_link",
							doctype=doctype,
							txt="",
							page_length=500,
							ignore_user_permissions=ignore,
						)
					}
					self.assertFalse(
						found & self.hidden(user_key, doctype), f"ignore_user_permissions={ignore}"
					)
					self.assertTrue(found & self.visible(user_key, doctype))
					widget = api(
						"frappe.desk.search.search_widget",
						doctype=doctype,
						txt="",
						page_length=500,
						ignore_user_permissions=ignore,
						as_dict=1,
					)
					self.assertFalse({r["name"] for r in widget} & self.hidden(user_key, doctype))
				for key in hidden_units(user_key):
					topic = self.world.records[key].topic
					title = api(
						"frappe.desk.search.get_link_title", doctype="Consultation Topic", docname=topic
					)
					self.assertEqual(title, topic)
				for key in seen_units(user_key):
					rec = self.world.records[key]
					title = api(
						"frappe.desk.search.get_link_title", doctype="Consultation Topic", docname=rec.topic
					)
					self.assertEqual(title, rec.title)

	def test_global_search_only_own_units(self):
		settings = frappe.get_single("Global Search Settings")
		settings.append("allowed_in_global_search", {"document_type": "Consultation Topic"})
		settings.append("allowed_in_global_search", {"document_type": "Stakeholder"})
		settings.save(ignore_permissions=True)
		frappe.cache.hdel("global_search", "search_priorities")
		from frappe.utils.global_search import sync_value

		indexed = []
		try:
			for key in UNIT_KEYS:
				rec = self.world.records[key]
				for doctype, name in (("Consultation Topic", rec.topic), ("Stakeholder", rec.people[0])):
					# `__global_search` is MyISAM (seen at once, never rolled back): unique ASCII words,
					# because its full-text parser does not split Chinese
					sync_value(
						dict(
							doctype=doctype,
							name=name,
							content=f"lamp{key}x",
							published=0,
							title=name,
							route="",
						)
					)
					indexed.append((doctype, name))
			words = "&".join(f"lamp{key}x" for key in UNIT_KEYS)
			with self.as_user("clerk"):
				self.assertTrue(frappe.utils.global_search.search(words), "the index answers")
			for user_key in USERS:
				with self.subTest(user=user_key), self.as_user(user_key):
					found = api("frappe.utils.global_search.search", text=words, limit=50)
					got = {r.name for r in found}
					hidden = self.hidden(user_key, "Consultation Topic") | self.hidden(
						user_key, "Stakeholder"
					)
					self.assertFalse(got & hidden)
					self.assertTrue(got & self.visible(user_key, "Consultation Topic"))
					for doctype in ("Consultation Topic", "Stakeholder"):
						in_type = api("frappe.utils.global_search.search", text=words, doctype=doctype)
						self.assertFalse({r.name for r in in_type} & hidden)
		finally:
			for doctype, name in indexed:
				frappe.db.sql("delete from `__global_search` where doctype=%s and name=%s", (doctype, name))
			frappe.cache.hdel("global_search", "search_priorities")

	def test_number_cards_count_only_own_units(self):
		cards = frappe.get_all(
			"Number Card",
			filters={
				"module": ("in", frappe.get_module_list("community_consultation")),
				"type": "Document Type",
			},
			fields=["name", "document_type", "filters_json", "function", "aggregate_function_based_on"],
		)
		self.assertTrue(cards, "the app ships number cards")
		cards.append(
			frappe._dict(
				name="all topics", document_type="Consultation Topic", filters_json="[]", function="Count"
			)
		)
		for user_key in USERS:
			for card in cards:
				if card.document_type not in self.readable(user_key):
					continue
				with self.subTest(user=user_key, card=card.name), self.as_user(user_key):
					got = api(
						"frappe.desk.doctype.number_card.number_card.get_result",
						doc=json.dumps(card),
						filters=card.filters_json,
					)
				expected = frappe.get_all(
					card.document_type,
					filters=[
						*json.loads(card.filters_json or "[]"),
						[
							card.document_type,
							"community_unit",
							"in",
							[self.world.units[k] for k in seen_units(user_key)],
						],
					],
					pluck="name",
				)
				self.assertEqual(got, len(expected), f"{card.name} for {user_key}")

	def test_dashboard_charts_count_only_own_units(self):
		group_by = {
			"doctype": "Dashboard Chart",
			"chart_name": "议题按单位（权限测试）",
			"chart_type": "Group By",
			"document_type": "Consultation Topic",
			"group_by_type": "Count",
			"group_by_based_on": "community_unit",
			"type": "Bar",
			"filters_json": "[]",
			"is_public": 1,
		}
		chart_name = frappe.get_doc(group_by).insert(ignore_permissions=True).name
		heatmap = {
			"name": "topics heatmap",
			"chart_type": "Count",
			"type": "Heatmap",
			"document_type": "Consultation Topic",
			"based_on": "creation",
			"filters_json": "[]",
		}
		# the chart's cache is shared by all users: fill it as the unrestricted Administrator first
		api("frappe.desk.doctype.dashboard_chart.dashboard_chart.get", chart_name=chart_name, refresh=1)
		for user_key in USERS:
			own_units = {self.world.units[k] for k in seen_units(user_key)}
			own_topics = len(self.visible(user_key, "Consultation Topic"))
			with self.subTest(user=user_key), self.as_user(user_key):
				chart = api("frappe.desk.doctype.dashboard_chart.dashboard_chart.get", chart_name=chart_name)
				self.assertEqual(set(chart["labels"]), own_units)
				self.assertEqual(sum(chart["datasets"][0]["values"]), own_topics)
				heat = api(
					"frappe.desk.doctype.dashboard_chart.dashboard_chart.get",
					chart=json.dumps(heatmap),
					no_cache=1,
				)
				self.assertEqual(sum(heat["dataPoints"].values()), own_topics)

	def test_app_chart_sources_count_only_own_units(self):
		sources = frappe.get_all(
			"Dashboard Chart Source", filters={"module": "Community Consultation"}, pluck="name"
		)
		self.assertTrue(sources)
		for source in sources:
			method = (
				f"community_consultation.community_consultation.dashboard_chart_source."
				f"{frappe.scrub(source)}.{frappe.scrub(source)}.get"
			)
			for user_key, (_role, unit_key, _seen) in USERS.items():
				with self.subTest(source=source, user=user_key):
					as_admin = api(method, filters=json.dumps({"community_unit": self.world.units[unit_key]}))
					with self.as_user(user_key):
						try:
							as_user = api(method, filters="{}")
						except frappe.PermissionError:
							frappe.clear_messages()
							continue
					self.assertEqual(as_user, as_admin)

	def test_reports_rows_and_totals_only_own_units(self):
		"""Each report the user runs equals the report the Administrator runs for the user's unit: no row
		and no total counts another unit."""
		reports = frappe.get_all(
			"Report",
			filters={"module": ("in", frappe.get_module_list("community_consultation"))},
			fields=["name", "report_type", "ref_doctype"],
		)
		self.assertTrue(reports)
		year_start = get_first_day(nowdate()).replace(month=1)
		filters = {
			"from_date": str(add_months(year_start, -12)),
			"to_date": str(add_days(nowdate(), 1)),
			"year": str(year_start.year),
		}
		for report in reports:
			for user_key, (_role, unit_key, _seen) in USERS.items():
				with self.subTest(report=report.name, user=user_key):
					if report.ref_doctype not in self.readable(user_key):
						with self.as_user(user_key):
							self.assertRefused(
								api,
								"frappe.desk.query_report.run",
								report_name=report.name,
								filters=json.dumps(filters),
							)
						continue
					if report.report_type == "Report Builder":
						continue  # a saved list view: the list paths above cover it
					with self.as_user(user_key):
						try:
							mine = api(
								"frappe.desk.query_report.run",
								report_name=report.name,
								filters=json.dumps(filters),
							)
						except frappe.PermissionError:
							# refused to this role (a Building Head reads no outcomes): nothing shown
							frappe.clear_messages()
							self.assertEqual(user_key, "building_head")
							continue
					theirs = api(
						"frappe.desk.query_report.run",
						report_name=report.name,
						filters=json.dumps({**filters, "community_unit": self.world.units[unit_key]}),
					)
					# a report may leave out columns the user's role may not read (a building head's outcomes)
					self.assertEqual(self.rows(mine), self.rows(theirs, like=mine))
					self.assertFalse(self.mentions_hidden(user_key, mine))

	def test_report_filtered_on_another_unit_shows_nothing_of_it(self):
		with self.as_user("clerk"):
			try:
				result = api(
					"frappe.desk.query_report.run",
					report_name="Topic Register",
					filters=json.dumps(
						{
							"community_unit": self.world.units.b,
							"from_date": "2000-01-01",
							"to_date": "2999-12-31",
						}
					),
				)
			except REFUSED:
				frappe.clear_messages()
				return
			self.assertFalse(self.mentions_hidden("clerk", result))

	def rows(self, result, like=None):
		"""The result's rows, comparable; with `like`, only the keys that result's rows show."""
		rows = result.get("result") or []
		if like is not None:
			keys = {k for r in like.get("result") or [] if isinstance(r, dict) for k in r}
			rows = [{k: v for k, v in r.items() if k in keys} if isinstance(r, dict) else r for r in rows]
		return sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)

	def mentions_hidden(self, user_key, result) -> bool:
		text = json.dumps(result.get("result") or [], default=str, ensure_ascii=False)
		# the unit the user's unit lies in may label their rows (the village of a building); its records not
		own = self.world.units[USERS[user_key][1]]
		above = set(
			frappe.get_all(
				"Community Unit",
				{
					"lft": ("<", frappe.db.get_value("Community Unit", own, "lft")),
					"rgt": (">", frappe.db.get_value("Community Unit", own, "rgt")),
				},
				pluck="name",
			)
		)
		hidden = [self.world.units[k] for k in hidden_units(user_key) if self.world.units[k] not in above]
		for key in hidden_units(user_key):
			rec = self.world.records[key]
			hidden += [rec.topic, rec.session, rec.outcome, rec.title]
		return [h for h in hidden if f'"{h}"' in text]

	def test_connections_and_linked_documents_only_own_units(self):
		for user_key in USERS:
			with self.subTest(user=user_key), self.as_user(user_key):
				from frappe.desk.form.linked_with import get_linked_docs, get_linked_doctypes

				linkinfo = {
					dt: info
					for dt, info in get_linked_doctypes("Consultation Topic").items()
					if frappe.has_permission(dt, "read")
				}
				for key in hidden_units(user_key):
					rec = self.world.records[key]
					self.assertFalse(get_linked_docs("Consultation Topic", rec.topic, linkinfo))
					try:
						linked = api(
							"frappe.desk.form.linked_with.get",
							doctype="Consultation Topic",
							docname=rec.topic,
						)
					except frappe.PermissionError:
						frappe.clear_messages()
						linked = {}
					self.assertFalse(linked)
					self.assertRefused(
						api,
						"frappe.desk.form.linked_with.get_submitted_linked_docs",
						doctype="Consultation Session",
						name=rec.session,
					)
					self.assertRefused(
						api,
						"frappe.desk.notifications.get_open_count",
						doctype="Consultation Topic",
						name=rec.topic,
					)
				rec = self.world.records[sorted(seen_units(user_key))[0]]
				linked = get_linked_docs("Consultation Topic", rec.topic, linkinfo)
				self.assertIn(rec.session, {d.name for d in linked.get("Consultation Session", [])})

	def test_supervision_remarks_and_notice_logs_only_own_units(self):
		for user_key in USERS:
			with self.subTest(user=user_key), self.as_user(user_key):
				if "Supervision Remark" in self.readable(user_key):
					got = set(frappe.get_list("Supervision Remark", pluck="name", limit_page_length=0))
					self.assertEqual(got, self.visible(user_key, "Supervision Remark"))
				else:
					self.assertRefused(api, "frappe.client.get_list", doctype="Supervision Remark")
				logs = frappe.get_list(
					"Consultation Notice Log", fields=["community_unit"], limit_page_length=0
				)
				self.assertFalse(
					{r.community_unit for r in logs} - {self.world.units[k] for k in seen_units(user_key)}
				)

	def test_attachments_of_other_units_are_hidden(self):
		files = {}
		for key in UNIT_KEYS:
			files[key] = (
				frappe.get_doc(
					{
						"doctype": "File",
						"file_name": f"材料-{key}.txt",
						"content": "议题材料",
						"is_private": 1,
						"attached_to_doctype": "Consultation Topic",
						"attached_to_name": self.world.records[key].topic,
					}
				)
				.insert(ignore_permissions=True)
				.name
			)
		for user_key in USERS:
			with self.subTest(user=user_key), self.as_user(user_key):
				try:
					listed = {
						r["name"]
						for r in api("frappe.client.get_list", doctype="File", filters={"is_folder": 0})
					}
				except frappe.PermissionError:
					frappe.clear_messages()
					listed = set()
				for key in hidden_units(user_key):
					self.assertNotIn(files[key], listed)
					self.assertRefused(api, "frappe.client.get", doctype="File", name=files[key])
				for key in seen_units(user_key):
					self.assertEqual(
						api("frappe.client.get", doctype="File", name=files[key])["name"], files[key]
					)

	def test_public_pages_show_a_logged_in_user_no_more_than_a_guest(self):
		from community_consultation.portal.outcomes import public_outcomes

		for key in UNIT_KEYS:
			unit = self.world.units[key]
			frappe.set_user("Guest")
			as_guest = public_outcomes(unit)
			for user_key in USERS:
				with self.subTest(unit=key, user=user_key), self.as_user(user_key):
					self.assertEqual(public_outcomes(unit), as_guest)

	def test_every_whitelisted_method_of_the_app_refuses_other_units(self):
		"""The document methods, by `run_doc_method` as the form calls them; the others are checked above
		(chart sources) or here (calendar)."""
		methods = {
			"Consultation Topic": [("accept", {}), ("reject", {"reason": "不属于本村"}), ("escalate", {})],
			"Consultation Session": [
				("publish_notice", {"channels": '["Bulletin Board"]'}),
				("make_outcome", {}),
			],
			"Consultation Outcome": [("notify_stakeholders", {})],
		}
		field = {
			"Consultation Topic": "topic",
			"Consultation Session": "session",
			"Consultation Outcome": "outcome",
		}
		for user_key in USERS:
			for doctype, calls in methods.items():
				for method, args in calls:
					for key in hidden_units(user_key):
						name = self.world.records[key][field[doctype]]
						with self.subTest(user=user_key, method=method, unit=key), self.as_user(user_key):
							self.assertRefused(
								api,
								"run_doc_method",
								dt=doctype,
								dn=name,
								method=method,
								args=json.dumps(args),
							)
		year_return = frappe.get_doc(
			{
				"doctype": "Consultation Annual Return",
				"county": self.world.units.county2,
				"year": int(nowdate()[:4]),
			}
		).insert(ignore_permissions=True)
		for user_key in USERS:
			with self.subTest(user=user_key, method="fill_from_report"), self.as_user(user_key):
				self.assertRefused(
					api,
					"run_doc_method",
					dt="Consultation Annual Return",
					dn=year_return.name,
					method="fill_from_report",
				)
		from community_consultation.portal.session_calendar import get_events

		for user_key in USERS:
			with self.subTest(user=user_key), self.as_user(user_key):
				events = get_events(str(add_days(nowdate(), -30)), str(add_days(nowdate(), 30)))
				got = {e["name"] for e in events}
				self.assertFalse(got & self.hidden(user_key, "Consultation Session"))
				self.assertTrue(got & self.visible(user_key, "Consultation Session"))


class TestWritePaths(PermissionMatrix):
	def test_cannot_create_records_in_another_unit(self):
		for user_key in ("clerk", "secretary", "building_head", "township"):
			with self.subTest(user=user_key), self.as_user(user_key):
				for key in hidden_units(user_key):
					rec = self.world.records[key]
					self.assertRefused(
						api,
						"frappe.client.insert",
						doc=json.dumps(
							{
								"doctype": "Consultation Topic",
								"title": "越权议题",
								"category": frappe.db.get_value("Consultation Topic", rec.topic, "category"),
								"community_unit": rec.unit,
								"source_channel": "Visiting Residents",
							}
						),
					)
					self.assertRefused(
						api,
						"frappe.client.insert",
						doc=json.dumps(
							{
								"doctype": "Stakeholder",
								"stakeholder_name": "越权居民",
								"stakeholder_type": "户籍居民",
								"community_unit": rec.unit,
								"household_status": "Registered",
							}
						),
					)
					session = {
						"doctype": "Consultation Session",
						"topic": rec.spare_topic,
						"consultation_form": "党群联席会议",
						"starts_on": str(add_days(nowdate(), 7)),
						"venue": "村委会",
					}
					self.assertRefused(api, "frappe.client.insert", doc=json.dumps(session))
					self.assertRefused(
						api,
						"frappe.client.insert",
						doc=json.dumps({"doctype": "Consultation Outcome", "session": rec.session}),
					)
					self.assertRefused(
						rest,
						frappe.api.v1.create_doc,
						"Consultation Topic",
						http_method="POST",
						data=json.dumps({"title": "越权议题", "community_unit": rec.unit}),
					)

	def test_can_create_records_in_own_unit(self):
		with self.as_user("clerk"):
			doc = api(
				"frappe.client.insert",
				doc=json.dumps(
					{
						"doctype": "Consultation Topic",
						"title": "本村议题",
						"category": frappe.db.get_value(
							"Consultation Topic", self.world.records.a.topic, "category"
						),
						"community_unit": self.world.units.a,
						"source_channel": "Visiting Residents",
						"description": "本村群众反映的事项。",
					}
				),
			)
			self.assertEqual(doc["community_unit"], self.world.units.a)

	def test_cannot_move_a_record_to_another_unit(self):
		for user_key in ("clerk", "secretary", "township"):
			with self.subTest(user=user_key), self.as_user(user_key):
				own = self.world.records[sorted(seen_units(user_key))[0]]
				for key in hidden_units(user_key):
					other = self.world.records[key]
					self.assertRefused(
						api,
						"frappe.client.set_value",
						doctype="Consultation Topic",
						name=own.draft_topic,
						fieldname="community_unit",
						value=other.unit,
					)
					self.assertRefused(
						api,
						"frappe.client.set_value",
						doctype="Stakeholder",
						name=own.people[0],
						fieldname="community_unit",
						value=other.unit,
					)
					# a session takes its unit from its topic: pointing it at another unit's topic moves it
					self.assertRefused(
						api,
						"frappe.client.set_value",
						doctype="Consultation Session",
						name=own.draft_session,
						fieldname="topic",
						value=other.spare_topic,
					)
				self.assertEqual(
					frappe.db.get_value("Consultation Session", own.draft_session, "community_unit"), own.unit
				)

	def test_cannot_take_over_a_record_of_another_unit(self):
		"""Saving another unit's record with one's own unit in it (a full document through the API)."""
		for user_key in ("clerk", "township"):
			with self.subTest(user=user_key), self.as_user(user_key):
				own_unit = self.world.units[USERS[user_key][1]]
				for key in hidden_units(user_key):
					name = self.world.records[key].draft_topic
					doc = frappe.get_doc("Consultation Topic", name).as_dict()
					doc.community_unit = own_unit
					self.assertRefused(api, "frappe.client.save", doc=frappe.as_json(doc))
					self.assertNotEqual(
						frappe.db.get_value("Consultation Topic", name, "community_unit"), own_unit
					)

	def test_cannot_submit_cancel_change_or_delete_in_another_unit(self):
		for user_key in ("clerk", "secretary", "building_head", "township", "supervisor"):
			with self.subTest(user=user_key), self.as_user(user_key):
				for key in hidden_units(user_key):
					rec = self.world.records[key]
					draft = frappe.get_doc("Consultation Session", rec.draft_session).as_dict()
					self.assertRefused(api, "frappe.client.submit", doc=frappe.as_json(draft))
					self.assertRefused(
						api, "frappe.client.cancel", doctype="Consultation Session", name=rec.session
					)
					self.assertRefused(
						api, "frappe.client.cancel", doctype="Consultation Outcome", name=rec.outcome
					)
					self.assertRefused(
						api,
						"frappe.client.set_value",
						doctype="Consultation Topic",
						name=rec.topic,
						fieldname="title",
						value="改",
					)
					self.assertRefused(
						api, "frappe.client.delete", doctype="Consultation Topic", name=rec.draft_topic
					)
					self.assertRefused(
						rest,
						frappe.api.v1.update_doc,
						"Consultation Topic",
						rec.draft_topic,
						http_method="PUT",
						data=json.dumps({"title": "改"}),
					)
					self.assertRefused(
						rest,
						frappe.api.v1.delete_doc,
						"Consultation Topic",
						rec.draft_topic,
						http_method="DELETE",
					)
					self.assertRefused(
						api,
						"frappe.model.workflow.apply_workflow",
						doc=frappe.as_json(frappe.get_doc("Consultation Outcome", rec.outcome)),
						action="Start Publicity",
					)
					self.assertRefused(
						api,
						"frappe.model.workflow.get_transitions",
						doc=frappe.as_json(frappe.get_doc("Consultation Topic", rec.draft_topic)),
					)
				self.assertEqual(frappe.db.get_value("Consultation Topic", rec.topic, "title"), rec.title)
				self.assertTrue(frappe.db.exists("Consultation Topic", rec.draft_topic))

	def test_cannot_change_another_units_child_row(self):
		with self.as_user("clerk"):
			session = frappe.get_doc("Consultation Session", self.world.records.b.draft_session)
			row = session.participants[0]
			self.assertRefused(
				rest,
				frappe.api.v1.update_doc,
				"Consultation Participant",
				row.name,
				http_method="PUT",
				data=json.dumps({"attended": 0, "notified_via": "改"}),
			)
			self.assertRefused(
				api,
				"frappe.client.get",
				doctype="Consultation Participant",
				name=row.name,
				parent="Consultation Session",
			)
		self.assertNotEqual(frappe.db.get_value("Consultation Participant", row.name, "notified_via"), "改")

	def test_cannot_bring_another_units_stakeholder_into_a_record(self):
		with self.as_user("clerk"):
			session = frappe.get_doc("Consultation Session", self.world.records.a.draft_session)
			session.append(
				"participants",
				{"stakeholder": self.world.records.b.people[0], "participant_role": "Participant"},
			)
			self.assertRefused(session.save)
			topic = frappe.get_doc("Consultation Topic", self.world.records.a.draft_topic)
			topic.proposer = self.world.records.c.people[0]
			self.assertRefused(topic.save)
		with self.as_user("building_head"):
			# the village above the building is not another unit: its committee may sit in
			session = frappe.get_doc("Consultation Session", self.world.records.building.draft_session)
			session.append(
				"participants",
				{"stakeholder": self.world.records.a.people[0], "participant_role": "Observer"},
			)
			session.save()

	def test_supervision_member_reads_everything_of_the_village_but_changes_no_decision(self):
		with self.as_user("supervisor"):
			rec = self.world.records.a
			for doctype, name in (
				("Consultation Topic", rec.topic),
				("Consultation Session", rec.session),
				("Consultation Outcome", rec.outcome),
			):
				self.assertEqual(api("frappe.client.get", doctype=doctype, name=name)["name"], name)
			self.assertRefused(
				api,
				"frappe.client.set_value",
				doctype="Consultation Topic",
				name=rec.draft_topic,
				fieldname="review_decision",
				value="Rejected",
			)
			self.assertRefused(
				api,
				"run_doc_method",
				dt="Consultation Topic",
				dn=rec.draft_topic,
				method="reject",
				args='{"reason": "x"}',
			)
			self.assertRefused(api, "frappe.client.cancel", doctype="Consultation Outcome", name=rec.outcome)
			self.assertRefused(
				api,
				"frappe.model.workflow.apply_workflow",
				doc=frappe.as_json(frappe.get_doc("Consultation Outcome", rec.outcome)),
				action="Cancel for Correction",
				refusals=(frappe.PermissionError, frappe.model.workflow.WorkflowTransitionError),
			)
			self.assertRefused(
				api,
				"frappe.client.insert",
				doc=json.dumps({"doctype": "Consultation Outcome", "session": rec.session}),
			)

	def test_supervision_remark_is_a_dated_record_of_the_own_village_that_nobody_changes(self):
		rec = self.world.records.a
		with self.as_user("supervisor"):
			remark = api(
				"frappe.client.insert",
				doc=json.dumps(
					{
						"doctype": "Supervision Remark",
						"reference_doctype": "Consultation Session",
						"reference_name": rec.session,
						"finding": "Concern",
						"remark": "表决人数与到会人数核对无误，但会议记录未签字。",
					}
				),
			)
			self.assertEqual(remark["community_unit"], rec.unit)
			self.assertEqual(remark["remarked_by"], self.world.users.supervisor)
			self.assertEqual(str(remark["remark_on"]), nowdate())
			# the committee writes remarks (the desk's new form needs write permission); a saved one is
			# refused by its controller, whoever asks
			self.assertRefused(
				api,
				"frappe.client.set_value",
				doctype="Supervision Remark",
				name=remark["name"],
				fieldname="remark",
				value="改",
				refusals=frappe.ValidationError,
			)
			self.assertRefused(api, "frappe.client.delete", doctype="Supervision Remark", name=remark["name"])
			for key in hidden_units("supervisor"):
				self.assertRefused(
					api,
					"frappe.client.insert",
					doc=json.dumps(
						{
							"doctype": "Supervision Remark",
							"reference_doctype": "Consultation Topic",
							"reference_name": self.world.records[key].topic,
							"remark": "越权",
						}
					),
				)
		# even the Administrator does not rewrite a remark
		doc = frappe.get_doc("Supervision Remark", remark["name"])
		doc.remark = "改"
		with self.assertRaises(frappe.ValidationError):
			doc.save()
		for user_key in ("clerk", "secretary", "township"):
			with self.subTest(user=user_key), self.as_user(user_key):
				self.assertRefused(
					api,
					"frappe.client.insert",
					doc=json.dumps(
						{
							"doctype": "Supervision Remark",
							"reference_doctype": "Consultation Topic",
							"reference_name": rec.topic,
							"remark": "不是监委会",
						}
					),
				)
