//===- Passes.h - potq's dialect-independent passes -------------*- C++ -*-===//

#ifndef POTQ_TRANSFORMS_PASSES_H
#define POTQ_TRANSFORMS_PASSES_H

#include "potq/Support/LLVM.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace potq {

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "potq/Transforms/Passes.h.inc"

/// potq-specialize-dynamic-dims{size=`size`} for a tool that sets the size
/// its own way: its diagnostics name the size `sizeName` (potq-translate:
/// "--dynamic-dim-size") instead of "potq-specialize-dynamic-dims size".
std::unique_ptr<Pass> createPotqSpecializeDynamicDims(int64_t size,
                                                      StringRef sizeName);

} // namespace potq

#endif // POTQ_TRANSFORMS_PASSES_H
