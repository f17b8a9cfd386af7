// Copyright (c) 2026, community_consultation developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Consultation Outcome", {
	setup(frm) {
		frm.set_query("session", () => ({
			filters: { docstatus: 1, result: ["in", ["Consensus", "Referred to Villagers' Meeting"]] },
		}));
		// the concluded, quorate meetings of the outcome's unit (the controller checks the rest)
		frm.set_query("meeting", () => ({
			filters: { docstatus: 1, quorate: 1 },
		}));
	},
	refresh(frm) {
		if (frm.doc.status === "Overdue") {
			frm.set_intro(__("The implementation deadline has passed and the outcome is not complete."), "red");
		}
		// a user who reads the outcome without changing it (a village reading the township's) is offered
		// nothing to do
		if (!frm.is_new() && !frm.perm[0].write) return;
		if (frm.doc.docstatus === 1 && !frm.doc.stakeholders_notified_on) {
			frm.add_custom_button(__("Notify Stakeholders"), () =>
				frm.call("notify_stakeholders").then(() => frm.reload_doc())
			);
		}
		if (frm.doc.docstatus === 0) {
			frm.set_intro(
				__("File the outcome with the Party organisation and the committee (both dates), set the implementer and deadline, then Submit to file it. Afterwards notify the stakeholders, set the publicity period and record progress."),
				"blue"
			);
		}
	},
});
