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
		{
			fieldname: "community_unit",
			label: __("Community Unit"),
			fieldtype: "Link",
			options: "Community Unit",
			description: __("The unit and every unit beneath it"),
		},
		{
			fieldname: "implementer_type",
			label: __("Implementer Type"),
			fieldtype: "Select",
			options: ["", "Village", "Stakeholder", "Government Entrusted"].map((value) => ({
				value,
				label: __(value),
			})),
		},
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			options: ["", "Filed", "Publicised", "In Implementation", "Overdue", "Implemented"].map(
				(value) => ({ value, label: __(value) })
			),
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
		value = default_formatter(value, row, column, data);
		if (data && data.days_overdue > 0 && ["days_overdue", "status_label"].includes(column.fieldname)) {
			value = `<span class="text-danger">${value}</span>`;
		}
		return value;
	},
};
