//===- Kernels.h - The x86-64 kernels of each kernel set --------*- C++ -*-===//
//
// Each translation unit here is compiled with its ISA's -m flags (see
// lib/Runtime/CMakeLists.txt) and exports only these entry points;
// KernelSets.cpp, compiled without them, detects the host's features and
// lists the kernel sets built from them.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_LIB_RUNTIME_X86_KERNELS_H
#define POTQ_LIB_RUNTIME_X86_KERNELS_H

#include "Internal.h"

namespace potq::runtime::x86 {

// KernelsAvx512.cpp (-mavx512f/bw/vl/vbmi/vnni): DOT with vpdpbusd zmm.
void avx512Dot(const GemmTask &t, int64_t m0, int64_t m1, int64_t p0,
               int64_t p1);
void avx512RowSums(const int8_t *X, int64_t ldx, int64_t K, int64_t m0,
                   int64_t m1, int32_t *out);
void avx512ConvRowSums(const ConvGeom &cg, int32_t zx, int64_t m0, int64_t m1,
                       int32_t *out);
// KernelsAvx512ShiftAdd.cpp (the same flags): SHIFT_ADD with vpsllvd zmm.
void avx512ShiftAdd(const GemmTask &t, int64_t m0, int64_t m1, int64_t p0,
                    int64_t p1);

// KernelsAvxVnni.cpp (-mavx2 -mfma -mavxvnni): vpdpbusd ymm.
void avxVnniDot(const GemmTask &t, int64_t m0, int64_t m1, int64_t p0,
                int64_t p1);
void avxVnniShiftAdd(const GemmTask &t, int64_t m0, int64_t m1, int64_t p0,
                     int64_t p1);

// KernelsAvx2.cpp (-mavx2 -mfma): vpmaddwd.
void avx2Dot(const GemmTask &t, int64_t m0, int64_t m1, int64_t p0, int64_t p1);
void avx2ShiftAdd(const GemmTask &t, int64_t m0, int64_t m1, int64_t p0,
                  int64_t p1);

} // namespace potq::runtime::x86

#endif // POTQ_LIB_RUNTIME_X86_KERNELS_H
