// Copyright (c) 2026, community_consultation developers and contributors
// For license information, please see license.txt

frappe.query_reports["Stakeholder Participation"] = {
	filters: [
		...community_consultation.report_filters.this_year(),
		community_consultation.report_filters.community_unit(),
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: community_consultation.report_filters.translated([
				"County",
				"Township",
				"Village",
				"Unit",
			]),
			default: "Village",
			reqd: 1,
		},
		{
			fieldname: "stakeholder_type",
			label: __("Stakeholder Type"),
			fieldtype: "Link",
			options: "Stakeholder Type",
		},
	],
	tree: true,
	initial_depth: 1,
	formatter(value, row, column, data, default_formatter) {
		value = community_consultation.plain_text.formatter(value, row, column, data, default_formatter);
		if (data && data.row_type !== "type") {
			value = `<b>${value}</b>`;
		}
		return value;
	},
};
