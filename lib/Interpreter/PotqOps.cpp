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
  QuantizedType qtype = getQuantizedElementType(type);
  bool isSigned = qtype.isStorageSigned();
  Tensor result(qtype, type.getShape());
  int64_t index = 0;
  for (const APInt &raw : value.getValues<APInt>())
    result.setInt(index++,
                  isSigned ? raw.getSExtValue() : int64_t(raw.getZExtValue()));
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
enum class Layout { Matmul, BatchMatmul, NhwcHwcf, NchwFchw, DepthwiseNhwcHwc };

/// The accumulators of a contraction, before bias and requantization.
struct Accumulators {
  SmallVector<int64_t, 4> shape;
  std::vector<int64_t> values;
  /// Output channel of each element.
  std::vector<int64_t> channels;
  int64_t numChannels = 0;
};
} // namespace

/// acc += x * w, reporting an int64 overflow.
static bool accumulate(int64_t &acc, int64_t x, int64_t w) {
  int64_t product;
  return !__builtin_mul_overflow(x, w, &product) &&
         !__builtin_add_overflow(acc, product, &acc);
}

static FailureOr<Accumulators>
computeAccumulators(Operation *op, Layout layout, const Tensor &x,
                    const Tensor &w, int64_t zx, ArrayRef<int64_t> strides,
                    ArrayRef<int64_t> dilations,
                    const InterpreterOptions &options) {
  ArrayRef<int64_t> xs = x.getShape(), ws = w.getShape();
  Accumulators result;
  auto mismatch = [&](StringRef what) {
    return op->emitOpError()
           << what << ": input of runtime shape " << formatIndex(xs)
           << " and weight of runtime shape " << formatIndex(ws);
  };
  auto checkWork = [&](int64_t outputs, int64_t reduction) -> LogicalResult {
    int64_t work;
    if (outputs > options.maxElements)
      return op->emitOpError()
             << "result of shape " << formatIndex(result.shape)
             << " exceeds the interpreter's limit of " << options.maxElements
             << " elements";
    if (__builtin_mul_overflow(outputs, reduction, &work) ||
        work > options.maxIterations)
      return op->emitOpError() << "needs more than " << options.maxIterations
                               << " multiply-accumulates";
    return success();
  };
  // Sizes result.values/channels for result.shape, checking the limits.
  auto allocate = [&](int64_t channels, int64_t reduction) -> LogicalResult {
    std::optional<int64_t> count = getElementCount(result.shape);
    if (!count)
      return mismatch("invalid result shape");
    if (failed(checkWork(*count, reduction)))
      return failure();
    result.numChannels = channels;
    result.values.assign(*count, 0);
    result.channels.resize(*count);
    return success();
  };
  // Output size of one spatial dimension, or nullopt if the dilated filter
  // does not fit.
  auto outputSize = [](int64_t size, int64_t kernel, int64_t stride,
                       int64_t dilation) -> std::optional<int64_t> {
    int64_t span = dilation * (kernel - 1) + 1;
    if (kernel < 1 || size < span)
      return std::nullopt;
    return (size - span) / stride + 1;
  };
  // Output height and width of a convolution window, or a diagnostic.
  auto spatialSizes = [&](int64_t height, int64_t width, int64_t kh, int64_t kw,
                          int64_t &oh, int64_t &ow) -> LogicalResult {
    std::optional<int64_t> h = outputSize(height, kh, strides[0], dilations[0]);
    std::optional<int64_t> w = outputSize(width, kw, strides[1], dilations[1]);
    if (!h || !w)
      return mismatch("the input is smaller than the dilated filter");
    oh = *h;
    ow = *w;
    return success();
  };
  SmallVector<int64_t, 4> xStrides = x.getStrides(), wStrides = w.getStrides();
  int64_t overflowAt = -1;

  if (layout == Layout::Matmul || layout == Layout::BatchMatmul) {
    bool batched = layout == Layout::BatchMatmul;
    int64_t b = batched ? xs[0] : 1;
    size_t o = batched ? 1 : 0;
    int64_t m = xs[o], k = xs[o + 1], n = ws[o + 1];
    if (batched && ws[0] != b)
      return mismatch("batch sizes differ");
    if (ws[o] != k)
      return mismatch("reduction sizes differ");
    if (batched)
      result.shape = {b, m, n};
    else
      result.shape = {m, n};
    if (failed(allocate(n, k)))
      return failure();
    int64_t e = 0;
    for (int64_t bi = 0; bi < b; ++bi)
      for (int64_t mi = 0; mi < m; ++mi)
        for (int64_t ni = 0; ni < n; ++ni, ++e) {
          int64_t acc = 0;
          for (int64_t ki = 0; ki < k; ++ki) {
            int64_t xv = x.getInt((bi * m + mi) * k + ki) - zx;
            int64_t wv = w.getInt((bi * k + ki) * n + ni);
            if (!accumulate(acc, xv, wv) && overflowAt < 0)
              overflowAt = e;
          }
          result.values[e] = acc;
          result.channels[e] = ni;
        }
  } else if (layout == Layout::DepthwiseNhwcHwc) {
    // Input [N, H, W, C], weight [KH, KW, C]: no channel reduction.
    int64_t batch = xs[0], height = xs[1], width = xs[2], channels = xs[3];
    int64_t kh = ws[0], kw = ws[1];
    if (ws[2] != channels)
      return mismatch("channels differ");
    int64_t oh, ow;
    if (failed(spatialSizes(height, width, kh, kw, oh, ow)))
      return failure();
    result.shape = {batch, oh, ow, channels};
    if (failed(allocate(channels, kh * kw)))
      return failure();
    int64_t e = 0;
    for (int64_t ni = 0; ni < batch; ++ni)
      for (int64_t hi = 0; hi < oh; ++hi)
        for (int64_t wi = 0; wi < ow; ++wi)
          for (int64_t ci = 0; ci < channels; ++ci, ++e) {
            int64_t acc = 0;
            for (int64_t khi = 0; khi < kh; ++khi)
              for (int64_t kwi = 0; kwi < kw; ++kwi) {
                int64_t y = hi * strides[0] + khi * dilations[0];
                int64_t xw = wi * strides[1] + kwi * dilations[1];
                int64_t xv = x.getInt(ni * xStrides[0] + y * xStrides[1] +
                                      xw * xStrides[2] + ci) -
                             zx;
                int64_t wv =
                    w.getInt(khi * wStrides[0] + kwi * wStrides[1] + ci);
                if (!accumulate(acc, xv, wv) && overflowAt < 0)
                  overflowAt = e;
              }
            result.values[e] = acc;
            result.channels[e] = ci;
          }
  } else {
    bool nhwc = layout == Layout::NhwcHwcf;
    // Dimension positions: input [N, C, H, W] / weight [F, C, KH, KW].
    int64_t inN = 0, inC = nhwc ? 3 : 1, inH = nhwc ? 1 : 2, inW = nhwc ? 2 : 3;
    int64_t wF = nhwc ? 3 : 0, wC = nhwc ? 2 : 1, wH = nhwc ? 0 : 2,
            wW = nhwc ? 1 : 3;
    int64_t batch = xs[inN], channels = xs[inC], height = xs[inH],
            width = xs[inW];
    int64_t filters = ws[wF], kh = ws[wH], kw = ws[wW];
    if (ws[wC] != channels)
      return mismatch("input channels differ");
    int64_t oh, ow;
    if (failed(spatialSizes(height, width, kh, kw, oh, ow)))
      return failure();
    if (nhwc)
      result.shape = {batch, oh, ow, filters};
    else
      result.shape = {batch, filters, oh, ow};
    if (failed(allocate(filters, channels * kh * kw)))
      return failure();
    SmallVector<int64_t, 4> outStrides(4, 1);
    for (int d = 2; d >= 0; --d)
      outStrides[d] = outStrides[d + 1] * result.shape[d + 1];
    int64_t outF = nhwc ? 3 : 1, outH = nhwc ? 1 : 2, outW = nhwc ? 2 : 3;
    for (int64_t ni = 0; ni < batch; ++ni)
      for (int64_t fi = 0; fi < filters; ++fi)
        for (int64_t hi = 0; hi < oh; ++hi)
          for (int64_t wi = 0; wi < ow; ++wi) {
            int64_t acc = 0;
            int64_t e = ni * outStrides[0] + fi * outStrides[outF] +
                        hi * outStrides[outH] + wi * outStrides[outW];
            for (int64_t ci = 0; ci < channels; ++ci)
              for (int64_t khi = 0; khi < kh; ++khi)
                for (int64_t kwi = 0; kwi < kw; ++kwi) {
                  int64_t y = hi * strides[0] + khi * dilations[0];
                  int64_t xw = wi * strides[1] + kwi * dilations[1];
                  int64_t xv =
                      x.getInt(ni * xStrides[inN] + ci * xStrides[inC] +
                               y * xStrides[inH] + xw * xStrides[inW]) -
                      zx;
                  int64_t wv =
                      w.getInt(fi * wStrides[wF] + ci * wStrides[wC] +
                               khi * wStrides[wH] + kwi * wStrides[wW]);
                  if (!accumulate(acc, xv, wv) && overflowAt < 0)
                    overflowAt = e;
                }
            result.values[e] = acc;
            result.channels[e] = fi;
          }
  }
  if (overflowAt >= 0)
    return op->emitOpError()
           << "accumulator at result index "
           << formatIndex(delinearize(overflowAt, result.shape))
           << " overflows i64";
  return result;
}

