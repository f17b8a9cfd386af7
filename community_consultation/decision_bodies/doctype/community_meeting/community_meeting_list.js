frappe.listview_settings["Community Meeting"] = {
	add_fields: ["status", "quorate", "meeting_kind", "community_unit"],
	get_indicator(doc) {
		const colours = {
			Draft: "gray",
			"Notice Published": "blue",
			Concluded: "green",
			"Not Quorate": "orange",
			Corrected: "gray",
			Cancelled: "red",
		};
		return [__(doc.status), colours[doc.status] || "gray", "status,=," + doc.status];
	},
};
