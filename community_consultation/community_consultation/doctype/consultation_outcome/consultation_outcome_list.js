frappe.listview_settings["Consultation Outcome"] = {
	add_fields: ["status", "percent_complete", "implementation_deadline"],
	get_indicator(doc) {
		const colours = {
			Draft: "gray",
			Filed: "blue",
			Publicised: "cyan",
			"In Implementation": "purple",
			Overdue: "red",
			Implemented: "green",
			Corrected: "orange",
			Cancelled: "red",
		};
		return [__(doc.status), colours[doc.status] || "gray", "status,=," + doc.status];
	},
};
