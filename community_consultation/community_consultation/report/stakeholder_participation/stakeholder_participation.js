// Copyright (c) 2026, community_consultation developers and contributors
// For license information, please see license.txt

frappe.query_reports["Stakeholder Participation"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.year_start(),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.year_end(),
			reqd: 1,
		},
		{
			fieldname: "community_unit",
			label: __("Community Unit"),
			fieldtype: "Link",
			options: "Community Unit",
			description: __("The unit and every unit beneath it"),
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["County", "Township", "Village", "Unit"].map((value) => ({ value, label: __(value) })),
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
		value = default_formatter(value, row, column, data);
		if (data && data.row_type !== "type") {
			value = `<b>${value}</b>`;
		}
		return value;
	},
};