template <typename ContractionOp>
static FailureOr<Tensor>
contractionOp(ContractionOp op, Layout layout, const Frame &frame,
              ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
              const InterpreterOptions &options) {
  const Tensor &x = frame.find(op.getInput())->second;
  const Tensor &w = frame.find(op.getWeight())->second;
  QuantizedType xType = getQuantizedElementType(op.getInput().getType());
  QuantizedType wType = getQuantizedElementType(op.getWeight().getType());
  RankedTensorType resultType = op.getResult().getType();
  if (wType.getZeroPoint() != 0)
    return op.emitOpError()
           << "weight zero point " << wType.getZeroPoint()
           << " is not supported: SPEC section 6 accumulates (X - Zx) * W "
              "without a weight zero point";
  if (failed(checkChannels(op, wType, w.getShape(), "weight")))
    return failure();

  FailureOr<Accumulators> acc = computeAccumulators(
      op, layout, x, w, xType.getZeroPoint(), strides, dilations, options);
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
    const numerics::LevelSet &levels = yType.getLevelSet();
    // I64Attr getters return uint64_t; the bounds are signed levels.
    std::optional<int64_t> clampMin = op.getClampMin();
    std::optional<int64_t> clampMax = op.getClampMax();
    lo = std::max(levels.min(), clampMin.value_or(levels.min()));
    hi = std::min(levels.max(), clampMax.value_or(levels.max()));
  } else if (!integerType ||
             (integerType.getWidth() != 32 && integerType.getWidth() != 64)) {
    return op.emitOpError()
           << "unsupported result element type " << elementType;
  }

  Tensor result(elementType, acc->shape);
  const int64_t limit = int64_t(1) << 31;
  bool wideAccumulator = op->hasAttr("wide_accumulator");
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

