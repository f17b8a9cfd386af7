# Copyright (c) 2026, community_consultation developers and contributors
# For license information, please see license.txt

from community_consultation.procedure.child_rows import ChildRow


class SMSMessageTemplate(ChildRow):
	pass
