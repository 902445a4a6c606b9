//===- Passes.h - potq conversion passes ------------------------*- C++ -*-===//

#ifndef POTQ_CONVERSION_PASSES_H
#define POTQ_CONVERSION_PASSES_H

#include "potq/Support/LLVM.h"

#include "potq/Conversion/PotqToLinalg/PotqToLinalg.h"
#include "potq/Conversion/QatToPotq/QatToPotq.h"
#include "potq/Dialect/Potq/IR/PotqDialect.h"

#include "mlir/Pass/Pass.h"

namespace potq {

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "potq/Conversion/Passes.h.inc"

} // namespace potq

#endif // POTQ_CONVERSION_PASSES_H
