//===- ElementwiseLowering.cpp - potq conversions -> linalg.generic -------===//
//
// potq.constant -> arith.constant; potq.quantize / dequantize / requantize ->
// elementwise linalg.generic ops that compute SPEC sections 4 and 6 exactly.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PatternsInternal.h"

#include "potq/Dialect/Potq/IR/PotqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace potq;
using namespace potq::lowering;
namespace numerics = ::potq::numerics;

namespace {

/// Channel dimension of a tensor of `type` (0 when per tensor: unused).
int64_t channelDimOf(QuantizedType type) {
  return type.isPerChannel() ? *type.getAxis() : 0;
}

/// The per-channel or single values in `values` as generic inputs (tensor)
/// or a scalar usable in the body.
struct BodyValue {
  ChannelValues values;
  /// Index among the generic's channel inputs, when a tensor.
  unsigned index = 0;
  Value get(ValueRange channelArgs) const {
    return values.scalar ? values.scalar : channelArgs[index];
  }
};

/// Adds `values.tensor` (if any) to `inputs` and remembers its position.
BodyValue addChannelInput(ChannelValues values,
                          SmallVectorImpl<Value> &inputs) {
  BodyValue result{values, unsigned(inputs.size())};
  if (values.tensor)
    inputs.push_back(values.tensor);
  return result;
}

// potq.constant -> arith.constant of storage integers.
struct ConstantLowering : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto value = cast<DenseIntElementsAttr>(op.getValue());
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value.getType(), value);
    return success();
  }
};

