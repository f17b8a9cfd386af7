// Copyright (c) 2026, community_consultation developers and contributors
// For license information, please see license.txt

frappe.query_reports["Implementation Tracker"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("Filed From"),
			fieldtype: "Date",
		},
		{
			fieldname: "to_date",
			label: __("Filed To"),
			fieldtype: "Date",
		},
		community_consultation.report_filters.community_unit(),
		{
			fieldname: "implementer_type",
			label: __("Implementer Type"),
			fieldtype: "Select",
			options: community_consultation.report_filters.translated([
				"",
				"Village",
				"Stakeholder",
				"Government Entrusted",
			]),
		},
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			options: community_consultation.report_filters.translated([
				"",
				"Filed",
				"Publicised",
				"In Implementation",
				"Overdue",
				"Implemented",
			]),
		},
		{
			fieldname: "overdue_only",
			label: __("Overdue Only"),
			fieldtype: "Check",
		},
		{
			fieldname: "include_implemented",
			label: __("Include Implemented"),
			fieldtype: "Check",
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = community_consultation.plain_text.formatter(value, row, column, data, default_formatter);
		if (
			data &&
			data.days_overdue > 0 &&
			["days_overdue", "status_label"].includes(column.fieldname)
		) {
			value = `<span class="text-danger">${value}</span>`;
		}
		return value;
	},
};
