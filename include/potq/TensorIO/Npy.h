//===- Npy.h - NumPy .npy file reading and writing --------------*- C++ -*-===//
//
// The .npy format (versions 1.0, 2.0 and 3.0): a magic string, a version, a
// header length, a Python dict literal
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// and the raw little-endian data in C order. Supported dtypes: '<f2' '<f4'
// '<f8' '|i1' '<i2' '<i4' '<i8' '|u1' '<u2' '<u4' '<u8' '|b1' (one-byte
// types may also be spelled with '<' or '='). Fortran order, big-endian and
// structured dtypes are rejected with a message.
//
// Independent of MLIR: only LLVM Support.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_TENSORIO_NPY_H
#define POTQ_TENSORIO_NPY_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace potq::npy {

enum class DType {
  Bool,
  Int8,
  Int16,
  Int32,
  Int64,
  UInt8,
  UInt16,
  UInt32,
  UInt64,
  Float16,
  Float32,
  Float64,
};

/// The canonical descr string, e.g. "<f4" or "|i1".
llvm::StringRef getDescr(DType dtype);
/// Bytes per element.
unsigned getItemSize(DType dtype);
bool isFloat(DType dtype);
bool isSignedInt(DType dtype);
bool isUnsignedInt(DType dtype);
/// Parses a descr string; an error message names what is unsupported.
llvm::Expected<DType> parseDescr(llvm::StringRef descr);

/// An array in C order with little-endian element data.
struct Array {
  DType dtype = DType::Float32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;

  Array() = default;
  /// A zero-filled array. The shape must be valid (non-negative, no
  /// overflow).
  Array(DType dtype, std::vector<int64_t> shape);

  int64_t getNumElements() const;

  /// Element `i` as a double (float dtypes; exact).
  double getFloat(int64_t i) const;
  /// Element `i` of an integer or bool dtype, or std::nullopt for uint64
  /// values above INT64_MAX.
  std::optional<int64_t> getInt(int64_t i) const;
  /// Stores `value`, which must be representable in the float dtype (it is
  /// rounded to nearest-even otherwise).
  void setFloat(int64_t i, double value);
  /// Stores the low bits of `value` (bool: value != 0).
  void setInt(int64_t i, int64_t value);
};

/// Parses the contents of a .npy file. Errors do not name a file.
llvm::Expected<Array> parse(llvm::StringRef bytes);
/// Reads and parses `path` ("-" is stdin); errors start with the path.
/// The header is read and checked first, then the size of the data it
/// announces against `maxElements` and the file's size, and only then the
/// data: a file that is not .npy, truncated or too large costs no memory.
llvm::Expected<Array> read(llvm::StringRef path,
                           int64_t maxElements = INT64_MAX);

/// The .npy bytes of `array` (version 1.0 unless the header needs 2.0).
std::string serialize(const Array &array);
/// Writes `array` to `path` ("-" is stdout).
llvm::Error write(llvm::StringRef path, const Array &array);

/// "(2, 3)", "(5,)" or "()" like NumPy prints shapes.
std::string formatShape(const std::vector<int64_t> &shape);

} // namespace potq::npy

#endif // POTQ_TENSORIO_NPY_H
