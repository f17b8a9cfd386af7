from community_consultation.setup.site import hide_error_tracebacks


def execute():
	hide_error_tracebacks()
