"""The default Workflows of the procedure, created once if missing; administrators own them afterwards.

`create_default_workflows` runs after install and in a `[post_model_sync]` patch (sites installed before
the workflows existed). It creates a DocType's workflow only when that DocType has no Workflow at all,
so an administrator's edits (states added, roles changed, transitions removed, the workflow disabled)
survive `bench migrate` and app updates: these are not fixtures.

The work plan's rules do not depend on these definitions: the controllers enforce them whatever a
workflow allows, and `community_consultation.procedure.lifecycle` keeps each workflow state in step with the
facts it names (see there).
"""

import frappe
from frappe.model.base_document import get_controller

from community_consultation.procedure.lifecycle import migrate_workflow_states
from community_consultation.setup.roles import (
	BUILDING_HEAD,
	COMMITTEE_CLERK,
	COMMUNITY_SECRETARY,
	CONSULTATION_ADMINISTRATOR,
	TOWNSHIP_OFFICER,
)
from community_consultation.units.tree import TOWNSHIP

BUILDING_ONLY = 'doc.level == "Building"'
# §三(二): the township's staff review, hold and file the township's own consultation
TOWNSHIP_ONLY = f'frappe.db.get_value("Community Unit", doc.community_unit, "unit_type") == "{TOWNSHIP}"'

