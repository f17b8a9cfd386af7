// Copyright (c) 2026, community_consultation developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Consultation Annual Return"] = {
	add_fields: ["status", "due_date", "docstatus"],
	get_indicator(doc) {
		const colours = {
			Draft: "red",
			Submitted: "green",
			"Submitted Late": "orange",
			Cancelled: "grey",
		};
		return [__(doc.status), colours[doc.status] || "grey", `status,=,${doc.status}`];
	},
};
