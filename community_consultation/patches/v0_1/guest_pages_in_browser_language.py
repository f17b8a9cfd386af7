from community_consultation.setup.site import guest_pages_in_browser_language


def execute():
	guest_pages_in_browser_language()
