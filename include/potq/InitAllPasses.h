//===- InitAllPasses.h - Register the passes potq tools expose --*- C++ -*-===//
//
// potq's own passes and the upstream passes its pipelines are built from.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_INITALLPASSES_H
#define POTQ_INITALLPASSES_H

#include "potq/Conversion/Passes.h"
#include "potq/Dialect/Potq/Transforms/Passes.h"

#include "mlir/Transforms/Passes.h"

namespace mlir::potq {

/// Registers potq's passes and the upstream passes its pipelines use, so
/// that they are available by flag in `potq-opt`.
inline void registerAllPasses() {
  // Upstream generic transforms: canonicalize, cse, symbol-dce, inline, ...
  mlir::registerTransformsPasses();
  registerPotqConversionPasses();
  registerPotqTransformsPasses();
}

} // namespace mlir::potq

#endif // POTQ_INITALLPASSES_H
