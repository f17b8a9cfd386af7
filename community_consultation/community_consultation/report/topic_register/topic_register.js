// Copyright (c) 2026, community_consultation developers and contributors
// For license information, please see license.txt

frappe.query_reports["Topic Register"] = {
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
			fieldname: "category",
			label: __("Category"),
			fieldtype: "Link",
			options: "Consultation Category",
		},
		{
			fieldname: "level",
			label: __("Level"),
			fieldtype: "Select",
			options: ["", "Community", "Building"].map((value) => ({ value, label: __(value) })),
		},
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			options: [
				"",
				"Draft",
				"Accepted",
				"Rejected",
				"In Consultation",
				"Awaiting Second Round",
				"Escalated",
				"Referred",
				"Agreed",
				"Closed",
			].map((value) => ({ value, label: __(value) })),
		},
		{
			fieldname: "source_channel",
			label: __("Source Channel"),
			fieldtype: "Select",
			options: [
				"",
				"Visiting Residents",
				"Speaking for the Masses",
				"Council Member Proposal",
				"Online Submission",
				"Government Entrustment",
				"Stakeholder Proposal",
				"Escalation",
			].map((value) => ({ value, label: __(value) })),
		},
	],
};
