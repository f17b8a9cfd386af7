"""Test users: roles and User Permissions on Community Unit, for permission tests.

from community_consultation.tests.users import as_user, make_user

clerk = make_user("clerk@example.com", ["Committee Clerk"], units=[units.village_a])
with as_user(clerk):
	...  # the clerk sees village A and the units beneath it, nothing else
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import frappe
from frappe.permissions import add_user_permission

UNIT_DOCTYPE = "Community Unit"


def make_user(
	email: str,
	roles: Iterable[str] = (),
	units: Iterable[str] = (),
	*,
	applicable_for: str | None = None,
	**fields,
) -> str:
	"""Create (or reset) an enabled user with exactly `roles` and User Permissions on exactly `units`.

	A permission on a unit allows that unit and every unit beneath it (Community Unit is a tree).
	`applicable_for` limits the permissions to one DocType; `fields` set other User fields. Returns the
	user's name (the email). Nothing is committed: a test's rollback removes the user again."""
	if frappe.db.exists("User", email):
		user = frappe.get_doc("User", email)
	else:
		user = frappe.new_doc("User")
		user.email = email
		user.first_name = fields.pop("first_name", email.split("@")[0])
		user.send_welcome_email = 0
	user.update({"enabled": 1, **fields})
	user.set("roles", [{"role": role} for role in dict.fromkeys(roles)])
	user.flags.no_welcome_mail = True
	user.save(ignore_permissions=True)

	wanted = set(units)
	for name in frappe.get_all(
		"User Permission",
		filters={"user": email, "allow": UNIT_DOCTYPE, "for_value": ("not in", list(wanted) or [""])},
		pluck="name",
	):
		frappe.delete_doc("User Permission", name, ignore_permissions=True, force=True)
	for unit in wanted:
		add_user_permission(UNIT_DOCTYPE, unit, email, ignore_permissions=True, applicable_for=applicable_for)
	frappe.clear_cache(user=email)
	return email


@contextmanager
def as_user(user: str) -> Iterator[str]:
	"""Run the block as `user`, then switch back to whoever was the session user."""
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		yield user
	finally:
		frappe.set_user(previous)


def api_token(user: str) -> str:
	"""A new API key and secret for `user`, as the `Authorization` header of a REST client ("token
	key:secret"). Saved, not committed."""
	doc = frappe.get_doc("User", user)
	secret = frappe.generate_hash(length=15)
	doc.api_key = frappe.generate_hash(length=15)
	doc.api_secret = secret
	doc.save(ignore_permissions=True)
	return f"token {doc.api_key}:{secret}"


def make_resident(mobile: str, **fields) -> str:
	"""A resident known by their mobile number, as sign-up by SMS makes them (portal/sms_login.py)."""
	from community_consultation.notices.recipients import mobile_account_email

	return make_user(
		mobile_account_email(mobile), ["Resident"], mobile_no=mobile, user_type="Website User", **fields
	)
