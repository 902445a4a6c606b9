//===- Passes.h - qat dialect transformations -------------------*- C++ -*-===//

#ifndef POTQ_DIALECT_QAT_TRANSFORMS_PASSES_H
#define POTQ_DIALECT_QAT_TRANSFORMS_PASSES_H

#include "potq/Support/LLVM.h"

#include "potq/Dialect/Qat/IR/QatOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace potq {

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "potq/Dialect/Qat/Transforms/Passes.h.inc"

} // namespace potq

#endif // POTQ_DIALECT_QAT_TRANSFORMS_PASSES_H
