#!/usr/bin/env bash
# Installs, builds and runs every test: gtest unit tests and the lit suite,
# through ctest (which prints the closing "N tests failed out of M" line).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build.sh all
ctest --test-dir "${POTQ_BUILD_DIR:-build}" --output-on-failure -j 2
