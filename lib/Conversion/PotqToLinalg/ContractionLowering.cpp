//===- ContractionLowering.cpp - potq contractions -> shift-add generics --===//
//
// A contraction becomes two linalg.generic ops:
//  1. the accumulation, where each weight level W = Σ_t s_t·2^e_t (its
//     canonical decomposition, SPEC section 2) contributes Σ_t s_t·(x << e_t):
//     the weight is stored as one i8 exponent plane and one i8 sign plane per
//     term, and the body only shifts, negates, selects and adds;
//  2. an elementwise epilogue adding the bias and requantizing (SPEC
//     section 6) with clamping, when the result is quantized.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PatternsInternal.h"

#include "potq/Dialect/Potq/IR/PotqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::potq;
using namespace mlir::potq::lowering;
namespace numerics = ::potq::numerics;

namespace {

/// Loop structure of a contraction: indexing maps of input, weight and
/// output, and the iterator types.
struct ContractionMaps {
  AffineMap input, weight, output;
  SmallVector<utils::IteratorType> iterators;
};

SmallVector<utils::IteratorType> iterators(unsigned parallel,
                                           unsigned reduction) {
  SmallVector<utils::IteratorType> result(parallel,
                                          utils::IteratorType::parallel);
  result.append(reduction, utils::IteratorType::reduction);
  return result;
}

// (m, n, k): x[m, k] * w[k, n] -> y[m, n].
ContractionMaps contractionMaps(MatmulOp op) {
  MLIRContext *ctx = op.getContext();
  AffineExpr m, n, k;
  bindDims(ctx, m, n, k);
  return {AffineMap::get(3, 0, {m, k}, ctx), AffineMap::get(3, 0, {k, n}, ctx),
          AffineMap::get(3, 0, {m, n}, ctx), iterators(2, 1)};
}

// (b, m, n, k): x[b, m, k] * w[b, k, n] -> y[b, m, n].
ContractionMaps contractionMaps(BatchMatmulOp op) {
  MLIRContext *ctx = op.getContext();
  AffineExpr b, m, n, k;
  bindDims(ctx, b, m, n, k);
  return {AffineMap::get(4, 0, {b, m, k}, ctx),
          AffineMap::get(4, 0, {b, k, n}, ctx),
          AffineMap::get(4, 0, {b, m, n}, ctx), iterators(3, 1)};
}

// (n, oh, ow, f, kh, kw, c):
//   x[n, oh*sh + kh*dh, ow*sw + kw*dw, c] * w[kh, kw, c, f] -> y[n, oh, ow, f].
ContractionMaps contractionMaps(Conv2DNhwcHwcfOp op) {
  MLIRContext *ctx = op.getContext();
  AffineExpr n, oh, ow, f, kh, kw, c;
  bindDims(ctx, n, oh, ow, f, kh, kw, c);
  SmallVector<int64_t, 2> s = op.getStrideValues(), d = op.getDilationValues();
  return {AffineMap::get(
              7, 0, {n, oh * s[0] + kh * d[0], ow * s[1] + kw * d[1], c}, ctx),
          AffineMap::get(7, 0, {kh, kw, c, f}, ctx),
          AffineMap::get(7, 0, {n, oh, ow, f}, ctx), iterators(4, 3)};
}

// (n, f, oh, ow, c, kh, kw):
//   x[n, c, oh*sh + kh*dh, ow*sw + kw*dw] * w[f, c, kh, kw] -> y[n, f, oh, ow].
ContractionMaps contractionMaps(Conv2DNchwFchwOp op) {
  MLIRContext *ctx = op.getContext();
  AffineExpr n, f, oh, ow, c, kh, kw;
  bindDims(ctx, n, f, oh, ow, c, kh, kw);
  SmallVector<int64_t, 2> s = op.getStrideValues(), d = op.getDilationValues();
  return {AffineMap::get(
              7, 0, {n, c, oh * s[0] + kh * d[0], ow * s[1] + kw * d[1]}, ctx),
          AffineMap::get(7, 0, {f, c, kh, kw}, ctx),
          AffineMap::get(7, 0, {n, f, oh, ow}, ctx), iterators(4, 3)};
}

// (n, oh, ow, c, kh, kw):
//   x[n, oh*sh + kh*dh, ow*sw + kw*dw, c] * w[kh, kw, c] -> y[n, oh, ow, c].
ContractionMaps contractionMaps(DepthwiseConv2DNhwcHwcOp op) {
  MLIRContext *ctx = op.getContext();
  AffineExpr n, oh, ow, c, kh, kw;
  bindDims(ctx, n, oh, ow, c, kh, kw);
  SmallVector<int64_t, 2> s = op.getStrideValues(), d = op.getDilationValues();
  return {AffineMap::get(
              6, 0, {n, oh * s[0] + kh * d[0], ow * s[1] + kw * d[1], c}, ctx),
          AffineMap::get(6, 0, {kh, kw, c}, ctx),
          AffineMap::get(6, 0, {n, oh, ow, c}, ctx), iterators(4, 2)};
}

/// Result dimensions whose dynamic size equals the input's dimension of the
/// same index (batch dimensions and matmul rows).
unsigned leadingInputDims(MatmulOp) { return 1; }
unsigned leadingInputDims(BatchMatmulOp) { return 2; }
unsigned leadingInputDims(Conv2DNhwcHwcfOp) { return 1; }
unsigned leadingInputDims(Conv2DNchwFchwOp) { return 1; }
unsigned leadingInputDims(DepthwiseConv2DNhwcHwcOp) { return 1; }

/// The weight's decomposition as `2 * terms` i8 constant planes
/// (exponent, sign) shaped like the weight.
SmallVector<Value> weightPlanes(Operation *op, ConstantOp weight,
                                OpBuilder &b) {
  auto weightType = cast<RankedTensorType>(weight.getType());
  QuantizedType qtype = getQuantizedElementType(weightType);
  const numerics::LevelSet &levels = qtype.getLevelSet();
  bool isSigned = qtype.isStorageSigned();
  SmallVector<const std::vector<numerics::Term> *> terms;
  size_t numTerms = 0;
  for (const APInt &raw :
       cast<DenseIntElementsAttr>(weight.getValue()).getValues<APInt>()) {
    int64_t level = isSigned ? raw.getSExtValue() : int64_t(raw.getZExtValue());
    terms.push_back(&levels.decompose(level));
    numTerms = std::max(numTerms, terms.back()->size());
  }
  auto planeType = weightType.clone(b.getI8Type());
  SmallVector<Value> planes;
  for (size_t t = 0; t < numTerms; ++t) {
    SmallVector<int8_t> exps, signs;
    for (const auto *decomposition : terms) {
      bool has = t < decomposition->size();
      exps.push_back(has ? int8_t((*decomposition)[t].exp) : 0);
      signs.push_back(has ? int8_t((*decomposition)[t].sign) : 0);
    }
    for (ArrayRef<int8_t> plane :
         {ArrayRef<int8_t>(exps), ArrayRef<int8_t>(signs)})
      planes.push_back(arith::ConstantOp::create(
          b, op->getLoc(), planeType,
          DenseIntElementsAttr::get(planeType, plane)));
  }
  return planes;
}

/// Body of the accumulation: acc + Σ_t s_t · ((x - Zx) << e_t), without any
/// multiply. `args` = [x, e_0, s_0, e_1, s_1, ..., acc].
Value shiftAddBody(OpBuilder &b, Location loc, ValueRange args,
                   bool inputSigned, int64_t inputZeroPoint) {
  Value acc = args.back();
  Type accType = acc.getType();
  Value x = castInteger(b, loc, args.front(), accType, inputSigned);
  if (inputZeroPoint != 0)
    x = arith::SubIOp::create(b, loc, x,
                              intConstant(b, loc, accType, inputZeroPoint));
  Value zero = intConstant(b, loc, accType, 0);
  Value zeroI8 = intConstant(b, loc, b.getI8Type(), 0);
  ValueRange planes = args.drop_front().drop_back();
  for (size_t t = 0; t + 1 < planes.size(); t += 2) {
    Value exp = castInteger(b, loc, planes[t], accType, /*isSigned=*/false);
    Value sign = planes[t + 1];
    Value shifted = arith::ShLIOp::create(b, loc, x, exp);
    Value negated = arith::SubIOp::create(b, loc, zero, shifted);
    Value isNegative =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, sign, zeroI8);
    Value isZero =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, sign, zeroI8);
    Value term = arith::SelectOp::create(b, loc, isNegative, negated, shifted);
    term = arith::SelectOp::create(b, loc, isZero, zero, term);
    acc = arith::AddIOp::create(b, loc, acc, term);
  }
  return acc;
}

