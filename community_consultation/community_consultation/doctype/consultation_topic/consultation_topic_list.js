frappe.listview_settings["Consultation Topic"] = {
	add_fields: ["status", "level", "community_unit", "category"],
	get_indicator(doc) {
		const colours = {
			Draft: "gray",
			Accepted: "blue",
			Rejected: "red",
			"In Consultation": "purple",
			"Awaiting Second Round": "orange",
			Escalated: "yellow",
			Referred: "yellow",
			Agreed: "cyan",
			"Not Adopted": "red",
			Closed: "green",
		};
		return [__(doc.status), colours[doc.status] || "gray", "status,=," + doc.status];
	},
};
