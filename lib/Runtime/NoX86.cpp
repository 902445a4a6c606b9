//===- NoX86.cpp - Kernel tables on non-x86 hosts: scalar only ------------===//

#include "Internal.h"

using namespace potq::runtime;

const KernelSet &potq::runtime::avx2Kernels() { return scalarKernels(); }
const KernelSet &potq::runtime::avxVnniKernels() { return scalarKernels(); }
const KernelSet &potq::runtime::avx512Kernels() { return scalarKernels(); }
