// Sessions on the desk calendar, by the time they start (二(五)2–3).
frappe.views.calendar["Consultation Session"] = {
	field_map: {
		start: "starts_on",
		end: "ends_on",
		id: "name",
		title: "topic_title",
		status: "status",
	},
	order_by: "starts_on",
	get_events_method: "community_consultation.portal.session_calendar.get_events",
	// a session is rescheduled in its form, where the notice rules are checked, not by dragging
	options: {
		editable: false,
		// FullCalendar names simplified Chinese "zh-cn" (Frappe passes the desk's "zh", which it lacks)
		locale: ["zh", "zh-CN"].includes(frappe.boot.lang) ? "zh-cn" : frappe.boot.lang,
	},
	filters: [
		{
			fieldtype: "Link",
			fieldname: "community_unit",
			options: "Community Unit",
			label: __("Community Unit"),
		},
		{
			fieldtype: "Select",
			fieldname: "status",
			options: ["", "Draft", "Notice Published", "Held", "Concluded", "Cancelled"],
			label: __("Status"),
		},
	],
	get_css_class(data) {
		if (data.status === "Cancelled" || data.docstatus === 2) return "danger";
		if (data.status === "Concluded" || data.docstatus === 1) return "success";
		if (data.status === "Notice Published" || data.status === "Held") return "warning";
		return "default";
	},
};
