//===- KernelsAvxVnni.cpp - AVX2 + AVX-VNNI kernels (vpdpbusd ymm) --------===//

#define POTQ_AVXVNNI 1
#include "KernelsAvx2.inc"

#include "Kernels.h"

void potq::runtime::x86::avxVnniDot(const GemmTask &t, int64_t m0, int64_t m1,
                                    int64_t p0, int64_t p1) {
  dotAvx2(t, m0, m1, p0, p1);
}

void potq::runtime::x86::avxVnniShiftAdd(const GemmTask &t, int64_t m0,
                                         int64_t m1, int64_t p0, int64_t p1) {
  shiftAddAvx2(t, m0, m1, p0, p1);
}
