//===- PatternsInternal.h - Pattern groups of the potq lowering -*- C++ -*-===//

#ifndef POTQ_LIB_CONVERSION_POTQTOLINALG_PATTERNSINTERNAL_H
#define POTQ_LIB_CONVERSION_POTQTOLINALG_PATTERNSINTERNAL_H

#include "potq/Support/LLVM.h"

#include "potq/Conversion/PotqToLinalg/PotqToLinalg.h"
#include "potq/Dialect/Potq/IR/PotqOps.h"

#include "mlir/Transforms/DialectConversion.h"

namespace potq::lowering {

/// potq.constant, quantize, dequantize, requantize.
void populateElementwiseLoweringPatterns(const mlir::TypeConverter &converter,
                                         mlir::RewritePatternSet &patterns);

/// How contractions accumulate: shift-add linalg.generic loops, or calls
/// into the native kernel runtime (PotqRuntime) for eligible ones.
using KernelOptions = ContractionKernelOptions;

/// Every ContractionOpInterface op (ContractionLowering.cpp).
void populateContractionLoweringPatterns(const mlir::TypeConverter &converter,
                                         mlir::RewritePatternSet &patterns,
                                         const KernelOptions &kernels = {});

/// kernels=runtime: the i32 accumulators of `op` computed by the native
/// kernel runtime from `input` (the converted input), or null when `op`
/// cannot call it; with `kernels.report`, a remark says which (and why).
/// RuntimeKernels.cpp.
mlir::Value
accumulateWithRuntimeKernels(ContractionOpInterface op, mlir::Value input,
                             const KernelOptions &kernels,
                             mlir::ConversionPatternRewriter &rewriter);

/// potq.max_pool_2d_nhwc, potq.avg_pool_2d_nhwc.
void populatePoolingLoweringPatterns(const mlir::TypeConverter &converter,
                                     mlir::RewritePatternSet &patterns);

/// Emit a diagnostic and fail for ops the patterns cannot lower; the pass
/// runs these first so that users see one precise error.
mlir::LogicalResult verifyContractionLowerable(mlir::Operation *op);
mlir::LogicalResult verifyQuantizeLowerable(QuantizeOp op);
mlir::LogicalResult verifyPoolingLowerable(mlir::Operation *op);

} // namespace potq::lowering

#endif // POTQ_LIB_CONVERSION_POTQTOLINALG_PATTERNSINTERNAL_H
