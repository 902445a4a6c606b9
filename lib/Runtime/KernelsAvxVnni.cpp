//===- KernelsAvxVnni.cpp - AVX2 + AVX-VNNI kernels (vpdpbusd ymm) --------===//

#define POTQ_AVXVNNI 1
#include "KernelsAvx2.inc"

const potq::runtime::KernelSet &potq::runtime::avxVnniKernels() {
  static const KernelSet set{dotAvx2, shiftAddAvx2};
  return set;
}
