//===- Index.h - Shapes and multi-dimensional indices -----------*- C++ -*-===//
//
// Row-major shape arithmetic shared by Tensor, the reference interpreter and
// the .npy conversions (like StableHLO's reference Index.h / Sizes.h): the
// element count of a shape, its strides, the index of a linear position,
// advancing an index, and the `[i, j, k]` form diagnostics print.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_TENSORIO_INDEX_H
#define POTQ_TENSORIO_INDEX_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>
#include <string>

namespace potq::interp {

/// The number of elements of `shape`, or std::nullopt if a dimension is
/// negative or the product overflows int64.
std::optional<int64_t> getElementCount(llvm::ArrayRef<int64_t> shape);

/// Row-major strides of `shape`. In a shape without elements, the strides
/// that do not fit int64 are 0 (e.g. shape [0, 2^40, 2^40]).
llvm::SmallVector<int64_t, 4> getRowMajorStrides(llvm::ArrayRef<int64_t> shape);

/// The multi-dimensional index of element `linear` of `shape` (row-major).
llvm::SmallVector<int64_t, 4> delinearize(int64_t linear,
                                          llvm::ArrayRef<int64_t> shape);

/// Advances `index` to the next position of `shape` in row-major order;
/// false (and `index` back at all zeros) after the last one.
inline bool incrementIndex(llvm::MutableArrayRef<int64_t> index,
                           llvm::ArrayRef<int64_t> shape) {
  for (int64_t d = int64_t(index.size()) - 1; d >= 0; --d) {
    if (++index[d] < shape[d])
      return true;
    index[d] = 0;
  }
  return false;
}

/// Visits every position of `source` padded by `low` positions before each
/// dimension (`paddedShape` the padded sizes), in row-major order:
/// `visit(i, index, at)` with `i` the linear position in the padded shape,
/// `index` its multi-dimensional index and `at` the linear position in the
/// source (row-major `sourceStrides`), or std::nullopt for padding. Stops
/// early and returns false when `visit` does.
template <typename Visit>
bool forEachPaddedPosition(llvm::ArrayRef<int64_t> sourceShape,
                           llvm::ArrayRef<int64_t> sourceStrides,
                           llvm::ArrayRef<int64_t> low,
                           llvm::ArrayRef<int64_t> paddedShape, Visit visit) {
  std::optional<int64_t> count = getElementCount(paddedShape);
  llvm::SmallVector<int64_t, 4> index(paddedShape.size(), 0);
  for (int64_t i = 0; i < count.value_or(0); ++i) {
    bool inside = true;
    int64_t linear = 0;
    for (size_t d = 0; d < index.size(); ++d) {
      int64_t at = index[d] - low[d];
      inside = inside && at >= 0 && at < sourceShape[d];
      linear += at * sourceStrides[d];
    }
    if (!visit(i, llvm::ArrayRef<int64_t>(index),
               inside ? std::optional<int64_t>(linear) : std::nullopt))
      return false;
    incrementIndex(index, paddedShape);
  }
  return true;
}

/// Formats an index or a shape as `[i, j, k]`.
std::string formatIndex(llvm::ArrayRef<int64_t> index);

} // namespace potq::interp

#endif // POTQ_TENSORIO_INDEX_H
