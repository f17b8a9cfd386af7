"""Who hears of a record: its stakeholders and the users of its unit, each with the channels they have."""

import frappe

from community_consultation.notices.catalogue import COMMITTEE_TYPE
from community_consultation.setup.roles import COMMITTEE_CLERK, COMMUNITY_SECRETARY
from community_consultation.units import tree as unit_tree

# ------------------------------------------------------------------------------------ recipients


def stakeholder_recipient(stakeholder: str) -> frappe._dict | None:
	contact = frappe.db.get_value(
		"Stakeholder", stakeholder, ["name", "stakeholder_name", "user", "email", "mobile_no"], as_dict=True
	)
	if not contact:
		return None
	user = contact.user and frappe.db.get_value(
		"User", {"name": contact.user, "enabled": 1}, ["name", "email", "mobile_no"], as_dict=True
	)
	return frappe._dict(
		key=contact.name,
		stakeholder=contact.name,
		user=user.name if user else None,
		name=contact.stakeholder_name,
		email=reachable_email(contact.email or (user and user.email)),
		mobile=contact.mobile_no or (user and user.mobile_no),
	)


# the account of a resident known by their mobile number only (portal/sms_login.py): an address that never
# receives mail (RFC 2606's reserved .invalid), and no notice goes to it
MOBILE_ACCOUNT_DOMAIN = "mobile.invalid"


def mobile_account_email(mobile: str) -> str:
	return f"{mobile}@{MOBILE_ACCOUNT_DOMAIN}"


def reachable_email(email: str | None) -> str | None:
	"""An address that receives mail: not the placeholder of an account known by its mobile number."""
	return None if email and email.lower().endswith("@" + MOBILE_ACCOUNT_DOMAIN) else email


def user_recipient(user: str) -> frappe._dict | None:
	row = frappe.db.get_value(
		"User", {"name": user, "enabled": 1}, ["name", "full_name", "email", "mobile_no"], as_dict=True
	)
	if not row:
		return None
	return frappe._dict(
		key=row.name,
		stakeholder=None,
		user=row.name,
		name=row.full_name or row.name,
		email=reachable_email(row.email),
		mobile=row.mobile_no,
	)


def unit_users(unit: str, roles: tuple[str, ...], doctype: str | None = None) -> list[str]:
	"""Enabled desk users with one of `roles` whose User Permissions on Community Unit cover `unit` (the
	unit or a unit above it), for every DocType or for `doctype`. Users without such a permission see
	every unit and are not anyone's local staff: they are not included."""
	lft, rgt = unit_tree.bounds(unit)
	return frappe.db.sql_list(
		f"""select distinct u.name from `tabUser` u
		join `tabHas Role` hr on hr.parent = u.name and hr.parenttype = 'User'
		join `tabUser Permission` up on up.user = u.name and up.allow = 'Community Unit'
		join `tabCommunity Unit` cu on cu.name = up.for_value
		where u.enabled = 1 and u.user_type = 'System User' and hr.role in %(roles)s
		and {unit_tree.encloses_sql("cu", lft, rgt)}
		and (up.apply_to_all_doctypes = 1 or ifnull(up.applicable_for, '') = '' or up.applicable_for = %(doctype)s)
		order by u.name""",
		{"roles": roles, "doctype": doctype or ""},
	)


def unit_stakeholders(unit: str, stakeholder_types: tuple[str, ...]) -> list[str]:
	"""Enabled stakeholders of these types registered at `unit` or the village/community above it."""
	lft, rgt = unit_tree.bounds(unit)
	return frappe.db.sql_list(
		f"""select s.name from `tabStakeholder` s
		join `tabCommunity Unit` cu on cu.name = s.community_unit
		where s.enabled = 1 and s.stakeholder_type in %(types)s
		and {unit_tree.encloses_sql("cu", lft, rgt)} and cu.unit_type not in %(above_village)s
		order by s.name""",
		{"types": stakeholder_types, "above_village": (unit_tree.COUNTY, unit_tree.TOWNSHIP)},
	)


def implementer_recipients(outcome) -> list[frappe._dict]:
	"""The implementer: the implementing stakeholder, or — for the village and for government-entrusted
	matters, which the committee reports back on — the committee's clerks and secretary and the
	committee's stakeholder record."""
	recipients = []
	if outcome.implementer_stakeholder:
		recipients.append(stakeholder_recipient(outcome.implementer_stakeholder))
	if outcome.implementer_type != "Stakeholder" or not outcome.implementer_stakeholder:
		roles = (COMMITTEE_CLERK, COMMUNITY_SECRETARY)
		recipients += [user_recipient(u) for u in unit_users(outcome.community_unit, roles, outcome.doctype)]
		recipients += [
			stakeholder_recipient(s) for s in unit_stakeholders(outcome.community_unit, (COMMITTEE_TYPE,))
		]
	return [r for r in recipients if r]


def county_staff(county: str) -> list[str]:
	return frappe.db.sql_list(
		"""select distinct u.name from `tabUser` u
		join `tabUser Permission` up on up.user = u.name and up.allow = 'Community Unit'
		where u.enabled = 1 and u.user_type = 'System User' and up.for_value = %(county)s
		and (up.apply_to_all_doctypes = 1 or ifnull(up.applicable_for, '') = ''
			or up.applicable_for = 'Consultation Annual Return')
		order by u.name""",
		{"county": county},
	)
