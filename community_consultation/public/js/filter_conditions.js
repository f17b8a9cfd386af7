// The list filters' conditions in plain Chinese: Frappe v15 (ui/filters/filter.js, set_conditions) labels
// them with generic words whose translations mean something else here — "Like" is 喜欢 (to be fond of,
// as the heart on a form), "In" 在, "Not In" 在不, "Equals" 等号 (the = sign). A condition is labelled
// with a message of its own instead, which the app translates (包含, 属于, 不属于, 等于 …); the operators are
// unchanged. To re-check after a Frappe upgrade: open a list's filter in Chinese and read the conditions.
(function () {
	const LABELS = {
		"=": () => __("Is Equal To"),
		like: () => __("Contains"),
		"not like": () => __("Does Not Contain"),
		in: () => __("Is One Of"),
		"not in": () => __("Is None Of"),
		Between: () => __("Is Between"),
		"descendants of": () => __("Below (Not Itself)"),
		"not descendants of": () => __("Not Below"),
		"ancestors of": () => __("Above"),
		"not ancestors of": () => __("Not Above"),
	};
	const relabel = (conditions) => {
		(conditions || []).forEach((condition) => {
			if (LABELS[condition[0]]) condition[1] = LABELS[condition[0]]();
		});
	};
	frappe.ui.Filter = class extends frappe.ui.Filter {
		set_conditions() {
			super.set_conditions();
			relabel(this.conditions);
			relabel(this.nested_set_conditions);
		}
	};
})();
