// Copyright (c) 2026, community_consultation developers and contributors
// For license information, please see license.txt

frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Outcomes by Status"] = {
	method: "community_consultation.community_consultation.dashboard_chart_source.outcomes_by_status.outcomes_by_status.get",
	filters: [
		{
			fieldname: "community_unit",
			label: __("Community Unit"),
			fieldtype: "Link",
			options: "Community Unit",
		},
	],
};
