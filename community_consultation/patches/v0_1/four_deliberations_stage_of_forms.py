"""四议两公开: which stage a session proves is data of its consultation form (`four_deliberations_stage`),
no longer the form's name in the code. Sites installed before get it on the three shipped forms."""

from community_consultation.setup.defaults import mark_four_deliberations_forms


def execute():
	mark_four_deliberations_forms()
