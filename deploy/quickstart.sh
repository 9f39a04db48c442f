#!/usr/bin/env bash
# From a fresh Debian 12 machine to a running reformd with the demo district: installs what is
# missing, builds reformd and reformctl, starts reformd on an embedded RocksDB data directory
# and prints where to connect. On first start it loads the demo district — 攀枝花市西区 in
# 2018–2019, the seed's district (clients/demo/xiqu-2019/DATA.md) — with `reformctl demo load`.
# Ctrl-C stops reformd cleanly (every acknowledged commit is already on disk).
#
# Secure by default: reformd creates the administrator on its first start and writes its token
# to $DATA_DIR/admin.token (owner-only). This script points reformctl at it: it links
# ~/.config/reformlog/token (reformctl's default token file) to it, unless that file exists
# and is not such a link, and prints the REFORMLOG_TOKEN_FILE to export.
#
# "First start": no data directory yet, or one holding DEMO_PENDING — the mark of a demo load
# that has not finished (it is written before the load and replaced by DEMO_LOADED after it).
# An interrupted load therefore resumes on the next start; a reload records nothing twice.
#
#   REFORMLOG_DATA_DIR   data directory (default: ./data)
#   REFORMLOG_LISTEN     host:port to serve on (default: 127.0.0.1:50051)
#   REFORMLOG_DEMO       0: start empty, never load the demo district (default: 1)
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-deps.sh

BUILD_DIR=${BUILD_DIR:-build}
DATA_DIR=${REFORMLOG_DATA_DIR:-$PWD/data}
LISTEN=${REFORMLOG_LISTEN:-127.0.0.1:50051}
DEMO=${REFORMLOG_DEMO:-1}
PENDING="$DATA_DIR/DEMO_PENDING"
LOADED="$DATA_DIR/DEMO_LOADED"
# How long reformd may take to open its store and bind (a large log takes a while).
START_TIMEOUT_TENTHS=600

cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)" --target reformd reformctl
BUILD_DIR=$(cd "$BUILD_DIR" && pwd)
REFORMD="$BUILD_DIR/services/reformd"
REFORMCTL="$BUILD_DIR/clients/reformctl"

if [ "$DEMO" = 1 ] && [ ! -d "$DATA_DIR" ]; then
  # Owner-only, as reformd keeps its data directory (it would tighten it and say so).
  (
    umask 077
    mkdir -p "$DATA_DIR"
    echo "the demo district is not loaded yet: deploy/quickstart.sh loads it on start" >"$PENDING"
  )
fi

# reformd runs in the background so that the demo can be loaded into it; its one stdout line
# ("reformd listening on HOST:PORT") goes to a file, its logs to this terminal.
ready=$(mktemp)
"$REFORMD" --data_dir="$DATA_DIR" --listen="$LISTEN" >"$ready" &
REFORMD_PID=$!

forward() { kill "-$1" "$REFORMD_PID" 2>/dev/null || true; }
# Waits until reformd has exited and returns its status (a trapped signal interrupts `wait`).
wait_reformd() {
  local status
  while :; do
    if wait "$REFORMD_PID"; then status=0; else status=$?; fi
    kill -0 "$REFORMD_PID" 2>/dev/null || return "$status"
  done
}
# On any early exit (a failed or interrupted load) reformd is stopped, not left behind.
on_exit() {
  if kill -0 "$REFORMD_PID" 2>/dev/null; then
    forward TERM
    wait_reformd || true
  fi
  rm -f "$ready"
}
trap 'forward INT' INT
trap 'forward TERM' TERM
trap on_exit EXIT

address=""
for ((i = 0; i < START_TIMEOUT_TENTHS; i++)); do
  if line=$(grep -m1 '^reformd listening on ' "$ready"); then
    address=${line#reformd listening on }
    break
  fi
  if ! kill -0 "$REFORMD_PID" 2>/dev/null; then
    echo "quickstart: reformd exited before it was listening (its log is above)" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$address" ]; then
  echo "quickstart: reformd did not say \"reformd listening on\" within $((START_TIMEOUT_TENTHS / 10)) s" >&2
  exit 1
fi

TOKEN_FILE="$DATA_DIR/admin.token"
export REFORMLOG_TOKEN_FILE="$TOKEN_FILE"
CONFIG_TOKEN="${XDG_CONFIG_HOME:-$HOME/.config}/reformlog/token"
if [ ! -e "$CONFIG_TOKEN" ] || { [ -L "$CONFIG_TOKEN" ] && [[ "$(readlink "$CONFIG_TOKEN")" == */admin.token ]]; }; then
  mkdir -p "$(dirname "$CONFIG_TOKEN")"
  ln -sfn "$TOKEN_FILE" "$CONFIG_TOKEN"
fi

if [ -e "$PENDING" ]; then
  echo "Loading the demo district (攀枝花市西区, 2018–2019) into reformd at $address ..."
  "$REFORMCTL" --server "$address" demo load
  echo "demo district loaded on $(date -Iseconds) by deploy/quickstart.sh" >"$LOADED"
  rm -f "$PENDING"
fi

cat <<MSG

Reformlog is running.
  data directory  $DATA_DIR
  gRPC            $address   (reformlog.api.v1 commands and queries, EventFeed,
                              ProjectionAdmin, Principals, Integrity, grpc.health.v1.Health)
  admin token     $TOKEN_FILE   (every call needs a token; reformctl finds this one
                              through $CONFIG_TOKEN)
  checkpoint key  $DATA_DIR/keys/checkpoint.pub.pem   (the log is hash-chained with SM3 and
                              its checkpoints signed with SM2: README, Tamper evidence)
MSG
if [ -e "$LOADED" ]; then
  cat <<MSG
  demo district   攀枝花市西区 2018–2019 (clients/demo/xiqu-2019/DATA.md)

Try, in another terminal (README.md has the five-minute tour):
  export PATH=$BUILD_DIR/clients:\$PATH REFORMLOG_SERVER=$address REFORMLOG_TOKEN_FILE=$TOKEN_FILE
  reformctl tree --as-of 2018-12-31          # before the 2019 reform
  reformctl diff 2018-12-31 2019-12-31       # what the reform founded, merged, renamed, abolished
  reformctl show xq-bianban                  # the 编办: 三定, 内设机构, history
  reformctl lineage xq-scjgj                 # 机构沿革 of the 市场监督管理局
  reformctl check 西区                        # 四清两对应
  reformctl budget show --agency xq-bianban --year 2019
  reformctl status                           # read models: position and lag
  reformctl admin verify                     # 核验日志未被篡改
MSG
else
  cat <<MSG

Try, in another terminal:
  $REFORMCTL --server $address --token-file $TOKEN_FILE --help
  $REFORMCTL --server $address --token-file $TOKEN_FILE status
MSG
fi
cat <<MSG
Stop with Ctrl-C.

MSG

set +e
wait_reformd
status=$?
trap - EXIT
rm -f "$ready"
exit "$status"
