frappe.listview_settings["Consultation Outcome"] = {
	add_fields: ["status", "percent_complete", "implementation_deadline"],
	// the colours of the life-cycle table (procedure/lifecycle.py, public/js/life_cycle.js)
	get_indicator: community_consultation.life_cycle.indicator("Consultation Outcome"),
};
