//===- ChannelIndexer.h - Linear index -> channel of an axis ----*- C++ -*-===//
//
// Per-channel scales apply along one dimension of a row-major tensor; folders
// and interpreters walk elements linearly and need that dimension's index.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_DIALECT_POTQ_IR_CHANNELINDEXER_H
#define POTQ_DIALECT_POTQ_IR_CHANNELINDEXER_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <optional>

namespace mlir::potq {

/// Maps the linear (row-major) index of an element of a static `shape` to its
/// index along `axis`; always 0 without an axis (per-tensor scales).
class ChannelIndexer {
public:
  ChannelIndexer(llvm::ArrayRef<int64_t> shape, std::optional<int64_t> axis) {
    if (!axis)
      return;
    size = shape[*axis];
    for (size_t d = *axis + 1; d < shape.size(); ++d)
      stride *= shape[d];
  }
  int64_t channel(int64_t linear) const {
    return size ? (linear / stride) % size : 0;
  }

private:
  int64_t size = 0; // 0 for per-tensor scales
  int64_t stride = 1;
};

} // namespace mlir::potq

#endif // POTQ_DIALECT_POTQ_IR_CHANNELINDEXER_H
