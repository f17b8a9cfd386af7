"""The app's child tables read on their own stay inside the user's units.

Two Frappe v15 behaviours are changed, both for rows of this app's child tables read without their
parent document:

1. Permission of a row loaded on its own (`override_doctype_class` in hooks.py). Frappe checks a child
   row's permission on its parent document (`has_child_permission`, frappe/permissions.py, reached from
   `Document.has_permission`), but a row loaded on its own (`frappe.get_doc("Consultation Participant",
   name)`, as `frappe.client.get` and `/api/resource/<child table>/<name>` do) has no `parent_doc`
   (`BaseDocument.parent_doc`, frappe/model/base_document.py), and the check falls back to the parent's
   DocType: any user who may read some session could read, and change, a participant row of any
   session. Here such a row loads its parent when its permission is checked, so the parent's unit
   decides. Rows loaded with their parent are unchanged.
2. Lists of child rows (`permission_query_conditions` for "*" in hooks.py). `frappe.client.get_list(
   "Consultation Participant", parent_doctype=…)` checks that the user may read the parent DocType, and
   `DatabaseQuery` (frappe/model/db_query.py) applies User Permissions to the parent's list, never to
   its child rows: `child_table_query_conditions` keeps the rows of parents inside the user's units.

After a Frappe upgrade: check that `BaseDocument.parent_doc` is still a property reading `_parent_doc`
(`RowKnowsItsParent` calls its getter), that `DatabaseQuery.get_permission_query_conditions` still
reads the "*" hook, and run `scripts/test tests/test_permissions.py tests/test_rest_permissions.py`
(`test_child_table_rows_only_of_own_units`, `test_cannot_change_another_units_child_row`,
`test_child_rows_of_another_unit_cannot_be_read_or_changed_over_http`).
"""

import frappe
from frappe.model.base_document import BaseDocument

from community_consultation.community_consultation.doctype.consultation_annual_return_breakdown.consultation_annual_return_breakdown import (
	ConsultationAnnualReturnBreakdown,
)
from community_consultation.community_consultation.doctype.consultation_annual_return_township.consultation_annual_return_township import (
	ConsultationAnnualReturnTownship,
)
from community_consultation.community_consultation.doctype.consultation_material.consultation_material import (
	ConsultationMaterial,
)
from community_consultation.community_consultation.doctype.consultation_participant.consultation_participant import (
	ConsultationParticipant,
)
from community_consultation.community_consultation.doctype.consultation_topic_stakeholder.consultation_topic_stakeholder import (
	ConsultationTopicStakeholder,
)
from community_consultation.community_consultation.doctype.implementation_update.implementation_update import (
	ImplementationUpdate,
)
from community_consultation.community_consultation.doctype.notice_delivery.notice_delivery import (
	NoticeDelivery,
)
from community_consultation.community_consultation.doctype.outcome_notice.outcome_notice import OutcomeNotice
from community_consultation.community_consultation.doctype.session_notice_channel.session_notice_channel import (
	SessionNoticeChannel,
)
from community_consultation.decision_bodies.doctype.four_deliberations_stage.four_deliberations_stage import (
	FourDeliberationsStage,
)
from community_consultation.decision_bodies.doctype.meeting_agenda_item.meeting_agenda_item import (
	MeetingAgendaItem,
)
from community_consultation.decision_bodies.doctype.meeting_attendance.meeting_attendance import (
	MeetingAttendance,
)
from community_consultation.decision_bodies.doctype.meeting_authorisation.meeting_authorisation import (
	MeetingAuthorisation,
)
from community_consultation.decision_bodies.doctype.meeting_notice_channel.meeting_notice_channel import (
	MeetingNoticeChannel,
)
from community_consultation.decision_bodies.doctype.meeting_representative.meeting_representative import (
	MeetingRepresentative,
)
from community_consultation.permissions import unit_condition_sql, unit_scope
from community_consultation.township.doctype.consultation_plan_date.consultation_plan_date import (
	ConsultationPlanDate,
)
from community_consultation.township.doctype.inspection_correction.inspection_correction import (
	InspectionCorrection,
)
from community_consultation.township.doctype.township_assignment_village.township_assignment_village import (
	TownshipAssignmentVillage,
)
from community_consultation.units.tree import unit_field


class RowKnowsItsParent:
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


class ScopedConsultationParticipant(RowKnowsItsParent, ConsultationParticipant):
	pass


class ScopedConsultationTopicStakeholder(RowKnowsItsParent, ConsultationTopicStakeholder):
	pass


class ScopedConsultationMaterial(RowKnowsItsParent, ConsultationMaterial):
	pass


class ScopedSessionNoticeChannel(RowKnowsItsParent, SessionNoticeChannel):
	pass


class ScopedOutcomeNotice(RowKnowsItsParent, OutcomeNotice):
	pass


class ScopedImplementationUpdate(RowKnowsItsParent, ImplementationUpdate):
	pass


class ScopedConsultationAnnualReturnTownship(RowKnowsItsParent, ConsultationAnnualReturnTownship):
	pass


class ScopedConsultationAnnualReturnBreakdown(RowKnowsItsParent, ConsultationAnnualReturnBreakdown):
	pass


class ScopedTownshipAssignmentVillage(RowKnowsItsParent, TownshipAssignmentVillage):
	pass


class ScopedInspectionCorrection(RowKnowsItsParent, InspectionCorrection):
	pass


class ScopedConsultationPlanDate(RowKnowsItsParent, ConsultationPlanDate):
	pass


def child_table_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""`permission_query_conditions` for "*": rows of this app's child tables, read on their own
	(`frappe.client.get_list("Consultation Participant", parent_doctype=…)`), only from parents inside
	the user's units. Frappe applies User Permissions to the parent's list, never to its child rows."""
	if not doctype:
		return ""
	meta = frappe.get_meta(doctype)
	if not meta.istable or meta.module != "Community Consultation":
		return ""
	if unit_scope(user, doctype) is None:
		return ""
	parents = frappe.get_all(
		"DocField",
		filters={"options": doctype, "fieldtype": ("in", frappe.model.table_fields)},
		pluck="parent",
		distinct=True,
	)
	scoped, unscoped = [], []
	for parent in parents:
		field = unit_field(parent) if not frappe.get_meta(parent).istable else None
		if not field:
			unscoped.append(parent)
			continue
		condition = unit_condition_sql(f"`tab{parent}`.`{field}`", user, parent)
		scoped.append(
			f"(`tab{doctype}`.parenttype = {frappe.db.escape(parent)} and `tab{doctype}`.parent in"
			f" (select `tab{parent}`.name from `tab{parent}` where {condition}))"
		)
	if unscoped:
		names = ", ".join(frappe.db.escape(p) for p in unscoped)
		scoped.append(f"`tab{doctype}`.parenttype in ({names})")
	return "(" + " or ".join(scoped) + ")" if scoped else "1=0"


class ScopedFourDeliberationsStage(RowKnowsItsParent, FourDeliberationsStage):
	pass


class ScopedMeetingAgendaItem(RowKnowsItsParent, MeetingAgendaItem):
	pass


class ScopedMeetingAttendance(RowKnowsItsParent, MeetingAttendance):
	pass


class ScopedMeetingAuthorisation(RowKnowsItsParent, MeetingAuthorisation):
	pass


class ScopedMeetingNoticeChannel(RowKnowsItsParent, MeetingNoticeChannel):
	pass


class ScopedMeetingRepresentative(RowKnowsItsParent, MeetingRepresentative):
	pass


class ScopedNoticeDelivery(RowKnowsItsParent, NoticeDelivery):
	pass
