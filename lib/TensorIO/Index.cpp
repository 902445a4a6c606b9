//===- Index.cpp - Shapes and multi-dimensional indices -------------------===//

#include "potq/TensorIO/Index.h"

#include "potq/Limits.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

namespace pi = ::potq::interp;
using llvm::ArrayRef;
using llvm::SmallVector;

std::optional<int64_t> pi::getElementCount(ArrayRef<int64_t> shape) {
  return ::potq::checkedElementCount(shape);
}

SmallVector<int64_t, 4> pi::getRowMajorStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t, 4> strides(shape.size(), 1);
  // The products fit int64 unless an outer dimension is 0 (the element count
  // fits): such a tensor is never indexed, and the strides that overflow are
  // 0.
  bool overflowed = false;
  for (int64_t d = int64_t(shape.size()) - 2; d >= 0; --d)
    if (overflowed ||
        llvm::MulOverflow(strides[d + 1], shape[d + 1], strides[d])) {
      overflowed = true;
      strides[d] = 0;
    }
  return strides;
}

SmallVector<int64_t, 4> pi::delinearize(int64_t linear,
                                        ArrayRef<int64_t> shape) {
  SmallVector<int64_t, 4> index(shape.size(), 0);
  for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
    if (shape[d] == 0)
      continue;
    index[d] = linear % shape[d];
    linear /= shape[d];
  }
  return index;
}

std::string pi::formatIndex(ArrayRef<int64_t> index) {
  std::string result = "[";
  llvm::raw_string_ostream os(result);
  llvm::interleaveComma(index, os);
  os << "]";
  return result;
}
