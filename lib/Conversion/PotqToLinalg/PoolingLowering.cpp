//===- PoolingLowering.cpp - potq pooling -> linalg pooling on levels -----===//
//
// potq.max_pool_2d_nhwc -> linalg.pooling_nhwc_max(_unsigned) on storage
// integers, initialised with the lowest level (the identity of max over the
// level set).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PatternsInternal.h"

#include "potq/Dialect/Potq/IR/PotqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace potq;
using namespace potq::lowering;
namespace numerics = ::potq::numerics;

namespace {

/// The strides/dilations attributes of a linalg pooling op for `op`.
template <typename PoolOp>
SmallVector<NamedAttribute> poolingAttrs(OpBuilder &b, PoolOp op) {
  auto i64Vector = [&](ArrayRef<int64_t> values) {
    return DenseIntElementsAttr::get(RankedTensorType::get({2}, b.getI64Type()),
                                     values);
  };
  return {b.getNamedAttr("strides", i64Vector(op.getStrideValues())),
          b.getNamedAttr("dilations", i64Vector(op.getDilationValues()))};
}

struct MaxPoolLowering : OpConversionPattern<MaxPool2DNhwcOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxPool2DNhwcOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    QuantizedType type = getQuantizedElementType(op.getInput().getType());
    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getResult().getType()));
    for (int64_t d = 1; d < 4; ++d)
      if (resultType.isDynamicDim(d))
        return rewriter.notifyMatchFailure(op, "dynamic spatial size");
    Type storage = resultType.getElementType();
    Value init = emptyLike(rewriter, loc, resultType.getShape(), storage,
                           adaptor.getInput());
    Value lowest =
        intConstant(rewriter, loc, storage, type.getLevelSet().min());
    init = linalg::FillOp::create(rewriter, loc, lowest, init).getResult(0);
    Value window =
        tensor::EmptyOp::create(rewriter, loc, op.getKernel(), storage);
    SmallVector<NamedAttribute> attrs = poolingAttrs(rewriter, op);
    SmallVector<Value> inputs{adaptor.getInput(), window};
    Operation *pool = type.isStorageSigned()
                          ? linalg::PoolingNhwcMaxOp::create(
                                rewriter, loc, TypeRange{resultType}, inputs,
                                ValueRange{init}, attrs)
                                .getOperation()
                          : linalg::PoolingNhwcMaxUnsignedOp::create(
                                rewriter, loc, TypeRange{resultType}, inputs,
                                ValueRange{init}, attrs)
                                .getOperation();
    rewriter.replaceOp(op, pool->getResults());
    return success();
  }
};

// potq.avg_pool_2d_nhwc -> generic { ext(x) - Zx } (i32), then
// linalg.pooling_nhwc_sum, then the requantization epilogue.
struct AvgPoolLowering : OpConversionPattern<AvgPool2DNhwcOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AvgPool2DNhwcOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    QuantizedType in = getQuantizedElementType(op.getInput().getType());
    QuantizedType out = getQuantizedElementType(op.getResult().getType());
    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getResult().getType()));
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    Type i32 = rewriter.getI32Type();
    bool isSigned = in.isStorageSigned();
    int64_t zeroPoint = in.getZeroPoint();
    Value centered = buildElementwise(
        rewriter, loc, adaptor.getInput(), inputType.clone(i32), {}, 0,
        [&](OpBuilder &b, Location l, Value x, ValueRange) {
          Value v = castInteger(b, l, x, i32, isSigned);
          if (zeroPoint != 0)
            v = arith::SubIOp::create(b, l, v,
                                      intConstant(b, l, i32, zeroPoint));
          return v;
        });
    auto sumType = resultType.clone(i32);
    Value init =
        emptyLike(rewriter, loc, sumType.getShape(), i32, adaptor.getInput());
    init = linalg::FillOp::create(rewriter, loc,
                                  intConstant(rewriter, loc, i32, 0), init)
               .getResult(0);
    Value window = tensor::EmptyOp::create(rewriter, loc, op.getKernel(), i32);
    SmallVector<NamedAttribute> attrs = poolingAttrs(rewriter, op);
    SmallVector<Value> inputs{centered, window};
    Value sum =
        linalg::PoolingNhwcSumOp::create(rewriter, loc, TypeRange{sumType},
                                         inputs, ValueRange{init}, attrs)
            .getResult(0);
    numerics::FixedPointMultiplier fp = toFixedPoint({op.getMultiplier()})[0];
    const numerics::LevelSet &levels = out.getLevelSet();
    Type storage = resultType.getElementType();
    Value result = buildElementwise(
        rewriter, loc, sum, resultType, {}, 0,
        [&](OpBuilder &b, Location l, Value s, ValueRange) {
          Value y =
              buildRequantize(b, l, s, nullptr, nullptr, &fp,
                              out.getZeroPoint(), levels.min(), levels.max());
          return castInteger(b, l, y, storage, /*isSigned=*/true);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

namespace potq::lowering {
LogicalResult verifyPoolingLowerable(Operation *op) {
  if (!isa<MaxPool2DNhwcOp, AvgPool2DNhwcOp>(op))
    return success();
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  for (int64_t d = 1; d < 4; ++d)
    if (resultType.isDynamicDim(d))
      return op->emitOpError() << "lowering supports dynamic sizes only in the "
                                  "batch dimension; result dimension "
                               << d << " is dynamic";
  return success();
}

void populatePoolingLoweringPatterns(const TypeConverter &converter,
                                     RewritePatternSet &patterns) {
  patterns.add<AvgPoolLowering, MaxPoolLowering>(converter,
                                                 patterns.getContext());
}
} // namespace potq::lowering
