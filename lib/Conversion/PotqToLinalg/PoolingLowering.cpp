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

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::potq;
using namespace mlir::potq::lowering;

namespace {

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
    Value lowest = intConstant(rewriter, loc, storage, type.getLevelSet().min());
    init = linalg::FillOp::create(rewriter, loc, lowest, init).getResult(0);
    Value window = tensor::EmptyOp::create(rewriter, loc, op.getKernel(),
                                           storage);
    auto i64Vector = [&](ArrayRef<int64_t> values) {
      return DenseIntElementsAttr::get(
          RankedTensorType::get({2}, rewriter.getI64Type()), values);
    };
    SmallVector<NamedAttribute> attrs{
        rewriter.getNamedAttr("strides", i64Vector(op.getStrideValues())),
        rewriter.getNamedAttr("dilations", i64Vector(op.getDilationValues()))};
    SmallVector<Value> inputs{adaptor.getInput(), window};
    Operation *pool =
        type.isStorageSigned()
            ? linalg::PoolingNhwcMaxOp::create(rewriter, loc,
                                               TypeRange{resultType}, inputs,
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

} // namespace

namespace mlir::potq::lowering {
LogicalResult verifyPoolingLowerable(MaxPool2DNhwcOp op) {
  for (int64_t d = 1; d < 4; ++d)
    if (op.getResult().getType().isDynamicDim(d))
      return op.emitOpError() << "lowering supports dynamic sizes only in the "
                                 "batch dimension; result dimension "
                              << d << " is dynamic";
  return success();
}

void populatePoolingLoweringPatterns(const TypeConverter &converter,
                                     RewritePatternSet &patterns) {
  patterns.add<MaxPoolLowering>(converter, patterns.getContext());
}
} // namespace mlir::potq::lowering
