//===- PotqOps.cpp - Interpretation of potq and qat ops -------------------===//
//
// Every quantized computation goes through the numerics library, exactly as
// the dialect's folders do (lib/Dialect/Potq/IR/PotqFolds.cpp): projection
// (SPEC section 4), dequantization, and the fixed-point requantization of
// SPEC section 6. The contractions accumulate Σ (X - Zx) · W (+ bias) in
// int64 and then
//   - i32 result: report an overflow unless the accumulator fits in i32;
//   - i64 result: return the accumulator;
//   - quantized result: require |acc| < 2^31 (the i32 accumulator of SPEC
//     section 6; 2^62 with wide_accumulator) and requantize with m = sx *
//     sw[channel] / sy, Zy, clamped to [max(lo, clamp_min), min(hi,
//     clamp_max)].
//
//===----------------------------------------------------------------------===//

#include "Ops.h"

#include "potq/Dialect/Potq/IR/ChannelIndexer.h"
#include "potq/Dialect/Potq/IR/PotqOps.h"
#include "potq/Dialect/Qat/IR/QatOps.h"
#include "potq/Numerics/FixedPoint.h"
#include "potq/Numerics/Projection.h"

#include <cmath>
#include <limits>
#include <tuple>

namespace pi = ::potq::interp;
using namespace mlir;
using namespace potq;
using namespace pi;
using namespace pi::detail;
namespace numerics = ::potq::numerics;

/// Fails unless the runtime size of a per-channel type's axis matches its
/// number of scales (dynamic dimensions are only known at runtime).
static LogicalResult checkChannels(Operation *op, QuantizedType type,
                                   ArrayRef<int64_t> shape, StringRef what) {
  if (!type.isPerChannel())
    return success();
  int64_t axis = *type.getAxis();
  int64_t count = type.getScales().size();
  if (axis >= int64_t(shape.size()) || shape[axis] != count)
    return op->emitOpError()
           << what << " of runtime shape " << formatIndex(shape) << " needs "
           << count << " elements along axis " << axis
           << " for its per-channel scales";
  return success();
}

static double toFloatType(float value, Type type) {
  return roundToFormat(double(value), *getFloatInfo(type));
}

//===----------------------------------------------------------------------===//
// Conversions
//===----------------------------------------------------------------------===//

static FailureOr<Tensor> constantOp(ConstantOp op) {
  RankedTensorType type = op.getResult().getType();
  auto value = dyn_cast<DenseIntElementsAttr>(op.getValue());
  if (!value || !type.hasStaticShape())
    return op.emitOpError("value must be a dense integer elements attribute");
  Tensor result(op.getQuantizedType(), type.getShape());
  int64_t index = 0;
  for (int64_t level : op.getLevels())
    result.setInt(index++, level);
  return result;
}

static FailureOr<Tensor> quantizeOp(QuantizeOp op, const Tensor &input) {
  QuantizedType qtype = getQuantizedElementType(op.getResult().getType());
  if (failed(checkChannels(op, qtype, input.getShape(), "input")))
    return failure();
  const numerics::LevelSet &levels = qtype.getLevelSet();
  ChannelIndexer indexer(input.getShape(), qtype.getAxis());
  Tensor result(qtype, input.getShape());
  for (int64_t i = 0, e = input.getNumElements(); i < e; ++i) {
    // f16/bf16 -> f32 is exact; the projection divides in binary32.
    float scale = qtype.getScaleFor(indexer.channel(i));
    result.setInt(i, numerics::project(float(input.getFloat(i)), scale, levels,
                                       qtype.getZeroPoint()));
  }
  return result;
}

