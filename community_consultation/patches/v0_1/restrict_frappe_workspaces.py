from community_consultation.setup.desk import restrict_frappe_workspaces


def execute():
	restrict_frappe_workspaces()
