#!/usr/bin/env bash
# Checks that the C and C++ lines changed since BASE follow .clang-format
# (LLVM style). Only changed lines: the tree predates the check, and
# reformatting untouched code would bury real changes in noise.
#   scripts/check-format.sh [BASE]   (default HEAD~1: the last commit and any
#                                     uncommitted changes)
# Prints the diff clang-format wants and exits 1 when a line is off;
# `git clang-format-22 BASE` applies it. Also checks, in every tracked C, C++
# and TableGen file, the LLVM file banner: one line of exactly 80 columns,
# `//===- Name - Description ---...-*- C++ -*-===//` (C headers: `/*===-`),
# which clang-format splits when it is longer.
set -euo pipefail
cd "$(dirname "$0")/.."

banners=$(git ls-files '*.h' '*.c' '*.cpp' '*.td' | while read -r f; do
  first=$(head -n 1 "$f")
  if [ "${#first}" -ne 80 ] || ! [[ "$first" =~ ^(//|/\*)===-.*===//$ ]]; then
    echo "$f:1: file banner is not one 80-column '//===- ... ===//' line"
  fi
done)
if [ -n "$banners" ]; then
  echo "$banners" >&2
  exit 1
fi

base=${1:-HEAD~1}
if ! git rev-parse --verify -q "$base^{commit}" >/dev/null; then
  echo "check-format: no commit $base to compare with; nothing to check"
  exit 0
fi

out=$(git-clang-format-22 --binary clang-format-22 --diff "$base" \
        -- '*.h' '*.cpp' '*.c' '*.inc' 2>&1) || true
case "$out" in
  "" | "no modified files to format" | "clang-format did not modify any files")
    echo "check-format: lines changed since $base follow .clang-format"
    exit 0 ;;
esac
echo "$out"
echo "check-format: the lines above changed since $base do not follow" \
     ".clang-format; run: git clang-format-22 $base" >&2
exit 1
