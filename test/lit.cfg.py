# -*- Python -*-
# lit configuration for the potq test suite.

import glob
import os
import shutil

import lit.formats
from lit.llvm import llvm_config

config.name = "POTQ"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.potq_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]
# The fuzz targets exist only in the sanitizer build (POTQ_ENABLE_FUZZERS,
# scripts/test-sanitized.sh), which runs test/Fuzz; a release build's suite
# leaves the directory out rather than reporting it UNSUPPORTED (that is
# kept for what the hardware lacks).
if str(getattr(config, "potq_enable_fuzzers", "")).upper() not in ("ON", "1", "TRUE", "YES"):
    config.excludes.append("Fuzz")

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(["potq-opt", "potq-run"], [config.potq_tools_dir])
llvm_config.add_tool_substitutions(["potq-translate"], [config.potq_tools_dir])
config.substitutions.append(("%python", "/usr/bin/python3"))
config.substitutions.append(("%potq_tools", config.potq_tools_dir))
config.substitutions.append(("%potq_src_root", config.potq_src_root))
# Static libraries that objects compiled with kernels=runtime link against.
config.substitutions.append(("%potq_runtime_libs", " ".join("--cc-flag=" + f for f in (
    os.path.join(config.potq_obj_root, "lib", "Runtime", "libPotqRuntime.a"),
    os.path.join(config.potq_obj_root, "lib", "Numerics", "libPotqNumerics.a"),
    "-lstdc++", "-lpthread"))))
# Host CPU features: the only reason a test may be UNSUPPORTED (REQUIRES:
# host-<flag>). scripts/test.sh prints which tests the hardware skipped.
config.available_features.update("host-" + f for f in ("avx2", "avx_vnni", "avx512f", "avx512bw", "avx512vl", "avx512vbmi", "avx512_vnni") if os.path.exists("/proc/cpuinfo") and (" %s " % f) in open("/proc/cpuinfo").read().replace("\n", " "))
# Packages that scripts/setup.sh installs are never a feature: a test that
# needs one fails when it is missing (a skipped test would hide a broken
# setup). Name what is missing up front so the failures are easy to read.
setup_files = {
    "qemu-user": shutil.which("qemu-aarch64"),
    "libc6-dev-arm64-cross": os.path.exists("/usr/aarch64-linux-gnu/lib/libc.so.6"),
    "libgcc-12-dev-arm64-cross": glob.glob("/usr/lib/gcc-cross/aarch64-linux-gnu/*/crtbeginS.o"),
    "libstdc++-12-dev-arm64-cross": glob.glob("/usr/aarch64-linux-gnu/include/c++/*/vector"),
    "libclang-rt-22-dev": glob.glob("/usr/lib/llvm-22/lib/clang/*/lib/linux/libclang_rt.asan*.a") or glob.glob("/usr/lib/llvm-22/lib/clang/*/lib/*/libclang_rt.asan*.a"),
}
missing = sorted(pkg for pkg, present in setup_files.items() if not present)
if missing:
    lit_config.warning("packages missing (tests that need them will FAIL; run scripts/setup.sh): " + " ".join(missing))
