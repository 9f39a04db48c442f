#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite. Non-zero on any failure.
#   tests/run.sh                 the phases in DEFAULT_PHASES below; three exist, each in its
#                                own build tree:
#     suite      the whole ctest suite in $BUILD_DIR (RelWithDebInfo, warnings are errors)
#     sanitize   AddressSanitizer + UndefinedBehaviorSanitizer (+ LeakSanitizer) over the
#                whole suite in $BUILD_DIR-asan, then ThreadSanitizer over the concurrency
#                tests (TSAN_TARGETS below) in $BUILD_DIR-tsan; any finding fails its test
#     tidy       clang-tidy (.clang-tidy, every finding an error) with Clang's -Wthread-safety
#                over the C++ files of ours changed since the last clean full run
#                (tests/tidy_baseline; tests/tidy_files.py chooses)
#   tests/run.sh --only suite|sanitize|tidy [ctest args]   one phase
#   tests/run.sh --only tidy --all                          clang-tidy over every file (~48 min)
#   tests/run.sh -R Contract     the suite phase only, with these ctest arguments
# BUILD_DIR (default build/) and JOBS (default: the number of cores) may be set.
#
# The Debian libraries (gRPC, protobuf, abseil, RocksDB) are not instrumented: tests/sanitizers/
# says what that costs and holds the only suppressions, all for their internals.
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-deps.sh --tests

BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}

# What a plain `tests/run.sh` (and so CI) runs; README, Tests, has each phase's time.
DEFAULT_PHASES=(suite tidy sanitize)

phases=("${DEFAULT_PHASES[@]}")
if [ "${1:-}" = "--only" ]; then
  [ $# -ge 2 ] || { echo "tests/run.sh: --only needs a phase: suite, sanitize or tidy" >&2; exit 2; }
  case "$2" in
    suite | sanitize | tidy) phases=("$2") ;;
    *) echo "tests/run.sh: unknown phase '$2' (suite, sanitize or tidy)" >&2; exit 2 ;;
  esac
  shift 2
elif [ $# -gt 0 ]; then
  phases=(suite)  # ctest arguments alone: a developer's focused run
fi

# configure DIR [cmake args...]
configure() {
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
}

run_suite() {
  configure "$BUILD_DIR"
  cmake --build "$BUILD_DIR" -j "$JOBS"
  ctest --test-dir "$BUILD_DIR" --output-on-failure --timeout 900 -j "$JOBS" "$@"
}

# The concurrency tests ThreadSanitizer runs: the stores (racing writers, subscriptions
# catching up while commits land), the command path without gRPC (runner, state cache,
# request gate: twins, sixteen threads on one agency) and the projection runner and its
# catch-up pipeline (rebuild under readers and a writer). Only these targets are built in the
# TSan tree, and every gtest case in them runs (selected by the label each case carries: its
# binary's name). The tests over a real gRPC server are not here: Debian's gRPC is
# uninstrumented, so every request and reactor it hands from one of its threads to another
# looks racing (1,327 reports in command_services_test and event_feed_service_test, none with
# both sides in our code), and the suppressions that would silence that match our handlers too.
TSAN_TARGETS=(event_store_contract_test rocks_event_store_test command_runner_test
  state_cache_test projection_runner_test catch_up_pipeline_test)

# Crash cycles under AddressSanitizer: each cycle starts a child that is several times slower
# instrumented; the full count runs in the suite phase.
ASAN_CRASH_CYCLES=10
ASAN_CRASH_KILL_SCALE=5
ASAN_SYSTEM_CRASH_CYCLES=4

run_sanitize() {
  local supp=$PWD/tests/sanitizers

  configure "$BUILD_DIR-asan" -DREFORMLOG_SANITIZE=address,undefined
  cmake --build "$BUILD_DIR-asan" -j "$JOBS"
  REFORMLOG_CRASH_CYCLES=$ASAN_CRASH_CYCLES REFORMLOG_CRASH_KILL_SCALE=$ASAN_CRASH_KILL_SCALE \
    REFORMLOG_SYSTEM_CRASH_CYCLES=$ASAN_SYSTEM_CRASH_CYCLES \
    ASAN_OPTIONS=detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1 \
    UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir "$BUILD_DIR-asan" --output-on-failure --timeout 900 -j "$JOBS" "$@"

  configure "$BUILD_DIR-tsan" -DREFORMLOG_SANITIZE=thread
  cmake --build "$BUILD_DIR-tsan" -j "$JOBS" --target "${TSAN_TARGETS[@]}"
  TSAN_OPTIONS=suppressions=$supp/tsan.supp:second_deadlock_stack=1:history_size=7 \
    ctest --test-dir "$BUILD_DIR-tsan" --output-on-failure --timeout 900 -j "$JOBS" \
    -L "^($(
      IFS='|'
      echo "${TSAN_TARGETS[*]}"
    ))\$" "$@"
}

# The commit of the last clean `tests/run.sh --only tidy --all`; a plain run checks only what
# changed since (tests/tidy_files.py says exactly what).
TIDY_BASELINE=tests/tidy_baseline

run_tidy() {
  local all=""
  if [ "${1:-}" = "--all" ]; then all=--all; fi
  configure "$BUILD_DIR"
  # The generated protobuf headers our sources include; the suite phase makes them too.
  cmake --build "$BUILD_DIR" -j "$JOBS" --target reformlog_api_proto_grpc reformlog_readmodel_proto \
    reformlog_storage_proto reformlog_domain_proto
  # Our sources only (generated code lives in the build tree). -Wthread-safety's findings are
  # reported as clang-diagnostic-thread-safety-* (enabled in .clang-tidy). tidy_filter.py fails
  # on any finding not in tests/tidy_exceptions.txt, and on an exception that no longer fires.
  local checked
  checked=$(mktemp)
  # shellcheck disable=SC2086 # $all is one word or none
  tests/tidy_files.py "$PWD" "$BUILD_DIR" "$TIDY_BASELINE" $all >"$checked"
  if [ ! -s "$checked" ]; then
    rm -f "$checked"
    return 0
  fi
  local patterns=()
  while read -r file; do patterns+=("^$file\$"); done <"$checked"
  local status=0
  { run-clang-tidy -p "$BUILD_DIR" -j "$JOBS" -quiet -extra-arg=-Wthread-safety "${patterns[@]}" \
    2>&1 || true; } | tests/tidy_filter.py "$PWD" tests/tidy_exceptions.txt "$checked" || status=$?
  rm -f "$checked"
  return $status
}

for phase in "${phases[@]}"; do
  started=$SECONDS
  echo "tests/run.sh: phase $phase"
  "run_$phase" "$@"
  echo "tests/run.sh: phase $phase passed in $((SECONDS - started)) s"
done
