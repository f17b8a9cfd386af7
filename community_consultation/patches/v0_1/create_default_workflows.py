"""Sites installed before the procedure had workflows get the default ones; a DocType that already has a
Workflow (the administrator's) keeps it."""

from community_consultation.setup.workflows import create_default_workflows


def execute():
	create_default_workflows()
