// Copyright (c) 2026, community_consultation developers and contributors
// For license information, please see license.txt

// frappe.ui.form.on("Township Referral", {
// 	refresh(frm) {

// 	},
// });
