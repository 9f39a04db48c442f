#!/usr/bin/env bash
# Fails when clang-format (the repository's .clang-format, Google style) would change any of
# our C++ sources. Generated code and build directories are not ours and are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files -- '*.cc' '*.h' 2>/dev/null || find eventstore projections services clients tests -name '*.cc' -o -name '*.h')
bad=()
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  echo "clang-format would change: ${bad[*]}"
  echo "fix with: clang-format -i ${bad[*]}"
  exit 1
fi
echo "clang-format: ${#files[@]} files clean"