// potq.dequantize -> generic { float(L - Z) * s, rounded to the expressed type
// }.
struct DequantizeLowering : OpConversionPattern<DequantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    QuantizedType qtype = getQuantizedElementType(op.getInput().getType());
    RankedTensorType resultType = op.getResult().getType();
    SmallVector<Value> channelInputs;
    BodyValue scale = addChannelInput(
        channelConstants(rewriter, loc, qtype.getScales().asArrayRef()),
        channelInputs);
    bool isSigned = qtype.isStorageSigned();
    int64_t zeroPoint = qtype.getZeroPoint();
    Type expressed = resultType.getElementType();
    Value result = buildElementwise(
        rewriter, loc, adaptor.getInput(), resultType, channelInputs,
        channelDimOf(qtype),
        [&](OpBuilder &b, Location l, Value level, ValueRange channels) {
          Type i32 = b.getI32Type();
          // L - Z fits in i32 and is exact in f32 for every potq level set.
          Value centered = castInteger(b, l, level, i32, isSigned);
          if (zeroPoint != 0)
            centered = arith::SubIOp::create(b, l, centered,
                                             intConstant(b, l, i32, zeroPoint));
          Value real = arith::SIToFPOp::create(b, l, b.getF32Type(), centered);
          real = arith::MulFOp::create(b, l, real, scale.get(channels));
          if (expressed != real.getType())
            real = arith::TruncFOp::create(b, l, expressed, real);
          return real;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

// potq.quantize (uniform) -> generic computing the SPEC section 4 projection:
// t = x / s in f32; L = Z + copysign(ceil(|t| - 0.5), t) (ties toward Z),
// clamped; NaN -> Z.
struct QuantizeLowering : OpConversionPattern<QuantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(QuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType quantType = op.getResult().getType();
    QuantizedType qtype = getQuantizedElementType(quantType);
    if (!qtype.getLevelSet().isContiguous())
      return rewriter.notifyMatchFailure(op, "non-uniform encoding");
    auto resultType =
        cast<RankedTensorType>(getTypeConverter()->convertType(quantType));
    SmallVector<Value> channelInputs;
    BodyValue scale = addChannelInput(
        channelConstants(rewriter, loc, qtype.getScales().asArrayRef()),
        channelInputs);
    const numerics::LevelSet &levels = qtype.getLevelSet();
    int64_t zeroPoint = qtype.getZeroPoint();
    Type storage = resultType.getElementType();
    Value result = buildElementwise(
        rewriter, loc, adaptor.getInput(), resultType, channelInputs,
        channelDimOf(qtype),
        [&](OpBuilder &b, Location l, Value x, ValueRange channels) {
          Type f32 = b.getF32Type(), i32 = b.getI32Type();
          auto f = [&](double v) {
            return arith::ConstantOp::create(b, l, f32, b.getF32FloatAttr(v));
          };
          if (x.getType() != f32)
            x = arith::ExtFOp::create(b, l, f32, x);
          Value t = arith::DivFOp::create(b, l, x, scale.get(channels));
          Value isNan =
              arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, t, t);
          // |t| - 0.5 is exact wherever the result can be a level.
          Value magnitude = math::AbsFOp::create(b, l, t);
          Value rounded = math::CeilOp::create(
              b, l, arith::SubFOp::create(b, l, magnitude, f(0.5)));
          Value offset = math::CopySignOp::create(b, l, rounded, t);
          offset = arith::MaximumFOp::create(
              b, l, offset, f(double(levels.min() - zeroPoint)));
          offset = arith::MinimumFOp::create(
              b, l, offset, f(double(levels.max() - zeroPoint)));
          offset = arith::SelectOp::create(b, l, isNan, f(0.0), offset);
          Value level = arith::FPToSIOp::create(b, l, i32, offset);
          if (zeroPoint != 0)
            level = arith::AddIOp::create(b, l, level,
                                          intConstant(b, l, i32, zeroPoint));
          return castInteger(b, l, level, storage, /*isSigned=*/true);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

// potq.requantize -> generic { clamp(Zy + round_shift((x - Zx) * M, sh)) }.
struct RequantizeLowering : OpConversionPattern<RequantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(RequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    QuantizedType in = getQuantizedElementType(op.getInput().getType());
    QuantizedType out = getQuantizedElementType(op.getResult().getType());
    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getResult().getType()));
    SmallVector<double> ratios;
    for (float s : in.getScales().asArrayRef())
      ratios.push_back(double(s) / double(out.getScale()));
    SmallVector<numerics::FixedPointMultiplier> fixed = toFixedPoint(ratios);
    SmallVector<Value> channelInputs;
    EpilogueMultipliers multipliers =
        addMultiplierInputs(rewriter, loc, fixed, channelInputs);
    const numerics::LevelSet &outLevels = out.getLevelSet();
    bool isSigned = in.isStorageSigned();
    Type storage = resultType.getElementType();
    Value result = buildElementwise(
        rewriter, loc, adaptor.getInput(), resultType, channelInputs,
        channelDimOf(in),
        [&](OpBuilder &b, Location l, Value level, ValueRange channels) {
          Type i64 = b.getI64Type();
          Value acc = castInteger(b, l, level, i64, isSigned);
          if (in.getZeroPoint() != 0)
            acc = arith::SubIOp::create(
                b, l, acc, intConstant(b, l, i64, in.getZeroPoint()));
          Value y = multipliers.build(b, l, acc, channels, out.getZeroPoint(),
                                      outLevels.min(), outLevels.max());
          return castInteger(b, l, y, storage, /*isSigned=*/true);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

// potq.add -> generic { clamp(Zy + round_shift(Ta + Tb, S)) } on i128, with
// T = (x - Zx) * M << (S - sh) (numerics::addRequantized).
struct AddLowering : OpConversionPattern<AddOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AddOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    QuantizedType y = getQuantizedElementType(op.getResult().getType());
    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getResult().getType()));
    QuantizedType types[2] = {getQuantizedElementType(op.getLhs().getType()),
                              getQuantizedElementType(op.getRhs().getType())};
    numerics::FixedPointMultiplier fp[2];
    for (int i = 0; i < 2; ++i)
      fp[i] = *numerics::toFixedPoint(double(types[i].getScale()) /
                                      double(y.getScale()));
    int common = std::max({fp[0].shift, fp[1].shift, 0});
    // Not a structured binding: C++17 lambdas cannot capture one.
    std::pair<int64_t, int64_t> bounds = op.getBounds();
    int64_t lo = bounds.first, hi = bounds.second;
    Type storage = resultType.getElementType();
    SmallVector<Value> inputs{adaptor.getLhs(), adaptor.getRhs()};
    Value result = buildElementwise(
        rewriter, loc, inputs, resultType, {}, 0,
        [&](OpBuilder &b, Location l, ValueRange levels, ValueRange) {
          Type i128 = b.getIntegerType(128);
          Value sum;
          for (int i = 0; i < 2; ++i) {
            Value t =
                castInteger(b, l, levels[i], i128, types[i].isStorageSigned());
            if (types[i].getZeroPoint() != 0)
              t = arith::SubIOp::create(
                  b, l, t, intConstant(b, l, i128, types[i].getZeroPoint()));
            if (fp[i].multiplier != 1)
              t = arith::MulIOp::create(
                  b, l, t, intConstant(b, l, i128, fp[i].multiplier));
            if (common - fp[i].shift > 0)
              t = arith::ShLIOp::create(
                  b, l, t, intConstant(b, l, i128, common - fp[i].shift));
            sum = sum ? Value(arith::AddIOp::create(b, l, sum, t)) : t;
          }
          numerics::FixedPointMultiplier align{1, common};
          Value out = buildRequantize(b, l, sum, nullptr, nullptr, &align,
                                      y.getZeroPoint(), lo, hi);
          return castInteger(b, l, out, storage, /*isSigned=*/true);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

namespace potq::lowering {
LogicalResult verifyQuantizeLowerable(QuantizeOp op) {
  QuantizedType qtype = getQuantizedElementType(op.getResult().getType());
  if (qtype.getLevelSet().isContiguous())
    return success();
  return op.emitOpError()
         << "lowering of quantize to the non-uniform encoding "
         << qtype.getEncoding()
         << " is supported on constants only (run canonicalize to fold it)";
}

void populateElementwiseLoweringPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns) {
  patterns.add<AddLowering, ConstantLowering, DequantizeLowering,
               QuantizeLowering, RequantizeLowering>(converter,
                                                     patterns.getContext());
}
} // namespace potq::lowering
