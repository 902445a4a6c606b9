#!/usr/bin/env bash
# The main job: install, build, then compile the example network (an MLP
# trained with 4-bit power-of-two weights on Fashion-MNIST, saved as a QAT
# MLIR graph) to integer shift-add code and run it on the Fashion-MNIST test
# set from the installed Debian package. Prints the multiplies left in the
# compiled contractions and the accuracy of the float QAT graph and of the
# integer shift-add code, both compiled to native code by potq-run --jit.
# POTQ_EXAMPLE selects another exported network (e.g. mlp_apot4).
# The multiplies are counted in the shift-add IR (zero). The integer network
# then runs with its matmuls in the native kernel runtime (kernels=runtime,
# docs/Runtime.md), whose cost model picks decode-and-dot (int8 dot products,
# AVX-512 VNNI here) over the multiplierless shift-add kernels; results are
# identical. POTQ_KERNELS=loops runs the shift-add loops instead.
# Last, the Python package (python/potq, docs/Python.md) compiles and runs
# the same network in process and must give the same logits bit for bit.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build.sh potq-opt potq-run potq-python

EXAMPLE=${POTQ_EXAMPLE:-mlp_pot4}
KERNELS=${POTQ_KERNELS:-runtime}
NET=examples/fashion_mnist/$EXAMPLE.mlir
OUT=${POTQ_BUILD_DIR:-build}/fmnist
PY=/usr/bin/python3
mkdir -p "$OUT"

echo "== Fashion-MNIST test set"
$PY examples/fashion_mnist/prepare_data.py "$OUT"

echo "== potq-opt --potq-qat-to-shift-add $NET"
build/bin/potq-opt "$NET" --potq-qat-to-shift-add --potq-contraction-stats \
  -o "$OUT/$EXAMPLE.int.mlir"

echo "== float QAT graph (fake quantization lowered exactly), compiled"
build/bin/potq-run "$NET" --jit \
  --pipeline='builtin.module(potq-qat-to-shift-add{fuse=false})' \
  --input="$OUT/images.npy" --output="$OUT/$EXAMPLE.float.npy"
$PY examples/fashion_mnist/accuracy.py "$OUT/$EXAMPLE.float.npy" "$OUT/labels.npy"

echo "== integer code, compiled (contraction kernels: $KERNELS)"
build/bin/potq-opt "$NET" --potq-qat-to-shift-add="kernels=$KERNELS" \
  -o "$OUT/$EXAMPLE.$KERNELS.mlir"
build/bin/potq-run "$OUT/$EXAMPLE.$KERNELS.mlir" --jit --pipeline= \
  --input="$OUT/images.npy" --output="$OUT/$EXAMPLE.int.npy"
$PY examples/fashion_mnist/accuracy.py "$OUT/$EXAMPLE.int.npy" "$OUT/labels.npy" \
  --compare "$OUT/$EXAMPLE.float.npy"

echo "== the same through the Python package: potq.compile(...).run(images)"
if [ "$KERNELS" = runtime ]; then compare=(--compare "$OUT/$EXAMPLE.int.npy"); else compare=(); fi
PYTHONPATH=${POTQ_BUILD_DIR:-build}/python_packages $PY \
  examples/fashion_mnist/compile_and_run.py "$NET" "$OUT/images.npy" "$OUT/labels.npy" \
  "${compare[@]}"
