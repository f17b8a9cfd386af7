from community_consultation.setup.defaults import create_defaults
from community_consultation.setup.roles import create_roles, delete_roles


def before_install():
	create_roles()


def after_install():
	create_roles()
	create_defaults()


def before_uninstall():
	delete_roles()
