app_name = "community_consultation"
app_title = "Community Consultation"
app_publisher = "community_consultation developers"
app_description = "Urban and rural community consultation (城乡社区协商)"
app_email = "dev@example.com"
app_license = "mit"
required_apps = []

# controllers carry the generated `DF` type block of their DocType (written when a DocType is saved in
# developer mode)
export_python_type_annotations = True

# public pages for residents: accessibility (docs/accessibility.md)
web_include_css = "/assets/community_consultation/css/public_a11y.css"
web_include_js = [
	"/assets/community_consultation/js/public_a11y.js",
	"/assets/community_consultation/js/awesomplete_status.js",
	"/assets/community_consultation/js/editor_labels.js",
]

# the platform's emblem where Frappe would show its own logo (setup/branding.py)
app_logo_url = "/assets/community_consultation/images/platform-logo.svg"

# the website's tab icon: the platform's, not the framework's
website_context = {"favicon": "/assets/community_consultation/images/platform-logo.svg"}

# desk: tell the clerk when a request failed without an answer the desk can show
app_include_js = "community_consultation.bundle.js"

boot_session = [
	# the desk tells a staff user without a unit why they see nothing (permissions.lacks_unit)
	"community_consultation.permissions.boot_session",
	# a user whose roles are all the app's sees the app's workspace, not Frappe's (overrides/workspaces.py)
	"community_consultation.overrides.workspaces.boot_session",
	# the life-cycle tables' colours and groupings, for the desk's indicators (public/js/life_cycle.js)
	"community_consultation.procedure.lifecycle.boot_session",
]

before_install = "community_consultation.install.before_install"
after_install = "community_consultation.install.after_install"
before_uninstall = "community_consultation.install.before_uninstall"

# MariaDB away: a clear, translated 503 instead of a traceback or a bare server error
before_request = [
	"community_consultation.overrides.database_outage.refuse_while_database_unavailable",
	# a guest (a resident) reads the public pages in the language their browser asks for
	"community_consultation.overrides.guest_language.set_guest_language",
	# reads that may go to a MariaDB replica do, and fall back to the primary when it is away
	"community_consultation.overrides.replica.install",
]
before_job = ["community_consultation.overrides.replica.install"]
after_request = [
	"community_consultation.overrides.database_outage.explain_database_outage",
	# a locked account's login answers 429 with its message, not a server error
	"community_consultation.overrides.accounts.answer_login_lockout",
]

scheduler_events = {
	# a Prepared Report whose worker died is marked failed, not left "being generated" for good
	"cron": {
		"* * * * *": ["community_consultation.overrides.prepared_returns.fail_orphaned_prepared_reports"],
		# SMS and WeChat messages that failed are tried again (notices/delivery.py)
		"*/5 * * * *": ["community_consultation.notices.delivery.retry_failed_deliveries"],
	},
	"daily": [
		# each open outcome asked what today means for it: status, workflow state, then notices
		"community_consultation.community_consultation.doctype.consultation_outcome.consultation_outcome.follow_the_calendar",
		"community_consultation.notices.delivery.send_annual_return_reminders",
		# township and village together: report-backs, inspection corrections, regular consultation
		"community_consultation.township.doctype.township_assignment.township_assignment.follow_report_backs",
		"community_consultation.township.doctype.consultation_inspection.consultation_inspection.follow_open_corrections",
		"community_consultation.township.doctype.consultation_plan.consultation_plan.send_plan_reminders",
	],
}

# Paper and public: print-format helpers, the resident web form, public outcome pages
jinja = {
	"methods": [
		"community_consultation.portal.jinja.cn_date",
		"community_consultation.portal.jinja.cn_datetime",
		"community_consultation.portal.jinja.cn_time_span",
		"community_consultation.portal.jinja.consultation_unit",
		"community_consultation.portal.jinja.supervision_committee",
		"community_consultation.portal.jinja.text_to_html",
		"community_consultation.procedure.text_policy.sanitize_rich_text",
		"community_consultation.portal.qr.consultation_qr",
		"community_consultation.portal.meetings.meeting_resolution",
		"community_consultation.portal.meetings.meeting_quorum",
		"community_consultation.portal.wechat_login.consultation_wechat_share",
	],
}

website_route_rules = [
	{"from_route": "/consultation/<unit>", "to_route": "consultation/unit"},
]

# The public pages a share in WeChat opens are served to guests from a cache (portal/public_cache.py)
page_renderer = ["community_consultation.portal.public_cache.PublicPage"]
website_clear_cache = "community_consultation.portal.public_cache.drop_all_pages"

