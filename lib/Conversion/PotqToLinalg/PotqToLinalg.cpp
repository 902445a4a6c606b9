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

void mlir::potq::populatePotqToLinalgPatterns(const TypeConverter &converter,
                                        RewritePatternSet &patterns) {
  lowering::populateElementwiseLoweringPatterns(converter, patterns);
  lowering::populateContractionLoweringPatterns(converter, patterns);
}

namespace {
struct ConvertPotqToLinalgPass
    : mlir::potq::impl::ConvertPotqToLinalgBase<ConvertPotqToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    mlir::potq::PotqStorageTypeConverter converter;
    RewritePatternSet patterns(ctx);
    mlir::potq::populatePotqToLinalgPatterns(converter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);

    ConversionTarget target(*ctx);
    target.addIllegalDialect<mlir::potq::PotqDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType()) &&
             converter.isLegal(&op.getBody());
    });
    target.markUnknownOpDynamicallyLegal(
        [&](Operation *op) { return converter.isLegal(op); });
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
