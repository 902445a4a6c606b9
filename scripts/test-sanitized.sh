#!/usr/bin/env bash
# Builds potq with AddressSanitizer + UndefinedBehaviorSanitizer and
# libFuzzer coverage into build-fuzz/ (the one sanitizer build, shared with
# the fuzz targets of scripts/fuzz.sh), and runs every unit test and the lit
# suite there (not the Python package: an instrumented extension cannot be
# loaded into the uninstrumented interpreter, so scripts/test.sh tests it): the JIT included, and short runs of each fuzzer (test/Fuzz). Any sanitizer report fails the
# run. See docs/Reliability.md.
#   POTQ_ASAN_BUILD_DIR  the build directory (default build-fuzz/)
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${POTQ_ASAN_BUILD_DIR:-build-fuzz}
scripts/setup.sh
POTQ_BUILD_DIR="$BUILD_DIR" POTQ_SANITIZE="Address;Undefined" \
  POTQ_CMAKE_ARGS="-DLLVM_USE_SANITIZE_COVERAGE=ON -DPOTQ_ENABLE_FUZZERS=ON -DPOTQ_ENABLE_PYTHON=OFF" \
  scripts/build.sh all

# libMLIR.so is not instrumented: containers it fills look overflowing to
# ASan, and poisoning annotations from uninstrumented code are not ours.
export ASAN_OPTIONS="detect_leaks=1:detect_container_overflow=0:allow_user_poisoning=0:abort_on_error=0:halt_on_error=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

# The AArch64 tests cross-build the runtime and run it under qemu: nothing
# there is instrumented, so they would repeat scripts/test.sh's run exactly.
export LIT_FILTER_OUT='AOT/aarch64-'
echo "test-sanitized: lit leaves out $LIT_FILTER_OUT* (uninstrumented AArch64 code, run by scripts/test.sh)"

status=0
ctest --test-dir "$BUILD_DIR" --output-on-failure -j 2 || status=$?
scripts/skipped-tests.sh "$BUILD_DIR/Testing/Temporary/LastTest.log"
exit "$status"
