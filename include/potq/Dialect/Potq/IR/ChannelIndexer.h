//===- ChannelIndexer.h - Helpers for elementwise numerics ------*- C++ -*-===//
//
// Folders, passes and interpreters walk constant elements linearly: they need
// the channel index of each element (per-channel scales apply along one
// dimension of a row-major tensor) and its value as binary32 (the precision
// of every potq projection).
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_DIALECT_POTQ_IR_CHANNELINDEXER_H
#define POTQ_DIALECT_POTQ_IR_CHANNELINDEXER_H

#include "potq/Support/LLVM.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <optional>

namespace potq {

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

/// `value` as binary32: exact for f16, bf16 and f32 values, which is all the
/// expressed types allow; the projection then divides in binary32.
inline float toBinary32(llvm::APFloat value) {
  bool losesInfo;
  value.convert(llvm::APFloat::IEEEsingle(), llvm::APFloat::rmNearestTiesToEven,
                &losesInfo);
  return value.convertToFloat();
}

} // namespace potq

#endif // POTQ_DIALECT_POTQ_IR_CHANNELINDEXER_H
