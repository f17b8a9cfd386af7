// The life-cycle tables of the app's DocTypes (procedure/lifecycle.py), as the server puts them in
// frappe.boot.life_cycles: each state's indicator colour and the states of each grouping (takes
// sessions, referable, open). The lists' and forms' indicators, buttons and queries read them here, so
// the desk never types a list of states or a colour map of its own.
frappe.provide("community_consultation.life_cycle");

Object.assign(community_consultation.life_cycle, {
	table(doctype) {
		return (frappe.boot.life_cycles || {})[doctype] || { colours: {}, groups: {} };
	},
	colour(doctype, status) {
		return this.table(doctype).colours[status] || "gray";
	},
	states(doctype, group) {
		return this.table(doctype).groups[group] || [];
	},
	// a form's intro (frm.set_intro) in the state's colour: the desk styles its messages in five colours
	// only (form.scss .form-message), so the others take the nearest of them
	intro_colour(doctype, status) {
		const colour = this.colour(doctype, status);
		const nearest = { cyan: "green", pink: "red", purple: "blue", "light-blue": "blue" };
		return ["blue", "green", "yellow", "orange", "red"].includes(colour) ? colour : nearest[colour] || "blue";
	},
	// a list view's get_indicator: the status, its colour, and the filter on it
	indicator(doctype) {
		return (doc) => [__(doc.status), this.colour(doctype, doc.status), "status,=," + doc.status];
	},
});
