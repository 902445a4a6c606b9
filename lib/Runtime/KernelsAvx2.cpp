//===- KernelsAvx2.cpp - AVX2 kernels (vpmaddwd), compiled with -mavx2 ----===//

#define POTQ_AVXVNNI 0
#include "KernelsAvx2.inc"

const potq::runtime::KernelSet &potq::runtime::avx2Kernels() {
  static const KernelSet set{dotAvx2, shiftAddAvx2};
  return set;
}
