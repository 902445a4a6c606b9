//===- ContractionWeights.h - Constant contraction weights ------*- C++ -*-===//
//
// The bit-sparsity passes (potq-recode-weights, potq-cost-report) look at
// every potq contraction through one view: its operands, the weight's
// channel axis, and the weight levels as a [rows][output channels] matrix.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_LIB_DIALECT_POTQ_TRANSFORMS_CONTRACTIONWEIGHTS_H
#define POTQ_LIB_DIALECT_POTQ_TRANSFORMS_CONTRACTIONWEIGHTS_H

#include "potq/Support/LLVM.h"

#include "potq/Dialect/Potq/IR/PotqOps.h"

#include <optional>
#include <string>
#include <vector>

namespace potq {

/// A potq contraction (matmul, batch_matmul, the three convolutions).
struct ContractionView {
  Operation *op = nullptr;
  Value input, weight, bias, result;
  /// Weight dimension indexed by output channels.
  int64_t weightChannelAxis = 0;
  /// False for depthwise convolutions: each output channel reads its own
  /// input channel, so nothing is shared across output channels.
  bool channelsShareInput = true;
  /// Leading weight dimensions that index independent weight matrices
  /// (the batch of batch_matmul), else 0.
  unsigned groupDims = 0;
  /// Accumulator width in bits (32, or 64 for wide accumulators).
  unsigned accumulatorBits = 32;
};

/// The view of `op`, or std::nullopt if it is not a potq contraction.
std::optional<ContractionView> getContractionView(Operation *op);

/// Calls `fn(view, name)` for every potq contraction under `root`, in
/// order. `name` is "@func #index op-name", with `index` counting the
/// contractions of the enclosing function.
void walkContractions(
    Operation *root,
    llvm::function_ref<void(const ContractionView &, const std::string &)> fn);

/// The levels of a potq.constant, row-major. Callers check its size against
/// potq/Limits.h first.
std::vector<int64_t> readLevels(ConstantOp constant);

/// The weight levels of `view` (a potq.constant of shape `shape`) rearranged
/// as groups of [rows][channels] matrices, channels = shape[channel axis].
struct WeightMatrix {
  std::vector<int64_t> levels; // groups * rows * channels, row-major
  /// `rows` counts the rows of one group.
  int64_t groups = 1, rows = 0, channels = 0;
};
WeightMatrix toWeightMatrix(const ContractionView &view,
                            const std::vector<int64_t> &levels);
/// The groups, rows and channels of `view`'s weight matrix, without its
/// levels (a splat weight is never expanded); sizes saturate at INT64_MAX.
WeightMatrix weightMatrixShape(const ContractionView &view);

} // namespace potq

#endif // POTQ_LIB_DIALECT_POTQ_TRANSFORMS_CONTRACTIONWEIGHTS_H
