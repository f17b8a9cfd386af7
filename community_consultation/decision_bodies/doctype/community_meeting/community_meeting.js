// Copyright (c) 2026, community_consultation developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Community Meeting", {
	setup(frm) {
		frm.set_query("topic", "agenda", () => ({
			filters: { community_unit: frm.doc.community_unit, review_decision: "Accepted" },
		}));
	},
	refresh(frm) {
		if (frm.doc.docstatus === 0 && !frm.is_new() && frm.doc.meeting_basis) {
			frm.add_custom_button(__("Load Sign-in List"), () =>
				frm.call("load_sign_in_list").then(() => frm.reload_doc())
			);
		}
		if (frm.doc.quorum_summary) {
			const quorate = frm.doc.quorate;
			frm.dashboard.set_headline_alert(
				`<div class="${quorate ? "text-success" : "text-danger"}">${__("{0}: {1}", [
					quorate ? __("Quorate") : __("Not quorate"),
					frappe.utils.escape_html(frm.doc.quorum_summary),
				])}</div>`
			);
		}
		if (frm.doc.docstatus === 0) {
			frm.set_intro(
				__("Print the sign-in sheet, tick the attendance from it, record each item's vote, then Submit to conclude the meeting. A meeting that did not reach its quorum is recorded as held and not quorate: it decides nothing."),
				"blue"
			);
		}
	},
});
