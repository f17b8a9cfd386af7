// A staff user whose account has no community unit sees no consultation record (fail-closed,
// permissions.lacks_unit): the desk says why, and what an administrator must do, once it has started.
$(document).on("toolbar_setup", () => {
	const message = frappe.boot.consultation_no_unit;
	if (message) {
		frappe.msgprint({ title: __("No community unit"), message, indicator: "orange" });
	}
});
