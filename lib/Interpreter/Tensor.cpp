//===- Tensor.cpp - Runtime values of the reference interpreter -----------===//

#include "potq/Interpreter/Tensor.h"

#include "llvm/Support/MathExtras.h"

#include <cassert>
#include <cstring>

namespace pi = ::potq::interp;
using namespace mlir;
using namespace pi;

bool pi::isFloatElement(Type type) { return isa<FloatType>(type); }

std::optional<unsigned> pi::getIntegerWidth(Type type) {
  if (auto integer = dyn_cast<IntegerType>(type))
    return integer.getWidth();
  if (isa<IndexType>(type))
    return 64u;
  return std::nullopt;
}

std::optional<int64_t> pi::getElementCount(ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (dim < 0)
      return std::nullopt;
    if (llvm::MulOverflow(count, dim, count))
      return std::nullopt;
  }
  return count;
}

Tensor::Tensor(Type elementType, ArrayRef<int64_t> shape)
    : elementType(elementType), shape(shape.begin(), shape.end()),
      floatStorage(isFloatElement(elementType)) {
  std::optional<int64_t> count = getElementCount(shape);
  assert(count && "invalid shape");
  numElements = *count;
  if (floatStorage)
    floatData.assign(numElements, 0.0);
  else
    intData.assign(numElements, 0);
}

Tensor Tensor::makeScalar(Type type) {
  Tensor result(type, {});
  result.scalarValue = true;
  return result;
}

Tensor Tensor::makeScalarInt(Type type, int64_t value) {
  Tensor result = makeScalar(type);
  result.intData[0] = value;
  return result;
}

Tensor Tensor::makeScalarFloat(Type type, double value) {
  Tensor result = makeScalar(type);
  result.floatData[0] = value;
  return result;
}

Type Tensor::getType() const {
  if (scalarValue)
    return elementType;
  return RankedTensorType::get(shape, elementType);
}

void Tensor::reshape(ArrayRef<int64_t> newShape) {
  assert(getElementCount(newShape) == numElements && "reshape changes size");
  shape.assign(newShape.begin(), newShape.end());
  scalarValue = false;
}

SmallVector<int64_t, 4> Tensor::getStrides() const {
  SmallVector<int64_t, 4> strides(shape.size(), 1);
  // The products fit int64 unless an outer dimension is 0 (the element count
  // fits): such a tensor is never indexed, and the strides that overflow are
  // 0 (e.g. shape [0, 2^40, 2^40]).
  bool overflowed = false;
  for (int64_t d = int64_t(shape.size()) - 2; d >= 0; --d)
    if (overflowed ||
        llvm::MulOverflow(strides[d + 1], shape[d + 1], strides[d])) {
      overflowed = true;
      strides[d] = 0;
    }
  return strides;
}

bool Tensor::operator==(const Tensor &other) const {
  if (elementType != other.elementType || shape != other.shape ||
      scalarValue != other.scalarValue)
    return false;
  if (!floatStorage)
    return intData == other.intData;
  if (floatData.size() != other.floatData.size())
    return false;
  return floatData.empty() ||
         std::memcmp(floatData.data(), other.floatData.data(),
                     floatData.size() * sizeof(double)) == 0;
}
