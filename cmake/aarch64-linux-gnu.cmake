# Toolchain file: AArch64 Linux with clang-22 and lld, no sysroot (Debian's
# cross packages: libc6-dev-arm64-cross, libgcc-12-dev-arm64-cross,
# libstdc++-12-dev-arm64-cross). Binaries run under
# `qemu-aarch64 -L /usr/aarch64-linux-gnu` (CMAKE_CROSSCOMPILING_EMULATOR).
# Used by scripts/cross-aarch64.sh (see docs/Runtime.md, "AArch64 NEON").
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(POTQ_CROSS_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER clang-22)
set(CMAKE_CXX_COMPILER clang++-22)
set(CMAKE_C_COMPILER_TARGET ${POTQ_CROSS_TRIPLE})
set(CMAKE_CXX_COMPILER_TARGET ${POTQ_CROSS_TRIPLE})
set(CMAKE_EXE_LINKER_FLAGS_INIT "-fuse-ld=lld")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-fuse-ld=lld")
set(CMAKE_AR llvm-ar-22 CACHE FILEPATH "")
set(CMAKE_RANLIB llvm-ranlib-22 CACHE FILEPATH "")
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64;-L;/usr/${POTQ_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH /usr/${POTQ_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
