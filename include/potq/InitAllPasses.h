//===- InitAllPasses.h - Register the passes potq tools expose --*- C++ -*-===//
//
// potq's own passes and the upstream passes its pipelines are built from.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_INITALLPASSES_H
#define POTQ_INITALLPASSES_H

#include "potq/Support/LLVM.h"

#include "potq/Conversion/Passes.h"
#include "potq/Dialect/Potq/Transforms/Passes.h"
#include "potq/Dialect/Qat/Transforms/Passes.h"
#include "potq/Pipelines/Pipelines.h"
#include "potq/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"

namespace potq {

/// Registers potq's passes and the upstream passes its pipelines use, so
/// that they are available by flag in `potq-opt`.
inline void registerAllPasses() {
  // Upstream passes potq pipelines are built from, usable one by one:
  // canonicalize/cse/..., bufferization, linalg, memref and the conversions.
  mlir::registerTransformsPasses();
  mlir::bufferization::registerBufferizationPasses();
  mlir::registerLinalgPasses();
  mlir::memref::registerMemRefPasses();
  mlir::registerConversionPasses();
  registerPotqConversionPasses();
  registerPotqTransformsPasses();
  registerQatTransformsPasses();
  registerPotqGenericTransformsPasses();
  registerPotqPipelines();
}

} // namespace potq

#endif // POTQ_INITALLPASSES_H
