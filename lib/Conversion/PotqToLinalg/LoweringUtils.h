//===- LoweringUtils.h - Shared helpers of the potq lowering ----*- C++ -*-===//
//
// Internal to lib/Conversion/PotqToLinalg: building elementwise generics and
// the integer requantization epilogue shared by potq.requantize and the
// contractions.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_LIB_CONVERSION_POTQTOLINALG_LOWERINGUTILS_H
#define POTQ_LIB_CONVERSION_POTQTOLINALG_LOWERINGUTILS_H

#include "potq/Support/LLVM.h"

#include "potq/Dialect/Potq/IR/PotqTypes.h"
#include "potq/Numerics/FixedPoint.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace potq::lowering {

/// Sign- or zero-extends (or truncates) the integer `value` to `type`.
mlir::Value castInteger(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value value, mlir::Type type, bool isSigned);

/// An `arith.constant` of `value` with integer or index type `type`.
mlir::Value intConstant(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type,
                        int64_t value);

/// An empty tensor of `shape` x `elementType` whose dynamic sizes are taken
/// from the same dimensions of `like` (which has the same rank).
mlir::Value emptyLike(mlir::OpBuilder &b, mlir::Location loc,
                      mlir::ArrayRef<int64_t> shape, mlir::Type elementType,
                      mlir::Value like);

/// The per-channel (or single) fixed-point multipliers of `multipliers`,
/// which the op verifiers proved representable.
llvm::SmallVector<::potq::numerics::FixedPointMultiplier>
toFixedPoint(llvm::ArrayRef<double> multipliers);

/// How an elementwise epilogue reads per-channel values: scalar constants
/// when all channels agree, else a constant 1-D tensor indexed by the
/// channel dimension.
struct ChannelValues {
  /// Either a scalar constant (channels agree) or null.
  mlir::Value scalar;
  /// A `tensor<C x T>` constant to pass as a generic input, or null.
  mlir::Value tensor;
};
ChannelValues channelConstants(mlir::OpBuilder &b, mlir::Location loc,
                               mlir::Type elementType,
                               llvm::ArrayRef<int64_t> values);
ChannelValues channelConstants(mlir::OpBuilder &b, mlir::Location loc,
                               llvm::ArrayRef<float> values);

/// Builds an elementwise `linalg.generic` over `input` (all dimensions
/// parallel) producing a tensor of `resultType`. `channelInputs` are 1-D
/// tensors indexed by dimension `channelDim`. `body` receives the builder,
/// the input element and the channel elements, and returns the result
/// element.
mlir::Value buildElementwise(
    mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
    mlir::RankedTensorType resultType, mlir::ValueRange channelInputs,
    int64_t channelDim,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                   mlir::Value, mlir::ValueRange)>
        body);

/// The same with several full-shape `inputs` (identity maps); `body`
/// receives their elements first, then the channel elements.
mlir::Value buildElementwise(
    mlir::OpBuilder &b, mlir::Location loc, mlir::ValueRange inputs,
    mlir::RankedTensorType resultType, mlir::ValueRange channelInputs,
    int64_t channelDim,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                   mlir::ValueRange, mlir::ValueRange)>
        body);

/// round_shift(acc * M, shift) inside a generic body, on i64 or the type of
/// `acc` when wider; with `fixed`, a compile-time multiplier (no multiply
/// for a power of two), else i64 `multiplier` and `shift` values.
mlir::Value
buildRoundShift(mlir::OpBuilder &b, mlir::Location loc, mlir::Value acc,
                mlir::Value multiplier, mlir::Value shift,
                const ::potq::numerics::FixedPointMultiplier *fixed);

/// The requantization of SPEC section 6 inside a generic body:
/// clamp(zeroPoint + round_shift(acc * M, shift), lo, hi), on i64, or on
/// the type of `acc` when it is wider (i128 for wide accumulators). `acc` is
/// any integer; `multiplier` and `shift` are i64 values (M == 1 and shift
/// <= 0 are special-cased at compile time when `fixed` is given: a power of
/// two emits no multiply). Returns the clamped level in that type.
mlir::Value buildRequantize(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value acc, mlir::Value multiplier,
                            mlir::Value shift,
                            const ::potq::numerics::FixedPointMultiplier *fixed,
                            int64_t zeroPoint, int64_t lo, int64_t hi);

/// The fixed-point multipliers of a requantization epilogue: a compile-time
/// constant when every channel shares one, else two i64 channel inputs
/// (M, then shift) appended to the generic's channel inputs.
struct EpilogueMultipliers {
  std::optional<::potq::numerics::FixedPointMultiplier> shared;
  /// Position of the M tensor among the channel inputs (shift follows).
  unsigned index = 0;

  /// buildRoundShift() with these multipliers (no zero point, no clamp).
  mlir::Value buildRescale(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value acc, mlir::ValueRange channelArgs) const;

  /// buildRequantize() with these multipliers.
  mlir::Value build(mlir::OpBuilder &b, mlir::Location loc, mlir::Value acc,
                    mlir::ValueRange channelArgs, int64_t zeroPoint, int64_t lo,
                    int64_t hi) const;
};
EpilogueMultipliers
addMultiplierInputs(mlir::OpBuilder &b, mlir::Location loc,
                    llvm::ArrayRef<::potq::numerics::FixedPointMultiplier> fp,
                    llvm::SmallVectorImpl<mlir::Value> &channelInputs);

} // namespace potq::lowering

#endif // POTQ_LIB_CONVERSION_POTQTOLINALG_LOWERINGUTILS_H
