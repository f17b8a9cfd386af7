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

from community_consultation.setup.roles import (
	BUILDING_HEAD,
	COMMITTEE_CLERK,
	COMMUNITY_SECRETARY,
	CONSULTATION_ADMINISTRATOR,
	TOWNSHIP_OFFICER,
)
from community_consultation.township.queries import villages_of
from community_consultation.units.tree import VILLAGE_TYPES, is_township, township_of, unit_type, village_of

# roles that write the villages' own procedure records
VILLAGE_ROLES = (COMMITTEE_CLERK, COMMUNITY_SECRETARY, BUILDING_HEAD, CONSULTATION_ADMINISTRATOR)
WRITES = ("write", "create", "submit", "cancel", "amend", "delete")


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
	outcome (`controller.ProcedureDocument`); does nothing for a village's own records.

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
