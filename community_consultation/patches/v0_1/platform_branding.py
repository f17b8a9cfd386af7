"""Sites installed before the platform had its own name and logo: the defaults where the administrator
set none, and staff may sign in with their mobile number (setup/branding.py)."""

from community_consultation.setup.branding import apply_branding


def execute():
	apply_branding(keep_existing=True)
