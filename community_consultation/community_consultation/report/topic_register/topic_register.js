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
		{
			fieldname: "level",
			label: __("Level"),
			fieldtype: "Select",
			options: community_consultation.report_filters.translated([
				"",
				"Community",
				"Building",
			]),
		},
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			options: community_consultation.report_filters.translated([
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
			]),
		},
		{
			fieldname: "source_channel",
			label: __("Source Channel"),
			fieldtype: "Select",
			options: community_consultation.report_filters.translated([
				"",
				"Visiting Residents",
				"Speaking for the Masses",
				"Council Member Proposal",
				"Online Submission",
				"Government Entrustment",
				"Stakeholder Proposal",
				"Escalation",
			]),
		},
	],
};
