#!/usr/bin/env bash
# The command path under load, end to end: reformlog_load (clients/loadgen) against a fresh
# reformd over gRPC on loopback, next to PostgreSQL's classic event-store pattern measured in
# the same run on the same disk. Builds a Release tree (build-bench/, as tests/bench/run.sh).
# Stdout carries only the JSON lines, one per case (tests/bench/load_report.py); build
# output and progress go to stderr.
#
#   tests/bench/load.sh [--quick]
#
# Cases (64 clients, closed loop unless said; every case on a reformd of its own):
#   register_64_per_agency  RegisterPerson, each client into its own agency. Baseline: PG
#                           one-event transactions a second, each client its own stream.
#   register_64_spread      RegisterPerson over 4,096 agencies. Baseline: PG over 4,096 streams.
#   disburse_64_spread      Disburse over the lines of 4,096 agencies. Baseline: PG over 4,096
#                           streams (measured again, just before).
#   register_decay          register_64_per_agency for longer; the last 5 s against the first.
#   hot_agency_mixed        registrations, transfers, 编制 changes and disbursements, every
#                           client on ONE agency. Baseline: the same mix over 64 agencies.
#   hot_agency_give_ups     the commands of hot_agency_mixed that gave up (ABORTED).
#   open_loop_p99_ms        open loop at half register_64_per_agency's rate: p99 latency.
#
# PostgreSQL: a temporary cluster (initdb into the scratch directory, run as the `postgres`
# user when this runs as root; fsync and synchronous_commit on) on 127.0.0.1, removed on exit.
# Its table is the classic event store — global position, UNIQUE (stream, version), one event
# per transaction, the next version read from the stream's index in the same statement — and
# pgbench drives it with 64 clients, just before the case it is the baseline of. It is
# installed with apt-get when missing.
#
# --quick: 10 s measured per case (decay 20 s), about 3 minutes once the tree is built; the
# full run measures 30 s (decay 60 s), about 7 minutes.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
report="${root}/tests/bench/load_report.py"

quick=0
for arg in "$@"; do
  case "${arg}" in
    --quick) quick=1 ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "load.sh: unknown argument ${arg} (usage: tests/bench/load.sh [--quick])" >&2
      exit 2
      ;;
  esac
done

readonly CLIENTS=64
readonly SPREAD_AGENCIES=4096
readonly DECAY_WINDOW_S=5
readonly OPEN_LOOP_P99_TARGET_MS=10
readonly REFORMD_START_TENTHS=300  # how long reformd may take to say where it listens
if ((quick)); then
  duration_s=10 warmup_s=1 decay_s=20
else
  duration_s=30 warmup_s=3 decay_s=60
fi

log() { echo "load.sh: $*" >&2; }
started=${SECONDS}

# --- build -----------------------------------------------------------------------------------
cmake -S "${root}" -B "${root}/build-bench" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
cmake --build "${root}/build-bench" --target reformd reformlog_load >&2
reformd_bin="${root}/build-bench/services/reformd"
load_bin="${root}/build-bench/clients/reformlog_load"

# --- PostgreSQL binaries -------------------------------------------------------------------
pg_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
pg_bin="$(pg_bindir)"
if [[ -z "${pg_bin}" || ! -x "${pg_bin}/pgbench" || ! -x "${pg_bin}/initdb" ]]; then
  if [[ "$(id -u)" != 0 ]]; then
    echo "load.sh: PostgreSQL is not installed; as root: apt-get install postgresql" >&2
    exit 1
  fi
  log "installing postgresql (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends postgresql >&2 ||
    { apt-get update >&2 && apt-get install -y --no-install-recommends postgresql >&2; }
  pg_bin="$(pg_bindir)"
fi

# --- scratch, and everything started here stopped on exit ------------------------------------
scratch="$(mktemp -d "${TMPDIR:-/tmp}/reformlog-load.XXXXXX")"
chmod 755 "${scratch}"  # the postgres user reaches its cluster through it
reformd_pid=""
pg_data=""
as_pg=()
if [[ "$(id -u)" == 0 ]]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
  as_pg=(runuser -u postgres --)
fi

