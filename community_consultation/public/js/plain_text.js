// The plain text of the app's records shown as text in the desk, never run as markup
// (procedure/text_policy.py: plain text is stored as typed and escaped wherever it is rendered).
// Frappe v15's formatters return a Data, Small Text, Text, Long Text or Select value as HTML
// (form/formatters.js: `Data` returns the value itself), and the list view, the report view, a form's
// read-only fields and the query reports insert it as such: a resident's title
// `x </title><img src=x onerror=…>` ran in the clerk's browser. So `frappe.format` escapes a plain-text
// value of the app's DocTypes before Frappe formats it; other apps' DocTypes are left as they are.
// The query reports' columns name no DocType: their formatters call `community_consultation.plain_text.
// formatter` (or `escape_cell` before their own markup).
// To re-check after a Frappe upgrade: open the Consultation Topic report view with a topic titled
// `<b>x</b>`: the title reads `<b>x</b>`, not a bold x.
frappe.provide("community_consultation.plain_text");

(function () {
	const PLAIN_TEXT = new Set([
		"Data",
		"Small Text",
		"Text",
		"Long Text",
		"Select",
		"Read Only",
		"Autocomplete",
	]);
	const APP = "community_consultation";

	const is_app_doctype = (doctype) => {
		const meta = doctype && locals.DocType && locals.DocType[doctype];
		return Boolean(meta && (frappe.boot.module_app || {})[frappe.scrub(meta.module)] === APP);
	};
	const escaped = (value) => (typeof value === "string" ? frappe.utils.escape_html(value) : value);

	Object.assign(community_consultation.plain_text, {
		/** A query report's cell of plain text, escaped (a column without a fieldtype is Data). */
		escape_cell(value, column) {
			return PLAIN_TEXT.has((column && column.fieldtype) || "Data") ? escaped(value) : value;
		},

		/** A query report's `formatter`: Frappe's, on the cell's plain text escaped. */
		formatter(value, row, column, data, default_formatter) {
			return default_formatter(
				community_consultation.plain_text.escape_cell(value, column),
				row,
				column,
				data
			);
		},
	});

	const format = frappe.format;
	if (!format || format.__cc_escapes) return;
	frappe.format = function (value, df, options, doc) {
		if (df && PLAIN_TEXT.has(df.fieldtype) && is_app_doctype(df.parent)) {
			value = escaped(value);
		}
		return format(value, df, options, doc);
	};
	frappe.format.__cc_escapes = true;
})();