FailureOr<Tensor> pi::detail::evalOp(MatmulOp op, const Frame &frame,
                                     const Context &ctx) {
  return contractionOp(op, Layout::Matmul, frame, {1, 1}, {1, 1},
                       ctx.getOptions());
}

FailureOr<Tensor> pi::detail::evalOp(BatchMatmulOp op, const Frame &frame,
                                     const Context &ctx) {
  return contractionOp(op, Layout::BatchMatmul, frame, {1, 1}, {1, 1},
                       ctx.getOptions());
}

FailureOr<Tensor> pi::detail::evalOp(Conv2DNhwcHwcfOp op, const Frame &frame,
                                     const Context &ctx) {
  return contractionOp(op, Layout::NhwcHwcf, frame, op.getStrideValues(),
                       op.getDilationValues(), ctx.getOptions());
}

FailureOr<Tensor> pi::detail::evalOp(DepthwiseConv2DNhwcHwcOp op,
                                     const Frame &frame, const Context &ctx) {
  return contractionOp(op, Layout::DepthwiseNhwcHwc, frame,
                       op.getStrideValues(), op.getDilationValues(),
                       ctx.getOptions());
}

FailureOr<Tensor> pi::detail::evalOp(Conv2DNchwFchwOp op, const Frame &frame,
                                     const Context &ctx) {
  return contractionOp(op, Layout::NchwFchw, frame, op.getStrideValues(),
                       op.getDilationValues(), ctx.getOptions());
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
