// Values the app stores in English in plain Data fields (copied from a Select elsewhere) shown in the
// user's language, as Select values are: a topic's decision route comes from its category's Select.
const STORED_SELECT_VALUES = {
	"Consultation Topic": ["decision_route"],
};

Object.entries(STORED_SELECT_VALUES).forEach(([doctype, fieldnames]) => {
	frappe.ui.form.on(doctype, {
		setup(frm) {
			fieldnames.forEach((fieldname) => {
				const df = frappe.meta.get_docfield(doctype, fieldname, frm.doc.name);
				if (!df || df.formatter) return;
				df.formatter = (value, field, options, doc) =>
					frappe.form.get_formatter(field.fieldtype || "Data")(value ? __(value) : value, field, options, doc);
			});
		},
	});
});
