// The form timeline in the user's language: Frappe (v15, form/footer/version_timeline_content_builder.js)
// writes a changed value as stored, so a clerk reads "状态由Held改为Concluded". The values of Select
// fields and workflow states are stored in English and translated everywhere else in the desk; here
// they are translated too before the timeline is built, in the record's fields and its child rows', as are
// the child rows' field labels. To re-check after a Frappe upgrade: change a Select field of a record and
// of one of its child rows, and read its timeline in Chinese.
const translatable = (doctype, fieldname) => {
	const df = frappe.meta.get_docfield(doctype, fieldname);
	if (!df) return false;
	return df.fieldtype === "Select" || (df.fieldtype === "Link" && ["Workflow State", "Notice Channel", "DocType"].includes(df.options));
};

const translate_version = (version, doctype) => {
	if (version.__cc_translated || !version.data) return;
	version.__cc_translated = true;
	let data;
	try {
		data = typeof version.data === "string" ? JSON.parse(version.data) : version.data;
	} catch (e) {
		return;
	}
	const translate_changes = (changes, of_doctype) =>
		(changes || []).forEach((change) => {
			// an empty value reads "null" otherwise
			for (const i of [1, 2]) {
				if (change[i] === null || change[i] === undefined || change[i] === "") change[i] = __("(empty)");
			}
			if (translatable(of_doctype, change[0])) {
				change[1] = typeof change[1] === "string" && change[1] ? __(change[1]) : change[1];
				change[2] = typeof change[2] === "string" && change[2] ? __(change[2]) : change[2];
			}
		});
	translate_changes(data.changed, doctype);
	// a child row's changes: [table field, row number, row name, changes]
	(data.row_changed || []).forEach((row) => {
		const table = frappe.meta.get_docfield(doctype, row[0]);
		if (table && table.options) translate_changes(row[3], table.options);
	});
	version.data = JSON.stringify(data);
};

// Frappe names a child row's changed field by its label as stored (frappe.meta.get_label), where it
// translates the parent's: translated while the timeline is built
const with_translated_labels = (build) => {
	const get_label = frappe.meta.get_label;
	frappe.meta.get_label = function (...args) {
		return __(get_label.apply(this, args));
	};
	try {
		return build();
	} finally {
		frappe.meta.get_label = get_label;
	}
};

$(document).on("form-refresh", (event, frm) => {
	const timeline = frm && frm.timeline;
	if (!timeline) return;
	const proto = Object.getPrototypeOf(timeline);
	if (proto.__cc_translates_values) return;
	const original = proto.get_version_timeline_contents;
	proto.get_version_timeline_contents = function () {
		(this.doc_info.versions || []).forEach((version) => translate_version(version, this.frm.doctype));
		return with_translated_labels(() => original.call(this));
	};
	proto.__cc_translates_values = true;
	timeline.refresh();
});
