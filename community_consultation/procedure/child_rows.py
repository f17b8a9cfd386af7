"""A row of the app's child tables is part of its parent: read, written and deleted only through it.

`ChildRow` is the base class of every child-table controller of the app
(`class ConsultationParticipant(ChildRow)`). What Frappe v15 does with a row on its own, and what is done
about it here:

- Reading a row loaded on its own (`frappe.get_doc("Consultation Participant", name)`, as
  `frappe.client.get` and `GET /api/resource/<child table>/<row>` do): Frappe checks the permission on
  the row's `parent_doc` (`has_child_permission`, frappe/permissions.py), which such a row does not have
  (`BaseDocument.parent_doc`, frappe/model/base_document.py), and falls back to the parent's DocType:
  anyone who may read some session could read a participant of any session. `ChildRow.parent_doc` loads
  the parent, so the parent's unit decides.
- Writing a row on its own: `POST /api/resource/<child table>` inserts it (`frappe.new_doc(child,
  **data).insert()`, frappe/api/v1.py) with the permission checked on the parent's DocType only, never its
  unit, docstatus or rules; `PUT`, `frappe.client.save`, the desk's `savedocs` and `submit`/`cancel` of a
  row save the row by itself; `DELETE` and `frappe.delete_doc` delete it without asking whether the parent
  is submitted (a child DocType is not submittable). Here each of them is done to the parent instead — the
  row appended, changed or removed, and the parent saved — as `frappe.client.insert / set_value / delete`
  already do: the parent's permission (its unit, through User Permissions and the app's
  `has_permission` hooks), its docstatus (Frappe's `validate_update_after_submit`: a row is added to a
  submitted record only in a table that allows it on submit) and its rules decide, in one place.
- A parent saved with a row of another record (`{"participants": [{"name": <row of another session>}]}`)
  would move that row (`BaseDocument.db_update` updates by name alone): `refuse_foreign_rows`, called where
  the parent writes its rows (`overrides.row_locking.RowLocking.update_child_table`).

After a Frappe upgrade: check that `BaseDocument.parent_doc` is still a property reading `_parent_doc`,
that `Document.insert` / `Document._save` / `frappe.model.delete_doc.delete_doc` (its `on_trash`) are still
the ways a row is written on its own, and run `scripts/test tests/test_security_writes.py
tests/test_rest_permissions.py`.
"""

import frappe
from frappe import _
from frappe.model import child_table_fields, default_fields
from frappe.model.base_document import BaseDocument
from frappe.model.document import Document
from frappe.utils import cint

from community_consultation.overrides.payload_guard import PayloadGuard


class ForeignRowError(frappe.PermissionError):
	"""A row given as part of a record it does not belong to."""


class ChildRow(PayloadGuard, Document):
	"""The base class of the app's child-table controllers (see the module's docstring)."""

	# ------------------------------------------------------------------ reading: the parent decides

	@property
	def parent_doc(self):
		parent = BaseDocument.parent_doc.fget(self)
		if parent is None and self.get("parent") and self.get("parenttype") and not self.get("__islocal"):
			try:
				parent = frappe.get_doc(self.parenttype, self.parent)
			except frappe.DoesNotExistError:
				frappe.clear_last_message()
				return None
			self._parent_doc = parent
		return parent

	@parent_doc.setter
	def parent_doc(self, value):
		self._parent_doc = value

	@parent_doc.deleter
	def parent_doc(self):
		self._parent_doc = None

	# ------------------------------------------------------------------ writing: through the parent

	def insert(self, ignore_permissions=None, *args, **kwargs):
		"""A row inserted on its own is appended to the parent it names, and the parent saved."""
		parent = self._parent_to_write(ignore_permissions)
		row = parent.append(self.parentfield, self._values())
		parent.save()
		self._take(row)
		return self

	def _save(self, ignore_permissions=None, ignore_version=None):
		"""A row saved on its own is changed in its parent, and the parent saved."""
		if self.get("__islocal") or not self.get("name"):
			return self.insert(ignore_permissions=ignore_permissions)
		parent = self._parent_to_write(ignore_permissions)
		row = self._row_in(parent)
		if cint(self.docstatus) != cint(row.docstatus):
			frappe.throw(
				_("A row is submitted or cancelled with its {0}, not on its own.").format(_(parent.doctype)),
				frappe.DocstatusTransitionError,
			)
		row.update(self._values())
		parent.save()
		self._take(row)
		return self

	def on_trash(self):
		"""A row deleted on its own (`DELETE /api/resource/<child table>/<row>`) is removed from its parent,
		and the parent saved."""
		parent = self._parent_to_write(self.flags.ignore_permissions)
		parent.remove(self._row_in(parent))
		parent.save()

	def _parent_to_write(self, ignore_permissions=None):
		"""The parent, locked, that a row written on its own belongs to: the one it names when new, the one
		it is stored in otherwise (a payload that names another is refused)."""
		named = frappe._dict(parenttype=self.parenttype, parent=self.parent, parentfield=self.parentfield)
		if self.get("__islocal") or not self.get("name"):
			if not (named.parenttype and named.parent and named.parentfield):
				frappe.throw(_("Parenttype, Parent and Parentfield are required to insert a child record"))
			table = frappe.get_meta(named.parenttype).get_field(named.parentfield)
			if not table or table.fieldtype not in frappe.model.table_fields or table.options != self.doctype:
				frappe.throw(
					_("{0} is not a table of {1} for rows of {2}.").format(
						named.parentfield, _(named.parenttype), _(self.doctype)
					),
					ForeignRowError,
				)
			stored = named
		else:
			stored = frappe.db.get_value(
				self.doctype, self.name, ["parenttype", "parent", "parentfield"], as_dict=True
			)
			if not stored:
				raise frappe.DoesNotExistError(doctype=self.doctype)
			if any(named[key] and named[key] != stored[key] for key in named):
				raise_foreign_row(self.doctype, self.name, stored.parenttype, named.parent)
		self.update(stored)
		parent = frappe.get_doc(stored.parenttype, stored.parent, for_update=True)
		if ignore_permissions or self.flags.ignore_permissions:
			parent.flags.ignore_permissions = True
		return parent

	def _row_in(self, parent):
		row = next((r for r in parent.get(self.parentfield) if r.name == self.name), None)
		if row is None:
			raise frappe.DoesNotExistError(doctype=self.doctype)
		return row

	def _values(self) -> dict:
		"""The row's own fields (not its name, parent or standard columns)."""
		skip = {*default_fields, *child_table_fields}
		return {f: self.get(f) for f in self.meta.get_valid_columns() if f not in skip}

	def _take(self, row):
		"""This document becomes the row as its parent stored it."""
		self.update(row.get_valid_dict(convert_dates_to_str=True))
		self.__dict__.pop("__islocal", None)
		self.__dict__.pop("__unsaved", None)


def refuse_foreign_rows(parent, fieldname: str, stored: set[str]) -> None:
	"""A parent saved with a row that is not one of its own rows in `fieldname` (`stored`, as in the
	database): refused, so that no record takes, moves or overwrites another record's row."""
	for row in parent.get(fieldname) or ():
		if row.name and not row.is_new() and row.name not in stored:
			raise_foreign_row(row.doctype, row.name, parent.doctype, parent.name)


def raise_foreign_row(child: str, row: str, parenttype: str, parent: str):
	frappe.throw(
		_(
			"{0} {1} is not a row of {2} {3}: rows are added, changed and removed only in their own record."
		).format(_(child), frappe.bold(row), _(parenttype), frappe.bold(parent)),
		ForeignRowError,
		title=_("Not a row of this record"),
	)