# (workflow name, DocType, states, transitions)
# a state: (state, doc_status, update_field, update_value, roles that may edit in it, style)
# a transition: (state, action, next state, roles, condition)
WORKFLOWS = (
	(
		"Consultation Topic Review",
		"Consultation Topic",
		(
			(
				"Draft",
				"0",
				None,
				None,
				(
					COMMITTEE_CLERK,
					COMMUNITY_SECRETARY,
					BUILDING_HEAD,
					TOWNSHIP_OFFICER,
					CONSULTATION_ADMINISTRATOR,
				),
				"",
			),
			(
				"Party Review",
				"0",
				"review_decision",
				"",
				(
					COMMITTEE_CLERK,
					COMMUNITY_SECRETARY,
					BUILDING_HEAD,
					TOWNSHIP_OFFICER,
					CONSULTATION_ADMINISTRATOR,
				),
				"Warning",
			),
			(
				"Accepted",
				"0",
				"review_decision",
				"Accepted",
				(
					COMMITTEE_CLERK,
					COMMUNITY_SECRETARY,
					BUILDING_HEAD,
					TOWNSHIP_OFFICER,
					CONSULTATION_ADMINISTRATOR,
				),
				"Success",
			),
			(
				"Rejected",
				"0",
				"review_decision",
				"Rejected",
				(COMMITTEE_CLERK, COMMUNITY_SECRETARY, TOWNSHIP_OFFICER, CONSULTATION_ADMINISTRATOR),
				"Danger",
			),
		),
		(
			(
				"Draft",
				"Submit for Review",
				"Party Review",
				(
					COMMITTEE_CLERK,
					COMMUNITY_SECRETARY,
					BUILDING_HEAD,
					TOWNSHIP_OFFICER,
					CONSULTATION_ADMINISTRATOR,
				),
				None,
			),
			(
				"Party Review",
				"Accept",
				"Accepted",
				(COMMITTEE_CLERK, COMMUNITY_SECRETARY, CONSULTATION_ADMINISTRATOR),
				None,
			),
			("Party Review", "Accept", "Accepted", (BUILDING_HEAD,), BUILDING_ONLY),
			(
				"Party Review",
				"Reject",
				"Rejected",
				(COMMITTEE_CLERK, COMMUNITY_SECRETARY, CONSULTATION_ADMINISTRATOR),
				None,
			),
			("Party Review", "Reject", "Rejected", (BUILDING_HEAD,), BUILDING_ONLY),
			(
				"Party Review",
				"Return",
				"Draft",
				(COMMITTEE_CLERK, COMMUNITY_SECRETARY, CONSULTATION_ADMINISTRATOR),
				None,
			),
			("Party Review", "Return", "Draft", (BUILDING_HEAD,), BUILDING_ONLY),
			(
				"Rejected",
				"Reconsider",
				"Party Review",
				(COMMITTEE_CLERK, COMMUNITY_SECRETARY, CONSULTATION_ADMINISTRATOR),
				None,
			),
			("Party Review", "Accept", "Accepted", (TOWNSHIP_OFFICER,), TOWNSHIP_ONLY),
			("Party Review", "Reject", "Rejected", (TOWNSHIP_OFFICER,), TOWNSHIP_ONLY),
			("Party Review", "Return", "Draft", (TOWNSHIP_OFFICER,), TOWNSHIP_ONLY),
			("Rejected", "Reconsider", "Party Review", (TOWNSHIP_OFFICER,), TOWNSHIP_ONLY),
		),
	),
	(
		"Consultation Session Procedure",
		"Consultation Session",
		(
			(
				"Draft",
				"0",
				None,
				None,
				(
					COMMITTEE_CLERK,
					COMMUNITY_SECRETARY,
					BUILDING_HEAD,
					TOWNSHIP_OFFICER,
					CONSULTATION_ADMINISTRATOR,
				),
				"",
			),
			(
				"Notice Published",
				"0",
				None,
				None,
				(
					COMMITTEE_CLERK,
					COMMUNITY_SECRETARY,
					BUILDING_HEAD,
					TOWNSHIP_OFFICER,
					CONSULTATION_ADMINISTRATOR,
				),
				"Primary",
			),
			(
				"Held",
				"0",
				None,
				None,
				(
					COMMITTEE_CLERK,
					COMMUNITY_SECRETARY,
					BUILDING_HEAD,
					TOWNSHIP_OFFICER,
					CONSULTATION_ADMINISTRATOR,
				),
				"Warning",
			),
			(
				"Concluded",
				"1",
				None,
				None,
				(COMMUNITY_SECRETARY, TOWNSHIP_OFFICER, CONSULTATION_ADMINISTRATOR),
				"Success",
			),
			("Cancelled", "2", None, None, (CONSULTATION_ADMINISTRATOR,), "Danger"),
		),
		(
			(
				"Draft",
				"Publish Notice",
				"Notice Published",
				(
					COMMITTEE_CLERK,
					COMMUNITY_SECRETARY,
					BUILDING_HEAD,
					TOWNSHIP_OFFICER,
					CONSULTATION_ADMINISTRATOR,
				),
				None,
			),
			(
				"Notice Published",
				"Record as Held",
				"Held",
				(
					COMMITTEE_CLERK,
					COMMUNITY_SECRETARY,
					BUILDING_HEAD,
					TOWNSHIP_OFFICER,
					CONSULTATION_ADMINISTRATOR,
				),
				None,
			),
			(
				"Held",
				"Conclude",
				"Concluded",
				(
					COMMITTEE_CLERK,
					COMMUNITY_SECRETARY,
					BUILDING_HEAD,
					TOWNSHIP_OFFICER,
					CONSULTATION_ADMINISTRATOR,
				),
				None,
			),
			(
				"Concluded",
				"Cancel",
				"Cancelled",
				(COMMUNITY_SECRETARY, TOWNSHIP_OFFICER, CONSULTATION_ADMINISTRATOR),
				None,
			),
		),
	),
	(
		"Consultation Outcome Procedure",
		"Consultation Outcome",
		(
			(
				"Draft",
				"0",
				None,
				None,
				(COMMITTEE_CLERK, COMMUNITY_SECRETARY, TOWNSHIP_OFFICER, CONSULTATION_ADMINISTRATOR),
				"",
			),
			(
				"Filed",
				"1",
				None,
				None,
				(COMMITTEE_CLERK, COMMUNITY_SECRETARY, TOWNSHIP_OFFICER, CONSULTATION_ADMINISTRATOR),
				"Primary",
			),
			(
				"Publicised",
				"1",
				None,
				None,
				(COMMITTEE_CLERK, COMMUNITY_SECRETARY, TOWNSHIP_OFFICER, CONSULTATION_ADMINISTRATOR),
				"Info",
			),
			(
				"In Implementation",
				"1",
				None,
				None,
				(COMMITTEE_CLERK, COMMUNITY_SECRETARY, TOWNSHIP_OFFICER, CONSULTATION_ADMINISTRATOR),
				"Warning",
			),
			(
				"Implemented",
				"1",
				None,
				None,
				(COMMUNITY_SECRETARY, TOWNSHIP_OFFICER, CONSULTATION_ADMINISTRATOR),
				"Success",
			),
			("Cancelled", "2", None, None, (CONSULTATION_ADMINISTRATOR,), "Danger"),
		),
		(
			(
				"Draft",
				"File Outcome",
				"Filed",
				(COMMITTEE_CLERK, COMMUNITY_SECRETARY, TOWNSHIP_OFFICER, CONSULTATION_ADMINISTRATOR),
				None,
			),
			(
				"Filed",
				"Start Publicity",
				"Publicised",
				(COMMITTEE_CLERK, COMMUNITY_SECRETARY, TOWNSHIP_OFFICER, CONSULTATION_ADMINISTRATOR),
				None,
			),
			(
				"Publicised",
				"Start Implementation",
				"In Implementation",
				(COMMITTEE_CLERK, COMMUNITY_SECRETARY, TOWNSHIP_OFFICER, CONSULTATION_ADMINISTRATOR),
				None,
			),
			(
				"In Implementation",
				"Mark Implemented",
				"Implemented",
				(COMMITTEE_CLERK, COMMUNITY_SECRETARY, TOWNSHIP_OFFICER, CONSULTATION_ADMINISTRATOR),
				None,
			),
			(
				"Filed",
				"Cancel for Correction",
				"Cancelled",
				(COMMUNITY_SECRETARY, TOWNSHIP_OFFICER, CONSULTATION_ADMINISTRATOR),
				None,
			),
			(
				"Publicised",
				"Cancel for Correction",
				"Cancelled",
				(COMMUNITY_SECRETARY, TOWNSHIP_OFFICER, CONSULTATION_ADMINISTRATOR),
				None,
			),
			(
				"In Implementation",
				"Cancel for Correction",
				"Cancelled",
				(COMMUNITY_SECRETARY, TOWNSHIP_OFFICER, CONSULTATION_ADMINISTRATOR),
				None,
			),
			(
				"Implemented",
				"Cancel for Correction",
				"Cancelled",
				(COMMUNITY_SECRETARY, TOWNSHIP_OFFICER, CONSULTATION_ADMINISTRATOR),
				None,
			),
		),
	),
)


