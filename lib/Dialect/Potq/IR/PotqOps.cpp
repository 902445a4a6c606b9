//===- PotqOps.cpp - potq operation verifiers -----------------------------===//
//
// Verifiers name the operand and the offending value. Folders live in
// PotqFolds.cpp.
//
//===----------------------------------------------------------------------===//

#include "potq/Dialect/Potq/IR/PotqOps.h"
#include "potq/Numerics/FixedPoint.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace potq;
namespace numerics = ::potq::numerics;

#define GET_OP_CLASSES
#include "potq/Dialect/Potq/IR/PotqOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared checks
//===----------------------------------------------------------------------===//

static bool isDynamic(int64_t dim) { return ShapedType::isDynamic(dim); }
static bool compatibleDims(int64_t a, int64_t b) {
  return isDynamic(a) || isDynamic(b) || a == b;
}

/// Prints a shape as `[2, ?, 4]`.
static std::string shapeString(ArrayRef<int64_t> shape) {
  std::string result = "[";
  llvm::raw_string_ostream os(result);
  llvm::interleaveComma(shape, os, [&](int64_t d) {
    if (isDynamic(d))
      os << "?";
    else
      os << d;
  });
  os << "]";
  return result;
}

/// A per-channel type's axis must exist in `tensor` and, where the dimension
/// is static, carry one scale per index.
static LogicalResult verifyChannelAxis(Operation *op, StringRef what,
                                       RankedTensorType tensor) {
  QuantizedType type = getQuantizedElementType(tensor);
  if (!type || !type.isPerChannel())
    return success();
  int64_t axis = *type.getAxis();
  if (axis >= tensor.getRank())
    return op->emitOpError()
           << what << " axis = " << axis
           << " is out of range for a tensor of rank " << tensor.getRank();
  int64_t dim = tensor.getDimSize(axis);
  int64_t count = type.getScales().size();
  if (!isDynamic(dim) && dim != count)
    return op->emitOpError()
           << what << " has " << count << " scales but dimension " << axis
           << " has size " << dim;
  return success();
}

static LogicalResult verifySameShape(Operation *op, RankedTensorType input,
                                     RankedTensorType result) {
  // Operand 0 is the input, result 0 the result, whatever their types.
  if (failed(verifyCompatibleShape(input, result)))
    return op->emitOpError() << "input shape " << shapeString(input.getShape())
                             << " and result shape "
                             << shapeString(result.getShape()) << " differ";
  return success();
}

//===----------------------------------------------------------------------===//
// QuantizeOp, DequantizeOp
//===----------------------------------------------------------------------===//

/// Checks a float <-> quantized conversion from `input` to `result`: same
/// shape, the float element type is the expressed type, a valid channel axis.
static LogicalResult verifyConversion(Operation *op, RankedTensorType input,
                                      RankedTensorType result) {
  bool quantizes = isa<FloatType>(input.getElementType());
  RankedTensorType floatTensor = quantizes ? input : result;
  RankedTensorType quantTensor = quantizes ? result : input;
  QuantizedType qtype = getQuantizedElementType(quantTensor);
  if (floatTensor.getElementType() != qtype.getExpressedType())
    return op->emitOpError()
           << "float element type " << floatTensor.getElementType()
           << " does not match the expressed type " << qtype.getExpressedType()
           << " of " << qtype;
  if (failed(verifySameShape(op, input, result)))
    return failure();
  return verifyChannelAxis(op, "quantized type", quantTensor);
}

LogicalResult QuantizeOp::verify() {
  return verifyConversion(*this, getInput().getType(), getResult().getType());
}

