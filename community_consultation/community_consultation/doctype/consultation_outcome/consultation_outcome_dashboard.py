from frappe import _


def get_data():
	return {
		"fieldname": "outcome",
		"non_standard_fieldnames": {
			"Supervision Remark": "reference_name",
			"Consultation Notice Log": "reference_name",
		},
		"dynamic_links": {"reference_name": ["Consultation Outcome", "reference_doctype"]},
		"transactions": [
			{
				"label": _("Supervision and Notices"),
				"items": ["Supervision Remark", "Consultation Notice Log"],
			},
		],
	}