def ensure_workflow_records(states, transitions):
	"""The Workflow State and Workflow Action Master records the definitions name (created if missing)."""
	for state, _docstatus, _field, _value, _roles, style in states:
		if not frappe.db.exists("Workflow State", state):
			frappe.get_doc(
				{"doctype": "Workflow State", "workflow_state_name": state, "style": style}
			).insert(ignore_permissions=True)
	for action in dict.fromkeys(t[1] for t in transitions):
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
				ignore_permissions=True
			)


def create_default_workflows():
	"""Create each default workflow whose DocType has no Workflow yet; return the names created."""
	created = []
	for name, doctype, states, transitions in WORKFLOWS:
		if frappe.db.exists("Workflow", {"document_type": doctype}) or frappe.db.exists("Workflow", name):
			continue
		ensure_workflow_records(states, transitions)
		workflow = frappe.get_doc(
			{
				"doctype": "Workflow",
				"workflow_name": name,
				"document_type": doctype,
				"workflow_state_field": "workflow_state",
				"is_active": 1,
				# the list and form keep showing the status derived from the facts
				"override_status": 1,
				"send_email_alert": 0,
				"states": [
					{
						"state": state,
						"doc_status": docstatus,
						"update_field": field,
						"update_value": value,
						"allow_edit": role,
					}
					for state, docstatus, field, value, roles, _style in states
					for role in roles
				],
				"transitions": [
					transition_row(transition, role) for transition in transitions for role in transition[3]
				],
			}
		)
		workflow.insert(ignore_permissions=True)
		set_existing_states(doctype)
		created.append(name)
	return created


