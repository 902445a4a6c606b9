//===- PotqFolds.cpp - potq constant folding ------------------------------===//
//
// Folding evaluates the ops with the numerics library, so a folded constant
// is exactly what the reference interpreter and compiled code compute.
// Quantized results fold to storage-integer tensors, which the dialect
// materializes as `potq.constant`.
//
//===----------------------------------------------------------------------===//

#include "potq/Dialect/Potq/IR/ChannelIndexer.h"
#include "potq/Dialect/Potq/IR/PotqOps.h"
#include "potq/Numerics/FixedPoint.h"
#include "potq/Numerics/Projection.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <cstdlib>
#include <limits>

using namespace mlir;
using namespace mlir::potq;
namespace numerics = ::potq::numerics;

/// A storage-integer tensor holding `levels`, typed like `quantTensor` with
/// its storage element type.
static DenseIntElementsAttr levelsAttr(RankedTensorType quantTensor,
                                       ArrayRef<int64_t> levels) {
  QuantizedType qtype = getQuantizedElementType(quantTensor);
  IntegerType storage = qtype.getStorageType();
  bool isSigned = qtype.isStorageSigned();
  SmallVector<APInt> values;
  values.reserve(levels.size());
  for (int64_t level : levels)
    values.emplace_back(storage.getWidth(), uint64_t(level), isSigned);
  return DenseIntElementsAttr::get(quantTensor.clone(storage), values);
}

/// Reads the levels of a storage-integer tensor of quantized type `qtype`.
static SmallVector<int64_t> readLevels(DenseIntElementsAttr attr,
                                       QuantizedType qtype) {
  bool isSigned = qtype.isStorageSigned();
  SmallVector<int64_t> levels;
  levels.reserve(attr.getNumElements());
  for (const APInt &raw : attr.getValues<APInt>())
    levels.push_back(isSigned ? raw.getSExtValue()
                              : int64_t(raw.getZExtValue()));
  return levels;
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
  ChannelIndexer indexer(inputType.getShape(), qtype.getAxis());
  SmallVector<APFloat> values;
  int64_t linear = 0;
  for (int64_t level : readLevels(input, qtype)) {
    float scale = qtype.getScaleFor(indexer.channel(linear++));
    APFloat value(numerics::dequantize(level, scale, qtype.getZeroPoint()));
    bool losesInfo;
    value.convert(semantics, APFloat::rmNearestTiesToEven, &losesInfo);
    values.push_back(value);
  }
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
  ChannelIndexer indexer(inputType.getShape(), in.getAxis());
  SmallVector<int64_t> result;
  int64_t linear = 0;
  for (int64_t level : readLevels(input, in)) {
    const auto &fp = multipliers[indexer.channel(linear++)];
    result.push_back(numerics::requantize(level - in.getZeroPoint(), fp,
                                          out.getZeroPoint(), outLevels.min(),
                                          outLevels.max()));
  }
  return levelsAttr(resultType, result);
}
