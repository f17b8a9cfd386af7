frappe.listview_settings["Consultation Session"] = {
	add_fields: ["status", "result", "starts_on", "community_unit"],
	get_indicator(doc) {
		const colours = {
			Draft: "gray",
			"Notice Published": "blue",
			Held: "purple",
			Concluded: "green",
			Cancelled: "red",
		};
		return [__(doc.status), colours[doc.status] || "gray", "status,=," + doc.status];
	},
};
