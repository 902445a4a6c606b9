#!/usr/bin/env bash
# Runs one fuzz target (already built in build-fuzz/) for N seconds of
# fuzzing on a machine shared with builds: while another process holds the
# build lock (/tmp/potq-build.lock, scripts/build.sh) the fuzzer runs at
# nice 19 and the time does not count. (Not SIGSTOP: libFuzzer would take
# the pause for a timeout of the input it was running; for the same reason
# -timeout is 300 s here.) Ends it with SIGINT, so libFuzzer prints its
# final stats. Output: build-fuzz/fuzz-logs/<target>.log.
#   fuzz/campaign.sh <target> <seconds> [libFuzzer flags]
set -euo pipefail
cd "$(dirname "$0")/.."

target=$1 seconds=$2
shift 2
BUILD_DIR=${POTQ_FUZZ_BUILD_DIR:-build-fuzz}
lock=/tmp/potq-build.lock
mkdir -p "$BUILD_DIR/fuzz-logs"
log="$BUILD_DIR/fuzz-logs/$target.log"

# scripts/fuzz.sh without the build; its own time limit is only a backstop.
POTQ_FUZZ_NO_BUILD=1 setsid scripts/fuzz.sh "$target" $((seconds * 4)) -timeout=300 "$@" \
  >>"$log" 2>&1 &
pid=$!
active=0 yielding=0
while kill -0 "$pid" 2>/dev/null && [ "$active" -lt "$seconds" ]; do
  if flock -n "$lock" true; then
    if [ "$yielding" = 1 ]; then renice -n 0 -g "$pid" >/dev/null; yielding=0; fi
    sleep 5
    active=$((active + 5))
  else
    if [ "$yielding" = 0 ]; then renice -n 19 -g "$pid" >/dev/null; yielding=1; fi
    sleep 5
  fi
done
if kill -0 "$pid" 2>/dev/null; then
  kill -INT -- "-$pid"
fi
wait "$pid" || true
echo "campaign: $target fuzzed for $active s (log $log)"
