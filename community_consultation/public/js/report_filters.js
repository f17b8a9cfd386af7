// Filters the app's query reports share (their .js files are evaluated when a report opens, after the
// desk has loaded this bundle).

frappe.provide("community_consultation.report_filters");

Object.assign(community_consultation.report_filters, {
	/** Select options shown in the user's language, keeping the stored values. */
	translated(values) {
		return values.map((value) => ({ value, label: __(value) }));
	},

	/**
	 * A Select filter offering the options of `doctype`'s `fieldname`, in the user's language: read
	 * from the DocType when the report opens (`fill_select_options`), so they never drift from it.
	 */
	select_of(doctype, fieldname, label) {
		return { fieldname, label, fieldtype: "Select", options: [""], options_of: [doctype, fieldname] };
	},

	/** The report's `onload`: give each `select_of` filter its DocType field's options. */
	fill_select_options(report) {
		for (const filter of report.filters || []) {
			if (!filter.df.options_of) continue;
			const [doctype, fieldname] = filter.df.options_of;
			frappe.model.with_doctype(doctype, () => {
				const options = (frappe.meta.get_docfield(doctype, fieldname).options || "").split("\n");
				filter.df.options = this.translated(["", ...options.filter(Boolean)]);
				filter.refresh();
			});
		}
	},

	/** A unit and every unit beneath it (the report also keeps to the user's own units). */
	community_unit() {
		return {
			fieldname: "community_unit",
			label: __("Community Unit"),
			fieldtype: "Link",
			options: "Community Unit",
			description: __("The unit and every unit beneath it"),
		};
	},

	/** From and To dates, the current year by default. */
	this_year() {
		return [
			{
				fieldname: "from_date",
				label: __("From Date"),
				fieldtype: "Date",
				default: frappe.datetime.year_start(),
				reqd: 1,
			},
			{
				fieldname: "to_date",
				label: __("To Date"),
				fieldtype: "Date",
				default: frappe.datetime.year_end(),
				reqd: 1,
			},
		];
	},
});
