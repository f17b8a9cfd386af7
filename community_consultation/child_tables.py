"""The app's child tables, as `override_doctype_class` in hooks.py: a row loaded on its own knows its parent.

Frappe 15 checks a child row's permission on its parent document (`has_child_permission`), but a row
loaded on its own (`frappe.get_doc("Consultation Participant", name)`, as `frappe.client.get` and
`/api/resource/<child table>/<name>` do) has no `parent_doc`, and the check falls back to the parent's
DocType: any user who may read some session could read, and change, a participant row of any session.
Here such a row loads its parent when its permission is checked, so the parent's unit decides (per-unit
permissions, issue 4). Rows loaded with their parent are unchanged.
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
from community_consultation.community_consultation.doctype.consultation_plan_date.consultation_plan_date import (
	ConsultationPlanDate,
)
from community_consultation.community_consultation.doctype.consultation_topic_stakeholder.consultation_topic_stakeholder import (
	ConsultationTopicStakeholder,
)
from community_consultation.community_consultation.doctype.implementation_update.implementation_update import (
	ImplementationUpdate,
)
from community_consultation.community_consultation.doctype.inspection_correction.inspection_correction import (
	InspectionCorrection,
)
from community_consultation.community_consultation.doctype.outcome_notice.outcome_notice import OutcomeNotice
from community_consultation.community_consultation.doctype.session_notice_channel.session_notice_channel import (
	SessionNoticeChannel,
)
from community_consultation.community_consultation.doctype.township_assignment_village.township_assignment_village import (
	TownshipAssignmentVillage,
)


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
