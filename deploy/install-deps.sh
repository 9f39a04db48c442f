#!/usr/bin/env bash
# Installs every Debian 12 package Reformlog needs to build, test and run.
# Idempotent: packages already present are skipped; nothing is installed when all are there.
#
#   deploy/install-deps.sh           what building and running need
#   deploy/install-deps.sh --tests   and what only the tests need (tests/run.sh): nginx, to
#                                    test deploy/nginx/ (its default site is not left running)
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  lld  # links about five times faster than GNU ld (CMakeLists.txt)
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
  librocksdb-dev libabsl-dev libspdlog-dev libfmt-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev libcpp-httplib-dev libcsv-dev
  libxlsxwriter-dev  # reformctl report final-accounts --format xlsx
  libjemalloc-dev
  xz-utils  # tests: the format-1 store fixture (tests/eventstore/data)
  openssl   # the Python auditor checks checkpoint signatures with `openssl pkeyutl`
  python3 python3-grpcio python3-protobuf
  # the Python client, `pip install clients/python` with no network: a venv (its pip and
  # setuptools from python3-venv's wheels) over Debian's grpcio and protobuf, and wheel to build
  python3-venv python3-wheel
  clang-format
  clang-tidy  # tests/run.sh --tidy: clang-tidy and run-clang-tidy (GCC's sanitizers come with g++)
)

# Only for tests: the reverse proxy of deploy/nginx/ and an HTTP/2 client to flood it with.
TEST_PACKAGES=(nginx python3-h2)
if [ "${1:-}" = "--tests" ]; then
  PACKAGES+=("${TEST_PACKAGES[@]}")
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
# Installing nginx starts its default site on port 80 where systemd runs; the tests start
# their own nginx, and a machine that wants a front configures deploy/nginx/ itself.
if [[ " ${missing[*]} " == *" nginx "* ]] && command -v systemctl >/dev/null; then
  $SUDO systemctl disable --now nginx >/dev/null 2>&1 || true
fi
