// Copyright (c) 2026, community_consultation developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Community Unit"] = {
	add_fields: ["disabled", "unit_code"],
	get_indicator(doc) {
		return doc.disabled
			? [__("Retired"), "grey", "disabled,=,1"]
			: [__("In Use"), "green", "disabled,=,0"];
	},
	onload(listview) {
		if (!frappe.user.has_role(["System Manager", "Consultation Administrator"])) return;
		listview.page.add_inner_button(__("Import Division List"), () =>
			import_file(listview, {
				title: __("Import Division List"),
				help: __("A CSV or XLSX file in the published layout: code, name, level, parent code."),
				method: "community_consultation.units.importer.start_import",
				event: "unit_import_done",
				fields: [
					{
						fieldtype: "Data",
						fieldname: "root",
						label: __("Only Under This Code"),
						description: __("A county's or township's division code; empty for the whole file."),
					},
				],
				done: (s) =>
					__(
						"Created {0}, renamed {1}, moved {2}, retired {3}, restored {4}, unchanged {5}; {6} rows of the list are not units.",
						[s.created, s.renamed, s.moved, s.retired, s.restored, s.unchanged, s.skipped]
					),
			})
		);
		listview.page.add_inner_button(__("Import Staff"), () =>
			import_file(listview, {
				title: __("Import Staff"),
				help: __(
					"A CSV or XLSX file: name, mobile number, role, unit code, and 离职 in a fifth column for staff who leave."
				),
				method: "community_consultation.units.staff.start_import",
				event: "staff_import_done",
				fields: [],
				done: (s, message) =>
					__(
						"Created {0}, updated {1}, disabled {2}, unchanged {3}; first passwords sent by SMS: {4}.",
						[s.created, s.updated, s.disabled, s.unchanged, s.passwords_by_sms]
					) +
					(message.sheet
						? `<p><a href="${encodeURI(message.sheet)}" target="_blank">${__(
								"Print the hand-over sheet of first passwords"
						  )}</a></p>`
						: ""),
			})
		);
	},
};

// units/importer.py, units/staff.py: the file is imported (a larger one by a background job that reports
// its progress), then its summary or the rows it refused are shown (nothing is written then)
function import_file(listview, opts) {
	const dialog = new frappe.ui.Dialog({
		title: opts.title,
		fields: [
			{ fieldtype: "HTML", options: `<p class="text-muted">${opts.help}</p>` },
			{
				fieldtype: "Attach",
				fieldname: "file_url",
				label: __("File"),
				reqd: 1,
				options: { restrictions: { allowed_file_types: [".csv", ".xlsx"] } },
			},
			...opts.fields,
		],
		primary_action_label: __("Import"),
		primary_action(values) {
			// a small file is imported in the request and answered at once; a larger one by a job
			let shown = false;
			const done = (message) => {
				if (shown) return;
				shown = true;
				frappe.realtime.off(opts.event);
				frappe.hide_progress();
				show_result(opts, message);
				listview.refresh();
			};
			frappe.realtime.off(opts.event);
			frappe.realtime.on(opts.event, done);
			frappe.xcall(opts.method, values, "POST").then((started) => {
				dialog.hide();
				if (!started.queued) return done(started.message);
				frappe.show_alert({ message: __("The import has started."), indicator: "blue" });
			});
		},
	});
	dialog.show();
}

function show_result(opts, message) {
	if (message.errors) {
		const rows = message.errors
			.map(([row, text]) => `<tr><td>${row}</td><td>${frappe.utils.escape_html(text)}</td></tr>`)
			.join("");
		frappe.msgprint({
			title: __("Nothing was imported: {0} rows have errors", [message.total_errors]),
			indicator: "red",
			message: `<table class="table table-bordered"><thead><tr><th>${__("Row")}</th><th>${__(
				"Error"
			)}</th></tr></thead><tbody>${rows}</tbody></table>`,
		});
		return;
	}
	frappe.msgprint({ title: opts.title, indicator: "green", message: opts.done(message.summary, message) });
}
