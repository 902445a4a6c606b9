#!/usr/bin/env bash
# Installs, builds and runs every test: gtest unit tests and the lit suite,
# through ctest (which prints the closing "N tests failed out of M" line),
# then one line per test the hardware could not run (UNSUPPORTED lit tests
# and skipped gtests) with the reason. A missing package is never a reason:
# such tests fail (test/lit.cfg.py). Last, the formatting of the lines the
# last commit changed (scripts/check-format.sh; POTQ_FORMAT_BASE names another
# base commit).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${POTQ_BUILD_DIR:-build}
scripts/setup.sh
scripts/build.sh all

status=0
ctest --test-dir "$BUILD_DIR" --output-on-failure -j 2 || status=$?
scripts/skipped-tests.sh "$BUILD_DIR/Testing/Temporary/LastTest.log"
scripts/check-format.sh "${POTQ_FORMAT_BASE:-HEAD~1}" || status=1
exit "$status"
