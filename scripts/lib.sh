# Shared by scripts/bootstrap and scripts/test. Sourced, not run.
# shellcheck shell=bash

APP=community_consultation
REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=${FRAPPE_BENCH:-/opt/frappe-bench}
FRAPPE_REPO=${FRAPPE_REPO:-https://github.com/frappe/frappe}
FRAPPE_BRANCH=${FRAPPE_BRANCH:-version-15}
DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-3306}
DB_ROOT_USER=${DB_ROOT_USER:-root}
DB_ROOT_PASSWORD=${DB_ROOT_PASSWORD:-}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
# the MariaDB account bench uses to create and drop site databases (see ensure_db_admin)
DB_ADMIN_USER=${DB_ADMIN_USER:-bench_admin}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

mysql_root() {
	MYSQL_PWD="$DB_ROOT_PASSWORD" mysql -h "$DB_HOST" -P "$DB_PORT" -u "$DB_ROOT_USER" "$@"
}

redis_host_port() {
	local hp=${REDIS_URL#redis://}
	hp=${hp%%/*}
	echo "${hp%%:*} ${hp##*:}"
}

redis_up() {
	local h p
	read -r h p < <(redis_host_port)
	redis-cli -h "$h" -p "$p" ping 2>/dev/null | grep -q PONG
}

# mysqladmin ping exits 0 whenever the server answers, even when the login is refused
db_up() { mysqladmin -h "$DB_HOST" -P "$DB_PORT" -u ping ping >/dev/null 2>&1; }

# Frappe needs utf8mb4 / utf8mb4_unicode_ci on the server. SET GLOBAL takes effect at once; the
# config file keeps it across a MariaDB restart where the Debian layout exists.
ensure_db_charset() {
	mysql_root -e "SET GLOBAL character_set_server='utf8mb4'; SET GLOBAL collation_server='utf8mb4_unicode_ci';" \
		|| die "cannot log in to MariaDB at $DB_HOST:$DB_PORT as $DB_ROOT_USER (set DB_ROOT_USER / DB_ROOT_PASSWORD)"
	if [ -d /etc/mysql/mariadb.conf.d ] && [ ! -f /etc/mysql/mariadb.conf.d/99-frappe.cnf ] && [ -w /etc/mysql/mariadb.conf.d ]; then
		printf '[mysqld]\ncharacter-set-client-handshake = FALSE\ncharacter-set-server = utf8mb4\ncollation-server = utf8mb4_unicode_ci\n\n[mysql]\ndefault-character-set = utf8mb4\n' \
			>/etc/mysql/mariadb.conf.d/99-frappe.cnf
	fi
}

# `bench new-site` and `drop-site` prompt for the root password when it is empty. Where root has
# a password we hand it over; where it has none we create (once) a separate administrative account
# with a generated password, kept in the bench's common_site_config.json (root_login/root_password,
# which Frappe reads), so no command ever prompts.
ensure_db_admin() {
	local conf="$BENCH/sites/common_site_config.json" user pass
	if [ -n "$DB_ROOT_PASSWORD" ]; then
		user=$DB_ROOT_USER pass=$DB_ROOT_PASSWORD
	else
		user=$DB_ADMIN_USER
		pass=$(bench_py -c "import json;print(json.load(open('$conf')).get('root_password') or '')" 2>/dev/null || true)
		if [ -z "$pass" ] || ! MYSQL_PWD="$pass" mysql -h "$DB_HOST" -P "$DB_PORT" -u "$user" -e "select 1" >/dev/null 2>&1; then
			pass=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)
			mysql_root -e "CREATE USER IF NOT EXISTS '$user'@'%' IDENTIFIED BY '$pass';
				ALTER USER '$user'@'%' IDENTIFIED BY '$pass';
				CREATE USER IF NOT EXISTS '$user'@'localhost' IDENTIFIED BY '$pass';
				ALTER USER '$user'@'localhost' IDENTIFIED BY '$pass';
				GRANT ALL PRIVILEGES ON *.* TO '$user'@'%' WITH GRANT OPTION;
				GRANT ALL PRIVILEGES ON *.* TO '$user'@'localhost' WITH GRANT OPTION;
				FLUSH PRIVILEGES;"
		fi
	fi
	(cd "$BENCH" && bench set-config -g root_login "$user" >/dev/null && bench set-config -g root_password "$pass" >/dev/null)
	DBA_ARGS=(--db-root-username "$user" --db-root-password "$pass")
}

bench_py() { "$BENCH/env/bin/python" "$@"; }

have_bench() { [ -x "$BENCH/env/bin/python" ] && [ -d "$BENCH/apps/frappe" ] && [ -f "$BENCH/sites/common_site_config.json" ]; }

# Link this checkout into the bench (apps/<app> is a symlink to it) and install it in the bench env.
link_app() {
	local target="$BENCH/apps/$APP"
	if [ -L "$target" ] && [ "$(readlink -f "$target")" = "$REPO_DIR" ]; then
		:
	else
		rm -rf "$target"
		ln -s "$REPO_DIR" "$target"
	fi
	if ! (cd "$BENCH/sites" && bench_py -c "import $APP, os, sys; sys.exit(0 if os.path.realpath($APP.__file__).startswith(os.path.realpath('$REPO_DIR')) else 1)" 2>/dev/null); then
		(cd "$BENCH" && uv pip install -q -e "apps/$APP" --python env/bin/python)
	fi
	if ! grep -qx "$APP" "$BENCH/sites/apps.txt"; then
		[ -z "$(tail -c1 "$BENCH/sites/apps.txt")" ] || echo >>"$BENCH/sites/apps.txt"
		echo "$APP" >>"$BENCH/sites/apps.txt"
	fi
}
