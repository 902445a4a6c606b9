//===- PotqToLinalg.cpp - The convert-potq-to-linalg pass -----------------===//

#include "potq/Conversion/PotqToLinalg/PotqToLinalg.h"
#include "PatternsInternal.h"

#include "potq/Conversion/Passes.h"
#include "potq/Dialect/Potq/IR/PotqDialect.h"
#include "potq/Dialect/Potq/IR/PotqTypes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"

namespace potq {
#define GEN_PASS_DEF_CONVERTPOTQTOLINALG
#include "potq/Conversion/Passes.h.inc"
} // namespace potq

using namespace mlir;

potq::PotqStorageTypeConverter::PotqStorageTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](RankedTensorType type) -> Type {
    if (auto qtype = dyn_cast<potq::QuantizedType>(type.getElementType()))
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

/// Every pattern of the lowering; contractions accumulate as `kernels` says.
void potq::populatePotqToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns,
    const ContractionKernelOptions &kernels) {
  lowering::populateElementwiseLoweringPatterns(converter, patterns);
  lowering::populateContractionLoweringPatterns(converter, patterns, kernels);
  lowering::populatePoolingLoweringPatterns(converter, patterns);
  patterns.add<StructuralTensorOpConversion>(converter, patterns.getContext());
}

namespace {
struct ConvertPotqToLinalgPass
    : potq::impl::ConvertPotqToLinalgBase<ConvertPotqToLinalgPass> {
  using ConvertPotqToLinalgBase::ConvertPotqToLinalgBase;
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    if (threads < 0) {
      // On the module's location, not on the module: the module's note would
      // print all of it.
      emitError(getOperation().getLoc())
          << "convert-potq-to-linalg: invalid threads=" << int(threads)
          << " (expected >= 0)";
      return signalPassFailure();
    }
    potq::ContractionKernelOptions kernelOptions;
    kernelOptions.kernels = kernels;
    kernelOptions.strategy = strategy;
    kernelOptions.isa = isa;
    kernelOptions.threads = threads;
    kernelOptions.report = reportKernels;
    // Report every unsupported op up front, with its own diagnostic.
    bool lowerable = true;
    getOperation().walk([&](Operation *op) {
      if (failed(potq::lowering::verifyContractionLowerable(op)))
        lowerable = false;
      if (auto quantize = dyn_cast<potq::QuantizeOp>(op))
        if (failed(potq::lowering::verifyQuantizeLowerable(quantize)))
          lowerable = false;
      if (failed(potq::lowering::verifyPoolingLowerable(op)))
        lowerable = false;
    });
    if (!lowerable)
      return signalPassFailure();

    potq::PotqStorageTypeConverter converter;
    RewritePatternSet patterns(ctx);
    potq::populatePotqToLinalgPatterns(converter, patterns, kernelOptions);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);

    ConversionTarget target(*ctx);
    target.addIllegalDialect<potq::PotqDialect>();
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
