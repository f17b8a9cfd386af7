"""Township and village together (§三(二), 三(三), 二(六)): what the township's records share.

- Township-level consultation: a topic, its sessions and its outcome may belong to a township (or
  street office). Its own staff (Township Officer) run it; `has_township_permission` keeps a Township
  Officer's writes on sessions and outcomes to the township's own records (the villages' records stay
  read-only to them). The villages a township topic concerns are those of its participants and of the
  village topic it was referred from (`concerned_villages`); its outcome is public on their pages
  (`township_outcomes_concerning`).
- Referral up (Township Referral) and assignment down (Township Assignment, Entrusted Matter Report).
- What a village user may see of the township's matters: `township_matters`, only for their villages;
  and the township's records of a matter that concerns their village, read-only
  (`share_with_concerned_villages`, below).
"""

import frappe
import frappe.share
from frappe import _
from frappe.utils import getdate, nowdate

from community_consultation import unit_tree
from community_consultation.permissions import unit_scope
from community_consultation.unit_tree import VILLAGE_TYPES, unit_type

TOWNSHIP_TYPES = ("Township",)
TOWNSHIP_OFFICER = "Township Officer"
# roles that write the villages' own procedure records
VILLAGE_ROLES = ("Committee Clerk", "Community Secretary", "Building Head", "Consultation Administrator")
WRITES = ("write", "create", "submit", "cancel", "amend", "delete")


class NotATownshipError(frappe.ValidationError):
	"""A record of the township's own work given a unit that is no township or street office."""


class VillageOutsideTownshipError(frappe.ValidationError):
	"""A village or community that does not belong to the township."""


def is_township(unit: str | None) -> bool:
	return unit_type(unit) in TOWNSHIP_TYPES


def township_of(unit: str | None) -> str | None:
	"""The township (street office) a unit belongs to: itself, or the nearest one above it."""
	return enclosing_unit(unit, TOWNSHIP_TYPES)


def village_of(unit: str | None) -> str | None:
	"""The village or community a unit belongs to: itself, or the one above it (a building's village)."""
	return enclosing_unit(unit, VILLAGE_TYPES)


def enclosing_unit(unit: str | None, unit_types: tuple[str, ...]) -> str | None:
	"""`unit` itself when it is of one of `unit_types`, else the nearest unit of those types above it."""
	if not unit:
		return None
	row = frappe.db.get_value("Community Unit", unit, ["lft", "rgt", "unit_type"], as_dict=True)
	if not row:
		return None
	if row.unit_type in unit_types:
		return unit
	found = frappe.db.sql(
		"""select name from `tabCommunity Unit` where unit_type in %(types)s and lft < %(lft)s
		and rgt > %(rgt)s order by lft desc limit 1""",
		{"types": unit_types, "lft": row.lft, "rgt": row.rgt},
	)
	return found[0][0] if found else None


def validate_village_of_township(village: str, township: str, label: str | None = None):
	"""§三(二): a village or community of this township (not one of another township, not a building)."""
	if unit_type(village) not in VILLAGE_TYPES or township_of(village) != township:
		frappe.throw(
			_("{0} is not a village or community of {1}.").format(
				frappe.bold(village), frappe.bold(township)
			),
			VillageOutsideTownshipError,
			title=label or _("Not of this township"),
		)


# ------------------------------------------------------------------------------------ the township's staff


def has_township_permission(doc, ptype=None, user=None) -> bool | None:
	"""`has_permission` of sessions and outcomes: a Township Officer who holds no village role writes only
	the township's own records (§三(二): the township's staff run township-level consultation; the
	villages run theirs). Reading is left to the User Permissions."""
	if ptype not in WRITES:
		return None
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	roles = set(frappe.get_roles(user))
	if TOWNSHIP_OFFICER not in roles or roles.intersection(VILLAGE_ROLES):
		return None
	unit = record_unit(doc)
	if unit and not is_township(unit):
		return False
	return None


def record_unit(doc) -> str | None:
	"""The unit of a session or outcome, before its save has set it (from its topic or session)."""
	if doc.get("community_unit"):
		return doc.community_unit
	if doc.get("session"):
		return frappe.db.get_value("Consultation Session", doc.session, "community_unit")
	if doc.get("topic"):
		return frappe.db.get_value("Consultation Topic", doc.topic, "community_unit")
	return None


# ------------------------------------------------------------------------------------ villages concerned


