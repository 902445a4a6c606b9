//===- KernelSets.cpp - The x86-64 kernel sets and CPU detection ----------===//
//
// Compiled without ISA flags: only detection runs here, so the library loads
// and answers on any x86-64. Best first: AVX-512, AVX-VNNI, AVX2.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"
#include "potq/Runtime/Runtime.h"

using namespace potq::runtime;
using namespace potq::runtime::x86;

static bool hasAvx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") &&
         __builtin_cpu_supports("avx512vbmi") &&
         __builtin_cpu_supports("avx512vnni");
}

static bool hasAvxVnni() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("avxvnni");
}

static bool hasAvx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}

/// DOT: decoded levels + 128 (u8) times the raw int8 X, corrected by the
/// row sums; 4-panel microkernel; convolutions read in place.
static const KernelSet avx512Set = {
    POTQ_ISA_AVX512,
    hasAvx512,
    {avx512Dot, InputFormat::S8, 4, avx512RowSums, avx512ConvRowSums},
    {avx512ShiftAdd, InputFormat::I32, 2, nullptr, nullptr}};

/// DOT: X ^ 0x80 (u8) times the int8 levels.
static const KernelSet avxVnniSet = {
    POTQ_ISA_AVXVNNI,
    hasAvxVnni,
    {avxVnniDot, InputFormat::U8, 2, nullptr, nullptr},
    {avxVnniShiftAdd, InputFormat::I32, 2, nullptr, nullptr}};

/// DOT: X and the levels widened to int16.
static const KernelSet avx2Set = {
    POTQ_ISA_AVX2,
    hasAvx2,
    {avx2Dot, InputFormat::I16, 2, nullptr, nullptr},
    {avx2ShiftAdd, InputFormat::I32, 2, nullptr, nullptr}};

const KernelSet *const *potq::runtime::archKernelSets() {
  static const KernelSet *const sets[] = {&avx512Set, &avxVnniSet, &avx2Set,
                                          nullptr};
  return sets;
}
