// An editable Datetime field shows its seconds: Frappe v15's ControlDatetime (form/controls/datetime.js)
// hands the site's time format (HH:mm:ss) to air-datepicker as "hh:ii:ss", and air-datepicker 2 knows
// no seconds token, so selectDate() writes "2026-10-28 12:00:ss" into the input. After the datepicker
// has written the input, the value is written again in the user's format. To re-check after a Frappe
// upgrade: open a submitted Consultation Outcome and read "Stakeholders Notified On"; open a session whose
// notice was published (notice_published_on has microseconds): the form must not say "Not Saved".
// No setting replaces it: System Settings → Time Format "HH:mm" would drop the "ss" token, but for every
// app on the site, and a value stored with seconds would still come back from the datepicker at :00.
frappe.ui.form.ControlDatetime = class ControlDatetimeWithSeconds extends frappe.ui.form.ControlDatetime {
	set_date_options() {
		super.set_date_options();
		// a date picked in the datepicker: its seconds are 00, not the literal "ss"
		const on_select = this.datepicker_options.onSelect;
		this.datepicker_options.onSelect = (...args) => {
			const current = this.$input && this.$input.val();
			if (current && /:ss\b/.test(current)) this.$input.val(current.replace(/:ss\b/, ":00"));
			return on_select && on_select(...args);
		};
	}

	// The stored value has seconds and microseconds (2026-12-02 07:05:23.647935); the datepicker knows only
	// hours and minutes, and gives the value it shows back at :00. What comes back for the minute the
	// stored value is in is the stored value, so that merely opening a record never changes it (the form
	// would say "Not Saved"); a time typed to the second is taken as typed.
	parse(value) {
		const parsed = super.parse(value);
		const stored = this.get_model_value && this.get_model_value();
		if (!parsed || !stored) return parsed;
		const [kept, given] = [String(stored), String(parsed)];
		const same_second = kept.slice(0, 19) === given.slice(0, 19);
		const same_minute = given.slice(16, 19) === ":00" && kept.slice(0, 16) === given.slice(0, 16);
		return same_second || same_minute ? stored : parsed;
	}

	set_formatted_input(value) {
		super.set_formatted_input(value);
		if (!this.$input || !value || this.timepicker_only || !this.datepicker) return;
		const current = this.$input.val() || "";
		if (!/s{2}/.test(current)) return;
		let normalized = value;
		if (String(value).toLowerCase() === "today") normalized = this.get_now_date();
		else if (String(value).toLowerCase() === "now") normalized = frappe.datetime.now_datetime();
		this.$input.val(this.format_for_input(normalized));
	}
};
