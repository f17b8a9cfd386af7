def execute():
	"""Superseded: Frappe's workspaces are no longer given roles (see unrestrict_frappe_workspaces)."""