def concerned_villages(topic: str) -> list[str]:
	"""The villages and communities a township topic concerns: those of its participants (the topic's
	and its sessions'), and the village whose topic was referred up to it."""
	units = frappe.db.sql_list(
		"""select distinct s.community_unit from `tabStakeholder` s where s.name in (
			select ts.stakeholder from `tabConsultation Topic Stakeholder` ts
			where ts.parenttype = 'Consultation Topic' and ts.parent = %(topic)s
			union select p.stakeholder from `tabConsultation Participant` p
			join `tabConsultation Session` cs on cs.name = p.parent and p.parenttype = 'Consultation Session'
			where cs.topic = %(topic)s and cs.docstatus < 2)
		union select v.community_unit from `tabConsultation Topic` v where v.name = (
			select t.escalated_from from `tabConsultation Topic` t where t.name = %(topic)s)""",
		{"topic": topic},
	)
	township = frappe.db.get_value("Consultation Topic", topic, "community_unit")
	villages = [village_of(u) for u in units]
	return sorted({v for v in villages if v and township_of(v) == township})


# ------------------------------------------------------------------------------------ the villages read them

# the township's records of a matter that the villages it concerns read
READ_BY_CONCERNED_VILLAGES = ("Consultation Topic", "Consultation Session", "Consultation Outcome")


def share_with_concerned_villages(doc):
	"""§三(二): the villages a township topic concerns see what the township does about it — its topic,
	sessions and outcome, read-only. Called after every save, submit and cancel of a topic, session or
	outcome (`procedure.ProcedureDocument`); does nothing for a village's own records.

	Frappe v15 cannot grant this through permission hooks: a `has_permission` hook can only deny, and a
	`permission_query_conditions` condition only narrows, what the User Permissions allow, and a village
	user's User Permissions exclude the township's records. What widens them, in the form, the list, the
	counts, REST, print and every `frappe.has_permission`, is a document share: each such user is given a
	read-only share (no write, submit or share) of each record (`sync_village_reads`)."""
	topic = doc.name if doc.doctype == "Consultation Topic" else doc.get("topic")
	if topic and is_township(doc.get("community_unit")):
		sync_village_reads(topic)


def sync_village_reads(topic: str):
	"""Give the users of the villages `topic` concerns (a User Permission on the village itself, a role
	that reads the DocType) a read-only share of the topic and of its sessions and outcomes that are not
	cancelled; take such a share back from the users of the township's other villages. Shares with more
	than read (an administrator's), and shares with anyone else, are left alone."""
	township = frappe.db.get_value("Consultation Topic", topic, "community_unit")
	if not is_township(township):
		return
	villages = concerned_villages(topic)
	managed = village_users(villages_of(township))
	for doctype, name, live in township_records(topic):
		readers = village_users(villages, doctype) if live else set()
		shares = frappe.get_all(
			"DocShare",
			filters={"share_doctype": doctype, "share_name": name, "everyone": 0},
			fields=["name", "user", "write", "submit", "share"],
		)
		for user in readers - {s.user for s in shares}:
			frappe.share.add_docshare(
				doctype, name, user, read=1, flags={"ignore_share_permission": True}, notify=0
			)
		for share in shares:
			if (
				share.user in managed
				and share.user not in readers
				and not share.write + share.submit + share.share
			):
				frappe.delete_doc(
					"DocShare", share.name, ignore_permissions=True, flags={"ignore_share_permission": True}
				)


def sync_reads_of_unit_users(doc, method=None):
	"""`doc_events` of User Permission and User: a user given or losing a village, or a role, reads the
	township matters of their villages from then on, or no longer."""
	if doc.doctype == "User Permission":
		before = doc.get_doc_before_save()
		units = [d.for_value for d in (doc, before) if d and d.allow == "Community Unit"]
	else:
		units = frappe.get_all(
			"User Permission", filters={"user": doc.name, "allow": "Community Unit"}, pluck="for_value"
		)
	townships = {township_of(u) for u in units if unit_type(u) in VILLAGE_TYPES} - {None}
	for topic in (
		frappe.get_all(
			"Consultation Topic", filters={"community_unit": ("in", list(townships))}, pluck="name"
		)
		if townships
		else []
	):
		sync_village_reads(topic)


