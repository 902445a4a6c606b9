//===- PotqFolds.cpp - potq constant folding ------------------------------===//
//
// Folding evaluates the ops with the numerics library, so a folded constant
// is exactly what the reference interpreter and compiled code compute.
// Quantized results fold to storage-integer tensors, which the dialect
// materializes as `potq.constant`. A splat folds to a splat when every
// channel gives the same value; anything else is expanded only within
// potq/Limits.h and otherwise left unfolded for the lowering to report.
//
//===----------------------------------------------------------------------===//

#include "potq/Dialect/Potq/IR/ChannelIndexer.h"
#include "potq/Dialect/Potq/IR/PotqOps.h"
#include "potq/Limits.h"
#include "potq/Numerics/FixedPoint.h"
#include "potq/Numerics/Projection.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <cstdlib>
#include <limits>
#include <optional>

using namespace mlir;
using namespace potq;
namespace numerics = ::potq::numerics;

/// A storage-integer tensor holding `levels` (or a splat of its one level),
/// typed like `quantTensor` with its storage element type.
static DenseIntElementsAttr levelsAttr(RankedTensorType quantTensor,
                                       ArrayRef<int64_t> levels) {
  return getQuantizedElementType(quantTensor)
      .encodeLevels(quantTensor.getShape(), levels);
}

/// True if a folder may expand `count` elements into vectors of `T`.
template <typename T> static bool canExpand(int64_t count) {
  return ::potq::fitsMaterializationLimit(count, sizeof(T));
}

static bool sameValue(int64_t a, int64_t b) { return a == b; }
static bool sameValue(const APFloat &a, const APFloat &b) {
  return a.bitwiseIsEqual(b);
}

/// For a splat input: `fn(c)` is the result at channel `c` of `qtype`'s
/// scales. Returns it if all channels agree (the result is a splat of it),
/// else std::nullopt.
template <typename T, typename Fn>
static std::optional<T> splatResult(QuantizedType qtype, Fn fn) {
  T first = fn(0);
  for (int64_t c = 1, e = int64_t(qtype.getScales().size()); c < e; ++c)
    if (!sameValue(fn(c), first))
      return std::nullopt;
  return first;
}

//===----------------------------------------------------------------------===//
// QuantizeOp
//===----------------------------------------------------------------------===//

/// True if dequantizing any level of `type` to f32 and projecting it back
/// gives the level: the expressed type is f32 and no product `L * s`
/// overflows or loses precision as a denormal. Then |t - L| <= |L| * 2^-22,
/// far below the distance 1/2 to any other level.
static bool dequantizeRoundTrips(QuantizedType type) {
  if (!type.getExpressedType().isF32())
    return false;
  const ::potq::numerics::LevelSet &levels = type.getLevelSet();
  double maxOffset =
      double(std::max(std::abs(levels.min() - type.getZeroPoint()),
                      std::abs(levels.max() - type.getZeroPoint())));
  return llvm::all_of(type.getScales().asArrayRef(), [&](float s) {
    return s >= std::numeric_limits<float>::min() &&
           double(s) * maxOffset < double(std::numeric_limits<float>::max());
  });
}

OpFoldResult QuantizeOp::fold(FoldAdaptor adaptor) {
  RankedTensorType resultType = getResult().getType();
  // quantize(dequantize(%q)) -> %q when the real values are exact enough to
  // project back to the same levels (SPEC section 4).
  if (auto dequantize = getInput().getDefiningOp<DequantizeOp>())
    if (dequantize.getInput().getType() == resultType &&
        dequantizeRoundTrips(getQuantizedElementType(resultType)))
      return dequantize.getInput();

  // Constants need a static result shape (shapes may be `?`-compatible).
  auto input = dyn_cast_if_present<DenseFPElementsAttr>(adaptor.getInput());
  if (!input || !resultType.hasStaticShape())
    return {};
  QuantizedType qtype = getQuantizedElementType(resultType);
  const numerics::LevelSet &levels = qtype.getLevelSet();
  if (input.isSplat()) {
    float x = toBinary32(input.getSplatValue<APFloat>());
    if (std::optional<int64_t> level =
            splatResult<int64_t>(qtype, [&](int64_t c) {
              return numerics::project(x, qtype.getScaleFor(c), levels,
                                       qtype.getZeroPoint());
            }))
      return levelsAttr(resultType, *level);
  }
  if (!canExpand<APInt>(input.getNumElements()))
    return {};
  ChannelIndexer indexer(resultType.getShape(), qtype.getAxis());
  SmallVector<int64_t> result;
  result.reserve(input.getNumElements());
  int64_t linear = 0;
  for (const APFloat &value : input.getValues<APFloat>()) {
    float scale = qtype.getScaleFor(indexer.channel(linear++));
    result.push_back(numerics::project(toBinary32(value), scale, levels,
                                       qtype.getZeroPoint()));
  }
  return levelsAttr(resultType, result);
}

