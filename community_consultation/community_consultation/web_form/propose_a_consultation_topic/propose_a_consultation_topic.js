// The resident's file travels with the proposal (see community_consultation.procedure.online_proposals):
// it is read in the browser, checked for size, and sent in the HTML field "{{ attachment_field }}".
frappe.ready(() => {
	const FIELD = "{{ attachment_field }}";
	const MAX_MB = {{ max_attachment_mb }};
	const ATTACHED = {{ proposal_attachments | json }};
	const ACCEPT = ".jpg,.jpeg,.png,.pdf,.txt,.csv,.doc,.docx,.xls,.xlsx,.odt,.ods";
	frappe._messages = Object.assign(frappe._messages || {}, {{ attachment_messages | json }});

	const setup = () => {
		const web_form = frappe.web_form;
		const field = web_form && web_form.fields_dict && web_form.fields_dict[FIELD];
		if (!field) return;
		const $area = field.$wrapper.empty();
		$area.append(`<label class="control-label">${__("Attachment")}</label>`);

		if (!web_form.is_new) {
			const $list = $(`<div class="proposal-attachments small"></div>`).appendTo($area);
			if (!ATTACHED.length) {
				$list.text(__("No attachment"));
			}
			ATTACHED.forEach((file) => {
				$(`<div><a target="_blank" rel="noopener"></a></div>`)
					.find("a")
					.attr("href", file.file_url)
					.text(file.file_name)
					.end()
					.appendTo($list);
			});
			return;
		}

		const $input = $(
			`<input type="file" class="form-control" style="height: auto;" accept="${ACCEPT}">`
		).appendTo($area);
		$area.append(
			`<p class="help-box small text-muted">${__(
				"Optional: one picture, PDF or office document of at most {0} MB.",
				[MAX_MB]
			)}</p>`
		);

		$input.on("change", () => {
			delete web_form.doc[FIELD];
			const file = $input.get(0).files[0];
			if (!file) return;
			if (file.size > MAX_MB * 1024 * 1024) {
				$input.val("");
				frappe.msgprint({
					title: __("Attachment too large"),
					message: __("The attachment is {0} MB; attachments may be at most {1} MB.", [
						(file.size / 1048576).toFixed(1),
						MAX_MB,
					]),
					indicator: "red",
				});
				return;
			}
			frappe.dom.file_to_base64(file).then((data_url) => {
				web_form.doc[FIELD] = `${file.name},${data_url}`;
			});
		});
	};

	if (frappe.web_form && frappe.web_form.fields_dict) {
		setup();
	} else if (frappe.web_form) {
		frappe.web_form.after_load = setup;
	}
});
