#!/usr/bin/env bash
# From a fresh Debian 12 machine to a running reformd: installs what is missing, builds,
# starts reformd on an embedded RocksDB data directory and prints where to connect.
# Ctrl-C stops it cleanly (every acknowledged commit is already on disk).
#
#   REFORMLOG_DATA_DIR   data directory (default: ./data)
#   REFORMLOG_LISTEN     host:port to serve on (default: 127.0.0.1:50051)
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-deps.sh

BUILD_DIR=${BUILD_DIR:-build}
DATA_DIR=${REFORMLOG_DATA_DIR:-$PWD/data}
LISTEN=${REFORMLOG_LISTEN:-127.0.0.1:50051}

cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)" --target reformd

cat <<MSG

Reformlog is starting.
  data directory  $DATA_DIR
  gRPC            $LISTEN   (services: reformlog.api.v1.EventFeed, grpc.health.v1.Health,
                              server reflection)
Stop with Ctrl-C.

MSG
exec "$BUILD_DIR/services/reformd" --data_dir="$DATA_DIR" --listen="$LISTEN"
