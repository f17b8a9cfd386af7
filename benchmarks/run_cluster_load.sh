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
# Two servers on one machine: EMULATE_SERVERS="0 1" (two CPU lists, for taskset) pins, for all three
# phases, what the clerks use to the first — the primary MariaDB, Redis, nginx, the web masters and
# their workers, socketio, the short/default worker, the scheduler, and this load client — and the
# report server to the second: the replica and the long-queue worker that prepares the returns. Every
# thread of each process and of its children; the primary MariaDB (shared with the machine's other
# benches, and the machine's Redis with CLUSTER_REDIS=shared) is given all CPUs back at the end. The CPUs are separated; the disk, memory bandwidth
# and the kernel are not.
#
# Variables: PRIMARY_BUFFER_POOL (bytes) sets the primary's innodb_buffer_pool_size for the run (SET
# GLOBAL, restored afterwards), KEEP_REPLICA=1 keeps the replica afterwards, REUSE_REPLICA=1 uses it again (instead of
# copying the site afresh); SITE [load.localhost], FRAPPE_BENCH [/opt/frappe-bench], and those of scripts/replica and
# scripts/cluster. Prepare the site once (docs/deployment.md): benchmarks/generate.py, load_setup.py,
# replica_load.py --prepare.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
SITE=${SITE:-load.localhost}
BENCH=${FRAPPE_BENCH:-/opt/frappe-bench}
export FRAPPE_BENCH=$BENCH

pool_before=""
read -r -a SERVERS <<<"${EMULATE_SERVERS:-}"
[ ${#SERVERS[@]} -eq 0 ] || [ ${#SERVERS[@]} -eq 2 ] || { echo "EMULATE_SERVERS: two CPU lists, e.g. \"0 1\"" >&2; exit 2; }
ALL_CPUS=0-$(($(nproc) - 1))
shared_pids=() # pinned processes that outlive the run

pin() { # pin CPUS PID...: every thread of these processes and of their descendants
	local cpus=$1 pid
	shift
	for pid in "$@"; do
		[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || continue
		taskset -a -cp "$cpus" "$pid" >/dev/null
		# shellcheck disable=SC2046
		pin "$cpus" $(pgrep -P "$pid" || true)
	done
}

primary_pid() { cat "$(mysql -h 127.0.0.1 -u root -Nse "SELECT @@pid_file")"; }
redis_pid() { # the machine's Redis the bench uses (CLUSTER_REDIS=shared; the cluster's own is its program)
	local url hp
	url=$(bench_conf redis_queue)
	hp=${url#redis://}
	hp=${hp%%/*}
	redis-cli -h "${hp%%:*}" -p "${hp##*:}" info server | sed -n 's/^process_id:\([0-9]*\).*/\1/p'
}
replica_pid() { cat "${REPLICA_DIR:-/var/lib/community-consultation-replica/${REPLICA_PORT:-3307}}/mysqld.pid"; }
bench_conf() { "$BENCH/env/bin/python" -c "import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2]) or '')" "$BENCH/sites/common_site_config.json" "$1"; }

emulate_servers() {
	local clerks=${SERVERS[0]} reports=${SERVERS[1]} program pid
	shared_pids=("$(primary_pid)")
	[ "${CLUSTER_REDIS:-own}" != shared ] || shared_pids+=("$(redis_pid)")
	pin "$clerks" "${shared_pids[@]}" $(pgrep -x nginx)
	while read -r program pid; do
		case $program in
		*long-worker*) pin "$reports" "$pid" ;;
		*) pin "$clerks" "$pid" ;;
		esac
	done < <("$REPO/scripts/cluster" pids)
	pin "$reports" "$(replica_pid)"
	[ -n "${KEEP_REPLICA:-}" ] && shared_pids+=("$(replica_pid)")
	echo "CPUs: ${clerks} primary MariaDB, Redis, nginx, web masters, socketio, short/default worker, scheduler, load client; ${reports} replica, long worker"
	"$REPO/scripts/cluster" pids | while read -r program pid; do echo "  $program $pid: $(taskset -cp "$pid" | sed 's/.*: //')"; done
}

stop() {
	if [ ${#shared_pids[@]} -gt 0 ]; then pin "$ALL_CPUS" "${shared_pids[@]}" || true; fi
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

machine="$(nproc) cores shared with other engineers' tests"
client=()
if [ ${#SERVERS[@]} -eq 2 ]; then
	emulate_servers
	machine="$(nproc) cores; two servers emulated with taskset: CPU ${SERVERS[0]} runs the primary MariaDB, Redis, nginx, the web masters, socketio, the short/default worker, the scheduler and the load client, CPU ${SERVERS[1]} the replica and the long worker"
	client=(taskset -c "${SERVERS[0]}")
fi
args=(--url "http://127.0.0.1:80" --site "$SITE" --bench "$BENCH" --json "/tmp/community_consultation-cluster-load-$SITE.json"
	--note "nginx $(nginx -v 2>&1 | sed 's|.*/||'); 2 gunicorn masters × ${GUNICORN_WORKERS:-2} workers (--preload); socketio; one short/default and one long RQ worker; one scheduler; MariaDB $(mysql -V | sed 's/.* \([0-9.]*-MariaDB\).*/\1/') primary and a GTID replica on the same machine ($machine)")
[ -n "${RECORD:-}" ] && args+=(--record "$HERE/RESULTS.md")
set +e
"${client[@]}" "$BENCH/env/bin/python" "$HERE/replica_load.py" "${args[@]}" "$@"
rc=$?
set -e
"$REPO/scripts/replica" status || true
echo "web logs: $BENCH/logs/web*.log, worker logs: $BENCH/logs/worker*.log"
exit $rc