def township_records(topic: str) -> list[tuple[str, str, bool]]:
	"""The topic, its sessions and its outcomes, each with whether it is live (not cancelled)."""
	records = [("Consultation Topic", topic, True)]
	for doctype in ("Consultation Session", "Consultation Outcome"):
		records += [
			(doctype, r.name, r.docstatus < 2)
			for r in frappe.get_all(doctype, filters={"topic": topic}, fields=["name", "docstatus"])
		]
	return records


def villages_of(township: str) -> list[str]:
	return frappe.get_all(
		"Community Unit",
		filters={"parent_community_unit": township, "unit_type": ("in", VILLAGE_TYPES)},
		pluck="name",
	)


def village_users(villages: list[str], doctype: str | None = None) -> set[str]:
	"""The enabled users with a User Permission on one of `villages` itself (for every DocType, or for
	`doctype`); with `doctype`, only those whose roles read it."""
	if not villages:
		return set()
	rows = frappe.db.sql(
		"""select distinct up.user from `tabUser Permission` up
		join `tabUser` u on u.name = up.user and u.enabled = 1
		where up.allow = 'Community Unit' and up.for_value in %(villages)s
		and (%(doctype)s is null or up.apply_to_all_doctypes = 1 or up.applicable_for = %(doctype)s)""",
		{"villages": villages, "doctype": doctype},
	)
	users = {r[0] for r in rows}
	if doctype is None or not users:
		return users
	reading = {p.role for p in frappe.get_meta(doctype).permissions if p.read and not p.permlevel}
	with_role = frappe.db.sql(
		"""select distinct parent from `tabHas Role` where parenttype = 'User' and parent in %(users)s
		and role in %(roles)s""",
		{"users": list(users), "roles": list(reading) or [""]},
	)
	return {r[0] for r in with_role}


def township_topics_concerning(unit: str) -> list[str]:
	"""Township-level topics that concern `unit` (a village or community, or a unit beneath one)."""
	village = village_of(unit)
	township = township_of(unit)
	if not village or not township:
		return []
	lft, rgt = frappe.db.get_value("Community Unit", village, ["lft", "rgt"])
	return frappe.db.sql_list(
		"""select t.name from `tabConsultation Topic` t where t.community_unit = %(township)s and (
			exists(select 1 from `tabConsultation Topic` v join `tabCommunity Unit` vu on vu.name = v.community_unit
				where v.name = t.escalated_from and vu.lft >= %(lft)s and vu.rgt <= %(rgt)s)
			or exists(select 1 from `tabConsultation Topic Stakeholder` ts
				join `tabStakeholder` s on s.name = ts.stakeholder
				join `tabCommunity Unit` su on su.name = s.community_unit
				where ts.parenttype = 'Consultation Topic' and ts.parent = t.name
				and su.lft >= %(lft)s and su.rgt <= %(rgt)s)
			or exists(select 1 from `tabConsultation Session` cs
				join `tabConsultation Participant` p on p.parent = cs.name and p.parenttype = 'Consultation Session'
				join `tabStakeholder` s on s.name = p.stakeholder
				join `tabCommunity Unit` su on su.name = s.community_unit
				where cs.topic = t.name and cs.docstatus < 2 and su.lft >= %(lft)s and su.rgt <= %(rgt)s))
		order by t.creation desc""",
		{"township": township, "lft": lft, "rgt": rgt},
	)


def township_outcomes_concerning(unit: str) -> list[str]:
	"""The outcomes of the township topics that concern `unit` (its public page shows them)."""
	topics = township_topics_concerning(unit)
	if not topics:
		return []
	return frappe.get_all("Consultation Outcome", filters={"topic": ("in", topics)}, pluck="name")


@frappe.whitelist()
def township_matters(unit: str | None = None) -> list[dict]:
	"""§三(二): the township's matters that concern the user's villages — township topics (their state and
	outcome), with the villages they concern. A summary: the township's records themselves stay the
	township's. `unit`: one of the user's units (else all the villages they may see)."""
	ranges = unit_scope(frappe.session.user, "Consultation Topic")
	if unit:
		frappe.has_permission("Community Unit", "read", unit, throw=True)
		villages = [village_of(unit)]
	elif ranges is None:
		villages = frappe.get_all(
			"Community Unit", filters={"unit_type": ("in", VILLAGE_TYPES)}, pluck="name"
		)
	else:
		villages = [u for u in unit_tree.units_within(ranges) if unit_type(u) in VILLAGE_TYPES] or list(
			{village_of(u) for u in unit_tree.units_within(ranges)} - {None}
		)
	matters = {}
	for village in [v for v in villages if v]:
		for topic in township_topics_concerning(village):
			if topic not in matters:
				row = frappe.db.get_value(
					"Consultation Topic",
					topic,
					["name", "title", "status", "community_unit", "escalated_from"],
					as_dict=True,
				)
				outcome = frappe.db.get_value(
					"Consultation Outcome",
					{"topic": topic, "docstatus": 1},
					["name", "status", "decision", "implementation_deadline", "percent_complete"],
					as_dict=True,
				)
				row.outcome = outcome
				row.villages = []
				matters[topic] = row
			matters[topic].villages.append(village)
	return list(matters.values())


