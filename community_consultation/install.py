from community_consultation.setup.defaults import create_defaults
from community_consultation.setup.roles import create_roles


def before_install():
	create_roles()


def after_install():
	create_roles()
	create_defaults()
