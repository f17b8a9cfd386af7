"""/personal-information: the platform's personal information notice (个人信息保护法 art. 14, 17), which a
resident accepts before signing up: who handles their data, what, why, who sees it, for how long, and
their rights."""

from frappe import _

from community_consultation.setup.branding import branding_context

no_cache = 1


def get_context(context):
	branding_context(context)
	context.title = _("Personal information notice")
	name = context.platform_name
	context.sections = [
		(
			_("Who handles your information"),
			_(
				"{0} is run by the county's civil affairs bureau with the townships, and the village and community committees that hold consultations."
			).format(name),
		),
		(
			_("What we keep"),
			_(
				"Your mobile number, your name, your village or community, the topics you propose and the notices sent to you; if you sign in inside WeChat, the identifier WeChat gives this platform for you (not your WeChat account or contacts)."
			),
		),
		(
			_("Why"),
			_(
				"To let you sign in, to receive your proposals for consultation, to tell you how they progress and to send you the notices of the consultations you take part in (by SMS, WeChat or on this site)."
			),
		),
		(
			_("Who sees it"),
			_(
				"Only the staff of your village or community and its supervision committee, and the township officers who guide them. It never appears on public pages or in open data. SMS and WeChat messages go through the SMS provider and WeChat, which receive only your number or WeChat identifier and the message."
			),
		),
		(
			_("How long"),
			_(
				"As long as you have an account, and afterwards as long as the records of the consultations you took part in must be kept."
			),
		),
		(
			_("Your rights"),
			_(
				"You may see, correct or have deleted your information, and withdraw your consent, by asking your village or community committee; withdrawing consent closes your account but does not undo what was done before."
			),
		),
	]
	context.metatags = {"title": context.title}
	return context
