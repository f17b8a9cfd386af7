// The plans' dates on the desk calendar (§三(二) regular consultation): a kept date is ticked.
frappe.views.calendar["Consultation Plan"] = {
	field_map: {
		start: "planned_on",
		end: "planned_on",
		id: "name",
		title: "title",
		allDay: "all_day",
		color: "color",
	},
	get_events_method:
		"community_consultation.township.doctype.consultation_plan.consultation_plan.get_events",
	options: {
		editable: false,
	},
};