static FailureOr<Tensor> dequantizeOp(DequantizeOp op, const Tensor &input) {
  QuantizedType qtype = getQuantizedElementType(op.getInput().getType());
  Type resultType = op.getResult().getType().getElementType();
  if (failed(checkChannels(op, qtype, input.getShape(), "input")))
    return failure();
  ChannelIndexer indexer(input.getShape(), qtype.getAxis());
  Tensor result(resultType, input.getShape());
  for (int64_t i = 0, e = input.getNumElements(); i < e; ++i) {
    float scale = qtype.getScaleFor(indexer.channel(i));
    float real =
        numerics::dequantize(input.getInt(i), scale, qtype.getZeroPoint());
    result.setFloat(i, toFloatType(real, resultType));
  }
  return result;
}

/// The fixed-point multiplier of `m`, or an error at `op`.
static FailureOr<numerics::FixedPointMultiplier>
multiplierFor(Operation *op, double m, int64_t channel) {
  std::string error;
  std::optional<numerics::FixedPointMultiplier> fp =
      numerics::toFixedPoint(m, &error);
  if (!fp)
    return op->emitOpError() << "requantization multiplier of channel "
                             << channel << " is unsupported: " << error;
  return *fp;
}

static FailureOr<Tensor> requantizeOp(RequantizeOp op, const Tensor &input) {
  QuantizedType in = getQuantizedElementType(op.getInput().getType());
  QuantizedType out = getQuantizedElementType(op.getResult().getType());
  if (failed(checkChannels(op, in, input.getShape(), "input")))
    return failure();
  if (out.isPerChannel())
    return op.emitOpError("result must be a per-tensor quantized type");
  SmallVector<numerics::FixedPointMultiplier> multipliers;
  for (auto [channel, scale] : llvm::enumerate(in.getScales().asArrayRef())) {
    FailureOr<numerics::FixedPointMultiplier> fp =
        multiplierFor(op, double(scale) / double(out.getScale()), channel);
    if (failed(fp))
      return failure();
    multipliers.push_back(*fp);
  }
  const numerics::LevelSet &outLevels = out.getLevelSet();
  ChannelIndexer indexer(input.getShape(), in.getAxis());
  Tensor result(out, input.getShape());
  for (int64_t i = 0, e = input.getNumElements(); i < e; ++i) {
    const auto &fp = multipliers[indexer.channel(i)];
    result.setInt(i, numerics::requantize(input.getInt(i) - in.getZeroPoint(),
                                          fp, out.getZeroPoint(),
                                          outLevels.min(), outLevels.max()));
  }
  return result;
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

namespace {
/// The accumulators of a contraction, before bias and requantization.
struct Accumulators {
  SmallVector<int64_t, 4> shape;
  std::vector<int64_t> values;
  /// Output channel of each element.
  std::vector<int64_t> channels;
  int64_t numChannels = 0;
};

/// An operand's element offset as a linear function of the loops:
/// `offset = base + Σ_l loopStride[l] * loop_l`.
struct LinearAccess {
  int64_t base = 0;
  SmallVector<int64_t, 8> loopStride;
};
} // namespace

/// Adds `factor * expr` to `coefficients` (per loop) and `constant`, or fails
/// if `expr` is not an affine combination of loops with constant factors
/// (or overflows).
static bool addLinearForm(AffineExpr expr, int64_t factor,
                          MutableArrayRef<int64_t> coefficients,
                          int64_t &constant) {
  if (auto dim = dyn_cast<AffineDimExpr>(expr))
    return !__builtin_add_overflow(coefficients[dim.getPosition()], factor,
                                   &coefficients[dim.getPosition()]);
  if (auto value = dyn_cast<AffineConstantExpr>(expr)) {
    int64_t term;
    return !__builtin_mul_overflow(value.getValue(), factor, &term) &&
           !__builtin_add_overflow(constant, term, &constant);
  }
  auto binary = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!binary)
    return false;
  if (expr.getKind() == AffineExprKind::Add)
    return addLinearForm(binary.getLHS(), factor, coefficients, constant) &&
           addLinearForm(binary.getRHS(), factor, coefficients, constant);
  if (expr.getKind() != AffineExprKind::Mul)
    return false;
  AffineExpr lhs = binary.getLHS(), rhs = binary.getRHS();
  if (isa<AffineConstantExpr>(lhs))
    std::swap(lhs, rhs);
  auto scale = dyn_cast<AffineConstantExpr>(rhs);
  int64_t product;
  return scale && !__builtin_mul_overflow(factor, scale.getValue(), &product) &&
         addLinearForm(lhs, product, coefficients, constant);
}

