//===- Kernels.h - The AArch64 kernels of each kernel set -------*- C++ -*-===//
//
// KernelsNeon.inc is one body compiled twice: KernelsNeon.cpp for baseline
// ARMv8.0 NEON (smull/sadalp) and KernelsNeonDot.cpp with
// -march=armv8.2-a+dotprod (SDOT). Each exports only these entry points;
// KernelSets.cpp detects dotprod and lists the kernel sets.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_LIB_RUNTIME_AARCH64_KERNELS_H
#define POTQ_LIB_RUNTIME_AARCH64_KERNELS_H

#include "Internal.h"

namespace potq::runtime::aarch64 {

// KernelsNeon.cpp (ARMv8.0).
void neonDot(const GemmTask &t, int64_t m0, int64_t m1, int64_t p0, int64_t p1);
void neonShiftAdd(const GemmTask &t, int64_t m0, int64_t m1, int64_t p0,
                  int64_t p1);

// KernelsNeonDot.cpp (+dotprod; called only when the CPU has it).
void neonDotprodDot(const GemmTask &t, int64_t m0, int64_t m1, int64_t p0,
                    int64_t p1);
void neonDotprodShiftAdd(const GemmTask &t, int64_t m0, int64_t m1, int64_t p0,
                         int64_t p1);

} // namespace potq::runtime::aarch64

#endif // POTQ_LIB_RUNTIME_AARCH64_KERNELS_H
