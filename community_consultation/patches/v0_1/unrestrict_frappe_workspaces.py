from community_consultation.setup.desk import unrestrict_frappe_workspaces


def execute():
	unrestrict_frappe_workspaces()
