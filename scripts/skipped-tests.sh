#!/usr/bin/env bash
# Summarises the tests a ctest run did not run, from its log
# (build/Testing/Temporary/LastTest.log): each UNSUPPORTED lit test (from
# lit's --show-unsupported list) with its REQUIRES line, and each skipped gtest with its GTEST_SKIP message.
#   scripts/skipped-tests.sh [build/Testing/Temporary/LastTest.log]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
log=${1:-$root/build/Testing/Temporary/LastTest.log}
[ -f "$log" ] || { echo "skipped-tests: no ctest log at $log" >&2; exit 1; }

lines=()
while read -r name; do
  req=$(grep -m1 -o 'REQUIRES:.*' "$root/test/$name" 2>/dev/null || echo "REQUIRES: ?")
  lines+=("lit $name: needs ${req#REQUIRES: }")
done < <(awk '/^Unsupported Tests \(/ {on=1; next} on && /^  POTQ :: / {print $3; next} {on=0}' \
           "$log" | sort -u)
# gtest prints "<file>:<line>: Skipped\n<message>" then "[  SKIPPED ] Suite.Name (N ms)".
while IFS=$'\t' read -r name why; do
  lines+=("gtest $name: $why")
done < <(awk '/: Skipped$/ {getline why}
              /^\[  SKIPPED \] [^ ]+ \(/ {print $4 "\t" why}' "$log" | sort -u)

if [ ${#lines[@]} -eq 0 ]; then
  echo "unsupported: none (every test ran)"
else
  echo "unsupported: ${#lines[@]} test(s) not run here:"
  printf '  %s\n' "${lines[@]}"
fi
