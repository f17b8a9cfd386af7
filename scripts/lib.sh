# Shared by scripts/bootstrap and scripts/test. Sourced, not run.
# shellcheck shell=bash

APP=community_consultation
REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P) # the real path, also when run through the bench's apps/ link
BENCH=${FRAPPE_BENCH:-/opt/frappe-bench}
FRAPPE_REPO=${FRAPPE_REPO:-https://github.com/frappe/frappe}
FRAPPE_BRANCH=${FRAPPE_BRANCH:-version-15}
DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-3306}
DB_ROOT_USER=${DB_ROOT_USER:-root}
DB_ROOT_PASSWORD=${DB_ROOT_PASSWORD:-}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
# the MariaDB account bench uses to create and drop site databases (see ensure_db_admin; by
# default the bench's own, bench_admin_<hash of the bench's path>)
DB_ADMIN_USER=${DB_ADMIN_USER:-}

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

# MariaDB's default buffer pool (128 MB) is shared by every database of the server: with a large site
# beside the test site (a city's load data), a test that deletes a unit's records in one transaction
# can fail with "The total number of locks exceeds the lock table size" (error 1206). The pool is raised
# to 1 GB for the running server when it is smaller (SET GLOBAL, MariaDB 10.11 resizes it online; a
# restart returns to the server's own setting).
ensure_db_buffer_pool() {
	local size
	size=$(mysql_root -Nse "SELECT @@innodb_buffer_pool_size") || return 0
	if [ "${size:-0}" -lt 1073741824 ]; then
		mysql_root -e "SET GLOBAL innodb_buffer_pool_size = 1073741824" \
			|| printf 'warning: could not raise innodb_buffer_pool_size to 1 GB\n' >&2
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
		# one account per bench: two benches on one server never reset each other's password
		user=${DB_ADMIN_USER:-$(bench_py -c "import json;print(json.load(open('$conf')).get('root_login') or '')" 2>/dev/null || true)}
		[ -n "$user" ] && [ "$user" != root ] || user="bench_admin_$(cd "$BENCH" && pwd -P | sha1sum | cut -c1-8)"
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
# A real directory at apps/<app> (a `bench get-app` clone) is never deleted: when it is this checkout
# it is used as it is, otherwise the function stops.
link_app() {
	local target="$BENCH/apps/$APP"
	if [ -e "$target" ] && [ ! -L "$target" ]; then
		[ "$(readlink -f "$target")" = "$REPO_DIR" ] \
			|| die "$target is another copy of $APP (not a link): move it away, or run this from that copy"
	elif [ ! -L "$target" ] || [ "$(readlink -f "$target")" != "$REPO_DIR" ]; then
		rm -f "$target"
		ln -s "$REPO_DIR" "$target"
	fi
	# (re)installed when the bench runs another checkout or pyproject.toml changed (new dependencies)
	local stamp="$BENCH/env/.$APP-pyproject" fp
	fp=$(sha1sum "$REPO_DIR/pyproject.toml" | cut -c1-40)
	if ! (cd "$BENCH/sites" && bench_py -c "import $APP, os, sys; sys.exit(0 if os.path.realpath($APP.__file__).startswith(os.path.realpath('$REPO_DIR')) else 1)" 2>/dev/null) \
		|| [ "$(cat "$stamp" 2>/dev/null)" != "$fp" ]; then
		(cd "$BENCH" && uv pip install -q -e "apps/$APP" --python env/bin/python) && echo "$fp" >"$stamp"
	fi
	if ! grep -qx "$APP" "$BENCH/sites/apps.txt"; then
		[ -z "$(tail -c1 "$BENCH/sites/apps.txt")" ] || echo >>"$BENCH/sites/apps.txt"
		echo "$APP" >>"$BENCH/sites/apps.txt"
	fi
}

# Build the app's desk assets (public/, into public/dist/ as for every Frappe app) when the sources
# changed since the last build or were never built; `bench build --app` takes a few seconds.
ensure_app_assets() {
	local dist=$REPO_DIR/$APP/public/dist fp
	fp=$(cd "$REPO_DIR" && find "$APP/public" -path "$APP/public/dist" -prune -o -type f -print0 2>/dev/null \
		| sort -z | xargs -0 -r sha1sum | sha1sum | cut -c1-40)
	# the bench serves sites/assets/<app>, a link `bench build` points at the checkout it builds
	if [ "$(cat "$dist/.build-fingerprint" 2>/dev/null)" = "$fp" ] && ls "$dist/js/"*.js >/dev/null 2>&1 \
		&& [ "$(readlink -f "$BENCH/sites/assets/$APP")" = "$(readlink -f "$REPO_DIR/$APP/public")" ]; then
		return 1
	fi
	say "building $APP's desk assets"
	(cd "$BENCH" && bench build --app "$APP" 2>&1 | tail -n 3) || die "bench build --app $APP failed"
	echo "$fp" >"$dist/.build-fingerprint"
}

# --- used by scripts/test and .ci/run -----------------------------------------------------------

wait_until() { # wait_until SECONDS CMD...: run CMD every second until it succeeds
	local n=$1
	shift
	for _ in $(seq "$n"); do "$@" && return 0; sleep 1; done
	return 1
}

# Start the MariaDB / Redis this machine has when they are not answering (no installation here:
# scripts/bootstrap installs what is missing).
start_db_if_down() {
	db_up && return 0
	command -v mariadbd >/dev/null || die "MariaDB is not answering on $DB_HOST:$DB_PORT and mariadbd is not installed (run scripts/bootstrap)"
	say "starting MariaDB"
	start-stop-daemon --start --oknodo --background --exec "$(command -v mariadbd)"
	wait_until 60 db_up || die "MariaDB did not come up on $DB_HOST:$DB_PORT"
}

start_redis_if_down() {
	redis_up && return 0
	command -v redis-server >/dev/null || die "Redis is not answering at $REDIS_URL and redis-server is not installed (run scripts/bootstrap)"
	local h p
	read -r h p < <(redis_host_port)
	say "starting Redis on $h:$p"
	redis-server --daemonize yes --bind "$h" --port "$p" --save "" --appendonly no --dir /tmp >/dev/null
	wait_until 20 redis_up || die "Redis did not come up at $REDIS_URL"
}

# bench's output without its progress bars and the MariaDB version warning; keeps the exit status
# of the command piped in (set -o pipefail)
quiet_log() { tr '\r' '\n' | grep -v -e '^Updating DocTypes' -e '^Warning: MariaDB version' -e '^$' || true; }

# A dump of a freshly created Frappe-only site, made once per Frappe version and kept in the bench.
# `bench new-site --source-sql` from it takes seconds where installing Frappe takes ~20 s.
SITE_TEMPLATE_DIR=${SITE_TEMPLATE_DIR:-$BENCH/.cache/community_consultation}

plain_site_dump() { # plain_site_dump SITE: prints the dump's path, making it (on SITE) if missing
	local site=$1 key dump
	key=$(cd "$BENCH/apps/frappe" && { git rev-parse HEAD; git status --porcelain --untracked-files=no; } | sha1sum | cut -c1-16)
	dump=$SITE_TEMPLATE_DIR/plain-frappe-$key.sql
	if [ ! -s "$dump" ]; then
		mkdir -p "$SITE_TEMPLATE_DIR"
		say "creating a plain Frappe site once, to keep as $dump" >&2
		(cd "$BENCH" && bench new-site "$site" --force --admin-password admin "${DBA_ARGS[@]}" \
			--mariadb-user-host-login-scope=% --db-host "$DB_HOST" --db-port "$DB_PORT") 2>&1 | quiet_log >&2 \
			|| die "bench new-site $site failed"
		local db_name db_password
		read -r db_name db_password < <(bench_py -c "import json,sys; c=json.load(open(sys.argv[1])); print(c['db_name'], c['db_password'])" "$BENCH/sites/$site/site_config.json")
		MYSQL_PWD="$db_password" mysqldump -h "$DB_HOST" -P "$DB_PORT" -u "$db_name" --single-transaction \
			--default-character-set=utf8mb4 "$db_name" >"$dump.tmp.$$" || die "mysqldump of $site failed"
		mv "$dump.tmp.$$" "$dump"
	fi
	echo "$dump"
}

# fresh_site SITE [APP]: (re)create SITE as a new Frappe site (Administrator / admin), with APP installed
# when given. Needs DBA_ARGS (ensure_db_admin). A site that exists is wiped: callers guard their names.
fresh_site() {
	local site=$1 app=${2:-} dump
	dump=$(plain_site_dump "$site")
	(cd "$BENCH" && bench new-site "$site" --force --source-sql "$dump" --admin-password admin "${DBA_ARGS[@]}" \
		--mariadb-user-host-login-scope=% --db-host "$DB_HOST" --db-port "$DB_PORT" ${app:+--install-app "$app"}) 2>&1 \
		| quiet_log || die "could not create the site $site"
	# (new-site clears the site's Redis cache itself, when it installs Frappe over the dump)
	rm -f "$BENCH/sites/$site/.test_log"
}


# clone_site SITE COPY: (re)create COPY with a copy of SITE's database (`bench new-site --source-sql`
# from a dump of it): a site as SITE is now, in seconds where installing the app takes a minute.
clone_site() {
	local site=$1 copy=$2 db_name db_password dump
	read -r db_name db_password < <(bench_py -c "import json,sys; c=json.load(open(sys.argv[1])); print(c['db_name'], c['db_password'])" "$BENCH/sites/$site/site_config.json")
	dump=$(mktemp --suffix=.sql)
	MYSQL_PWD="$db_password" mysqldump -h "$DB_HOST" -P "$DB_PORT" -u "$db_name" --single-transaction \
		--default-character-set=utf8mb4 "$db_name" >"$dump" || { rm -f "$dump"; die "mysqldump of $site failed"; }
	(cd "$BENCH" && bench new-site "$copy" --force --source-sql "$dump" --admin-password admin "${DBA_ARGS[@]}" \
		--mariadb-user-host-login-scope=% --db-host "$DB_HOST" --db-port "$DB_PORT") 2>&1 \
		| quiet_log || { rm -f "$dump"; die "could not copy the site $site to $copy"; }
	rm -f "$dump" "$BENCH/sites/$copy/.test_log"
	# what the copied database keeps encrypted was encrypted with SITE's key
	local key
	key=$(bench_py -c "import json,sys; print(json.load(open(sys.argv[1])).get('encryption_key', ''))" "$BENCH/sites/$site/site_config.json")
	[ -z "$key" ] || (cd "$BENCH" && bench --site "$copy" set-config encryption_key "$key" >/dev/null)
}


# The browser checks (tests/test_accessibility.py, tests/test_desk_chinese.py) need Debian's chromium, a
# CJK font, node and the npm packages of tests/a11y (playwright-core, @axe-core/playwright; Playwright's
# own browser download is not used). Installed when missing; under CI a failure stops the run, elsewhere
# the checks are skipped with the reason.
ensure_browser_test_tools() {
	local a11y=$REPO_DIR/tests/a11y fail=die
	[ -n "${CI:-}" ] || fail=warn_skip
	# (no `fc-list | grep -q` here: under pipefail grep's early exit fails the pipe)
	if ! command -v chromium >/dev/null || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
		say "installing chromium and fonts-noto-cjk (apt)"
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; } \
			|| $fail "could not install chromium and fonts-noto-cjk with apt-get (the browser checks need them)"
	fi
	command -v npm >/dev/null || { $fail "npm is missing (the browser checks need node and npm)"; return 0; }
	local fp
	fp=$(sha1sum "$a11y/package-lock.json" | cut -c1-40)
	if [ "$(cat "$a11y/node_modules/.lock-fingerprint" 2>/dev/null)" != "$fp" ]; then
		say "installing the npm packages of tests/a11y"
		(cd "$a11y" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
			&& echo "$fp" >"$a11y/node_modules/.lock-fingerprint" \
			|| $fail "npm ci in tests/a11y failed (the browser checks need playwright-core and @axe-core/playwright)"
	fi
}

warn_skip() { printf 'warning: %s; those checks will be skipped\n' "$*" >&2; }
