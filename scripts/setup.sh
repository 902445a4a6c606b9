#!/usr/bin/env bash
# Installs every Debian 12 package potq needs to build, test, benchmark, train
# and run its examples. Idempotent: does nothing when all packages are
# present. Run as root.
#   scripts/setup.sh
# (--training, which once added PyTorch, is still accepted and does nothing:
# the Python package and its tests need PyTorch, so it is always installed.)
set -euo pipefail

PACKAGES=(
  cmake ninja-build
  clang-22 lld-22 llvm-22-dev libmlir-22-dev mlir-22-tools
  clang-format-22                # scripts/check-format.sh
  libclang-rt-22-dev             # -fsanitize=address/undefined/fuzzer runtimes
  libgtest-dev googletest
  python3 python3-numpy          # lit helpers, example data and accuracy
  pybind11-dev                   # the Python extension potq._potq (python/)
  python3-pytest                 # python/tests, run by ctest
  python3-torch                  # potq.nn, potq.export, training
  python3-tqdm python3-matplotlib  # training progress and plots (examples)
  dataset-fashion-mnist          # the example network's test set
  libdnnl-dev                    # bench/: oneDNN int8/fp32 peers
  ocl-icd-opencl-dev             # dnnl-config.cmake calls find_package(OpenCL)
  qemu-user libc6-dev-arm64-cross libgcc-12-dev-arm64-cross
  libstdc++-12-dev-arm64-cross   # AArch64 cross builds run under qemu
)

case "${1:-}" in
  ""|--training) ;;
  *) echo "usage: scripts/setup.sh" >&2; exit 2 ;;
esac

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing packages: ${missing[*]}; run this script as root to install them" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
