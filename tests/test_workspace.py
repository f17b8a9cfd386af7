"""The 社区协商 workspace: it reaches every DocType and report of the app, and its number cards and
charts count only what the user's units hold (User Permissions on Community Unit)."""

import json

import frappe
from frappe.desk.doctype.number_card.number_card import get_result
from frappe.utils import getdate, nowdate

from community_consultation.community_consultation.dashboard_chart_source.outcomes_by_status.outcomes_by_status import (
	get as outcomes_by_status,
)
from community_consultation.community_consultation.dashboard_chart_source.sessions_per_month.sessions_per_month import (
	get as sessions_per_month,
)
from community_consultation.community_consultation.report.implementation_tracker.implementation_tracker import (
	execute as implementation_tracker,
)
from community_consultation.tests.factory import make_topic
from community_consultation.tests.report_data import ReportDataTestCase

WORKSPACE = "Community Consultation"
APP = "community_consultation"


def card_count(card: str) -> int:
	"""A number card's figure as the desk computes it: static filters plus the dynamic ones evaluated
	(they are JavaScript expressions of today's date on the desk); a Custom card's method."""
	doc = frappe.get_doc("Number Card", card)
	if doc.type == "Custom":
		# the card's method, as the desk calls it
		return int(frappe.get_attr(doc.method)(filters=doc.filters_json)["value"])
	filters = json.loads(doc.filters_json or "[]")
	for doctype, field, operator, expression in json.loads(doc.dynamic_filters_json or "[]"):
		assert expression == "frappe.datetime.get_today()", expression
		filters.append([doctype, field, operator, nowdate()])
	return int(get_result(doc.as_json(), json.dumps(filters)))


