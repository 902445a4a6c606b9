#!/usr/bin/env bash
# Builds one libFuzzer target into build-fuzz/ (ASan + UBSan + coverage,
# through scripts/build.sh; the same tree as scripts/test-sanitized.sh) and
# runs it for N seconds on its seed corpus and the potq dictionary, printing
# libFuzzer's execs and coverage lines.
#   scripts/fuzz.sh <target> <seconds> [extra libFuzzer flags]
#   target: parse | passes | npy | packed | differential (or potq-fuzz-<t>)
# The corpus grows in build-fuzz/fuzz-corpus/<target>/ (seeded from the test
# suite by fuzz/make_corpus.py); crashes land in build-fuzz/fuzz-crashes/.
# Environment: POTQ_FUZZ_BUILD_DIR (default build-fuzz), POTQ_FUZZ_NO_BUILD=1
# to skip the build. docs/Reliability.md, "Fuzzing".
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 2 ]; then
  echo "usage: $0 <parse|passes|npy|packed|differential> <seconds> [libFuzzer flags]" >&2
  exit 2
fi
target=${1#potq-fuzz-}
seconds=$2
shift 2
case "$target" in
  parse|passes|npy|packed|differential) ;;
  *) echo "unknown fuzz target '$target'" >&2; exit 2 ;;
esac

BUILD_DIR=${POTQ_FUZZ_BUILD_DIR:-build-fuzz}
if [ "${POTQ_FUZZ_NO_BUILD:-0}" != 1 ]; then
  POTQ_BUILD_DIR="$BUILD_DIR" POTQ_SANITIZE="Address;Undefined" \
    POTQ_CMAKE_ARGS="-DLLVM_USE_SANITIZE_COVERAGE=ON -DPOTQ_ENABLE_FUZZERS=ON -DPOTQ_ENABLE_PYTHON=OFF" \
    scripts/build.sh "potq-fuzz-$target"
fi

corpus="$BUILD_DIR/fuzz-corpus/$target"
crashes="$BUILD_DIR/fuzz-crashes/$target"
mkdir -p "$crashes"
if [ ! -d "$corpus" ]; then
  /usr/bin/python3 fuzz/make_corpus.py --target "$target" --out "$corpus"
fi

# libMLIR is not instrumented: the options of scripts/test-sanitized.sh
# (docs/Reliability.md, "Sanitizers").
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:detect_container_overflow=0:allow_user_poisoning=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
exec "$BUILD_DIR/bin/potq-fuzz-$target" \
  -max_total_time="$seconds" -print_final_stats=1 \
  -dict=fuzz/potq.dict -artifact_prefix="$crashes/" \
  -max_len=16384 -timeout=60 -rss_limit_mb=4096 \
  "$@" "$corpus"
