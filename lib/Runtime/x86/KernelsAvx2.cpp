//===- KernelsAvx2.cpp - AVX2 kernels (vpmaddwd), compiled with -mavx2 ----===//

#define POTQ_AVXVNNI 0
#include "KernelsAvx2.inc"

#include "Kernels.h"

void potq::runtime::x86::avx2Dot(const GemmTask &t, int64_t m0, int64_t m1,
                                 int64_t p0, int64_t p1) {
  dotAvx2(t, m0, m1, p0, p1);
}

void potq::runtime::x86::avx2ShiftAdd(const GemmTask &t, int64_t m0, int64_t m1,
                                      int64_t p0, int64_t p1) {
  shiftAddAvx2(t, m0, m1, p0, p1);
}
