//===- KernelsNeon.cpp - AArch64 NEON kernels (ARMv8.0) -------------------===//
//
// Baseline AArch64 (NEON is mandatory there): the DOT kernel multiplies with
// smull and accumulates with sadalp.
//
//===----------------------------------------------------------------------===//

#define POTQ_NEON_DOTPROD 0
#include "KernelsNeon.inc"

#include "Kernels.h"

void potq::runtime::aarch64::neonDot(const GemmTask &t, int64_t m0, int64_t m1,
                                     int64_t p0, int64_t p1) {
  dotNeon(t, m0, m1, p0, p1);
}

void potq::runtime::aarch64::neonShiftAdd(const GemmTask &t, int64_t m0,
                                          int64_t m1, int64_t p0, int64_t p1) {
  shiftAddNeon(t, m0, m1, p0, p1);
}