LogicalResult DequantizeOp::verify() {
  return verifyConversion(*this, getInput().getType(), getResult().getType());
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

/// Formats the multi-dimensional index of `linear` in `shape` as `[i, j]`.
static std::string indexString(ArrayRef<int64_t> shape, int64_t linear) {
  SmallVector<int64_t> index(shape.size());
  for (int64_t d = shape.size() - 1; d >= 0; --d) {
    index[d] = linear % shape[d];
    linear /= shape[d];
  }
  return shapeString(index);
}

LogicalResult ConstantOp::verify() {
  RankedTensorType resultType = getResult().getType();
  QuantizedType qtype = getQuantizedElementType(resultType);
  auto value = dyn_cast<DenseIntElementsAttr>(getValue());
  if (!value)
    return emitOpError("value must be a dense integer elements attribute");
  auto valueType = dyn_cast<RankedTensorType>(value.getType());
  if (!valueType)
    return emitOpError() << "value must be a ranked tensor, got "
                         << value.getType();
  if (valueType.getShape() != resultType.getShape())
    return emitOpError() << "value shape " << shapeString(valueType.getShape())
                         << " does not match the result shape "
                         << shapeString(resultType.getShape());
  IntegerType storage = qtype.getStorageType();
  if (valueType.getElementType() != storage)
    return emitOpError() << "value element type " << valueType.getElementType()
                         << " must be the storage type " << storage << " of "
                         << qtype;
  if (failed(verifyChannelAxis(*this, "result type", resultType)))
    return failure();
  const numerics::LevelSet &levels = qtype.getLevelSet();
  auto checkLevel = [&](int64_t level, int64_t linear) -> LogicalResult {
    if (levels.contains(level))
      return success();
    return emitOpError() << "value " << level << " at index "
                         << indexString(resultType.getShape(), linear)
                         << " is not a level of " << qtype.getEncoding();
  };
  // A splat holds one value, however large the tensor.
  if (std::optional<int64_t> level = getSplatLevel())
    return checkLevel(*level, 0);
  int64_t linear = 0;
  for (int64_t level : getLevels())
    if (failed(checkLevel(level, linear++)))
      return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// RequantizeOp
//===----------------------------------------------------------------------===//

/// The result of a requantization must be per-tensor uniform.
static LogicalResult verifyRequantizedResult(Operation *op,
                                             QuantizedType result) {
  if (!result.isUniform() || result.isPerChannel())
    return op->emitOpError()
           << "result must be a per-tensor uniform quantized type, got "
           << result;
  return success();
}

/// Checks that the multiplier `m` of channel `channel` has a fixed-point
/// form (SPEC section 6).
static LogicalResult verifyMultiplier(Operation *op, double m,
                                      std::optional<int64_t> channel) {
  std::string error;
  if (numerics::toFixedPoint(m, &error))
    return success();
  InFlightDiagnostic diag = op->emitOpError() << "requantization multiplier ";
  if (channel)
    diag << "of channel " << *channel << " ";
  return diag << "is unsupported: " << error;
}

LogicalResult RequantizeOp::verify() {
  RankedTensorType inputType = getInput().getType();
  RankedTensorType resultType = getResult().getType();
  QuantizedType in = getQuantizedElementType(inputType);
  QuantizedType out = getQuantizedElementType(resultType);
  if (failed(verifySameShape(*this, inputType, resultType)) ||
      failed(verifyChannelAxis(*this, "input type", inputType)) ||
      failed(verifyRequantizedResult(*this, out)))
    return failure();
  for (auto [channel, scale] : llvm::enumerate(in.getScales().asArrayRef()))
    if (failed(verifyMultiplier(*this, double(scale) / double(out.getScale()),
                                in.isPerChannel()
                                    ? std::optional<int64_t>(channel)
                                    : std::nullopt)))
      return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

/// Expected result shape of a contraction, or failure after a diagnostic.
using ShapeOrFailure = FailureOr<SmallVector<int64_t>>;

/// [M, K] x [K, N] (optionally with a leading batch dimension).
static ShapeOrFailure matmulShape(Operation *op, ArrayRef<int64_t> in,
                                  ArrayRef<int64_t> w, bool batched) {
  size_t b = batched ? 1 : 0;
  if (batched && !compatibleDims(in[0], w[0])) {
    op->emitOpError() << "input batch size " << in[0]
                      << " does not match weight batch size " << w[0];
    return failure();
  }
  if (!compatibleDims(in[b + 1], w[b])) {
    op->emitOpError() << "reduction sizes differ: input " << shapeString(in)
                      << " and weight " << shapeString(w);
    return failure();
  }
  SmallVector<int64_t> shape;
  if (batched)
    shape.push_back(isDynamic(in[0]) ? w[0] : in[0]);
  shape.append({in[b], w[b + 1]});
  return shape;
}

/// Output size of a convolution along one spatial dimension whose input of
/// `size` is padded by `low` and `high` positions.
static FailureOr<int64_t> convOutputSize(Operation *op, StringRef name,
                                         int64_t size, int64_t kernel,
                                         int64_t stride, int64_t dilation,
                                         int64_t low = 0, int64_t high = 0) {
  if (!isDynamic(kernel) && kernel < 1) {
    op->emitOpError() << "filter " << name << " must be positive, got "
                      << kernel;
    return failure();
  }
  if (isDynamic(size) || isDynamic(kernel))
    return ShapedType::kDynamic;
  int64_t padded;
  if (llvm::AddOverflow(size, low, padded) ||
      llvm::AddOverflow(padded, high, padded)) {
    op->emitOpError() << "padded input " << name << " overflows 64 bits";
    return failure();
  }
  int64_t span;
  if (llvm::MulOverflow(dilation, kernel - 1, span) ||
      llvm::AddOverflow(span, int64_t(1), span)) {
    op->emitOpError() << "dilated filter " << name
                      << " overflows 64 bits (dilation " << dilation
                      << ", filter " << name << " " << kernel << ")";
    return failure();
  }
  if (padded < span) {
    InFlightDiagnostic diag = op->emitOpError();
    if (padded != size)
      diag << "padded input " << name << " " << padded << " (" << size << " + "
           << low << " + " << high << ")";
    else
      diag << "input " << name << " " << size;
    diag << " is smaller than the dilated filter " << name << " " << span;
    return failure();
  }
  return (padded - span) / stride + 1;
}

/// Verifies a window attribute (kernel, strides, dilations): `count`
/// positive values, [height, width] for the 2-D ops.
static LogicalResult verifyWindow(Operation *op, StringRef name,
                                  std::optional<ArrayRef<int64_t>> values,
                                  unsigned count = 2) {
  if (!values)
    return success();
  if (values->size() == count &&
      llvm::all_of(*values, [](int64_t v) { return v >= 1; }))
    return success();
  InFlightDiagnostic diag = op->emitOpError() << name << " must be ";
  if (count == 2)
    diag << "two positive values [height, width]";
  else
    diag << count << " positive values";
  return diag << ", got " << shapeString(*values);
}

/// Verifies a convolution's `padding`: low then high for each of its
/// `count` window dimensions, none negative.
static LogicalResult verifyPadding(Operation *op, ArrayRef<int64_t> values,
                                   unsigned count) {
  if (values.size() != 2 * count) {
    InFlightDiagnostic diag = op->emitOpError() << "padding must have ";
    if (count == 2)
      diag << "4 values [top, left, bottom, right]";
    else
      diag << 2 * count << " values (low, then high)";
    return diag << ", got " << shapeString(values);
  }
  if (llvm::any_of(values, [](int64_t v) { return v < 0; }))
    return op->emitOpError()
           << "padding must be non-negative, got " << shapeString(values);
  return success();
}

/// The shape rule of a convolution, read off its indexing maps. The loop
/// indexing both the input and the weight directly (the input channels)
/// must have one size, named `filterChannels` on the weight's side. Each
/// result dimension is the size of the input dimension its loop indexes
/// directly (the batch; a depthwise convolution's channels), else of the
/// weight's (the filters), else, for a window loop indexing the input as
/// `o * s + k * d`, the number of positions of the dilated filter dimension
/// of `k` in that input dimension padded by the op's padding.
static ShapeOrFailure convShape(ContractionOpInterface op, ArrayRef<int64_t> in,
                                ArrayRef<int64_t> w, StringRef filterChannels) {
  SmallVector<AffineMap, 3> maps = op.getIndexingMaps();
  AffineMap inputMap = maps[0], weightMap = maps[1], resultMap = maps[2];
  for (auto [p, expr] : llvm::enumerate(inputMap.getResults())) {
    std::optional<unsigned> q = isa<AffineDimExpr>(expr)
                                    ? weightMap.getResultPosition(expr)
                                    : std::nullopt;
    if (q && !compatibleDims(in[p], w[*q])) {
      op->emitOpError() << "input channels " << in[p] << " do not match "
                        << filterChannels << " " << w[*q];
      return failure();
    }
  }
  SmallVector<int64_t, 2> strides = op.getStrideValues();
  SmallVector<int64_t, 2> dilations = op.getDilationValues();
  auto [low, high] = op.getInputPadding();
  SmallVector<int64_t> shape;
  unsigned window = 0;
  bool ok = true;
  for (AffineExpr loop : resultMap.getResults()) {
    std::optional<unsigned> p = inputMap.getResultPosition(loop);
    std::optional<unsigned> q = weightMap.getResultPosition(loop);
    if (p) {
      shape.push_back(isDynamic(in[*p]) && q ? w[*q] : in[*p]);
      continue;
    }
    if (q) {
      shape.push_back(w[*q]);
      continue;
    }
    // A window loop: the input dimension it indexes with a filter loop.
    unsigned position = cast<AffineDimExpr>(loop).getPosition();
    for (auto [d, expr] : llvm::enumerate(inputMap.getResults())) {
      if (!expr.isFunctionOfDim(position))
        continue;
      std::optional<unsigned> filterDim;
      expr.walk([&](AffineExpr e) {
        if (auto dim = dyn_cast<AffineDimExpr>(e);
            dim && dim.getPosition() != position)
          filterDim = weightMap.getResultPosition(dim);
      });
      if (!filterDim || window >= strides.size())
        break;
      std::string name = window == 0   ? "height"
                         : window == 1 ? "width"
                                       : "dimension " + std::to_string(d);
      FailureOr<int64_t> size =
          convOutputSize(op, name, in[d], w[*filterDim], strides[window],
                         dilations[window], low[d], high[d]);
      ++window;
      ok &= succeeded(size);
      shape.push_back(succeeded(size) ? *size : ShapedType::kDynamic);
      break;
    }
  }
  if (!ok)
    return failure();
  return shape;
}

/// The verifier of ContractionOpInterface: everything a contraction checks
/// (SPEC section 6), with the op's own shape rule.
LogicalResult potq::detail::verifyContractionOp(Operation *operation) {
  auto op = cast<ContractionOpInterface>(operation);
  auto inputType = cast<RankedTensorType>(op.getInput().getType());
  auto weightType = cast<RankedTensorType>(op.getWeight().getType());
  auto resultType = cast<RankedTensorType>(op.getResult().getType());
  QuantizedType in = getQuantizedElementType(inputType);
  QuantizedType w = getQuantizedElementType(weightType);
  QuantizedType out = getQuantizedElementType(resultType);

  if (!in.isUniform() || in.isPerChannel())
    return op->emitOpError()
           << "input must be a per-tensor uniform quantized type, got " << in;
  // Windows first: convolution maps are built from them.
  if (unsigned count = op.getNumWindowDims())
    if (failed(verifyWindow(op, "strides",
                            ArrayRef<int64_t>(op.getStrideValues()), count)) ||
        failed(verifyWindow(op, "dilations",
                            ArrayRef<int64_t>(op.getDilationValues()),
                            count)) ||
        failed(verifyPadding(op, op.getPaddingValues(), count)))
      return failure();
  SmallVector<AffineMap, 3> maps = op.getIndexingMaps();
  int64_t inputRank = maps[0].getNumResults();
  int64_t weightRank = maps[1].getNumResults();
  if (inputType.getRank() != inputRank || weightType.getRank() != weightRank)
    return op->emitOpError()
           << "expected an input of rank " << inputRank
           << " and a weight of rank " << weightRank << ", got ranks "
           << inputType.getRank() << " and " << weightType.getRank();
  if (w.getExpressedType() != in.getExpressedType() ||
      (out && out.getExpressedType() != in.getExpressedType()))
    return op->emitOpError("quantized operands and result must share one "
                           "expressed type");
  if (w.getZeroPoint() != 0)
    return op->emitOpError() << "weights must have zero point 0 (SPEC section "
                                "6 accumulates (X - Zx) * W), got "
                             << w;
  int64_t weightAxis = op.getWeightChannelAxis();
  if (w.isPerChannel() && *w.getAxis() != weightAxis)
    return op->emitOpError()
           << "per-channel weight scales must use the output-channel axis "
           << weightAxis << ", got axis " << *w.getAxis();
  if (failed(verifyChannelAxis(op, "weight type", weightType)))
    return failure();

  ShapeOrFailure expected =
      op.inferResultShape(inputType.getShape(), weightType.getShape());
  if (failed(expected))
    return failure();
  if (resultType.getRank() != int64_t(expected->size()) ||
      failed(verifyCompatibleShape(resultType.getShape(), *expected)))
    return op->emitOpError()
           << "result shape " << shapeString(resultType.getShape())
           << " does not match the expected shape " << shapeString(*expected);

  int64_t channels = weightType.getDimSize(weightAxis);
  if (Value bias = op.getBias()) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (biasType.getRank() != 1 ||
        !compatibleDims(biasType.getDimSize(0), channels))
      return op->emitOpError()
             << "bias must hold one i32 level per output channel ("
             << (isDynamic(channels) ? std::string("?")
                                     : std::to_string(channels))
             << "), got " << biasType;
  }

  std::optional<int64_t> clampMin = op.getClampMin();
  std::optional<int64_t> clampMax = op.getClampMax();
  QuantizedType residual;
  if (Value value = op.getResidual()) {
    auto residualType = cast<RankedTensorType>(value.getType());
    residual = getQuantizedElementType(residualType);
    if (!out)
      return op->emitOpError("a residual needs a quantized result");
    if (residual.isPerChannel())
      return op->emitOpError()
             << "residual must be per-tensor quantized, got " << residual;
    if (failed(verifyCompatibleShape(residualType.getShape(),
                                     resultType.getShape())))
      return op->emitOpError()
             << "residual shape " << shapeString(residualType.getShape())
             << " differs from the result shape "
             << shapeString(resultType.getShape());
    if (residual.getExpressedType() != in.getExpressedType())
      return op->emitOpError("quantized operands and result must share one "
                             "expressed type");
  }
  if (!out) {
    if (clampMin || clampMax)
      return op->emitOpError("clamp_min/clamp_max need a quantized result; "
                             "an integer result is the raw accumulator");
    if (op.getWideAccumulator() && !resultType.getElementType().isInteger(64))
      return op->emitOpError("wide_accumulator needs a quantized or i64 "
                             "result; an i32 result holds the raw i32 "
                             "accumulator");
    return success();
  }
  if (failed(verifyRequantizedResult(op, out)))
    return failure();
  const numerics::LevelSet &levels = out.getLevelSet();
  for (std::optional<int64_t> bound : {clampMin, clampMax})
    if (bound && (*bound < levels.min() || *bound > levels.max()))
      return op->emitOpError()
             << "clamp bound " << *bound << " is not a level of the result in ["
             << levels.min() << ", " << levels.max() << "]";
  if (clampMin && clampMax && *clampMin > *clampMax)
    return op->emitOpError() << "clamp_min = " << *clampMin
                             << " exceeds clamp_max = " << *clampMax;
  for (auto [channel, scale] : llvm::enumerate(w.getScales().asArrayRef())) {
    std::optional<int64_t> named =
        w.isPerChannel() ? std::optional<int64_t>(channel) : std::nullopt;
    double m = double(in.getScale()) * double(scale) / double(out.getScale());
    if (failed(verifyMultiplier(op, m, named)))
      return failure();
    // The residual is rescaled to accumulator units sx * sw[c].
    if (residual &&
        failed(verifyMultiplier(op,
                                double(residual.getScale()) /
                                    (double(in.getScale()) * double(scale)),
                                named)))
      return failure();
  }
  return success();
}

// Each contraction: its loop nest (indexing maps over loops whose leading
// ones are the result dimensions, the others reductions) and its shape
// rule. Channel axes and window dimensions are in PotqOps.td.

/// `x[...] * w[...] -> y[...]` over `numLoops` loops bound by `dims`.
static SmallVector<AffineMap, 3> maps(MLIRContext *ctx, unsigned numLoops,
                                      ArrayRef<AffineExpr> input,
                                      ArrayRef<AffineExpr> weight,
                                      ArrayRef<AffineExpr> result) {
  return {AffineMap::get(numLoops, 0, input, ctx),
          AffineMap::get(numLoops, 0, weight, ctx),
          AffineMap::get(numLoops, 0, result, ctx)};
}

/// `loop * stride + window * dilation`: the input index of a convolution.
static AffineExpr windowIndex(AffineExpr loop, AffineExpr window,
                              int64_t stride, int64_t dilation) {
  return loop * stride + window * dilation;
}

// MatmulOp (m, n, k): x[m, k] * w[k, n] -> y[m, n].
SmallVector<AffineMap, 3> MatmulOp::getIndexingMaps() {
  AffineExpr m, n, k;
  bindDims(getContext(), m, n, k);
  return maps(getContext(), 3, {m, k}, {k, n}, {m, n});
}
ShapeOrFailure MatmulOp::inferResultShape(ArrayRef<int64_t> in,
                                          ArrayRef<int64_t> w) {
  return matmulShape(*this, in, w, /*batched=*/false);
}

// BatchMatmulOp (b, m, n, k): x[b, m, k] * w[b, k, n] -> y[b, m, n].
SmallVector<AffineMap, 3> BatchMatmulOp::getIndexingMaps() {
  AffineExpr b, m, n, k;
  bindDims(getContext(), b, m, n, k);
  return maps(getContext(), 4, {b, m, k}, {b, k, n}, {b, m, n});
}
ShapeOrFailure BatchMatmulOp::inferResultShape(ArrayRef<int64_t> in,
                                               ArrayRef<int64_t> w) {
  return matmulShape(*this, in, w, /*batched=*/true);
}

// Conv2DNhwcHwcfOp (n, oh, ow, f, kh, kw, c):
//   x[n, oh*sh + kh*dh, ow*sw + kw*dw, c] * w[kh, kw, c, f] -> y[n, oh, ow, f].
SmallVector<AffineMap, 3> Conv2DNhwcHwcfOp::getIndexingMaps() {
  AffineExpr n, oh, ow, f, kh, kw, c;
  bindDims(getContext(), n, oh, ow, f, kh, kw, c);
  SmallVector<int64_t, 2> s = getStrideValues(), d = getDilationValues();
  return maps(
      getContext(), 7,
      {n, windowIndex(oh, kh, s[0], d[0]), windowIndex(ow, kw, s[1], d[1]), c},
      {kh, kw, c, f}, {n, oh, ow, f});
}
ShapeOrFailure Conv2DNhwcHwcfOp::inferResultShape(ArrayRef<int64_t> in,
                                                  ArrayRef<int64_t> w) {
  return convShape(*this, in, w, "filter input channels");
}

// Conv2DNchwFchwOp (n, f, oh, ow, c, kh, kw):
//   x[n, c, oh*sh + kh*dh, ow*sw + kw*dw] * w[f, c, kh, kw] -> y[n, f, oh, ow].
SmallVector<AffineMap, 3> Conv2DNchwFchwOp::getIndexingMaps() {
  AffineExpr n, f, oh, ow, c, kh, kw;
  bindDims(getContext(), n, f, oh, ow, c, kh, kw);
  SmallVector<int64_t, 2> s = getStrideValues(), d = getDilationValues();
  return maps(
      getContext(), 7,
      {n, c, windowIndex(oh, kh, s[0], d[0]), windowIndex(ow, kw, s[1], d[1])},
      {f, c, kh, kw}, {n, f, oh, ow});
}
ShapeOrFailure Conv2DNchwFchwOp::inferResultShape(ArrayRef<int64_t> in,
                                                  ArrayRef<int64_t> w) {
  return convShape(*this, in, w, "filter input channels");
}

// DepthwiseConv2DNhwcHwcOp (n, oh, ow, c, kh, kw):
//   x[n, oh*sh + kh*dh, ow*sw + kw*dw, c] * w[kh, kw, c] -> y[n, oh, ow, c].
SmallVector<AffineMap, 3> DepthwiseConv2DNhwcHwcOp::getIndexingMaps() {
  AffineExpr n, oh, ow, c, kh, kw;
  bindDims(getContext(), n, oh, ow, c, kh, kw);
  SmallVector<int64_t, 2> s = getStrideValues(), d = getDilationValues();
  return maps(
      getContext(), 6,
      {n, windowIndex(oh, kh, s[0], d[0]), windowIndex(ow, kw, s[1], d[1]), c},
      {kh, kw, c}, {n, oh, ow, c});
}
ShapeOrFailure DepthwiseConv2DNhwcHwcOp::inferResultShape(ArrayRef<int64_t> in,
                                                          ArrayRef<int64_t> w) {
  // No channel reduction: the result has the input's channels.
  return convShape(*this, in, w, "filter channels");
}

//===----------------------------------------------------------------------===//
// MaxPool2DNhwcOp
//===----------------------------------------------------------------------===//

/// Checks a pooling window and the NHWC result shape it implies.
static LogicalResult
verifyPoolShape(SlidingWindowOpInterface op, RankedTensorType inputType,
                RankedTensorType resultType, ArrayRef<int64_t> kernel,
                std::optional<ArrayRef<int64_t>> strideAttr,
                std::optional<ArrayRef<int64_t>> dilationAttr) {
  if (inputType.getRank() != 4 || resultType.getRank() != 4)
    return op->emitOpError("expected NHWC input and result of rank 4");
  if (failed(verifyWindow(op, "kernel", kernel)) ||
      failed(verifyWindow(op, "strides", strideAttr)) ||
      failed(verifyWindow(op, "dilations", dilationAttr)))
    return failure();
  ArrayRef<int64_t> in = inputType.getShape();
  SmallVector<int64_t, 2> strides = op.getStrideValues();
  SmallVector<int64_t, 2> dilations = op.getDilationValues();
  FailureOr<int64_t> height =
      convOutputSize(op, "height", in[1], kernel[0], strides[0], dilations[0]);
  FailureOr<int64_t> width =
      convOutputSize(op, "width", in[2], kernel[1], strides[1], dilations[1]);
  if (failed(height) || failed(width))
    return failure();
  SmallVector<int64_t> expected{in[0], *height, *width, in[3]};
  if (failed(verifyCompatibleShape(resultType.getShape(), expected)))
    return op->emitOpError()
           << "result shape " << shapeString(resultType.getShape())
           << " does not match the expected shape " << shapeString(expected);
  return success();
}

LogicalResult MaxPool2DNhwcOp::verify() {
  RankedTensorType inputType = getInput().getType();
  RankedTensorType resultType = getResult().getType();
  if (inputType.getElementType() != resultType.getElementType())
    return emitOpError() << "input and result must have the same quantized "
                            "type, got "
                         << inputType.getElementType() << " and "
                         << resultType.getElementType();
  if (inputType.getRank() != 4 || resultType.getRank() != 4)
    return emitOpError("expected NHWC input and result of rank 4");
  QuantizedType type = getQuantizedElementType(inputType);
  if (type.isPerChannel() && *type.getAxis() != 3)
    return emitOpError() << "per-channel scales must use the channel axis 3, "
                            "got axis "
                         << *type.getAxis();
  if (failed(verifyChannelAxis(*this, "input type", inputType)))
    return failure();
  return verifyPoolShape(*this, inputType, resultType, getKernel(),
                         getStrides(), getDilations());
}

//===----------------------------------------------------------------------===//
// AvgPool2DNhwcOp
//===----------------------------------------------------------------------===//

double AvgPool2DNhwcOp::getMultiplier() {
  QuantizedType in = getQuantizedElementType(getInput().getType());
  QuantizedType out = getQuantizedElementType(getResult().getType());
  double window = double(getKernel()[0]) * double(getKernel()[1]);
  return double(in.getScale()) / (double(out.getScale()) * window);
}

LogicalResult AvgPool2DNhwcOp::verify() {
  RankedTensorType inputType = getInput().getType();
  RankedTensorType resultType = getResult().getType();
  QuantizedType in = getQuantizedElementType(inputType);
  QuantizedType out = getQuantizedElementType(resultType);
  if (in.isPerChannel())
    return emitOpError() << "input must be per-tensor quantized, got " << in;
  if (failed(verifyRequantizedResult(*this, out)) ||
      failed(verifyPoolShape(*this, inputType, resultType, getKernel(),
                             getStrides(), getDilations())))
    return failure();
  return verifyMultiplier(*this, getMultiplier(), std::nullopt);
}

//===----------------------------------------------------------------------===//
// AddOp
//===----------------------------------------------------------------------===//

std::pair<int64_t, int64_t> AddOp::getBounds() {
  const numerics::LevelSet &levels =
      getQuantizedElementType(getResult().getType()).getLevelSet();
  std::optional<int64_t> clampMin = getClampMin(), clampMax = getClampMax();
  return {std::max(levels.min(), clampMin.value_or(levels.min())),
          std::min(levels.max(), clampMax.value_or(levels.max()))};
}

LogicalResult AddOp::verify() {
  RankedTensorType resultType = getResult().getType();
  QuantizedType out = getQuantizedElementType(resultType);
  if (failed(verifyRequantizedResult(*this, out)))
    return failure();
  SmallVector<numerics::FixedPointMultiplier, 2> multipliers;
  for (Value operand : {getLhs(), getRhs()}) {
    auto type = cast<RankedTensorType>(operand.getType());
    QuantizedType q = getQuantizedElementType(type);
    if (q.isPerChannel())
      return emitOpError() << "operands must be per-tensor quantized, got "
                           << q;
    if (q.getExpressedType() != out.getExpressedType())
      return emitOpError("quantized operands and result must share one "
                         "expressed type");
    if (failed(verifySameShape(*this, type, resultType)))
      return failure();
    double m = double(q.getScale()) / double(out.getScale());
    if (failed(verifyMultiplier(*this, m, std::nullopt)))
      return failure();
    multipliers.push_back(*numerics::toFixedPoint(m));
  }
  if (!numerics::addShiftsSupported(multipliers[0], multipliers[1]))
    return emitOpError("operand scales differ too much to align in 128-bit "
                       "arithmetic");
  const numerics::LevelSet &levels = out.getLevelSet();
  std::optional<int64_t> clampMin = getClampMin(), clampMax = getClampMax();
  for (std::optional<int64_t> bound : {clampMin, clampMax})
    if (bound && (*bound < levels.min() || *bound > levels.max()))
      return emitOpError() << "clamp bound " << *bound
                           << " is not a level of the result in ["
                           << levels.min() << ", " << levels.max() << "]";
  if (clampMin && clampMax && *clampMin > *clampMax)
    return emitOpError() << "clamp_min = " << *clampMin
                         << " exceeds clamp_max = " << *clampMax;
  return success();
}