/// The offsets `map` reads in a row-major tensor of `shape` for loops bounded
/// by `bounds`, or failure if `map` is not linear or reads out of bounds
/// (which the op's shape rule should have excluded).
static FailureOr<LinearAccess>
linearAccess(AffineMap map, ArrayRef<int64_t> shape, ArrayRef<int64_t> bounds) {
  if (map.getNumResults() != shape.size())
    return failure();
  bool empty = llvm::is_contained(bounds, 0);
  LinearAccess access;
  access.loopStride.assign(bounds.size(), 0);
  int64_t stride = 1;
  for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
    SmallVector<int64_t, 8> coefficients(bounds.size(), 0);
    int64_t constant = 0;
    if (!addLinearForm(map.getResult(d), 1, coefficients, constant))
      return failure();
    // The index range over the loop nest must lie within the dimension.
    int64_t lo = constant, hi = constant;
    for (auto [c, bound] : llvm::zip(coefficients, bounds)) {
      int64_t span;
      if (empty || c == 0)
        continue;
      if (__builtin_mul_overflow(c, bound - 1, &span) ||
          __builtin_add_overflow(span < 0 ? lo : hi, span,
                                 span < 0 ? &lo : &hi))
        return failure();
    }
    if (!empty && (lo < 0 || hi >= shape[d]))
      return failure();
    int64_t term;
    for (auto [l, c] : llvm::enumerate(coefficients))
      if (__builtin_mul_overflow(c, stride, &term) ||
          __builtin_add_overflow(access.loopStride[l], term,
                                 &access.loopStride[l]))
        return failure();
    if (__builtin_mul_overflow(constant, stride, &term) ||
        __builtin_add_overflow(access.base, term, &access.base) ||
        __builtin_mul_overflow(stride, std::max<int64_t>(shape[d], 1), &stride))
      return failure();
  }
  return access;
}

/// acc += x * w, reporting an int64 overflow.
static bool accumulate(int64_t &acc, int64_t x, int64_t w) {
  int64_t product;
  return !__builtin_mul_overflow(x, w, &product) &&
         !__builtin_add_overflow(acc, product, &acc);
}

/// `x` padded by `low` and `high` positions per dimension with the level
/// `zx`: the input that a padded convolution's indexing map reads. The op's
/// shape rule has checked that the padded sizes fit int64.
static FailureOr<Tensor> padInput(Operation *op, const Tensor &x,
                                  ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                                  int64_t zx, const Context &ctx) {
  ArrayRef<int64_t> xs = x.getShape();
  SmallVector<int64_t, 4> shape;
  for (auto [size, l, h] : llvm::zip(xs, low, high))
    shape.push_back(size + l + h);
  if (failed(ctx.checkSize(op, shape)))
    return failure();
  Tensor result(x.getElementType(), shape);
  forEachPaddedPosition(
      xs, x.getStrides(), low, shape,
      [&](int64_t i, ArrayRef<int64_t>, std::optional<int64_t> at) {
        result.setInt(i, at ? x.getInt(*at) : zx);
        return true;
      });
  return result;
}

