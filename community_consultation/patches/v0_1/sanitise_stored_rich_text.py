"""Rich text stored before the text policy (`procedure/text_policy.py`) is sanitised once: a decision,
minutes or a description that Frappe v15 left as typed (a value that parses as JSON, or one given on
submit) would otherwise still run as script where the desk shows it read-only. Values that are already
clean are not touched; nothing is marked modified."""

from community_consultation.procedure.text_policy import sanitise_stored_rich_text


def execute():
	sanitise_stored_rich_text()
