frappe.treeview_settings["Community Unit"] = {
	breadcrumb: "Community Consultation",
	title: __("Community Unit"),
	get_tree_root: false,
	root_label: __("All Units"),
	fields: [
		{ fieldtype: "Data", fieldname: "unit_name", label: __("Unit Name"), reqd: true },
		{
			fieldtype: "Select",
			fieldname: "unit_type",
			label: __("Unit Type"),
			reqd: true,
			options: ["County", "Township", "Village", "Community", "Villager Group", "Building", "Estate"]
				.map((value) => ({ value, label: __(value) })),
		},
	],
	ignore_fields: ["parent_community_unit"],
	onload(treeview) {
		treeview.make_tree();
	},
};
