//===- ContractionWeights.h - Contraction weight matrices -------*- C++ -*-===//
//
// The bit-sparsity passes (potq-recode-weights, potq-cost-report) see every
// potq contraction through ContractionOpInterface and its weight levels as
// a [rows][output channels] matrix.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_LIB_DIALECT_POTQ_TRANSFORMS_CONTRACTIONWEIGHTS_H
#define POTQ_LIB_DIALECT_POTQ_TRANSFORMS_CONTRACTIONWEIGHTS_H

#include "potq/Dialect/Potq/IR/PotqOps.h"

#include <string>
#include <vector>

namespace potq {

/// Calls `fn(op, name)` for every potq contraction under `root`, in order.
/// `name` is "@func #index op-name", with `index` counting the
/// contractions of the enclosing function.
void walkContractions(
    Operation *root,
    function_ref<void(ContractionOpInterface, const std::string &)> fn);

/// The weight levels of `op` (a potq.constant's levels, row-major)
/// rearranged as groups of [rows][channels] matrices, channels = the size
/// of the weight's channel axis and one group per index of its group
/// dimensions.
struct WeightMatrix {
  std::vector<int64_t> levels; // groups * rows * channels, row-major
  /// `rows` counts the rows of one group.
  int64_t groups = 1, rows = 0, channels = 0;
};
WeightMatrix toWeightMatrix(ContractionOpInterface op,
                            const std::vector<int64_t> &levels);
/// The groups, rows and channels of `op`'s weight matrix, without its
/// levels (a splat weight is never expanded); sizes saturate at INT64_MAX.
WeightMatrix weightMatrixShape(ContractionOpInterface op);

} // namespace potq

#endif // POTQ_LIB_DIALECT_POTQ_TRANSFORMS_CONTRACTIONWEIGHTS_H
