#!/usr/bin/env bash
# Cross-builds the runtime (PotqNumerics + PotqRuntime with the NEON
# kernels), its gtest unit tests (PotqRuntimeTests, googletest built from
# /usr/src/googletest) and the standalone checker potq-runtime-check for
# AArch64 Linux into build-aarch64/ (or $1), with clang-22 + lld and
# cmake/aarch64-linux-gnu.cmake. Needs the Debian cross packages
# libc6-dev-arm64-cross libgcc-12-dev-arm64-cross libstdc++-12-dev-arm64-cross
# (and qemu-user to run the results). Holds /tmp/potq-build.lock while
# building (one build at a time on the machine; POTQ_BUILD_LOCK names another
# lock file, empty: no lock, e.g. when the caller already holds it).
#
#   scripts/cross-aarch64.sh [build-dir] [ninja targets...]
#   qemu-aarch64 -L /usr/aarch64-linux-gnu -cpu max build-aarch64/potq-runtime-check
#   qemu-aarch64 -L /usr/aarch64-linux-gnu -cpu cortex-a53 build-aarch64/PotqRuntimeTests
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build-aarch64}"
shift || true
jobs="${POTQ_CROSS_JOBS:-2}"
if [ ! -d /usr/aarch64-linux-gnu/include/c++ ]; then
  echo "cross-aarch64: no AArch64 C++ headers; install libstdc++-12-dev-arm64-cross" >&2
  exit 1
fi
lock="${POTQ_BUILD_LOCK-/tmp/potq-build.lock}"
if [ -n "$lock" ]; then
  exec 9>"$lock"
  flock 9
fi
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root/cmake/runtime-cross" -B "$build" \
    -DCMAKE_TOOLCHAIN_FILE="$root/cmake/aarch64-linux-gnu.cmake" \
    -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
ninja -C "$build" -j"$jobs" "$@"
