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
