//===- FloatFormat.h - How float element types compute ----------*- C++ -*-===//
//
// A Tensor holds every float element as a double (exactly: every f16, bf16,
// f32 and f64 value is one). Computing in a format means: natively in
// binary32 or binary64, or in double followed by one rounding to the format
// (f16, bf16, f8...), which is exact for +, -, *, / and sqrt because double
// has more than 2p + 2 bits for those formats.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_TENSORIO_FLOATFORMAT_H
#define POTQ_TENSORIO_FLOATFORMAT_H

#include "mlir/IR/Types.h"
#include "llvm/ADT/APFloat.h"

#include <optional>

namespace potq::interp {

enum class FloatFormat { F32, F64, Other };

/// How a float type computes: natively in binary32/binary64, or in double
/// followed by one rounding to `semantics`.
struct FloatInfo {
  FloatFormat format = FloatFormat::F64;
  const llvm::fltSemantics *semantics = nullptr;
};

/// The format of a float type, or std::nullopt if it is not a float type or
/// cannot be held exactly in a double (wider than f64).
std::optional<FloatInfo> getFloatInfo(mlir::Type type);

/// Rounds `value` to the format (ties to even unless `mode` says otherwise).
double
roundToFormat(double value, const FloatInfo &info,
              llvm::RoundingMode mode = llvm::RoundingMode::NearestTiesToEven);

} // namespace potq::interp

#endif // POTQ_TENSORIO_FLOATFORMAT_H
