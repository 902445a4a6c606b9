//===- Passes.h - potq dialect transformations ------------------*- C++ -*-===//

#ifndef POTQ_DIALECT_POTQ_TRANSFORMS_PASSES_H
#define POTQ_DIALECT_POTQ_TRANSFORMS_PASSES_H

#include "potq/Support/LLVM.h"

#include "potq/Dialect/Potq/IR/PotqDialect.h"
#include "potq/Dialect/Potq/Transforms/PassEnums.h"

#include "mlir/Pass/Pass.h"

namespace potq {

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "potq/Dialect/Potq/Transforms/Passes.h.inc"

} // namespace potq

#endif // POTQ_DIALECT_POTQ_TRANSFORMS_PASSES_H
