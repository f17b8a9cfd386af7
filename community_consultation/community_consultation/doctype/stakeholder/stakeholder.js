// Copyright (c) 2026, community_consultation developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Stakeholder", {
	refresh(frm) {
		// a resident who signed up online: the village confirms that they live here
		if (!frm.is_new() && frm.doc.user && !frm.doc.residence_confirmed_on && frm.perm[0]?.write) {
			frm.add_custom_button(__("Confirm Residence"), () =>
				frappe.confirm(
					__("Confirm that {0} lives in this village or community?", [frappe.utils.escape_html(frm.doc.stakeholder_name)]),
					() => frm.call("confirm_residence").then(() => frm.reload_doc())
				)
			);
		}
	},
});
