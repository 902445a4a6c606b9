//===- Tensor.h - Values of interpreted and compiled code -------*- C++ -*-===//
//
// The value the reference interpreter computes with and the JIT runner passes
// to and returns from compiled code: a tensor with a static (runtime) shape,
// or a plain scalar SSA value (f32, i64, index, ...). Elements are stored in
// one of two forms, chosen by the element type:
//   - float types: `double`, holding exactly the value of the element type
//     (every f16/bf16/f32/f64 value is a double);
//   - integer, index and `!potq.q` types: `int64_t`. Integers hold their value
//     sign-extended from their bit width, except i1 which holds 0 or 1;
//     index is 64-bit; quantized elements hold their level.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_TENSORIO_TENSOR_H
#define POTQ_TENSORIO_TENSOR_H

#include "potq/Support/LLVM.h"
#include "potq/TensorIO/Index.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Types.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace potq::interp {

/// True if elements of `type` are stored as doubles (float types).
bool isFloatElement(mlir::Type type);

/// The bit width an integer-like element type wraps to: the integer width,
/// 64 for index. std::nullopt for other types.
std::optional<unsigned> getIntegerWidth(mlir::Type type);

/// A tensor or scalar runtime value. Copyable value type.
class Tensor {
public:
  Tensor() = default;

  /// A zero-filled tensor of `elementType` with static `shape`. The caller
  /// checks that the element count is sane (see getElementCount).
  Tensor(mlir::Type elementType, llvm::ArrayRef<int64_t> shape);

  /// A scalar SSA value of `type` (not a tensor), zero-initialized.
  static Tensor makeScalar(mlir::Type type);
  static Tensor makeScalarInt(mlir::Type type, int64_t value);
  static Tensor makeScalarFloat(mlir::Type type, double value);

  /// Whether this holds a value at all (default-constructed tensors do not).
  explicit operator bool() const { return static_cast<bool>(elementType); }

  mlir::Type getElementType() const { return elementType; }
  llvm::ArrayRef<int64_t> getShape() const { return shape; }
  int64_t getRank() const { return shape.size(); }
  int64_t getNumElements() const { return numElements; }
  /// True for a scalar SSA value, false for a tensor (even of rank 0).
  bool isScalar() const { return scalarValue; }
  /// True if the elements are stored as doubles.
  bool isFloat() const { return floatStorage; }

  /// The MLIR type of this value: the scalar type, or a static
  /// RankedTensorType of the runtime shape.
  mlir::Type getType() const;

  int64_t getInt(int64_t index) const { return intData[index]; }
  double getFloat(int64_t index) const { return floatData[index]; }
  void setInt(int64_t index, int64_t value) { intData[index] = value; }
  void setFloat(int64_t index, double value) { floatData[index] = value; }

  std::vector<int64_t> &ints() { return intData; }
  const std::vector<int64_t> &ints() const { return intData; }
  std::vector<double> &floats() { return floatData; }
  const std::vector<double> &floats() const { return floatData; }

  /// Copies element `from` of `source` (same storage form) to element `to`.
  void copyElement(int64_t to, const Tensor &source, int64_t from) {
    if (floatStorage)
      floatData[to] = source.floatData[from];
    else
      intData[to] = source.intData[from];
  }

  /// Replaces the shape by one with the same number of elements.
  void reshape(llvm::ArrayRef<int64_t> newShape);

  /// Row-major strides of the shape (getRowMajorStrides).
  llvm::SmallVector<int64_t, 4> getStrides() const {
    return getRowMajorStrides(shape);
  }

  /// Element-wise equality of type, shape and data (NaNs compare by bits).
  bool operator==(const Tensor &other) const;
  bool operator!=(const Tensor &other) const { return !(*this == other); }

private:
  mlir::Type elementType;
  llvm::SmallVector<int64_t, 4> shape;
  int64_t numElements = 0;
  bool scalarValue = false;
  bool floatStorage = false;
  std::vector<int64_t> intData;
  std::vector<double> floatData;
};

} // namespace potq::interp

#endif // POTQ_TENSORIO_TENSOR_H
