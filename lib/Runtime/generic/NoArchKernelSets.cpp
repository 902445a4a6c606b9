//===- NoArchKernelSets.cpp - No kernel sets beyond the scalar one --------===//
//
// Built on CPUs without kernels of their own (neither x86-64 nor AArch64):
// every ISA but POTQ_ISA_SCALAR is then unsupported (POTQ_ERR_ISA).
//
//===----------------------------------------------------------------------===//

#include "Internal.h"

const potq::runtime::KernelSet *const *potq::runtime::archKernelSets() {
  static const KernelSet *const none[] = {nullptr};
  return none;
}
