// Copyright (c) 2026, community_consultation developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Township Referral"] = {
	add_fields: ["status"],
	// the colours of the life-cycle table (procedure/lifecycle.py, public/js/life_cycle.js)
	get_indicator: community_consultation.life_cycle.indicator("Township Referral"),
};
