#!/usr/bin/env bash
# The main job: install, build, and run potq-opt on the example network,
# printing the canonicalized IR (float weights folded into potq levels).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build.sh potq-opt
echo "== potq-opt --canonicalize examples/mlp_layer.mlir"
build/bin/potq-opt --canonicalize examples/mlp_layer.mlir
