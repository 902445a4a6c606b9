//===- Passes.h - potq dialect transformations ------------------*- C++ -*-===//

#ifndef POTQ_DIALECT_POTQ_TRANSFORMS_PASSES_H
#define POTQ_DIALECT_POTQ_TRANSFORMS_PASSES_H

#include "potq/Dialect/Potq/IR/PotqDialect.h"

#include "mlir/Pass/Pass.h"

namespace mlir::potq {

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "potq/Dialect/Potq/Transforms/Passes.h.inc"

} // namespace mlir::potq

#endif // POTQ_DIALECT_POTQ_TRANSFORMS_PASSES_H
