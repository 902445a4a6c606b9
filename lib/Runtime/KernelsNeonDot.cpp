//===- KernelsNeonDot.cpp - AArch64 NEON + SDOT (ARMv8.2 dotprod) ---------===//
//
// Compiled with +dotprod; called only when getauxval(AT_HWCAP) reports
// HWCAP_ASIMDDP (see KernelsNeon.cpp).
//
//===----------------------------------------------------------------------===//

#define POTQ_NEON_DOTPROD 1
#include "KernelsNeon.inc"

const KernelSet &potq::runtime::neonDotKernels() {
  static const KernelSet set{dotNeon, shiftAddNeon};
  return set;
}
