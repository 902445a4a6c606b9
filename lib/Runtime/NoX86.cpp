//===- NoX86.cpp - Kernel tables on non-x86 hosts: scalar only ------------===//

#include "Internal.h"

#include <cstdio>
#include <cstdlib>

using namespace potq::runtime;

[[noreturn]] static void unreachable(const char *what) {
  std::fprintf(stderr,
               "potq runtime: internal error: %s called on a non-x86 "
               "host\n",
               what);
  std::fflush(stderr);
  std::abort();
}

const KernelSet &potq::runtime::avx2Kernels() { return scalarKernels(); }
const KernelSet &potq::runtime::avxVnniKernels() { return scalarKernels(); }
const KernelSet &potq::runtime::avx512Kernels() { return scalarKernels(); }

void potq::runtime::avx512RowSums(const int8_t *X, int64_t ldx, int64_t K,
                                  int64_t m0, int64_t m1, int32_t *out) {
  for (int64_t m = m0; m < m1; ++m) {
    uint32_t s = 0;
    for (int64_t k = 0; k < K; ++k)
      s += uint32_t(int32_t(X[m * ldx + k]));
    out[m] = int32_t(s);
  }
}

void potq::runtime::avx512ConvRowSums(const ConvGeom &, int32_t, int64_t,
                                      int64_t, int32_t *) {
  // Unreachable: implicit im2col runs only on AVX-512.
  unreachable("avx512ConvRowSums");
}

void potq::runtime::avx512ShiftAdd(const GemmTask &, int64_t, int64_t, int64_t,
                                   int64_t) {
  // Unreachable: the AVX-512 kernel table is the scalar one here.
  unreachable("avx512ShiftAdd");
}