stop_reformd() {
  if [[ -n "${reformd_pid}" ]]; then
    kill -TERM "${reformd_pid}" 2>/dev/null || true
    wait "${reformd_pid}" 2>/dev/null || true
    reformd_pid=""
  fi
}
stop_pg() {
  if [[ -n "${pg_data}" ]]; then
    "${as_pg[@]}" "${pg_bin}/pg_ctl" -D "${pg_data}" -m immediate -w stop >/dev/null 2>&1 || true
    pg_data=""
  fi
}
cleanup() {
  stop_reformd
  stop_pg
  rm -rf "${scratch}"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- PostgreSQL baseline -------------------------------------------------------------------
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_data="${scratch}/pg"
mkdir -m 700 "${pg_data}"
if ((${#as_pg[@]})); then chown postgres: "${pg_data}"; fi
log "PostgreSQL: initdb in ${pg_data}"
"${as_pg[@]}" "${pg_bin}/initdb" -D "${pg_data}" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
  >"${scratch}/initdb.log" 2>&1 || { cat "${scratch}/initdb.log" >&2; exit 1; }
pg_port="$(free_port)"
cat >>"${pg_data}/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = ${pg_port}
unix_socket_directories = '${pg_data}'
max_connections = $((CLIENTS + 16))
fsync = on
synchronous_commit = on
full_page_writes = on
CONF
"${as_pg[@]}" "${pg_bin}/pg_ctl" -D "${pg_data}" -l "${pg_data}/server.log" -w start >&2
pg=(-h 127.0.0.1 -p "${pg_port}" -U postgres)
"${pg_bin}/psql" "${pg[@]}" -q -v ON_ERROR_STOP=1 -d postgres >&2 <<'SQL'
CREATE TABLE events (
  global_position bigserial PRIMARY KEY,
  stream_id       text        NOT NULL,
  stream_version  bigint      NOT NULL,
  event_type      text        NOT NULL,
  data            bytea       NOT NULL,
  metadata        jsonb       NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (stream_id, stream_version)
);
SQL

# One event per transaction, its version the stream's next: what a command's append is in
# the classic PostgreSQL event store. The event is about the size of a registration's.
pg_script() {  # pg_script STREAM_EXPRESSION
  cat <<SQL
\\set stream ${1}
INSERT INTO events (stream_id, stream_version, event_type, data, metadata)
SELECT 'agency-' || :stream, coalesce(max(stream_version), 0) + 1,
       'reformlog.staffing.v1.PersonRegistered', decode(repeat('ab', 120), 'hex'),
       '{"principal": "local-admin", "basis": {"number": "负载测试〔2025〕1号"}, "effective_date": "2025-06-30", "commit_id": "ld-r1"}'
FROM events WHERE stream_id = 'agency-' || :stream;
SQL
}

pg_measure() {  # pg_measure NAME STREAM_EXPRESSION → tx/s on stdout
  pg_script "$2" >"${scratch}/$1.sql"
  "${pg_bin}/psql" "${pg[@]}" -q -d postgres -c 'TRUNCATE events; CHECKPOINT;' >&2
  sync
  log "PostgreSQL $1: ${CLIENTS} clients, $((warmup_s + duration_s)) s"
  "${pg_bin}/pgbench" "${pg[@]}" -n -M prepared -c "${CLIENTS}" -j 2 -P 1 \
    -T "$((warmup_s + duration_s))" -f "${scratch}/$1.sql" postgres \
    >"${scratch}/$1.out" 2>"${scratch}/$1.progress" ||
    { cat "${scratch}/$1.out" "${scratch}/$1.progress" >&2; exit 1; }
  grep -E '^(tps|latency average|number of failed)' "${scratch}/$1.out" | sed 's/^/  /' >&2
  python3 "${report}" pgbench "${scratch}/$1.progress" "${warmup_s}"
}

# Each client its own stream; or client c over the streams ≡ c (mod 64) of 4,096, as the
# generator's clients take their agencies (no two clients ever race on one stream).
readonly PG_OWN_STREAM=':client_id'
readonly PG_SPREAD_STREAM=":client_id + ${CLIENTS} * random(0, $((SPREAD_AGENCIES / CLIENTS - 1)))"

# --- reformd cases -------------------------------------------------------------------------
start_reformd() {  # start_reformd NAME: a fresh reformd on a data directory of its own
  local out="${scratch}/reformd-$1.out"
  : >"${out}"
  "${reformd_bin}" --data_dir="${scratch}/reformd-$1" --listen=127.0.0.1:0 \
    >"${out}" 2>"${scratch}/reformd-$1.log" &
  reformd_pid=$!
  reformd_address=""
  for ((i = 0; i < REFORMD_START_TENTHS; i++)); do
    if line="$(grep -m1 '^reformd listening on ' "${out}")"; then
      reformd_address="${line#reformd listening on }"
      return 0
    fi
    kill -0 "${reformd_pid}" 2>/dev/null || break
    sleep 0.1
  done
  echo "load.sh: reformd did not start; its log:" >&2
  cat "${scratch}/reformd-$1.log" >&2
  exit 1
}

run_case() {  # run_case NAME reformlog_load-flags... → ${scratch}/NAME.json
  local name="$1"
  shift
  sync  # the previous case's writes must not share this one's fsyncs
  start_reformd "${name}"
  log "${name}: $*"
  "${load_bin}" --server "${reformd_address}" \
    --token-file "${scratch}/reformd-${name}/admin.token" --warmup "${warmup_s}" "$@" \
    >"${scratch}/${name}.json"
  stop_reformd
  rm -rf "${scratch}/reformd-${name}"
}

# Each baseline is measured just before its case, so that both see the machine alike.
pg_tps="$(pg_measure pg_one_event_64_own "${PG_OWN_STREAM}")"
run_case register_64_per_agency --workload register --clients "${CLIENTS}" \
  --agencies "${CLIENTS}" --duration "${duration_s}"
python3 "${report}" throughput register_64_per_agency "${scratch}/register_64_per_agency.json" \
  "${pg_tps}" "PostgreSQL one-event tx/s, 64 clients, each its own stream" 1.0

pg_tps="$(pg_measure pg_one_event_64_spread "${PG_SPREAD_STREAM}")"
run_case register_64_spread --workload register --clients "${CLIENTS}" \
  --agencies "${SPREAD_AGENCIES}" --duration "${duration_s}"
python3 "${report}" throughput register_64_spread "${scratch}/register_64_spread.json" \
  "${pg_tps}" "PostgreSQL one-event tx/s, 64 clients over 4096 streams" 1.0

pg_tps="$(pg_measure pg_one_event_64_spread "${PG_SPREAD_STREAM}")"
stop_pg
run_case disburse_64_spread --workload disburse --clients "${CLIENTS}" \
  --agencies "${SPREAD_AGENCIES}" --duration "${duration_s}"
python3 "${report}" throughput disburse_64_spread "${scratch}/disburse_64_spread.json" \
  "${pg_tps}" "PostgreSQL one-event tx/s, 64 clients over 4096 streams" 1.0

run_case register_decay --workload register --clients "${CLIENTS}" --agencies "${CLIENTS}" \
  --duration "${decay_s}"
python3 "${report}" decay register_decay "${scratch}/register_decay.json" "${DECAY_WINDOW_S}" 0.9

run_case hot_agency_mixed --workload mixed --clients "${CLIENTS}" --agencies 1 \
  --duration "${duration_s}"
run_case mixed_64_spread --workload mixed --clients "${CLIENTS}" --agencies "${CLIENTS}" \
  --duration "${duration_s}"
python3 "${report}" throughput hot_agency_mixed "${scratch}/hot_agency_mixed.json" \
  "$(python3 "${report}" ok_per_s "${scratch}/mixed_64_spread.json")" \
  "the same mix, 64 clients over 64 agencies (one each)" 0.5
python3 "${report}" give_ups hot_agency_give_ups "${scratch}/hot_agency_mixed.json" \
  "${scratch}/mixed_64_spread.json"

rate="$(python3 -c 'import sys; print(round(float(sys.argv[1]) / 2, 1))' \
  "$(python3 "${report}" ok_per_s "${scratch}/register_64_per_agency.json")")"
run_case open_loop_p99_ms --workload register --mode open --rate "${rate}" \
  --clients "${CLIENTS}" --agencies "${CLIENTS}" --duration "${duration_s}"
python3 "${report}" open_p99 open_loop_p99_ms "${scratch}/open_loop_p99_ms.json" \
  "${OPEN_LOOP_P99_TARGET_MS}"

log "done in $((SECONDS - started)) s"
