frappe.listview_settings["Consultation Session"] = {
	add_fields: ["status", "result", "starts_on", "community_unit"],
	// the colours of the life-cycle table (procedure/lifecycle.py, public/js/life_cycle.js)
	get_indicator: community_consultation.life_cycle.indicator("Consultation Session"),
};
