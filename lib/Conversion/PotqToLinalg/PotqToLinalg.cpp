//===- PotqToLinalg.cpp - The convert-potq-to-linalg pass -----------------===//

#include "potq/Conversion/PotqToLinalg/PotqToLinalg.h"
#include "PatternsInternal.h"

#include "potq/Conversion/Passes.h"
#include "potq/Dialect/Potq/IR/PotqDialect.h"
#include "potq/Dialect/Potq/IR/PotqTypes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::potq {
#define GEN_PASS_DEF_CONVERTPOTQTOLINALG
#include "potq/Conversion/Passes.h.inc"
} // namespace mlir::potq

using namespace mlir;

mlir::potq::PotqStorageTypeConverter::PotqStorageTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](RankedTensorType type) -> Type {
    if (auto qtype = dyn_cast<mlir::potq::QuantizedType>(type.getElementType()))
      return type.clone(qtype.getStorageType());
    return type;
  });
}

namespace {
/// Shape-only tensor ops on quantized tensors -> the same op on storage
/// tensors: levels move, their meaning does not change.
struct StructuralTensorOpConversion : ConversionPattern {
  StructuralTensorOpConversion(const TypeConverter &converter, MLIRContext *ctx)
      : ConversionPattern(converter, MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  static bool isStructural(Operation *op) {
    return isa<tensor::CastOp, tensor::CollapseShapeOp, tensor::ConcatOp,
               tensor::DimOp, tensor::ExpandShapeOp, tensor::ExtractSliceOp,
               tensor::InsertSliceOp, tensor::ReshapeOp>(op);
  }

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isStructural(op))
      return failure();
    SmallVector<Type> resultTypes;
    if (failed(getTypeConverter()->convertTypes(op->getResultTypes(),
                                                resultTypes)))
      return failure();
    OperationState state(op->getLoc(), op->getName(), operands, resultTypes,
                         op->getAttrs());
    rewriter.replaceOp(op, rewriter.create(state)->getResults());
    return success();
  }
};
} // namespace

void mlir::potq::populatePotqToLinalgPatterns(const TypeConverter &converter,
                                              RewritePatternSet &patterns) {
  lowering::populateElementwiseLoweringPatterns(converter, patterns);
  lowering::populateContractionLoweringPatterns(converter, patterns);
  lowering::populatePoolingLoweringPatterns(converter, patterns);
  patterns.add<StructuralTensorOpConversion>(converter, patterns.getContext());
}

namespace {
struct ConvertPotqToLinalgPass
    : mlir::potq::impl::ConvertPotqToLinalgBase<ConvertPotqToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    // Report every unsupported op up front, with its own diagnostic.
    bool lowerable = true;
    getOperation().walk([&](Operation *op) {
      if (failed(mlir::potq::lowering::verifyContractionLowerable(op)))
        lowerable = false;
      if (auto quantize = dyn_cast<mlir::potq::QuantizeOp>(op))
        if (failed(mlir::potq::lowering::verifyQuantizeLowerable(quantize)))
          lowerable = false;
      if (failed(mlir::potq::lowering::verifyPoolingLowerable(op)))
        lowerable = false;
    });
    if (!lowerable)
      return signalPassFailure();

    mlir::potq::PotqStorageTypeConverter converter;
    RewritePatternSet patterns(ctx);
    mlir::potq::populatePotqToLinalgPatterns(converter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);

    ConversionTarget target(*ctx);
    target.addIllegalDialect<mlir::potq::PotqDialect>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType()) &&
             converter.isLegal(&op.getBody());
    });
    // Everything else is legal once no quantized type remains on it.
    target.markUnknownOpDynamicallyLegal(
        [&](Operation *op) { return converter.isLegal(op); });
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