/// Evaluates the loop nest of `op`'s indexing maps: for every result
/// element, Σ over the reduction loops of (X - zx) * W, where the input map
/// reads `x` padded with `zx` (getInputPadding).
static FailureOr<Accumulators> computeAccumulators(ContractionOpInterface op,
                                                   const Tensor &unpadded,
                                                   const Tensor &w, int64_t zx,
                                                   const Context &ctx) {
  const InterpreterOptions &options = ctx.getOptions();
  ArrayRef<int64_t> xs = unpadded.getShape(), ws = w.getShape();
  SmallVector<AffineMap, 3> maps = op.getIndexingMaps();
  AffineMap inputMap = maps[0], weightMap = maps[1], resultMap = maps[2];
  if (int64_t(xs.size()) != inputMap.getNumResults() ||
      int64_t(ws.size()) != weightMap.getNumResults())
    return op->emitOpError()
           << "input of runtime shape " << formatIndex(xs)
           << " and weight of runtime shape " << formatIndex(ws)
           << " do not have the ranks of the indexing maps";
  // The op's shape rule checks the runtime shapes as the verifier checks
  // the static ones.
  FailureOr<SmallVector<int64_t>> resultShape = op.inferResultShape(xs, ws);
  if (failed(resultShape))
    return failure();
  // The shape rule takes the unpadded input; the maps read the padded one.
  const Tensor *input = &unpadded;
  Tensor padded;
  auto [low, high] = op.getInputPadding();
  if (llvm::any_of(low, [](int64_t p) { return p != 0; }) ||
      llvm::any_of(high, [](int64_t p) { return p != 0; })) {
    FailureOr<Tensor> result = padInput(op, unpadded, low, high, zx, ctx);
    if (failed(result))
      return failure();
    padded = std::move(*result);
    input = &padded;
  }
  const Tensor &x = *input;
  xs = x.getShape();
  Accumulators result;
  result.shape.assign(resultShape->begin(), resultShape->end());
  std::optional<int64_t> count = getElementCount(result.shape);
  if (!count)
    return op->emitOpError()
           << "invalid result shape " << formatIndex(result.shape);

  // Loop bounds: result dimensions for the parallel loops, the weight (or
  // input) dimension a reduction loop indexes directly.
  unsigned numLoops = resultMap.getNumDims();
  SmallVector<int64_t, 8> bounds(numLoops, -1);
  for (auto [map, shape] :
       {std::pair(resultMap, ArrayRef<int64_t>(result.shape)),
        std::pair(weightMap, ws), std::pair(inputMap, xs)})
    for (auto [d, expr] : llvm::enumerate(map.getResults()))
      if (auto dim = dyn_cast<AffineDimExpr>(expr))
        if (bounds[dim.getPosition()] < 0)
          bounds[dim.getPosition()] = shape[d];
  if (llvm::is_contained(bounds, -1) || !resultMap.isProjectedPermutation())
    return op->emitOpError("indexing maps the interpreter cannot evaluate");
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypes();
  SmallVector<unsigned, 4> reductionLoops;
  int64_t reduction = 1;
  for (unsigned l = 0; l < numLoops; ++l)
    if (iterators[l] == utils::IteratorType::reduction) {
      reductionLoops.push_back(l);
      if (__builtin_mul_overflow(reduction, bounds[l], &reduction))
        reduction = std::numeric_limits<int64_t>::max();
    }

  int64_t work;
  if (failed(ctx.checkSize(op, result.shape)))
    return failure();
  if (__builtin_mul_overflow(*count, reduction, &work) ||
      work > options.maxIterations)
    return op->emitOpError() << "needs more than " << options.maxIterations
                             << " multiply-accumulates";
  int64_t channelAxis = op.getResultChannelAxis();
  result.numChannels = result.shape[channelAxis];
  result.values.assign(*count, 0);
  result.channels.resize(*count);

  FailureOr<LinearAccess> xAccess = linearAccess(inputMap, xs, bounds);
  FailureOr<LinearAccess> wAccess = linearAccess(weightMap, ws, bounds);
  if (failed(xAccess) || failed(wAccess))
    return op->emitOpError()
           << "indexing maps read outside the input of runtime shape "
           << formatIndex(xs) << " or the weight of runtime shape "
           << formatIndex(ws);
  SmallVector<int64_t, 4> redBounds, redX, redW;
  for (unsigned l : reductionLoops) {
    redBounds.push_back(bounds[l]);
    redX.push_back(xAccess->loopStride[l]);
    redW.push_back(wAccess->loopStride[l]);
  }

  int64_t overflowAt = -1;
  SmallVector<int64_t, 4> redIndex(reductionLoops.size());
  for (int64_t e = 0; e < *count; ++e) {
    // The parallel loops are the result index.
    SmallVector<int64_t, 4> index = delinearize(e, result.shape);
    int64_t xo = xAccess->base, wo = wAccess->base;
    for (auto [d, expr] : llvm::enumerate(resultMap.getResults())) {
      unsigned l = cast<AffineDimExpr>(expr).getPosition();
      xo += xAccess->loopStride[l] * index[d];
      wo += wAccess->loopStride[l] * index[d];
    }
    int64_t acc = 0;
    std::fill(redIndex.begin(), redIndex.end(), 0);
    for (int64_t i = 0; i < reduction; ++i) {
      if (!accumulate(acc, x.getInt(xo) - zx, w.getInt(wo)) && overflowAt < 0)
        overflowAt = e;
      // Next reduction index, innermost loop first.
      for (int64_t r = int64_t(redIndex.size()) - 1; r >= 0; --r) {
        if (++redIndex[r] < redBounds[r]) {
          xo += redX[r];
          wo += redW[r];
          break;
        }
        redIndex[r] = 0;
        xo -= redX[r] * (redBounds[r] - 1);
        wo -= redW[r] * (redBounds[r] - 1);
      }
    }
    result.values[e] = acc;
    result.channels[e] = index[channelAxis];
  }
  if (overflowAt >= 0)
    return op->emitOpError()
           << "accumulator at result index "
           << formatIndex(delinearize(overflowAt, result.shape))
           << " overflows i64";
  return result;
}

