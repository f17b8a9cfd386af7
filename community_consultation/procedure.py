"""The base controller of the procedure's DocTypes (topic, session, outcome).

Every save of a procedure record runs, in this order:

1. `before_validate`: the payload's shape and field types (`validation.check_field_types`), and the
   facts only the procedure makes (`guard_procedure_facts`): a value a payload sent for such a field is
   refused.
2. `validate`: the unit the user may write in (`permissions.validate_unit_access`), then the
   DocType's own rules (`validate_rules`, in its controller), then the life cycle
   (`lifecycle.sync_state`): the status from the facts, and the workflow state that agrees with it.
3. after the save (`on_update`, `on_submit`, `on_update_after_submit`, `on_cancel`): the workflow
   state the facts reached is written (`lifecycle.follow_state`) and the DocType's side effects run
   (`after_save`, in its controller).

A controller shows its rules in `validate_rules` and its side effects in `after_save`; what is common
to all three DocTypes is here.
"""

import frappe
from frappe.model.document import Document

from community_consultation.locking import RowLocking
from community_consultation.validation import PayloadGuard


class ProcedureDocument(PayloadGuard, RowLocking, Document):
	"""Put it in place of `Document`: `class ConsultationOutcome(ProcedureDocument)`."""
