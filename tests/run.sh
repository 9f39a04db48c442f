#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite (ctest). Non-zero on any failure.
#   tests/run.sh                 everything
#   tests/run.sh -R Contract     only the tests whose names match (passed to ctest)
# BUILD_DIR (default build/) and JOBS (default: the number of cores) may be set.
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-deps.sh

BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS"
ctest --test-dir "$BUILD_DIR" --output-on-failure --timeout 900 -j "$JOBS" "$@"
