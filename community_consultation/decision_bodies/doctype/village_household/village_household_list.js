// The household register: imported from the village's spreadsheet (XLSX/CSV, one line per person),
// exported as CSV (each export logged). decision_bodies/register.py
frappe.listview_settings["Village Household"] = {
	onload(listview) {
		if (frappe.model.can_create("Village Household")) {
			listview.page.add_inner_button(__("Import Register"), () => import_register(listview));
		}
		listview.page.add_inner_button(__("Export Register"), () => export_register());
	},
};

function unit_field() {
	return {
		fieldname: "community_unit",
		fieldtype: "Link",
		options: "Community Unit",
		label: __("Community Unit"),
		reqd: 1,
		get_query: () => ({ filters: { unit_type: ["in", ["Village", "Community"]] } }),
	};
}

function import_register(listview) {
	const dialog = new frappe.ui.Dialog({
		title: __("Import Register"),
		fields: [
			unit_field(),
			{
				fieldname: "file_url",
				fieldtype: "Attach",
				label: __("Register File (XLSX or CSV)"),
				reqd: 1,
				description: __(
					"One line per person, with the columns 户号, 姓名, 户主, 与户主关系, 出生日期, 年龄段, 户籍, 户代表, 身份证号. A file with any error writes nothing."
				),
			},
		],
		primary_action_label: __("Import"),
		primary_action(values) {
			frappe
				.xcall(
					"community_consultation.decision_bodies.register.import_register_file",
					values
				)
				.then((counts) => {
					dialog.hide();
					let message = __(
						"Register imported: {0} households created, {1} updated, {2} unchanged, {3} removed; {4} members.",
						[
							counts.created,
							counts.updated,
							counts.unchanged,
							counts.removed,
							counts.members,
						]
					);
					if (counts.read_past) {
						message +=
							"<br>" +
							__("Columns the register does not keep were read past: {0}.", [
								frappe.utils.escape_html(counts.read_past),
							]);
					}
					frappe.msgprint(message);
					listview.refresh();
				});
		},
	});
	dialog.show();
}

function export_register() {
	const dialog = new frappe.ui.Dialog({
		title: __("Export Register"),
		fields: [unit_field()],
		primary_action_label: __("Export"),
		primary_action(values) {
			frappe
				.xcall("community_consultation.decision_bodies.register.export_register", values)
				.then((csv) => {
					dialog.hide();
					const blob = new Blob(["\ufeff" + csv], { type: "text/csv;charset=utf-8" });
					const link = document.createElement("a");
					link.href = URL.createObjectURL(blob);
					link.download = `${values.community_unit}-household-register.csv`;
					link.click();
				});
		},
	});
	dialog.show();
}
