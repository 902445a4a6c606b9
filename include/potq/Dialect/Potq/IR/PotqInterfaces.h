//===- PotqInterfaces.h - potq op interfaces --------------------*- C++ -*-===//
//
// SlidingWindowOpInterface and ContractionOpInterface (PotqInterfaces.td).
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_DIALECT_POTQ_IR_POTQINTERFACES_H
#define POTQ_DIALECT_POTQ_IR_POTQINTERFACES_H

#include "potq/Support/LLVM.h"

#include "potq/Dialect/Potq/IR/PotqTypes.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpDefinition.h"

namespace potq::detail {
/// `values` if given, else `count` ones: strides and dilations default to 1.
SmallVector<int64_t, 2> windowValues(mlir::DenseI64ArrayAttr values,
                                     unsigned count);
/// `values` if given, else `2 * count` zeros: no padding.
SmallVector<int64_t, 4> paddingValues(mlir::DenseI64ArrayAttr values,
                                      unsigned count);

// Default implementations of ContractionOpInterface, derived from the
// indexing maps and the channel axes of `op` (a contraction).
SmallVector<mlir::utils::IteratorType>
getContractionIteratorTypes(Operation *op);
unsigned getContractionNumGroupDims(Operation *op);
bool contractionChannelsShareInput(Operation *op);
int64_t getContractionReductionSize(Operation *op,
                                    ArrayRef<int64_t> weightShape);

/// The ContractionOpInterface verifier: what every contraction checks
/// (SPEC section 6), with the op's own shape rule (inferResultShape).
LogicalResult verifyContractionOp(Operation *op);
} // namespace potq::detail

#include "potq/Dialect/Potq/IR/PotqInterfaces.h.inc"

#endif // POTQ_DIALECT_POTQ_IR_POTQINTERFACES_H
