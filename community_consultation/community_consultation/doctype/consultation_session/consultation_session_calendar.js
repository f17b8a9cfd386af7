// Sessions on the desk calendar, by the time they start (二(五)2–3), and the consultation plans' planned
// dates beside them (三(二) regular consultation): all-day events in a colour of their own, with a dashed
// border, that open their plan.
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
		eventRender(event, element) {
			element.attr("title", event.tooltip);
			if (event.planned) {
				element.addClass("consultation-planned-date").css("border-style", "dashed");
			}
		},
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
		if (data.planned) {
			// a colour no session state has (the calendar knows only red, green, orange and blue)
			this.color_map.planned = data.kept ? "gray" : "purple";
			return "planned";
		}
		if (data.status === "Cancelled" || data.docstatus === 2) return "danger";
		if (data.status === "Concluded" || data.docstatus === 1) return "success";
		if (data.status === "Notice Published" || data.status === "Held") return "warning";
		return "default";
	},
};