static FailureOr<Tensor> contractionOp(ContractionOpInterface op,
                                       const Frame &frame, const Context &ctx) {
  const Tensor &x = frame.find(op.getInput())->second;
  const Tensor &w = frame.find(op.getWeight())->second;
  QuantizedType xType = op.getInputQuantizedType();
  QuantizedType wType = op.getWeightQuantizedType();
  auto resultType = cast<RankedTensorType>(op.getResult().getType());
  if (wType.getZeroPoint() != 0)
    return op.emitOpError()
           << "weight zero point " << wType.getZeroPoint()
           << " is not supported: SPEC section 6 accumulates (X - Zx) * W "
              "without a weight zero point";
  if (failed(checkChannels(op, wType, w.getShape(), "weight")))
    return failure();

  FailureOr<Accumulators> acc =
      computeAccumulators(op, x, w, xType.getZeroPoint(), ctx);
  if (failed(acc))
    return failure();
  bool shapeOk = resultType.getRank() == int64_t(acc->shape.size());
  for (size_t d = 0; shapeOk && d < acc->shape.size(); ++d)
    shapeOk =
        resultType.isDynamicDim(d) || resultType.getDimSize(d) == acc->shape[d];
  if (!shapeOk)
    return op.emitOpError()
           << "result of runtime shape " << formatIndex(acc->shape)
           << " does not match " << resultType;

  const Tensor *bias = nullptr;
  if (Value biasValue = op.getBias()) {
    bias = &frame.find(biasValue)->second;
    if (bias->getRank() != 1 || bias->getShape()[0] != acc->numChannels)
      return op.emitOpError()
             << "bias of runtime shape " << formatIndex(bias->getShape())
             << " needs one element per output channel (" << acc->numChannels
             << ")";
  }

  Type elementType = resultType.getElementType();
  auto integerType = dyn_cast<IntegerType>(elementType);
  QuantizedType yType = dyn_cast<QuantizedType>(elementType);
  SmallVector<numerics::FixedPointMultiplier> multipliers;
  // The residual (if any) in accumulator units: round_shift((R - Zr) * Mr).
  const Tensor *residual = nullptr;
  QuantizedType rType;
  SmallVector<numerics::FixedPointMultiplier> residualMultipliers;
  if (Value residualValue = op.getResidual()) {
    residual = &frame.find(residualValue)->second;
    rType = getQuantizedElementType(residualValue.getType());
    if (residual->getShape() != ArrayRef<int64_t>(acc->shape))
      return op.emitOpError()
             << "residual of runtime shape "
             << formatIndex(residual->getShape())
             << " differs from the result shape " << formatIndex(acc->shape);
  }
  int64_t lo = 0, hi = 0;
  if (yType) {
    for (auto [channel, scale] :
         llvm::enumerate(wType.getScales().asArrayRef())) {
      double accScale = double(xType.getScale()) * double(scale);
      FailureOr<numerics::FixedPointMultiplier> fp =
          multiplierFor(op, accScale / double(yType.getScale()), channel);
      if (failed(fp))
        return failure();
      multipliers.push_back(*fp);
      if (residual) {
        FailureOr<numerics::FixedPointMultiplier> rfp =
            multiplierFor(op, double(rType.getScale()) / accScale, channel);
        if (failed(rfp))
          return failure();
        residualMultipliers.push_back(*rfp);
      }
    }
    std::tie(lo, hi) = op.getClampBounds();
  } else if (!integerType ||
             (integerType.getWidth() != 32 && integerType.getWidth() != 64)) {
    return op.emitOpError()
           << "unsupported result element type " << elementType;
  }

  Tensor result(elementType, acc->shape);
  const int64_t limit = int64_t(1) << 31;
  bool wideAccumulator = op.getWideAccumulator();
  for (int64_t e = 0, n = result.getNumElements(); e < n; ++e) {
    int64_t value = acc->values[e];
    int64_t channel = acc->channels[e];
    auto where = [&]() { return formatIndex(delinearize(e, acc->shape)); };
    if (bias && __builtin_add_overflow(value, bias->getInt(channel), &value))
      return op.emitOpError()
             << "accumulator at result index " << where() << " overflows i64";
    if (residual) {
      const auto &rfp = residualMultipliers[wType.isPerChannel() ? channel : 0];
      int64_t term = numerics::applyFixedPoint(
          residual->getInt(e) - rType.getZeroPoint(), rfp);
      if (__builtin_add_overflow(value, term, &value))
        return op.emitOpError()
               << "accumulator at result index " << where() << " overflows i64";
    }
    if (integerType && integerType.getWidth() == 64) {
      result.setInt(e, value);
      continue;
    }
    if (integerType) {
      if (value < -limit || value >= limit)
        return op.emitOpError()
               << "accumulator " << value << " at result index " << where()
               << " overflows the i32 result";
      result.setInt(e, value);
      continue;
    }
    // A wide accumulator (i64, 128-bit requantization) allows |acc| < 2^62.
    const int64_t bound = wideAccumulator ? int64_t(1) << 62 : limit;
    if (value <= -bound || value >= bound)
      return op.emitOpError()
             << "accumulator " << value << " at result index " << where()
             << " overflows: requantization needs |acc| < "
             << (wideAccumulator ? "2^62 with wide_accumulator"
                                 : "2^31 (SPEC section 6)");
    const auto &fp = multipliers[wType.isPerChannel() ? channel : 0];
    result.setInt(
        e, numerics::requantize(value, fp, yType.getZeroPoint(), lo, hi));
  }
  return result;
}

