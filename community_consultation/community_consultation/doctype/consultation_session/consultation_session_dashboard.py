from frappe import _


def get_data():
	return {
		"fieldname": "session",
		"transactions": [{"label": _("Outcome"), "items": ["Consultation Outcome"]}],
	}
