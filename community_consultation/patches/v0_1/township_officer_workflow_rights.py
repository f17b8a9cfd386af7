"""Sites whose default workflows were created before the Township Officer ran the township's own
consultation (§三(二)) get the officer's states and transitions added to their Workflows; everything an
administrator put in or took out of a workflow stays as it is (`setup.workflows.add_missing_role_rows`)."""

from community_consultation.setup.roles import TOWNSHIP_OFFICER
from community_consultation.setup.workflows import add_missing_role_rows

# what the officer had in the first default workflows: editing a draft topic and submitting it for review
HAD_BEFORE = frozenset(
	{
		("Consultation Topic", "Draft"),
		("Consultation Topic", "Draft", "Submit for Review", "Party Review"),
	}
)


def execute():
	add_missing_role_rows(TOWNSHIP_OFFICER, HAD_BEFORE)
