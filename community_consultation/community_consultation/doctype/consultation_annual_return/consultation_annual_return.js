// Copyright (c) 2026, community_consultation developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Consultation Annual Return", {
	setup(frm) {
		frm.set_query("county", () => ({ filters: { unit_type: "County" } }));
	},

	onload(frm) {
		if (frm.is_new() && !frm.doc.year) {
			frm.set_value("year", new Date().getFullYear());
		}
	},

	refresh(frm) {
		if (frm.doc.docstatus === 0 && !frm.is_new()) {
			frm.add_custom_button(__("Fill from Report"), () => {
				const fill = () =>
					frm.call({
						method: "fill_from_report",
						doc: frm.doc,
						freeze: true,
						freeze_message: __("Counting the county's consultation work..."),
						callback: () => frm.reload_doc(),
					});
				frm.is_dirty() ? frm.save().then(fill) : fill();
			}).addClass("btn-primary");
		}
		if (frm.doc.county && frm.doc.year) {
			frm.add_custom_button(__("Consultation Annual Return Figures"), () => {
				frappe.set_route("query-report", "Consultation Annual Return Figures", {
					year: String(frm.doc.year),
					community_unit: frm.doc.county,
				});
			}, __("View"));
		}
		if (frm.doc.docstatus === 0 && frm.doc.due_date) {
			const days = frappe.datetime.get_diff(frm.doc.due_date, frappe.datetime.get_today());
			if (days < 0) {
				frm.dashboard.set_headline_alert(
					__("This return was due on {0}: give the reason for the late submission.", [
						frappe.datetime.str_to_user(frm.doc.due_date),
					]),
					"red"
				);
			} else if (days <= 31) {
				frm.dashboard.set_headline_alert(
					__("Due on {0} ({1} days left).", [frappe.datetime.str_to_user(frm.doc.due_date), days]),
					"orange"
				);
			}
		}
	},
});