def add_missing_role_rows(role: str, had_before: frozenset = frozenset()) -> dict[str, int]:
	"""Give `role` what the default workflows give it, in the Workflows a site already has (sites whose
	workflows were created before the defaults gave `role` its states and transitions — the Township
	Officer's, §三(二)). Returns the number of rows added per Workflow.

	The workflows are the administrator's: nothing in them is removed or rewritten. To each Workflow of
	the app's DocTypes (active or not, under any name) only `role`'s rows of the default definition are
	appended, and only where they fit the workflow as it is: a state's row where the workflow has that
	state (taking the administrator's docstatus and update field of the state), a transition where the
	workflow offers that state, action and next state to another role and not yet to `role` (a
	transition the administrator removed for every role stays removed).
	`had_before` names rows `role` had before, as (DocType, state) and (DocType, state, action, next
	state): they are not added back, since an administrator who took them out did so on purpose. Running it
	again adds nothing."""
	added = {}
	for _name, doctype, states, transitions in WORKFLOWS:
		for workflow_name in frappe.get_all("Workflow", filters={"document_type": doctype}, pluck="name"):
			workflow = frappe.get_doc("Workflow", workflow_name)
			rows = [
				(table, values)
				for table, values in missing_state_rows(workflow, states, role)
				+ missing_transition_rows(workflow, transitions, role)
				if (doctype, *row_key(values)) not in had_before
			]
			if not rows:
				continue
			ensure_workflow_records(
				[s for s in states if role in s[4]], [t for t in transitions if role in t[3]]
			)
			for table, values in rows:
				workflow.append(table, values)
			workflow.save(ignore_permissions=True)
			added[workflow_name] = len(rows)
	return added


def row_key(values: dict) -> tuple:
	"""A state row as (state,), a transition as (state, action, next state)."""
	if "action" in values:
		return (values["state"], values["action"], values["next_state"])
	return (values["state"],)


def missing_state_rows(workflow, states, role: str) -> list[tuple[str, dict]]:
	have = {}
	for row in workflow.states:
		have.setdefault(row.state, row)
	editable = {row.state for row in workflow.states if row.allow_edit == role}
	return [
		(
			"states",
			{
				"state": state,
				"doc_status": have[state].doc_status,
				"update_field": have[state].update_field,
				"update_value": have[state].update_value,
				"allow_edit": role,
			},
		)
		for state, _docstatus, _field, _value, roles, _style in states
		if role in roles and state in have and state not in editable
	]


def missing_transition_rows(workflow, transitions, role: str) -> list[tuple[str, dict]]:
	# a transition the workflow still offers another role: one the administrator took out altogether
	# (every role's Return, say) is not brought back for `role`
	offered = {(t.state, t.action, t.next_state) for t in workflow.transitions if t.allowed != role}
	have = {(t.state, t.action, t.next_state) for t in workflow.transitions if t.allowed == role}
	return [
		("transitions", transition_row(t, role))
		for t in transitions
		if role in t[3] and t[:3] in offered and t[:3] not in have
	]


def transition_row(transition: tuple, role: str) -> dict:
	"""A Workflow Transition row of a default transition for one of its roles."""
	state, action, next_state, _roles, condition = transition
	return {
		"state": state,
		"action": action,
		"next_state": next_state,
		"allowed": role,
		"allow_self_approval": 1,
		"condition": condition,
	}


def set_existing_states(doctype: str):
	"""Records made before the workflow existed take the state their facts give, from the DocType's
	life-cycle table (Frappe gives them the first state of their docstatus)."""
	migrate_workflow_states(doctype, life_cycle_of(doctype))


def life_cycle_of(doctype: str):
	return get_controller(doctype).LIFE_CYCLE


def delete_app_workflows():
	"""On uninstall: the Workflows of the app's DocTypes go with the DocTypes (the administrator's too)."""
	modules = frappe.get_module_list("community_consultation")
	doctypes = frappe.get_all("DocType", filters={"module": ("in", modules)}, pluck="name")
	for name in frappe.get_all("Workflow", filters={"document_type": ("in", doctypes or [""])}, pluck="name"):
		frappe.delete_doc("Workflow", name, ignore_permissions=True, force=True)
