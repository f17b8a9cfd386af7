"""Art. 24 of the Organic Law of the Villagers' Committees: the matters reserved to the villagers'
(residents') meeting are decided by it, and it may authorise the representatives' meeting to decide them.

A representatives' meeting decides a matter only when a concluded, quorate villagers' (residents')
meeting of the same unit, held on or before it, recorded the authorisation for the matter's category.
Without it, the representatives' vote is recorded and decides nothing: the matter is neither passed nor
rejected by it, and the villagers' meeting still decides it. The rule is one SQL condition
(`authorised_sql`), which the Python checks (`authorised`) and every query that asks which meeting decided a
topic (`decides_sql`) share, whatever the order in which the two meetings were recorded."""

import frappe

# the meeting whose recorded authorisation a representatives' meeting needs to decide a matter
AUTHORISED_BY = {
	"Villagers' Representatives' Meeting": "Villagers' Meeting",
	"Residents' Representatives' Meeting": "Residents' Meeting",
}


def _quoted(value: str) -> str:
	return "'" + value.replace("'", "''") + "'"


def authorised_sql(m: str, category: str | None = None, topic: str | None = None) -> str:
	"""SQL: the representatives' meeting aliased `m` holds the authorisation for a category — the SQL
	expression `category`, or the category of the topic named by the SQL expression `topic` (art. 24).
	(The topic is joined, not a scalar subquery: MariaDB turns EXISTS into IN, whose left side may hold
	no subquery.)"""
	authorising = " ".join(f"when {_quoted(k)} then {_quoted(v)}" for k, v in AUTHORISED_BY.items())
	of_category = f"ma.category = {category}"
	if topic:
		of_category = f"""exists(select 1 from `tabConsultation Topic` ct
			where ct.name = {topic} and ct.category = ma.category)"""
	return f"""exists(select 1 from `tabMeeting Authorisation` ma
		join `tabCommunity Meeting` am on am.name = ma.parent and ma.parenttype = 'Community Meeting'
		where {of_category} and am.docstatus = 1 and am.quorate = 1
		and am.meeting_kind = (case {m}.meeting_kind {authorising} end)
		and am.community_unit = {m}.community_unit and am.meeting_on <= {m}.meeting_on)"""


def decides_sql(m: str, topic: str) -> str:
	"""SQL: the meeting aliased `m` may decide the topic named by the SQL expression `topic`: any meeting
	but a representatives' meeting, which needs the authorisation for the topic's category (art. 24)."""
	kinds = ", ".join(_quoted(k) for k in AUTHORISED_BY)
	return f"({m}.meeting_kind not in ({kinds}) or {authorised_sql(m, topic=topic)})"


def authorised(meeting, category: str | None) -> bool:
	"""Art. 24: `meeting` (a representatives' meeting, saved or not) holds the authorisation of the
	villagers' (residents') meeting for `category` (`authorised_sql`)."""
	if not category or meeting.meeting_kind not in AUTHORISED_BY:
		return False
	return bool(
		frappe.db.sql(
			f"""select {authorised_sql("m", "%(category)s")} from (select %(kind)s as meeting_kind,
			%(unit)s as community_unit, cast(%(on)s as datetime) as meeting_on) m""",
			{
				"category": category,
				"kind": meeting.meeting_kind,
				"unit": meeting.community_unit,
				"on": str(meeting.meeting_on),
			},
		)[0][0]
	)


def decision_of(meeting: str, topic: str) -> str | None:
	"""The result ("Passed", "Not Passed") by which the concluded, quorate `meeting` decided `topic`, or
	None when it did not decide it (not concluded, not quorate, not voted, or not authorised)."""
	rows = frappe.db.sql(
		f"""select i.result from `tabMeeting Agenda Item` i
		join `tabCommunity Meeting` m on m.name = i.parent and i.parenttype = 'Community Meeting'
		where m.name = %s and i.topic = %s and m.docstatus = 1 and m.quorate = 1
		and i.result in ('Passed', 'Not Passed') and {decides_sql("m", "i.topic")}""",
		(meeting, topic),
	)
	return rows[0][0] if rows else None
