//===- Tensor.cpp - Runtime values of interpreted and compiled code -------===//

#include "potq/TensorIO/Tensor.h"

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
