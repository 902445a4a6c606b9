//===- InitAllDialects.h - Register potq and the dialects it uses -*- C++ -*-===//
//
// The one call a tool or an embedding compiler makes to get the potq dialect
// and every upstream dialect that potq input graphs and pipelines use.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_INITALLDIALECTS_H
#define POTQ_INITALLDIALECTS_H

#include "potq/Dialect/Potq/IR/PotqDialect.h"
#include "potq/Dialect/Qat/IR/QatOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"

namespace mlir::potq {

/// Adds the potq dialects and the upstream dialects of potq's input graphs
/// and lowering pipelines to `registry`.
inline void registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<mlir::potq::PotqDialect, mlir::qat::QatDialect>();
  registry.insert<mlir::arith::ArithDialect, mlir::bufferization::BufferizationDialect,
                  mlir::func::FuncDialect, mlir::linalg::LinalgDialect,
                  mlir::math::MathDialect, mlir::memref::MemRefDialect,
                  mlir::scf::SCFDialect, mlir::tensor::TensorDialect>();
}

} // namespace mlir::potq

#endif // POTQ_INITALLDIALECTS_H
