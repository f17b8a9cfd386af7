// The channels keep their English names, which the code and the workflows use ("Bulletin Board");
// Notice Channel is a translated DocType, and its own list shows them in the user's language too.
frappe.listview_settings["Notice Channel"] = {
	formatters: {
		name: (value) => __(value),
		channel_name: (value) => __(value),
	},
};
