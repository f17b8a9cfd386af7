app_name = "community_consultation"
app_title = "Community Consultation"
app_publisher = "community_consultation developers"
app_description = "Urban and rural community consultation (城乡社区协商)"
app_email = "dev@example.com"
app_license = "mit"
required_apps = []

# desk: tell the clerk when a request failed without an answer the desk can show (issue 7)
app_include_js = "community_consultation.bundle.js"
# public pages for residents: accessibility (README "Accessibility")
web_include_css = "/assets/community_consultation/css/public_a11y.css"
web_include_js = [
	"/assets/community_consultation/js/public_a11y.js",
	"/assets/community_consultation/js/awesomplete_status.js",
	"/assets/community_consultation/js/editor_labels.js",
]

before_install = "community_consultation.install.before_install"
after_install = "community_consultation.install.after_install"
before_uninstall = "community_consultation.install.before_uninstall"

# MariaDB away (issue 7): a clear, translated 503 instead of a traceback or a bare server error
before_request = [
	"community_consultation.database_outage.refuse_while_database_unavailable",
	"community_consultation.overrides.guest_language.set_guest_language",
]
after_request = ["community_consultation.database_outage.explain_database_outage"]

scheduler_events = {
	"daily": [
		"community_consultation.community_consultation.doctype.consultation_outcome.consultation_outcome.update_outcome_statuses",
		"community_consultation.notices.send_scheduled_notices",
		"community_consultation.workflow_rules.follow_dates",
	],
}

# Paper and public (issue 5): print-format helpers, the resident web form, public outcome pages
jinja = {
	"methods": [
		"community_consultation.portal.jinja.cn_date",
		"community_consultation.portal.jinja.cn_datetime",
		"community_consultation.portal.jinja.cn_time_span",
		"community_consultation.portal.jinja.consultation_unit",
		"community_consultation.portal.jinja.supervision_committee",
		"community_consultation.portal.jinja.text_to_html",
		"community_consultation.portal.qr.consultation_qr",
	],
}

website_route_rules = [
	{"from_route": "/consultation/<unit>", "to_route": "consultation/unit"},
]

# the first document of a year's series, saved by many clerks at once, numbered without a deadlock
_series_row = "community_consultation.locking.ensure_series_row"

doc_events = {
	"Consultation Topic": {
		"before_insert": ["community_consultation.portal.web_form.before_topic_insert", _series_row],
		"after_insert": "community_consultation.portal.web_form.after_topic_insert",
		"validate": [
			"community_consultation.permissions.validate_unit_access",
			"community_consultation.workflow_rules.keep_state_with_facts",
		],
		"on_update": ["community_consultation.workflow_rules.follow_facts", "community_consultation.resident_updates.notify_proposer"],
	},
	"Consultation Session": {
		"before_insert": _series_row,
		"validate": [
			"community_consultation.permissions.validate_unit_access",
			"community_consultation.workflow_rules.keep_state_with_facts",
		],
		"on_update": [
			"community_consultation.workflow_rules.follow_facts",
			"community_consultation.notices.persist_session_notice",
			"community_consultation.resident_updates.notify_proposer",
		],
		"on_submit": ["community_consultation.workflow_rules.follow_facts", "community_consultation.resident_updates.notify_proposer"],
		"on_cancel": ["community_consultation.workflow_rules.follow_cancel", "community_consultation.resident_updates.notify_proposer"],
	},
	"Consultation Outcome": {
		"before_insert": _series_row,
		"validate": [
			"community_consultation.permissions.validate_unit_access",
			"community_consultation.workflow_rules.keep_state_with_facts",
		],
		"before_update_after_submit": [
			"community_consultation.permissions.validate_unit_access",
			"community_consultation.workflow_rules.keep_state_with_facts",
		],
		"on_update": "community_consultation.workflow_rules.follow_facts",
		"on_submit": [
			"community_consultation.workflow_rules.follow_facts",
			"community_consultation.notices.notify_outcome_filed",
			"community_consultation.resident_updates.notify_proposer",
		],
		"on_cancel": ["community_consultation.workflow_rules.follow_cancel", "community_consultation.resident_updates.notify_proposer"],
		"on_update_after_submit": [
			"community_consultation.workflow_rules.follow_facts",
			"community_consultation.notices.notify_publicity_started",
			"community_consultation.resident_updates.notify_proposer",
		],
	},
	"Supervision Remark": {"before_insert": _series_row},
	"Consultation Annual Return": {"before_insert": _series_row},
	"Stakeholder": {
		"before_insert": _series_row,
		"validate": "community_consultation.permissions.validate_unit_access",
	},
}

# Per-unit permissions (issue 4): rows of the app's child tables read on their own stay inside the
# user's units; Frappe endpoints that would reach records of other units are kept to the user's units
permission_query_conditions = {
	"*": "community_consultation.permissions.child_table_query_conditions",
	"File": "community_consultation.permissions.file_query_conditions",
}

override_doctype_class = {
	"Consultation Participant": "community_consultation.child_tables.ScopedConsultationParticipant",
	"Consultation Topic Stakeholder": "community_consultation.child_tables.ScopedConsultationTopicStakeholder",
	"Consultation Material": "community_consultation.child_tables.ScopedConsultationMaterial",
	"Session Notice Channel": "community_consultation.child_tables.ScopedSessionNoticeChannel",
	"Outcome Notice": "community_consultation.child_tables.ScopedOutcomeNotice",
	"Implementation Update": "community_consultation.child_tables.ScopedImplementationUpdate",
	"Consultation Annual Return Township": "community_consultation.child_tables.ScopedConsultationAnnualReturnTownship",
	"Consultation Annual Return Breakdown": "community_consultation.child_tables.ScopedConsultationAnnualReturnBreakdown",
}

override_whitelisted_methods = {
	"frappe.client.get_count": "community_consultation.api.desk.get_count",
	"frappe.desk.search.search_link": "community_consultation.api.desk.search_link",
	"frappe.desk.search.search_widget": "community_consultation.api.desk.search_widget",
	"frappe.desk.search.get_link_title": "community_consultation.api.desk.get_link_title",
	"frappe.utils.global_search.search": "community_consultation.api.desk.global_search",
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.get": "community_consultation.api.desk.get_dashboard_chart",
	"frappe.desk.listview.get_group_by_count": "community_consultation.api.desk.get_group_by_count",
	"frappe.desk.form.linked_with.get_submitted_linked_docs": "community_consultation.api.desk.get_submitted_linked_docs",
}

before_write_file = "community_consultation.portal.web_form.refuse_oversized_upload"
