"""The results a session and a meeting's agenda item record, named once: the options of their `result`
Select fields (Consultation Session, Meeting Agenda Item), for the rules and the SQL that read them."""

# §二(五)3: a consultation session's result
CONSENSUS = "Consensus"
NO_CONSENSUS = "No Consensus"
REFERRED = "Referred to Villagers' Meeting"
SESSION_RESULTS = (CONSENSUS, NO_CONSENSUS, REFERRED)

# §二(一): a meeting's vote on an agenda item
PASSED = "Passed"
NOT_PASSED = "Not Passed"
NOT_DECIDED = "Not Decided"
MEETING_RESULTS = (PASSED, NOT_PASSED, NOT_DECIDED)


def sql_literal(value: str) -> str:
	"""`value` as a SQL string literal, for the conditions the life-cycle tables build at import, before
	a database connection exists (the values are the constants above, never user input)."""
	return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"
