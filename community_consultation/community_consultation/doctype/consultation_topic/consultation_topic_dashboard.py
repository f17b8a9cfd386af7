from frappe import _


def get_data():
	return {
		"fieldname": "topic",
		"non_standard_fieldnames": {"Consultation Topic": "escalated_from"},
		"transactions": [
			{"label": _("Consultation"), "items": ["Consultation Session", "Consultation Outcome"]},
			{"label": _("Escalation"), "items": ["Consultation Topic"]},
		],
	}