template <typename OpTy>
struct ContractionLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpConversionPattern<OpTy>::OpAdaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    // verifyContractionLowerable() reported unsupported cases already.
    auto weight = op.getWeight().template getDefiningOp<ConstantOp>();
    if (!weight)
      return rewriter.notifyMatchFailure(op, "weight is not a potq.constant");
    RankedTensorType resultType = op.getResult().getType();
    QuantizedType in = getQuantizedElementType(op.getInput().getType());
    QuantizedType w = getQuantizedElementType(op.getWeight().getType());
    QuantizedType out = getQuantizedElementType(resultType);
    bool wide =
        op.getWideAccumulator() || resultType.getElementType().isInteger(64);
    Type accType =
        wide ? Type(rewriter.getI64Type()) : Type(rewriter.getI32Type());

    // 1. Accumulate with shifts and adds.
    SmallVector<Value> planes = weightPlanes(op, weight, rewriter);
    ContractionMaps maps = contractionMaps(op);
    SmallVector<Value> inputs{adaptor.getInput()};
    SmallVector<AffineMap> indexingMaps{maps.input};
    for (Value plane : planes) {
      inputs.push_back(plane);
      indexingMaps.push_back(maps.weight);
    }
    indexingMaps.push_back(maps.output);
    Value init = emptyLike(rewriter, loc, resultType.getShape(), accType,
                           adaptor.getInput());
    Value zero = intConstant(rewriter, loc, accType, 0);
    init = linalg::FillOp::create(rewriter, loc, zero, init).getResult(0);
    bool inputSigned = in.isStorageSigned();
    int64_t inputZeroPoint = in.getZeroPoint();
    auto accumulate = linalg::GenericOp::create(
        rewriter, loc, TypeRange{init.getType()}, inputs, ValueRange{init},
        indexingMaps, maps.iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(
              b, l, shiftAddBody(b, l, args, inputSigned, inputZeroPoint));
        });
    Value acc = accumulate.getResult(0);

    // 2. Epilogue: bias, residual, requantization, clamp.
    Value bias = adaptor.getBias();
    Value residual = adaptor.getResidual();
    if (!out && !bias) {
      rewriter.replaceOp(op, acc);
      return success();
    }
    SmallVector<Value> channelInputs;
    if (bias)
      channelInputs.push_back(bias);
    EpilogueMultipliers multipliers, residualMultipliers;
    int64_t lo = 0, hi = 0;
    Type resultElement = accType;
    QuantizedType rt = residual
                           ? getQuantizedElementType(op.getResidual().getType())
                           : nullptr;
    if (out) {
      SmallVector<double> ratios, residualRatios;
      for (float sw : w.getScales().asArrayRef()) {
        double accScale = double(in.getScale()) * double(sw);
        ratios.push_back(accScale / double(out.getScale()));
        if (rt)
          residualRatios.push_back(double(rt.getScale()) / accScale);
      }
      multipliers = addMultiplierInputs(rewriter, loc, toFixedPoint(ratios),
                                        channelInputs);
      if (rt)
        residualMultipliers = addMultiplierInputs(
            rewriter, loc, toFixedPoint(residualRatios), channelInputs);
      const numerics::LevelSet &levels = out.getLevelSet();
      // I64Attr accessors return uint64_t; the bounds are signed levels.
      std::optional<int64_t> clampMin = op.getClampMin();
      std::optional<int64_t> clampMax = op.getClampMax();
      lo = std::max(levels.min(), clampMin.value_or(levels.min()));
      hi = std::min(levels.max(), clampMax.value_or(levels.max()));
      resultElement = out.getStorageType();
    }
    auto epilogueType = resultType.clone(resultElement);
    bool hasBias = bool(bias);
    int64_t outZeroPoint = out ? out.getZeroPoint() : 0;
    SmallVector<Value> epilogueInputs{acc};
    if (residual)
      epilogueInputs.push_back(residual);
    Value result = buildElementwise(
        rewriter, loc, epilogueInputs, epilogueType, channelInputs,
        op.getResultChannelAxis(),
        [&](OpBuilder &b, Location l, ValueRange values, ValueRange channels) {
          Value value = values[0];
          if (!out) // integer result: acc + bias
            return Value(arith::AddIOp::create(
                b, l, value,
                castInteger(b, l, channels[0], accType, /*isSigned=*/true)));
          // i64 suffices for an i32 accumulator (|acc * M| < 2^62); a wide
          // accumulator requantizes in i128.
          Type math = wide ? b.getIntegerType(128) : b.getI64Type();
          Value sum = castInteger(b, l, value, math, /*isSigned=*/true);
          if (hasBias)
            sum = arith::AddIOp::create(
                b, l, sum,
                castInteger(b, l, channels[0], math, /*isSigned=*/true));
          if (rt) {
            // The residual in accumulator units: (R - Zr) * sr / (sx * sw).
            Value r = castInteger(b, l, values[1], math, rt.isStorageSigned());
            if (rt.getZeroPoint() != 0)
              r = arith::SubIOp::create(
                  b, l, r, intConstant(b, l, math, rt.getZeroPoint()));
            r = residualMultipliers.buildRescale(b, l, r, channels);
            sum = arith::AddIOp::create(b, l, sum, r);
          }
          Value y =
              multipliers.build(b, l, sum, channels, outZeroPoint, lo, hi);
          return castInteger(b, l, y, resultElement, /*isSigned=*/true);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Reports why `op` cannot be lowered, if it cannot.
template <typename OpTy> LogicalResult verifyLowerable(OpTy op) {
  if (!op.getWeight().template getDefiningOp<ConstantOp>())
    return op.emitOpError(
        "shift-add lowering needs a constant weight (potq.constant); run "
        "--canonicalize to fold quantized constant weights");
  unsigned leading = leadingInputDims(op);
  for (auto [dim, size] : llvm::enumerate(op.getResult().getType().getShape()))
    if (ShapedType::isDynamic(size) && dim >= leading)
      return op.emitOpError()
             << "shift-add lowering supports dynamic sizes only in batch "
                "dimensions; result dimension "
             << dim << " is dynamic";
  return success();
}

} // namespace

namespace mlir::potq::lowering {
LogicalResult verifyContractionLowerable(Operation *op) {
  return TypeSwitch<Operation *, LogicalResult>(op)
      .Case<MatmulOp, BatchMatmulOp, Conv2DNhwcHwcfOp, Conv2DNchwFchwOp,
            DepthwiseConv2DNhwcHwcOp>(
          [](auto contraction) { return verifyLowerable(contraction); })
      .Default([](Operation *) { return success(); });
}

void populateContractionLoweringPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns) {
  patterns
      .add<ContractionLowering<MatmulOp>, ContractionLowering<BatchMatmulOp>,
           ContractionLowering<Conv2DNhwcHwcfOp>,
           ContractionLowering<Conv2DNchwFchwOp>,
           ContractionLowering<DepthwiseConv2DNhwcHwcOp>>(
          converter, patterns.getContext());
}
} // namespace mlir::potq::lowering
