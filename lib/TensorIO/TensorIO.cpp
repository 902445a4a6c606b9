//===- TensorIO.cpp - Tensors from/to .npy arrays and text ----------------===//

#include "potq/TensorIO/TensorIO.h"

#include "potq/TensorIO/FloatFormat.h"
#include "potq/TensorIO/Index.h"

#include "potq/Dialect/Potq/IR/PotqTypes.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"

#include <cmath>
#include <cstdio>
#include <functional>

namespace pi = ::potq::interp;
using namespace mlir;
namespace npy = ::potq::npy;
using namespace pi;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static std::string typeString(Type type) {
  std::string result;
  llvm::raw_string_ostream os(result);
  os << type;
  return result;
}

/// The signed dtype holding integers of `width` bits.
static npy::DType signedDType(unsigned width) {
  if (width == 1)
    return npy::DType::Bool;
  if (width <= 8)
    return npy::DType::Int8;
  if (width <= 16)
    return npy::DType::Int16;
  if (width <= 32)
    return npy::DType::Int32;
  return npy::DType::Int64;
}

llvm::Expected<npy::DType> pi::getResultDType(Type elementType) {
  if (auto floatType = dyn_cast<FloatType>(elementType)) {
    if (floatType.getWidth() > 64)
      return makeError("element type " + typeString(elementType) +
                       " cannot be written to .npy");
    return floatType.isF64() ? npy::DType::Float64 : npy::DType::Float32;
  }
  if (std::optional<unsigned> width = getIntegerWidth(elementType)) {
    if (*width == 0 || *width > 64)
      return makeError("element type " + typeString(elementType) +
                       " cannot be written to .npy");
    return signedDType(*width);
  }
  if (auto qtype = dyn_cast<potq::QuantizedType>(elementType)) {
    unsigned width = qtype.getStorageType().getWidth();
    bool isSigned = qtype.isStorageSigned();
    switch (width) {
    case 8:
      return isSigned ? npy::DType::Int8 : npy::DType::UInt8;
    case 16:
      return isSigned ? npy::DType::Int16 : npy::DType::UInt16;
    default:
      return isSigned ? npy::DType::Int32 : npy::DType::UInt32;
    }
  }
  return makeError("element type " + typeString(elementType) +
                   " cannot be written to .npy");
}

