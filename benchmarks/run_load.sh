#!/usr/bin/env bash
# The load test and the fault drills against a production-like server: gunicorn (4 workers,
# --preload) on 127.0.0.1:8040 and an RQ worker (short, default, long), both started here and stopped
# again when the run ends.
#
#   benchmarks/run_load.sh                       # 10 minutes, figures printed
#   benchmarks/run_load.sh --duration 120        # arguments go to benchmarks/load.py
#   RECORD=1 benchmarks/run_load.sh              # also write the "Load" section of benchmarks/RESULTS.md
#   benchmarks/run_load.sh drill redis           # benchmarks/fault_drill.py --service redis (or mariadb)
#   RECORD=1 benchmarks/run_load.sh drill mariadb   # also write its part of the "Faults" section
#
# Variables: SITE [load.localhost], FRAPPE_BENCH [/opt/frappe-bench], PORT [8040], WORKERS [4].
# Prepare the site once with: $FRAPPE_BENCH/env/bin/python benchmarks/load_setup.py --site $SITE
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SITE=${SITE:-load.localhost}
BENCH=${FRAPPE_BENCH:-/opt/frappe-bench}
PORT=${PORT:-8040}
WORKERS=${WORKERS:-4}
LOGS=$(mktemp -d /tmp/community_consultation-load.XXXXXX)
pids=()

stop() {
	for pid in "${pids[@]}"; do
		# each server was started in its own process group: stop the group (master and its workers)
		kill -TERM -- "-$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
		kill -KILL -- "-$pid" 2>/dev/null || true
	done
}
trap stop EXIT

# the load client and the drill use httpx, which Frappe does not install
if ! "$BENCH/env/bin/python" -c "import httpx" 2>/dev/null; then
	echo "installing httpx into $BENCH/env"
	if command -v uv >/dev/null; then uv pip install -q --python "$BENCH/env/bin/python" httpx
	else "$BENCH/env/bin/python" -m pip install -q httpx; fi
fi

if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
	echo "error: something already listens on 127.0.0.1:$PORT" >&2
	exit 1
fi

cd "$BENCH/sites"
setsid "$BENCH/env/bin/gunicorn" -b "127.0.0.1:$PORT" -w "$WORKERS" --threads 1 -t 120 --preload \
	frappe.app:application >"$LOGS/gunicorn.log" 2>&1 &
pids+=($!)
cd "$BENCH"
setsid bench worker --queue short,default,long >"$LOGS/worker.log" 2>&1 &
pids+=($!)

for _ in $(seq 60); do
	curl -s -o /dev/null -H "Host: $SITE" "http://127.0.0.1:$PORT/api/method/ping" && break
	sleep 1
done
curl -sf -H "Host: $SITE" "http://127.0.0.1:$PORT/api/method/ping" >/dev/null \
	|| { echo "error: gunicorn did not come up (see $LOGS/gunicorn.log)" >&2; exit 1; }

if [ "${1:-}" = drill ]; then
	service=${2:?usage: run_load.sh drill redis|mariadb [fault_drill.py arguments]}
	shift 2
	args=(--service "$service" --url "http://127.0.0.1:$PORT" --site "$SITE" --bench "$BENCH")
	[ -n "${RECORD:-}" ] && args+=(--record "$HERE/RESULTS.md")
	set +e
	"$BENCH/env/bin/python" "$HERE/fault_drill.py" "${args[@]}" "$@"
	rc=$?
	set -e
	echo "server logs: $LOGS"
	exit $rc
fi

args=(--url "http://127.0.0.1:$PORT" --site "$SITE" --bench "$BENCH"
	--note "gunicorn -w $WORKERS --threads 1 -t 120 --preload, one RQ worker (short, default, long); MariaDB $(mysql -V | sed 's/.*Distrib \([^,]*\).*/\1/;s/.* \([0-9.]*-MariaDB\).*/\1/'), $(nproc) cores shared with other sites' servers and tests"
	--json "$LOGS/result.json")
[ -n "${RECORD:-}" ] && args+=(--record "$HERE/RESULTS.md")
set +e
"$BENCH/env/bin/python" "$HERE/load.py" "${args[@]}" "$@"
rc=$?
set -e
echo "server logs and raw figures: $LOGS"
# grep -c exits 1 when it counts 0: not a failure of the run
echo "gunicorn worker timeouts: $(grep -c "WORKER TIMEOUT" "$LOGS/gunicorn.log" || true)"
exit $rc
