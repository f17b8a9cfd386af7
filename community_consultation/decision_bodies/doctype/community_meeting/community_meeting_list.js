frappe.listview_settings["Community Meeting"] = {
	add_fields: ["status", "quorate", "meeting_kind", "community_unit"],
	// the colours of the life-cycle table (procedure/lifecycle.py, public/js/life_cycle.js)
	get_indicator: community_consultation.life_cycle.indicator("Community Meeting"),
};
