//===- KernelsNeonDot.cpp - AArch64 NEON + SDOT (ARMv8.2 dotprod) ---------===//
//
// Compiled with +dotprod; called only when getauxval(AT_HWCAP) reports
// HWCAP_ASIMDDP (see KernelSets.cpp).
//
//===----------------------------------------------------------------------===//

#define POTQ_NEON_DOTPROD 1
#include "KernelsNeon.inc"

#include "Kernels.h"

void potq::runtime::aarch64::neonDotprodDot(const GemmTask &t, int64_t m0,
                                            int64_t m1, int64_t p0,
                                            int64_t p1) {
  dotNeon(t, m0, m1, p0, p1);
}

void potq::runtime::aarch64::neonDotprodShiftAdd(const GemmTask &t, int64_t m0,
                                                 int64_t m1, int64_t p0,
                                                 int64_t p1) {
  shiftAddNeon(t, m0, m1, p0, p1);
}