//===----------------------------------------------------------------------===//
// DequantizeOp
//===----------------------------------------------------------------------===//

OpFoldResult DequantizeOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_if_present<DenseIntElementsAttr>(adaptor.getInput());
  RankedTensorType inputType = getInput().getType();
  RankedTensorType resultType = getResult().getType();
  if (!input || !resultType.hasStaticShape())
    return {};
  QuantizedType qtype = getQuantizedElementType(inputType);
  const llvm::fltSemantics &semantics =
      cast<FloatType>(resultType.getElementType()).getFloatSemantics();
  auto dequantize = [&](int64_t level, int64_t channel) {
    APFloat value(numerics::dequantize(level, qtype.getScaleFor(channel),
                                       qtype.getZeroPoint()));
    bool losesInfo;
    value.convert(semantics, APFloat::rmNearestTiesToEven, &losesInfo);
    return value;
  };
  if (input.isSplat()) {
    int64_t level = qtype.decodeLevel(input.getSplatValue<APInt>());
    if (std::optional<APFloat> value = splatResult<APFloat>(
            qtype, [&](int64_t c) { return dequantize(level, c); }))
      return DenseFPElementsAttr::get(resultType, ArrayRef(*value));
  }
  if (!canExpand<APFloat>(input.getNumElements()))
    return {};
  ChannelIndexer indexer(inputType.getShape(), qtype.getAxis());
  SmallVector<APFloat> values;
  int64_t linear = 0;
  for (int64_t level : qtype.decodeLevels(input))
    values.push_back(dequantize(level, indexer.channel(linear++)));
  return DenseFPElementsAttr::get(resultType, values);
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// RequantizeOp
//===----------------------------------------------------------------------===//

OpFoldResult RequantizeOp::fold(FoldAdaptor adaptor) {
  RankedTensorType inputType = getInput().getType();
  RankedTensorType resultType = getResult().getType();
  if (inputType == resultType)
    return getInput();
  auto input = dyn_cast_if_present<DenseIntElementsAttr>(adaptor.getInput());
  if (!input || !resultType.hasStaticShape())
    return {};
  QuantizedType in = getQuantizedElementType(inputType);
  QuantizedType out = getQuantizedElementType(resultType);
  const numerics::LevelSet &outLevels = out.getLevelSet();
  // One fixed-point multiplier per input channel; the verifier proved that
  // each exists.
  SmallVector<numerics::FixedPointMultiplier> multipliers;
  for (float scale : in.getScales().asArrayRef())
    multipliers.push_back(
        *numerics::toFixedPoint(double(scale) / double(out.getScale())));
  auto requantize = [&](int64_t level, int64_t channel) {
    return numerics::requantize(level - in.getZeroPoint(), multipliers[channel],
                                out.getZeroPoint(), outLevels.min(),
                                outLevels.max());
  };
  if (input.isSplat()) {
    int64_t level = in.decodeLevel(input.getSplatValue<APInt>());
    if (std::optional<int64_t> result = splatResult<int64_t>(
            in, [&](int64_t c) { return requantize(level, c); }))
      return levelsAttr(resultType, *result);
  }
  if (!canExpand<APInt>(input.getNumElements()))
    return {};
  ChannelIndexer indexer(inputType.getShape(), in.getAxis());
  SmallVector<int64_t> result;
  int64_t linear = 0;
  for (int64_t level : in.decodeLevels(input))
    result.push_back(requantize(level, indexer.channel(linear++)));
  return levelsAttr(resultType, result);
}