//===----------------------------------------------------------------------===//
// qat.fake_quant
//===----------------------------------------------------------------------===//

static FailureOr<Tensor> fakeQuantOp(qat::FakeQuantOp op, const Tensor &input,
                                     const Tensor &scaleTensor) {
  std::optional<int64_t> axis = op.getAxis();
  int64_t expected = axis ? input.getShape()[*axis] : 1;
  if (scaleTensor.getNumElements() != expected)
    return op.emitOpError()
           << "scale of runtime shape " << formatIndex(scaleTensor.getShape())
           << " needs " << expected << " element(s)"
           << (axis ? " (one per index of the axis)" : "");
  SmallVector<float> scales;
  for (int64_t i = 0; i < expected; ++i) {
    float scale = float(scaleTensor.getFloat(i));
    if (!(std::isfinite(scale) && scale > 0.0f))
      return op.emitOpError() << "scale[" << i << "] = " << double(scale)
                              << " must be positive and finite";
    scales.push_back(scale);
  }
  Type elementType = op.getResult().getType().getElementType();
  const numerics::LevelSet &levels = op.getEncoding().getLevelSet();
  int64_t zeroPoint = op.getZeroPoint();
  ChannelIndexer indexer(input.getShape(), axis);
  Tensor result(elementType, input.getShape());
  for (int64_t i = 0, e = input.getNumElements(); i < e; ++i) {
    float real =
        numerics::fakeQuantize(float(input.getFloat(i)),
                               scales[indexer.channel(i)], levels, zeroPoint);
    result.setFloat(i, toFloatType(real, elementType));
  }
  return result;
}

