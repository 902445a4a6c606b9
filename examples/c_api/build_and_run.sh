#!/usr/bin/env bash
# Compiles the Fashion-MNIST network ahead of time and runs it from C:
#   potq-opt --potq-qat-to-shift-add    QAT graph -> integer shift-add IR
#   potq-translate --emit=obj|header    -> mlp.o + mlp.h (fixed batch)
#   clang-22 main.c mlp.o -lm           -> a native program, no MLIR runtime
# then runs it on the first test images (examples/fashion_mnist/
# prepare_data.py, from the Debian package dataset-fashion-mnist).
#
#   examples/c_api/build_and_run.sh [OUTDIR]
#
# Environment: POTQ_BUILD_DIR (default build), POTQ_EXAMPLE (default
# mlp_pot4), POTQ_BATCH (the compiled batch size, default 8), POTQ_LIMIT
# (images to run, default 20), POTQ_PRESET (potq-translate --preset, default
# the host's generic CPU), CC (default clang-22), POTQ_RUNNER (a command
# prefix for the program). Cross-compiled to AArch64 and run under qemu:
#   POTQ_PRESET=aarch64 CC="clang-22 --target=aarch64-linux-gnu -fuse-ld=lld" \
#   POTQ_RUNNER="qemu-aarch64 -L /usr/aarch64-linux-gnu" examples/c_api/build_and_run.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${POTQ_BUILD_DIR:-$ROOT/build}
OUT=${1:-$BUILD/c_api}
EXAMPLE=${POTQ_EXAMPLE:-mlp_pot4}
BATCH=${POTQ_BATCH:-8}
LIMIT=${POTQ_LIMIT:-20}
CC=${CC:-clang-22}
PRESET=()
if [[ -n "${POTQ_PRESET:-}" ]]; then PRESET=(--preset="$POTQ_PRESET"); fi
mkdir -p "$OUT"

set -x
"$BUILD/bin/potq-opt" "$ROOT/examples/fashion_mnist/$EXAMPLE.mlir" \
  --potq-qat-to-shift-add -o "$OUT/mlp.int.mlir"
"$BUILD/bin/potq-translate" "$OUT/mlp.int.mlir" --emit=obj "${PRESET[@]}" \
  --dynamic-dim-size="$BATCH" -o "$OUT/mlp.o"
"$BUILD/bin/potq-translate" "$OUT/mlp.int.mlir" --emit=header \
  --dynamic-dim-size="$BATCH" -o "$OUT/mlp.h"
$CC -std=c99 -O2 -Wall -Wextra -Werror -I"$OUT" \
  "$ROOT/examples/c_api/main.c" "$OUT/mlp.o" -lm -o "$OUT/mlp"
/usr/bin/python3 "$ROOT/examples/fashion_mnist/prepare_data.py" "$OUT" \
  --limit "$LIMIT"
${POTQ_RUNNER:-} "$OUT/mlp" "$OUT/images.npy" --labels "$OUT/labels.npy" \
  --logits "$OUT/logits.npy"
