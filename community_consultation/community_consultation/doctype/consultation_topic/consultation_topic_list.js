frappe.listview_settings["Consultation Topic"] = {
	add_fields: ["status", "level", "community_unit", "category"],
	// the colours of the life-cycle table (procedure/lifecycle.py, public/js/life_cycle.js)
	get_indicator: community_consultation.life_cycle.indicator("Consultation Topic"),
};
