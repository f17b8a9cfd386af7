// Copyright (c) 2026, community_consultation developers and contributors
// For license information, please see license.txt

// Each figure opens the list it counts, for that village.
const TOWNSHIP_OVERVIEW_LISTS = {
	open_topics: (village) => [
		"Consultation Topic",
		{
			community_unit: village,
			status: ["in", community_consultation.life_cycle.states("Consultation Topic", "open")],
		},
	],
	sessions_this_month: (village) => [
		"Consultation Session",
		{ community_unit: village, starts_on: ["Timespan", "this month"], docstatus: ["<", 2] },
	],
	overdue_outcomes: (village) => ["Consultation Outcome", { community_unit: village, status: "Overdue" }],
	awaiting_report_back: (village) => [
		"Consultation Topic",
		{ community_unit: village, source_channel: "Government Entrustment" },
	],
	open_corrections: (village) => [
		"Consultation Inspection",
		{ community_unit: village, status: ["in", community_consultation.life_cycle.states("Consultation Inspection", "open")] },
	],
};

frappe.query_reports["Township Overview"] = {
	filters: [community_consultation.report_filters.community_unit()],
	formatter(value, row, column, data, default_formatter) {
		const formatted = community_consultation.plain_text.formatter(value, row, column, data, default_formatter);
		const list = TOWNSHIP_OVERVIEW_LISTS[column.fieldname];
		if (!list || !data || !data.village || !value) return formatted;
		const [doctype, filters] = list(data.village);
		const route = `/app/${frappe.router.slug(doctype)}?${$.param(
			Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]))
		)}`;
		return `<a href="${route}">${formatted}</a>`;
	},
};
