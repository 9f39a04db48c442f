#!/usr/bin/env bash
# Builds eventstore_bench, readmodel_bench and command_bench in a Release tree (build-bench/
# at the repository root) and runs them, one after the other. Stdout carries only the JSON lines, one per case;
# build output and progress go to stderr.
#
#   tests/bench/run.sh [--quick] [--json-out FILE]
#
# --quick is passed to each: smaller logs (readmodel_bench: 200,000 events instead of
# 1,000,000), so that the whole run takes about a minute.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Equivalent to `cmake -S . -B build-bench ...` from the root; paths are absolute so that a
# relative --json-out FILE stays relative to the caller's directory.
cmake -S "${root}" -B "${root}/build-bench" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
cmake --build "${root}/build-bench" --target eventstore_bench readmodel_bench command_bench >&2

# The benches remove their own directories, but not when they die: give them one to lose.
scratch="$(mktemp -d "${TMPDIR:-/tmp}/reformlog-bench.XXXXXX")"
trap 'rm -rf "${scratch}"' EXIT
TMPDIR="${scratch}" "${root}/build-bench/tests/bench/eventstore_bench" "$@"
TMPDIR="${scratch}" "${root}/build-bench/tests/bench/readmodel_bench" "$@"
"${root}/build-bench/tests/bench/command_bench" "$@"
