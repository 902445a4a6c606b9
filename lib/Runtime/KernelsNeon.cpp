//===- KernelsNeon.cpp - AArch64 NEON kernels (ARMv8.0) and detection -----===//
//
// Baseline AArch64 (NEON is mandatory there). The DOT kernel uses SDOT from
// KernelsNeonDot.cpp when the CPU has the dotprod extension (HWCAP_ASIMDDP),
// smull/sadalp otherwise.
//
//===----------------------------------------------------------------------===//

#define POTQ_NEON_DOTPROD 0
#include "KernelsNeon.inc"

#include <sys/auxv.h>

#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1 << 20)
#endif

bool potq::runtime::neonHasDotProd() {
  static const bool has = (getauxval(AT_HWCAP) & HWCAP_ASIMDDP) != 0;
  return has;
}

const KernelSet &potq::runtime::neonKernels() {
  static const KernelSet base{dotNeon, shiftAddNeon};
  return neonHasDotProd() ? neonDotKernels() : base;
}