class TestWorkspace(ReportDataTestCase):
	def test_workspace_reaches_every_doctype_and_report(self):
		"""Every DocType and report of every module of the app is on one of the app's workspaces."""
		modules = frappe.get_module_list(APP)
		workspace = frappe.get_doc("Workspace", WORKSPACE)
		targets = set()
		for name in frappe.get_all("Workspace", {"module": ("in", modules)}, pluck="name"):
			ws = frappe.get_doc("Workspace", name)
			targets |= {link.link_to for link in ws.links if link.type == "Link"}
			targets |= {shortcut.link_to for shortcut in ws.shortcuts}
		doctypes = frappe.get_all("DocType", {"module": ("in", modules), "istable": 0}, pluck="name")
		reports = frappe.get_all("Report", {"module": ("in", modules), "is_standard": "Yes"}, pluck="name")
		self.assertEqual(sorted((set(doctypes) | set(reports)) - targets), [])
		self.assertEqual(
			{c.number_card_name for c in workspace.number_cards},
			{
				"Open Topics",
				"Sessions This Month",
				"Outcomes in Publicity",
				"Overdue Outcomes",
				"Meetings This Year",
				"Meetings Not Quorate",
			},
		)
		self.assertEqual(
			{c.chart_name for c in workspace.charts}, {"Sessions per Month", "Outcomes by Status"}
		)

	def test_cards_and_charts_are_shown_to_the_unit_roles(self):
		"""Custom-source charts are shown by role (Frappe checks a chart's document type otherwise);
		a card or chart on outcomes only to those who read outcomes (not a building head)."""
		charts = {"Sessions per Month": "Consultation Session", "Outcomes by Status": "Consultation Outcome"}
		cards = ("Open Topics", "Sessions This Month", "Outcomes in Publicity", "Overdue Outcomes")
		for role in ("Committee Clerk", "Township Officer", "Building Head", "Supervision Committee Member"):
			user = self.as_restricted_user(self.data.units.village_a, role=role)
			for chart, doctype in charts.items():
				self.assertEqual(
					frappe.has_permission("Dashboard Chart", doc=chart, user=user),
					frappe.has_permission(doctype, "read", user=user),
					(role, chart),
				)
			for card in cards:
				doctype = frappe.db.get_value("Number Card", card, "document_type")
				self.assertEqual(
					frappe.has_permission("Number Card", doc=card, user=user),
					frappe.has_permission(doctype, "read", user=user),
					(role, card),
				)
			frappe.set_user("Administrator")
		building_head = self.as_restricted_user(self.data.units.building, role="Building Head")
		self.assertFalse(frappe.has_permission("Consultation Outcome", "read", user=building_head))
		self.assertTrue(
			frappe.has_permission("Dashboard Chart", doc="Sessions per Month", user=building_head)
		)

	def test_number_cards_count_only_the_users_units(self):
		units = self.data.units
		make_topic(units.village_a, stakeholders=self.data.people_a, title="报表甲村新议题")  # open: Accepted
		month = getdate(nowdate()).strftime("%Y-%m")
		sessions_a = sum(
			1
			for s in (self.data.sessions.s1, self.data.sessions.sg1, self.data.sessions.sa2)
			if str(s.starts_on)[:7] == month
		)
		sessions_b = sum(
			1 for s in (self.data.sessions.sb1, self.data.sessions.sb2) if str(s.starts_on)[:7] == month
		)
		expected = {
			units.village_a: {
				"Open Topics": 1,
				"Sessions This Month": sessions_a,
				"Outcomes in Publicity": 2,  # O1 and O2, publicised from today for ten days
				"Overdue Outcomes": 1,  # O2
			},
			units.village_b: {
				"Open Topics": 0,
				"Sessions This Month": sessions_b,
				"Outcomes in Publicity": 1,  # O3
				"Overdue Outcomes": 0,
			},
		}
		for unit, figures in expected.items():
			self.as_restricted_user(unit)
			self.assertEqual({card: card_count(card) for card in figures}, figures, unit)
			# the overdue card opens the tracker's overdue list: the same records
			rows = implementation_tracker({"overdue_only": 1})[1]
			self.assertEqual(len(rows), figures["Overdue Outcomes"], unit)
			frappe.set_user("Administrator")

	def test_charts_count_only_the_users_units(self):
		units = self.data.units
		self.as_restricted_user(units.village_a)
		self.assertEqual(sum(sessions_per_month()["datasets"][0]["values"]), 3)
		chart = outcomes_by_status()
		self.assertEqual(
			dict(zip(chart["labels"], chart["datasets"][0]["values"], strict=True)),
			{"Implemented": 1, "Overdue": 1},
		)

		self.as_restricted_user(units.village_b)
		self.assertEqual(sum(sessions_per_month()["datasets"][0]["values"]), 2)
		chart = outcomes_by_status()
		self.assertEqual(
			dict(zip(chart["labels"], chart["datasets"][0]["values"], strict=True)), {"Implemented": 1}
		)

	def test_chart_labels_follow_the_users_language(self):
		self.as_restricted_user(self.data.units.village_b)
		frappe.local.lang = "zh"
		try:
			labels = outcomes_by_status()["labels"]
		finally:
			frappe.local.lang = "en"
		self.assertNotEqual(_zh("Implemented"), "Implemented")
		self.assertEqual(labels, [_zh("Implemented")])

	def test_group_by_charts_of_a_status_follow_the_users_language(self):
		"""The township workspace's charts by status (entrusted matters, referrals, inspections) group by a
		Select field, whose values Frappe shows as stored."""
		from community_consultation.overrides.desk_endpoints import get_dashboard_chart

		chart = {
			"chart_name": "议题按状态",
			"chart_type": "Group By",
			"document_type": "Consultation Topic",
			"group_by_type": "Count",
			"group_by_based_on": "status",
			"type": "Donut",
			"filters_json": "[]",
			"timeseries": 0,
		}
		statuses = set(frappe.get_all("Consultation Topic", distinct=True, pluck="status"))
		frappe.local.lang = "zh"
		try:
			labels = get_dashboard_chart(chart=json.dumps(chart), no_cache=1)["labels"]
		finally:
			frappe.local.lang = "en"
		self.assertTrue(labels)
		self.assertLessEqual(set(labels), {_zh(s) for s in statuses})
		self.assertFalse(set(labels) & (statuses - {_zh(s) for s in statuses}))


def _zh(msgid: str) -> str:
	from frappe.translate import get_all_translations

	return get_all_translations("zh").get(msgid, msgid)
