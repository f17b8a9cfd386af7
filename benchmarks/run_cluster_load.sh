#!/usr/bin/env bash
# The load run of the multi-server layout: a GTID replica of the site (scripts/replica), two gunicorn
# masters behind nginx with socketio, workers and one scheduler (scripts/cluster), then
# benchmarks/replica_load.py through nginx — clerks alone, (a) officers' city-wide returns with every
# read on the primary, (b) the same with the reports on the replica — and everything stopped again.
#
#   benchmarks/run_cluster_load.sh                      # 3 phases of 120 s
#   RECORD=1 benchmarks/run_cluster_load.sh             # also write its section of benchmarks/RESULTS.md
#   benchmarks/run_cluster_load.sh --phase-duration 60  # arguments go to replica_load.py
#
# Variables: PRIMARY_BUFFER_POOL (bytes) sets the primary's innodb_buffer_pool_size for the run (SET
# GLOBAL, restored afterwards), KEEP_REPLICA=1 keeps the replica afterwards, REUSE_REPLICA=1 uses it again (instead of
# copying the site afresh); SITE [load.localhost], FRAPPE_BENCH [/opt/frappe-bench], and those of scripts/replica and
# scripts/cluster. Prepare the site once (README, Deployment): benchmarks/generate.py, load_setup.py,
# replica_load.py --prepare.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
SITE=${SITE:-load.localhost}
BENCH=${FRAPPE_BENCH:-/opt/frappe-bench}
export FRAPPE_BENCH=$BENCH

pool_before=""
stop() {
	if [ -n "$pool_before" ]; then mysql -h 127.0.0.1 -u root -e "SET GLOBAL innodb_buffer_pool_size = $pool_before" || true; fi
	"$REPO/scripts/cluster" down || true
	if [ -n "${KEEP_REPLICA:-}" ]; then "$REPO/scripts/replica" detach "$SITE" || true; else "$REPO/scripts/replica" remove || true; fi
}
trap stop EXIT

if ! "$BENCH/env/bin/python" -c "import httpx" 2>/dev/null; then
	uv pip install -q --python "$BENCH/env/bin/python" httpx
fi

# the same buffer pool for the primary as for the replica (REPLICA_BUFFER_POOL), restored afterwards
if [ -n "${PRIMARY_BUFFER_POOL:-}" ]; then
	pool_before=$(mysql -h 127.0.0.1 -u root -Nse "SELECT @@innodb_buffer_pool_size")
	mysql -h 127.0.0.1 -u root -e "SET GLOBAL innodb_buffer_pool_size = $PRIMARY_BUFFER_POOL"
fi
if [ -n "${REUSE_REPLICA:-}" ] && "$REPO/scripts/replica" status >/dev/null; then
	"$REPO/scripts/replica" wait # the replica of an earlier run, brought up to date
else
	"$REPO/scripts/replica" start "$SITE"
fi
"$REPO/scripts/replica" attach "$SITE"
"$REPO/scripts/cluster" up "$SITE"

args=(--url "http://127.0.0.1:80" --site "$SITE" --bench "$BENCH" --json "/tmp/community_consultation-cluster-load-$SITE.json"
	--note "nginx $(nginx -v 2>&1 | sed 's|.*/||'); 2 gunicorn masters × ${GUNICORN_WORKERS:-2} workers (--preload); socketio; one short/default and one long RQ worker; one scheduler; MariaDB $(mysql -V | sed 's/.* \([0-9.]*-MariaDB\).*/\1/') primary and a GTID replica on the same machine ($(nproc) cores shared with other engineers' tests)")
[ -n "${RECORD:-}" ] && args+=(--record "$HERE/RESULTS.md")
set +e
"$BENCH/env/bin/python" "$HERE/replica_load.py" "${args[@]}" "$@"
rc=$?
set -e
"$REPO/scripts/replica" status || true
echo "web logs: $BENCH/logs/web*.log, worker logs: $BENCH/logs/worker*.log"
exit $rc