//===----------------------------------------------------------------------===//
// AddOp
//===----------------------------------------------------------------------===//

static FailureOr<Tensor> addOp(AddOp op, const Tensor &lhs, const Tensor &rhs) {
  if (lhs.getShape() != rhs.getShape())
    return op.emitOpError()
           << "operands of runtime shapes " << formatIndex(lhs.getShape())
           << " and " << formatIndex(rhs.getShape()) << " differ";
  QuantizedType a = getQuantizedElementType(op.getLhs().getType());
  QuantizedType b = getQuantizedElementType(op.getRhs().getType());
  QuantizedType y = getQuantizedElementType(op.getResult().getType());
  FailureOr<numerics::FixedPointMultiplier> ma =
      multiplierFor(op, double(a.getScale()) / double(y.getScale()), 0);
  FailureOr<numerics::FixedPointMultiplier> mb =
      multiplierFor(op, double(b.getScale()) / double(y.getScale()), 0);
  if (failed(ma) || failed(mb))
    return failure();
  auto [lo, hi] = op.getBounds();
  Tensor result(y, lhs.getShape());
  for (int64_t i = 0, e = lhs.getNumElements(); i < e; ++i)
    result.setInt(i, numerics::addRequantized(lhs.getInt(i) - a.getZeroPoint(),
                                              *ma,
                                              rhs.getInt(i) - b.getZeroPoint(),
                                              *mb, y.getZeroPoint(), lo, hi));
  return result;
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// Evaluates a 2-D NHWC pooling op: each output element is
/// `finish(fold(...fold(init, l_0)..., l_k))` over its window's levels.
template <typename PoolOp, typename Fold, typename Finish>
static FailureOr<Tensor> poolOp(PoolOp op, const Tensor &input, int64_t init,
                                Fold fold, Finish finish) {
  ArrayRef<int64_t> in = input.getShape();
  ArrayRef<int64_t> kernel = op.getKernel();
  SmallVector<int64_t, 2> strides = op.getStrideValues();
  SmallVector<int64_t, 2> dilations = op.getDilationValues();
  SmallVector<int64_t, 4> out{in[0], 0, 0, in[3]};
  for (int d = 0; d < 2; ++d) {
    int64_t span = dilations[d] * (kernel[d] - 1) + 1;
    if (in[1 + d] < span)
      return op.emitOpError() << "input is smaller than the dilated window";
    out[1 + d] = (in[1 + d] - span) / strides[d] + 1;
  }
  RankedTensorType declared = op.getResult().getType();
  for (int d = 0; d < 4; ++d)
    if (!declared.isDynamicDim(d) && declared.getDimSize(d) != out[d])
      return op.emitOpError() << "result dimension " << d << " is "
                              << declared.getDimSize(d) << " but the input "
                              << "gives " << out[d];
  Tensor result(declared.getElementType(), out);
  SmallVector<int64_t, 4> inStrides = input.getStrides();
  int64_t linear = 0;
  for (int64_t n = 0; n < out[0]; ++n)
    for (int64_t oh = 0; oh < out[1]; ++oh)
      for (int64_t ow = 0; ow < out[2]; ++ow)
        for (int64_t c = 0; c < out[3]; ++c) {
          int64_t value = init;
          for (int64_t kh = 0; kh < kernel[0]; ++kh)
            for (int64_t kw = 0; kw < kernel[1]; ++kw) {
              int64_t h = oh * strides[0] + kh * dilations[0];
              int64_t w = ow * strides[1] + kw * dilations[1];
              value =
                  fold(value, input.getInt(n * inStrides[0] + h * inStrides[1] +
                                           w * inStrides[2] + c));
            }
          result.setInt(linear++, finish(value));
        }
  return result;
}

/// y[n, oh, ow, c] = max over the window of the input levels.
static FailureOr<Tensor> maxPoolOp(MaxPool2DNhwcOp op, const Tensor &input) {
  return poolOp(
      op, input, std::numeric_limits<int64_t>::min(),
      [](int64_t best, int64_t level) { return std::max(best, level); },
      [](int64_t best) { return best; });
}

/// y = clamp(Zy + round_shift(Σ_window (X - Zx) * M, sh), lo, hi).
static FailureOr<Tensor> avgPoolOp(AvgPool2DNhwcOp op, const Tensor &input) {
  QuantizedType inType = getQuantizedElementType(op.getInput().getType());
  QuantizedType outType = getQuantizedElementType(op.getResult().getType());
  FailureOr<numerics::FixedPointMultiplier> fp =
      multiplierFor(op, op.getMultiplier(), 0);
  if (failed(fp))
    return failure();
  const numerics::LevelSet &levels = outType.getLevelSet();
  int64_t zx = inType.getZeroPoint();
  // |sum| <= 2^17 * window size: no overflow for any window that fits.
  return poolOp(
      op, input, 0,
      [&](int64_t sum, int64_t level) { return sum + level - zx; },
      [&](int64_t sum) {
        return numerics::requantize(sum, *fp, outType.getZeroPoint(),
                                    levels.min(), levels.max());
      });
}

//===----------------------------------------------------------------------===//
// Evaluation functions (Ops.h)
//===----------------------------------------------------------------------===//

FailureOr<Tensor> pi::detail::evalOp(ConstantOp op, const Frame &frame,
                                     const Context &ctx) {
  if (failed(ctx.checkSize(op, op.getResult().getType().getShape())))
    return failure();
  return constantOp(op);
}

FailureOr<Tensor> pi::detail::evalOp(QuantizeOp op, const Frame &frame,
                                     const Context &ctx) {
  return quantizeOp(op, valueOf(frame, op.getInput()));
}

FailureOr<Tensor> pi::detail::evalOp(DequantizeOp op, const Frame &frame,
                                     const Context &ctx) {
  return dequantizeOp(op, valueOf(frame, op.getInput()));
}

FailureOr<Tensor> pi::detail::evalOp(RequantizeOp op, const Frame &frame,
                                     const Context &ctx) {
  return requantizeOp(op, valueOf(frame, op.getInput()));
}

FailureOr<Tensor> pi::detail::evalOp(ContractionOpInterface op,
                                     const Frame &frame, const Context &ctx) {
  return contractionOp(op, frame, ctx);
}

FailureOr<Tensor> pi::detail::evalOp(AddOp op, const Frame &frame,
                                     const Context &ctx) {
  return addOp(op, valueOf(frame, op.getLhs()), valueOf(frame, op.getRhs()));
}

FailureOr<Tensor> pi::detail::evalOp(AvgPool2DNhwcOp op, const Frame &frame,
                                     const Context &ctx) {
  return avgPoolOp(op, valueOf(frame, op.getInput()));
}

FailureOr<Tensor> pi::detail::evalOp(MaxPool2DNhwcOp op, const Frame &frame,
                                     const Context &ctx) {
  return maxPoolOp(op, valueOf(frame, op.getInput()));
}

FailureOr<Tensor> pi::detail::evalOp(qat::FakeQuantOp op, const Frame &frame,
                                     const Context &ctx) {
  return fakeQuantOp(op, valueOf(frame, op.getInput()),
                     valueOf(frame, op.getScale()));
}
