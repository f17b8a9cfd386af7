// The list filters' "like" condition in plain Chinese: Frappe v15 (ui/filters/filter.js, set_conditions)
// labels it __("Like"), whose translation is 喜欢 (to be fond of), right for the heart on a form and wrong
// here; a zh.po entry for "Like" would change the heart too. That one condition is labelled with a message
// of its own, which the app translates (包含); the operator is unchanged. The other conditions' words
// ("Equals", "In", "Not In", "Between", "Descendants Of" …) are used only by the filter, and are translated
// in the app's zh.po. To re-check after a Frappe upgrade: open a list's filter in Chinese and read the
// conditions.
(function () {
	frappe.ui.Filter = class extends frappe.ui.Filter {
		set_conditions() {
			super.set_conditions();
			(this.conditions || []).forEach((condition) => {
				if (condition[0] === "like") condition[1] = __("Contains");
			});
		}
	};
})();
