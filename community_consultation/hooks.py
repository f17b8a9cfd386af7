app_name = "community_consultation"
app_title = "Community Consultation"
app_publisher = "community_consultation developers"
app_description = "Urban and rural community consultation (城乡社区协商)"
app_email = "dev@example.com"
app_license = "mit"
required_apps = []

before_install = "community_consultation.install.before_install"
after_install = "community_consultation.install.after_install"

scheduler_events = {
	"daily": [
		"community_consultation.community_consultation.doctype.consultation_outcome.consultation_outcome.update_outcome_statuses",
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
	],
}

website_route_rules = [
	{"from_route": "/consultation/<unit>", "to_route": "consultation/unit"},
]

doc_events = {
	"Consultation Topic": {
		"before_insert": "community_consultation.portal.web_form.before_topic_insert",
		"after_insert": "community_consultation.portal.web_form.after_topic_insert",
	},
}

before_write_file = "community_consultation.portal.web_form.refuse_oversized_upload"
