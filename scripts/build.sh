#!/usr/bin/env bash
# Configures (once) and builds potq into build/ with clang-22, lld and ninja.
# POTQ_BUILD_DIR and POTQ_JOBS override the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${POTQ_BUILD_DIR:-build}
JOBS=${POTQ_JOBS:-2}

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -G Ninja -S . -B "$BUILD_DIR" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DLLVM_USE_LINKER=lld \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir
fi
ninja -C "$BUILD_DIR" -j "$JOBS" "$@"