@frappe.whitelist()
def links_of_topic(topic: str) -> dict:
	"""What the topic's form shows of its links with the township: the referral waiting on the township
	or decided by it, the township topic that took it up, the assignment it carries out; whether the user
	may refer it, and whether it is a township's matter the user reads for their village."""
	doc = frappe.get_doc("Consultation Topic", topic)
	doc.check_permission("read")
	referral = frappe.db.get_value(
		"Township Referral",
		{"topic": topic},
		["name", "status", "township", "referred_on", "decision_reason", "township_topic"],
		as_dict=True,
		order_by="creation desc",
	)
	assignment = frappe.db.get_value(
		"Township Assignment Village",
		{"topic": topic, "parenttype": "Township Assignment"},
		["parent", "report_status", "reported_on", "report"],
		as_dict=True,
	)
	if assignment:
		assignment.update(
			frappe.db.get_value(
				"Township Assignment",
				assignment.parent,
				["title", "entrusted_by", "report_back_by", "community_unit"],
				as_dict=True,
			)
		)
	own_unit = frappe.has_permission("Consultation Topic", "write", doc)
	return {
		"referral": referral,
		"assignment": assignment,
		# a village's own open topic, for a user who may refer it
		"can_refer": own_unit
		and unit_type(doc.community_unit) in VILLAGE_TYPES
		and frappe.has_permission("Township Referral", "create"),
		# the township's topic, read by a user of a village it concerns
		"township_matter": is_township(doc.community_unit) and not own_unit,
	}


def report_status(report_back_by, reported_on, today=None) -> str:
	"""§二(六): a village's report back on an entrusted matter, judged against the deadline."""
	today = getdate(today or nowdate())
	deadline = getdate(report_back_by)
	if reported_on:
		return "Reported on Time" if getdate(reported_on) <= deadline else "Reported Late"
	return "Overdue" if today > deadline else "Awaiting Report"


# ------------------------------------------------------------------------------------ silent villages


def silent_village_months() -> int:
	from frappe.utils import cint

	return max(cint(frappe.db.get_single_value("Consultation Settings", "silent_village_months")), 1)


@frappe.whitelist()
def silent_villages(township: str | None = None, today: str | None = None) -> list[dict]:
	"""§三(二) regular consultation: the villages and communities (within the user's units, and under
	`township` if given) that held no consultation session (concluded, of the village or a unit beneath
	it) for the months set in Consultation Settings, with the date of their last session."""
	from frappe.utils import add_months

	from community_consultation.permissions import unit_condition_sql

	since = add_months(getdate(today or nowdate()), -silent_village_months())
	return frappe.db.sql(
		f"""select v.name, v.unit_name, v.parent_community_unit as township,
			(select max(s.starts_on) from `tabConsultation Session` s
				join `tabCommunity Unit` su on su.name = s.community_unit
				where s.docstatus = 1 and su.lft >= v.lft and su.rgt <= v.rgt) as last_session
		from `tabCommunity Unit` v
		where v.unit_type in %(types)s
		and {unit_condition_sql("v.name", None, "Consultation Session")}
		and {unit_tree.subtree_sql("v.name", township)}
		having last_session is null or last_session < %(since)s
		order by v.lft""",
		{"types": VILLAGE_TYPES, "since": since},
		as_dict=True,
	)


@frappe.whitelist()
def silent_villages_card(filters: str | dict | None = None) -> dict:
	"""The Silent Villages number card: how many villages of the user's units are silent, a click from
	the Township Overview that lists them."""
	return {
		"value": len(silent_villages()),
		"fieldtype": "Int",
		"route": ["query-report", "Township Overview"],
		"route_options": {},
	}
