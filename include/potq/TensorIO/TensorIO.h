//===- TensorIO.h - Tensors from/to .npy arrays and text --------*- C++ -*-===//
//
// Maps .npy arrays to function arguments strictly by type:
//   f32 <- '<f4', f64 <- '<f8', f16 <- '<f2' (or '<f4' holding f16 values),
//   bf16 <- '<f4' holding bf16 values, i1 <- '|b1', i8 <- '|i1',
//   i16 <- '<i2', i32 <- '<i4', i64 and index <- '<i8' (other widths: the
//   next signed dtype, values in range), !potq.q <- any integer dtype whose
//   values are levels of the encoding.
// Shapes must match the argument type; a dynamic dimension takes the file's
// size. Scalar arguments take 0-d arrays.
// Results map back: floats -> '<f4' (f16, bf16, f32) or '<f8', integers ->
// the signed dtype of their width ('|b1' for i1), quantized -> levels in the
// dtype of their storage type (unsigned for unsigned uniform encodings).
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_TENSORIO_TENSORIO_H
#define POTQ_TENSORIO_TENSORIO_H

#include "potq/Support/LLVM.h"

#include "potq/TensorIO/Npy.h"
#include "potq/TensorIO/Tensor.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace potq::interp {

/// The dtype results of element type `type` are written with.
llvm::Expected<npy::DType> getResultDType(mlir::Type elementType);

/// Converts `array` into a value of `type` (a function argument type).
llvm::Expected<Tensor> tensorFromNpy(const npy::Array &array, mlir::Type type);

/// Converts a result value to an array.
llvm::Expected<npy::Array> tensorToNpy(const Tensor &tensor);

/// Prints the elements of `value` as nested lists, `[[1, 2], [3, 4]]`, or a
/// bare element for scalars and 0-d tensors. Floats print with enough digits
/// to round-trip (%.9g for f32/f16/bf16, %.17g for f64), i1 as true/false,
/// quantized elements as their integer levels.
void printValue(llvm::raw_ostream &os, const Tensor &value);

/// Formats one float element of `type` with round-trip precision.
std::string formatFloat(double value, mlir::Type type);

} // namespace potq::interp

#endif // POTQ_TENSORIO_TENSORIO_H
