def get_context(context):
	"""The notice's own context (topic, time, place, link…) is added by community_consultation.notices,
	which also works out its recipients within the record's unit: Frappe never sends this Notification
	by itself (event "Custom")."""