llvm::Expected<Tensor> pi::tensorFromNpy(const npy::Array &array, Type type) {
  Type elementType;
  std::optional<SmallVector<int64_t, 4>> expectedShape;
  bool scalar = false;
  if (auto ranked = dyn_cast<RankedTensorType>(type)) {
    elementType = ranked.getElementType();
    expectedShape.emplace(ranked.getShape());
  } else if (auto unranked = dyn_cast<UnrankedTensorType>(type)) {
    elementType = unranked.getElementType();
  } else if (isa<ShapedType>(type)) {
    return makeError("arguments of type " + typeString(type) +
                     " are not supported");
  } else {
    elementType = type;
    expectedShape.emplace();
    scalar = true;
  }

  // The shape.
  if (expectedShape) {
    bool ok = expectedShape->size() == array.shape.size();
    for (size_t d = 0; ok && d < array.shape.size(); ++d)
      ok = ShapedType::isDynamic((*expectedShape)[d]) ||
           (*expectedShape)[d] == array.shape[d];
    if (!ok)
      return makeError("shape " + npy::formatShape(array.shape) +
                       " does not match " + typeString(type));
  }
  int64_t count = array.getNumElements();

  auto wrongDType = [&](StringRef expected) {
    return makeError("expected " + expected + " for " + typeString(type) +
                     ", got '" + npy::getDescr(array.dtype) + "'");
  };

  // Floats.
  if (auto floatType = dyn_cast<FloatType>(elementType)) {
    std::optional<FloatInfo> info = getFloatInfo(floatType);
    if (!info)
      return makeError("arguments of type " + typeString(type) +
                       " are not supported");
    bool exact;
    if (floatType.isF32() || floatType.isF64()) {
      npy::DType want =
          floatType.isF32() ? npy::DType::Float32 : npy::DType::Float64;
      if (array.dtype != want)
        return wrongDType(("dtype '" + npy::getDescr(want) + "'").str());
      exact = true;
    } else if (floatType.isF16() && array.dtype == npy::DType::Float16) {
      exact = true;
    } else if (array.dtype == npy::DType::Float32) {
      exact = false; // every value must be representable
    } else {
      return wrongDType(floatType.isF16() ? "dtype '<f2' or '<f4'"
                                          : "dtype '<f4'");
    }
    Tensor result(elementType, array.shape);
    for (int64_t i = 0; i < count; ++i) {
      double value = array.getFloat(i);
      if (!exact && !std::isnan(value) && roundToFormat(value, *info) != value)
        return makeError(
            "value " + formatFloat(value, Float32Type::get(type.getContext())) +
            " at index " + formatIndex(delinearize(i, array.shape)) +
            " is not representable in " + typeString(elementType));
      result.setFloat(i, value);
    }
    if (scalar)
      return Tensor::makeScalarFloat(elementType,
                                     count ? result.getFloat(0) : 0.0);
    return result;
  }

  // Integers and index.
  if (std::optional<unsigned> width = getIntegerWidth(elementType)) {
    if (*width == 0 || *width > 64)
      return makeError("arguments of type " + typeString(type) +
                       " are not supported");
    npy::DType want = signedDType(*width);
    if (array.dtype != want)
      return wrongDType(("dtype '" + npy::getDescr(want) + "'").str());
    Tensor result(elementType, array.shape);
    for (int64_t i = 0; i < count; ++i) {
      int64_t value = *array.getInt(i);
      if (*width > 1 && *width < 64 && *width != 8 && *width != 16 &&
          *width != 32) {
        int64_t lo = -(int64_t(1) << (*width - 1)), hi = -lo - 1;
        if (value < lo || value > hi)
          return makeError("value " + llvm::Twine(value) + " at index " +
                           formatIndex(delinearize(i, array.shape)) +
                           " does not fit " + typeString(elementType));
      }
      result.setInt(i, value);
    }
    if (scalar)
      return Tensor::makeScalarInt(elementType, result.getInt(0));
    return result;
  }

  // Quantized levels.
  if (auto qtype = dyn_cast<potq::QuantizedType>(elementType)) {
    if (scalar)
      return makeError("scalar arguments of type " + typeString(type) +
                       " are not supported");
    if (!npy::isSignedInt(array.dtype) && !npy::isUnsignedInt(array.dtype))
      return wrongDType("an integer dtype holding levels");
    const ::potq::numerics::LevelSet &levels = qtype.getLevelSet();
    Tensor result(elementType, array.shape);
    for (int64_t i = 0; i < count; ++i) {
      std::optional<int64_t> value = array.getInt(i);
      if (!value || !levels.contains(*value)) {
        // Only uint64 values above INT64_MAX have no int64 value.
        std::string spelled =
            value ? std::to_string(*value)
                  : std::to_string(llvm::support::endian::read64le(
                        array.data.data() + i * 8));
        return makeError("value " + spelled + " at index " +
                         formatIndex(delinearize(i, array.shape)) +
                         " is not a level of " +
                         qtype.getEncoding().getEncoding().str());
      }
      result.setInt(i, *value);
    }
    return result;
  }

  return makeError("arguments of type " + typeString(type) +
                   " are not supported");
}

llvm::Expected<npy::Array> pi::tensorToNpy(const Tensor &tensor) {
  llvm::Expected<npy::DType> dtype = getResultDType(tensor.getElementType());
  if (!dtype)
    return dtype.takeError();
  std::vector<int64_t> shape(tensor.getShape().begin(),
                             tensor.getShape().end());
  npy::Array array(*dtype, shape);
  for (int64_t i = 0, e = tensor.getNumElements(); i < e; ++i) {
    if (tensor.isFloat())
      array.setFloat(i, tensor.getFloat(i));
    else
      array.setInt(i, tensor.getInt(i));
  }
  return array;
}

std::string pi::formatFloat(double value, Type type) {
  if (std::isnan(value))
    return "nan";
  if (std::isinf(value))
    return value > 0 ? "inf" : "-inf";
  char buffer[40];
  bool isF64 = isa<Float64Type>(type);
  std::snprintf(buffer, sizeof(buffer), isF64 ? "%.17g" : "%.9g", value);
  return buffer;
}

static void printElement(llvm::raw_ostream &os, const Tensor &value,
                         int64_t index) {
  Type type = value.getElementType();
  if (value.isFloat()) {
    os << formatFloat(value.getFloat(index), type);
    return;
  }
  if (type.isInteger(1)) {
    os << (value.getInt(index) ? "true" : "false");
    return;
  }
  os << value.getInt(index);
}

void pi::printValue(llvm::raw_ostream &os, const Tensor &value) {
  ArrayRef<int64_t> shape = value.getShape();
  if (shape.empty()) {
    printElement(os, value, 0);
    return;
  }
  SmallVector<int64_t, 4> strides = value.getStrides();
  // Prints dimension `d` starting at element `offset`.
  std::function<void(size_t, int64_t)> print = [&](size_t d, int64_t offset) {
    os << "[";
    for (int64_t i = 0; i < shape[d]; ++i) {
      if (i)
        os << ", ";
      if (d + 1 == shape.size())
        printElement(os, value, offset + i);
      else
        print(d + 1, offset + i * strides[d]);
    }
    os << "]";
  };
  print(0, 0);
}
