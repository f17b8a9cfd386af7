// Copyright (c) 2026, community_consultation developers and contributors
// For license information, please see license.txt

frappe.query_reports["Consultation Annual Return Figures"] = {
	filters: [
		{
			fieldname: "year",
			label: __("Year"),
			fieldtype: "Select",
			options: (() => {
				const current = new Date().getFullYear();
				return Array.from({ length: 12 }, (_, i) => String(current + 1 - i));
			})(),
			default: String(new Date().getFullYear()),
			reqd: 1,
		},
		community_consultation.report_filters.community_unit(),
	],
	tree: true,
	initial_depth: 2,
	formatter(value, row, column, data, default_formatter) {
		value = community_consultation.plain_text.formatter(value, row, column, data, default_formatter);
		if (data && data.row_type !== "village") {
			value = `<b>${value}</b>`;
		}
		if (data && column.fieldname === "overdue" && data.overdue > 0) {
			value = `<span class="text-danger">${value}</span>`;
		}
		return value;
	},
};
