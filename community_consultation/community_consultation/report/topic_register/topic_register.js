// Copyright (c) 2026, community_consultation developers and contributors
// For license information, please see license.txt

frappe.query_reports["Topic Register"] = {
	filters: [
		...community_consultation.report_filters.this_year(),
		community_consultation.report_filters.community_unit(),
		{
			fieldname: "category",
			label: __("Category"),
			fieldtype: "Link",
			options: "Consultation Category",
		},
		community_consultation.report_filters.select_of("Consultation Topic", "level", __("Level")),
		community_consultation.report_filters.select_of("Consultation Topic", "status", __("Status")),
		community_consultation.report_filters.select_of(
			"Consultation Topic",
			"source_channel",
			__("Source Channel")
		),
	],
	onload(report) {
		community_consultation.report_filters.fill_select_options(report);
	},
	formatter: community_consultation.plain_text.formatter,
};
