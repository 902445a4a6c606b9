//===- KernelSets.cpp - The AArch64 kernel sets and dotprod detection -----===//
//
// NEON (ASIMD) is mandatory on AArch64, so POTQ_ISA_NEON is always served:
// by the SDOT kernels when the CPU has the dotprod extension (HWCAP_ASIMDDP,
// checked once), else by the ARMv8.0 ones. One binary runs on every AArch64
// CPU.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"
#include "potq/Runtime/Runtime.h"

#include <sys/auxv.h>

#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1 << 20)
#endif

using namespace potq::runtime;
using namespace potq::runtime::aarch64;

static bool hasDotProd() {
  static const bool has = (getauxval(AT_HWCAP) & HWCAP_ASIMDDP) != 0;
  return has;
}

static bool always() { return true; }

/// DOT: int8 levels times the raw int8 X (int8 x int8 is exact), no row
/// sums; SHIFT_ADD: sshl / eor / add on X - zx.
static const KernelSet neonDotprodSet = {
    POTQ_ISA_NEON,
    hasDotProd,
    {neonDotprodDot, InputFormat::S8, 2, nullptr, nullptr},
    {neonDotprodShiftAdd, InputFormat::I32, 2, nullptr, nullptr}};

static const KernelSet neonSet = {
    POTQ_ISA_NEON,
    always,
    {neonDot, InputFormat::S8, 2, nullptr, nullptr},
    {neonShiftAdd, InputFormat::I32, 2, nullptr, nullptr}};

const KernelSet *const *potq::runtime::archKernelSets() {
  static const KernelSet *const sets[] = {&neonDotprodSet, &neonSet, nullptr};
  return sets;
}