# Per-unit permissions: rows of the app's child tables read on their own stay inside the
# user's units; Frappe endpoints that would reach records of other units are kept to the user's units
permission_query_conditions = {
	"*": [
		"community_consultation.overrides.child_tables.child_table_query_conditions",
		# fail-closed: a staff user without a unit sees no record of the app's unit-bound DocTypes
		"community_consultation.permissions.no_unit_query_conditions",
	],
	"File": "community_consultation.overrides.file_permissions.file_query_conditions",
	# a prepared annual return is shown only to users of the unit scope it was prepared for
	"Prepared Report": "community_consultation.overrides.prepared_returns.query_conditions",
}

# a record the public pages read changed: its units' cached pages are dropped (portal/public_cache.py)
_public_page_events = {
	"on_change": "community_consultation.portal.public_cache.drop_pages_of_record",
	"after_delete": "community_consultation.portal.public_cache.drop_pages_of_record",
}

doc_events = {
	# text from users is data: rich text sanitised on every write of the app's DocTypes (text_policy)
	"*": {
		"validate": "community_consultation.procedure.text_policy.sanitize_rich_text_fields",
		"before_update_after_submit": "community_consultation.procedure.text_policy.sanitize_rich_text_fields",
	},
	**{
		doctype: _public_page_events
		for doctype in (
			"Consultation Outcome",
			"Consultation Session",
			"Consultation Topic",
			"Community Meeting",
			"Stakeholder",
			"Stakeholder Type",
		)
	},
	# the platform's settings and WeChat's share card show on every public page
	**{
		settings: {"on_change": "community_consultation.portal.public_cache.drop_all_pages"}
		for settings in ("Consultation Settings", "Consultation WeChat Settings")
	},
	"Community Unit": {
		**_public_page_events,
		"after_rename": "community_consultation.portal.public_cache.drop_pages_of_record",
	},
	"Prepared Report": {
		"before_insert": "community_consultation.overrides.prepared_returns.stamp_unit_scope"
	},
	# §三(二): a village's users read the township's records of the matters that concern the village
	"User Permission": {
		"on_update": "community_consultation.township.sharing.sync_reads_of_unit_users",
		"after_delete": "community_consultation.township.sharing.sync_reads_of_unit_users",
	},
	"User": {"on_update": "community_consultation.township.sharing.sync_reads_of_unit_users"},
}

# §三(二): a Township Officer writes the township's own sessions and outcomes, not the villages'
has_permission = {
	"*": "community_consultation.permissions.no_unit_has_permission",
	"Consultation Session": "community_consultation.township.sharing.has_township_permission",
	"Consultation Outcome": "community_consultation.township.sharing.has_township_permission",
	"Prepared Report": "community_consultation.overrides.prepared_returns.has_permission",
}

override_whitelisted_methods = {
	# the same answer for every address: no one learns which have accounts
	"frappe.core.doctype.user.user.reset_password": "community_consultation.overrides.accounts.reset_password",
	"frappe.client.get_count": "community_consultation.overrides.desk_endpoints.get_count",
	"frappe.desk.search.search_link": "community_consultation.overrides.desk_endpoints.search_link",
	"frappe.desk.search.search_widget": "community_consultation.overrides.desk_endpoints.search_widget",
	"frappe.desk.search.get_link_title": "community_consultation.overrides.desk_endpoints.get_link_title",
	"frappe.utils.global_search.search": "community_consultation.overrides.desk_endpoints.global_search",
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.get": "community_consultation.overrides.desk_endpoints.get_dashboard_chart",
	"frappe.desk.listview.get_group_by_count": "community_consultation.overrides.desk_endpoints.get_group_by_count",
	"frappe.desk.form.linked_with.get_submitted_linked_docs": "community_consultation.overrides.desk_endpoints.get_submitted_linked_docs",
	"frappe.model.workflow.get_transitions": "community_consultation.overrides.desk_endpoints.get_transitions",
	"frappe.desk.form.load.getdoc": "community_consultation.overrides.desk_endpoints.getdoc",
	"frappe.desk.form.load.get_docinfo": "community_consultation.overrides.desk_endpoints.get_docinfo",
	# a user whose roles are all the app's sees the app's workspace, not Frappe's (overrides/workspaces.py)
	"frappe.desk.desktop.get_workspace_sidebar_items": "community_consultation.overrides.workspaces.get_workspace_sidebar_items",
	# the app's cards and reports read on the replica; the county's and the city's annual return prepared,
	# kept to its unit scope; other apps' reports and cards untouched (overrides/read_only_endpoints.py)
	"frappe.desk.query_report.run": "community_consultation.overrides.prepared_returns.run",
	"frappe.desk.query_report.export_query": "community_consultation.overrides.read_only_endpoints.export_query",
	"frappe.desk.doctype.number_card.number_card.get_result": "community_consultation.overrides.read_only_endpoints.number_card_result",
	"frappe.desk.doctype.number_card.number_card.get_percentage_difference": "community_consultation.overrides.read_only_endpoints.number_card_percentage_difference",
}

# a resident's upload, or an upload to the app's DocTypes, at most consultation_max_attachment_mb
before_write_file = "community_consultation.portal.web_form.refuse_oversized_upload"
