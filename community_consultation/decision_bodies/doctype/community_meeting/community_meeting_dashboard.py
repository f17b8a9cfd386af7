from frappe import _


def get_data():
	return {
		"fieldname": "meeting",
		"non_standard_fieldnames": {"Supervision Remark": "reference_name"},
		"dynamic_links": {"reference_name": ["Community Meeting", "reference_doctype"]},
		"transactions": [
			{"label": _("Resolution"), "items": ["Consultation Outcome"]},
			{"label": _("Supervision"), "items": ["Supervision Remark"]},
		],
	}
