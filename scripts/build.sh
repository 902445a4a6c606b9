#!/usr/bin/env bash
# Configures (once) and builds potq into build/ with clang-22, lld and ninja.
#   POTQ_BUILD_DIR  the build directory (default build/)
#   POTQ_JOBS       ninja's parallelism (default 2)
#   POTQ_SANITIZE   configure with LLVM_USE_SANITIZER (e.g. "Address;Undefined")
#   POTQ_CMAKE_ARGS extra configure arguments
# Holds /tmp/potq-build.lock while building, so that two builds never run at
# once on the machine (POTQ_BUILD_LOCK names another lock file; empty: none).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${POTQ_BUILD_DIR:-build}
JOBS=${POTQ_JOBS:-2}

lock="${POTQ_BUILD_LOCK-/tmp/potq-build.lock}"
if [ -n "$lock" ]; then
  exec 9>"$lock"
  flock 9
fi

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  extra=()
  [ -n "${POTQ_SANITIZE:-}" ] && extra+=("-DLLVM_USE_SANITIZER=$POTQ_SANITIZE")
  # shellcheck disable=SC2206
  [ -n "${POTQ_CMAKE_ARGS:-}" ] && extra+=(${POTQ_CMAKE_ARGS})
  cmake -G Ninja -S . -B "$BUILD_DIR" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DLLVM_USE_LINKER=lld \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    "${extra[@]}"
fi
ninja -C "$BUILD_DIR" -j "$JOBS" "$@"
