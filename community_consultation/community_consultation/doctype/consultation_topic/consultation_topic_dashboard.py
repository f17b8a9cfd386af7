from frappe import _


def get_data():
	return {
		"fieldname": "topic",
		"non_standard_fieldnames": {
			"Consultation Topic": "escalated_from",
			"Supervision Remark": "reference_name",
			"Consultation Notice Log": "reference_name",
		},
		"dynamic_links": {"reference_name": ["Consultation Topic", "reference_doctype"]},
		"transactions": [
			{"label": _("Consultation"), "items": ["Consultation Session", "Consultation Outcome"]},
			{"label": _("Escalation"), "items": ["Consultation Topic"]},
			{
				"label": _("Supervision and Notices"),
				"items": ["Supervision Remark", "Consultation Notice Log"],
			},
		],
	}
