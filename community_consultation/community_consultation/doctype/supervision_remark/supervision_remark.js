// Copyright (c) 2026, community_consultation developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Supervision Remark", {
	refresh(frm) {
		if (!frm.is_new()) {
			// the committee may write a new remark (write permission), never change a saved one
			// (SupervisionRemark.validate_unchanged)
			frm.disable_form();
			frm.set_intro(__("A supervision remark is a dated record: it cannot be changed once saved."), "blue");
		}
	},
});
