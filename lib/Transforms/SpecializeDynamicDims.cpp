//===- SpecializeDynamicDims.cpp - Static sizes for dynamic dimensions ----===//

#include "potq/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/Support/MathExtras.h"

namespace potq {
#define GEN_PASS_DEF_POTQSPECIALIZEDYNAMICDIMS
#include "potq/Transforms/Passes.h.inc"
} // namespace potq

using namespace mlir;

namespace {

/// Whether the element count and every row-major stride of `shape` fit
/// int64: the C interface and the memref descriptors of the lowered code
/// count in int64.
bool fitsInt64(ArrayRef<int64_t> shape) {
  int64_t product = 1;
  for (int64_t dim : llvm::reverse(shape))
    if (llvm::MulOverflow(product, dim, product))
      return false;
  return true;
}

SmallVector<func::FuncOp> publicFunctionDefinitions(ModuleOp module) {
  SmallVector<func::FuncOp> funcs;
  for (auto func : module.getOps<func::FuncOp>())
    if (func.isPublic() && !func.isExternal())
      funcs.push_back(func);
  return funcs;
}

struct SpecializeDynamicDimsPass
    : potq::impl::PotqSpecializeDynamicDimsBase<SpecializeDynamicDimsPass> {
  using Base::Base;
  SpecializeDynamicDimsPass(const potq::PotqSpecializeDynamicDimsOptions &o,
                            std::string sizeName)
      : Base(o), sizeName(std::move(sizeName)) {}

  void runOnOperation() override;

  /// Gives the dynamic argument dimensions of `func` the size; the body
  /// sees the old types through tensor.cast.
  LogicalResult specializeArguments(func::FuncOp func);
  /// Makes each dynamic result of `func` static when every returned value
  /// is a cast of one static type.
  void specializeResults(func::FuncOp func);
  /// Runs canonicalize (and cse) on the module.
  LogicalResult simplify(bool cse);

  /// How diagnostics name the size.
  std::string sizeName = "potq-specialize-dynamic-dims size";
};

LogicalResult
SpecializeDynamicDimsPass::specializeArguments(func::FuncOp func) {
  ModuleOp module = getOperation();
  bool dynamic = llvm::any_of(func.getArgumentTypes(), [](Type type) {
    auto ranked = dyn_cast<RankedTensorType>(type);
    return ranked && !ranked.hasStaticShape();
  });
  if (!dynamic)
    return success();
  if (!SymbolTable::symbolKnownUseEmpty(func, module))
    return func.emitError()
           << sizeName << " cannot change the signature of '"
           << func.getSymName() << "': it is called within the module";
  Block &entry = func.getBody().front();
  OpBuilder builder = OpBuilder::atBlockBegin(&entry);
  SmallVector<Type> inputs;
  for (BlockArgument arg : entry.getArguments()) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || type.hasStaticShape()) {
      inputs.push_back(arg.getType());
      continue;
    }
    SmallVector<int64_t> shape(type.getShape());
    for (int64_t &dim : shape)
      if (ShapedType::isDynamic(dim))
        dim = size;
    auto staticType = type.clone(shape);
    if (!fitsInt64(shape))
      return func.emitError()
             << sizeName << "=" << int64_t(size) << " makes argument "
             << arg.getArgNumber() << " of '" << func.getSymName() << "' "
             << staticType << ", whose element count or strides overflow int64";
    arg.setType(staticType);
    auto cast = tensor::CastOp::create(builder, func.getLoc(), type, arg);
    arg.replaceAllUsesExcept(cast, cast);
    inputs.push_back(staticType);
  }
  func.setFunctionType(FunctionType::get(&getContext(), inputs,
                                         func.getFunctionType().getResults()));
  return success();
}

void SpecializeDynamicDimsPass::specializeResults(func::FuncOp func) {
  SmallVector<func::ReturnOp> returns;
  func.walk([&](func::ReturnOp ret) { returns.push_back(ret); });
  SmallVector<Type> results(func.getFunctionType().getResults());
  for (auto [index, result] : llvm::enumerate(results)) {
    auto shaped = dyn_cast<RankedTensorType>(result);
    if (!shaped || shaped.hasStaticShape() || returns.empty())
      continue;
    Type staticType;
    bool uniform = true;
    for (func::ReturnOp ret : returns) {
      auto castOp = ret.getOperand(index).getDefiningOp<tensor::CastOp>();
      Type source = castOp ? castOp.getSource().getType() : Type();
      auto ranked = dyn_cast_or_null<RankedTensorType>(source);
      uniform &= ranked && ranked.hasStaticShape() &&
                 (!staticType || staticType == source);
      staticType = source;
    }
    if (!uniform)
      continue;
    for (func::ReturnOp ret : returns)
      ret->setOperand(
          index,
          ret.getOperand(index).getDefiningOp<tensor::CastOp>().getSource());
    result = staticType;
  }
  func.setFunctionType(FunctionType::get(
      &getContext(), func.getFunctionType().getInputs(), results));
}

LogicalResult SpecializeDynamicDimsPass::simplify(bool cse) {
  OpPassManager pm(ModuleOp::getOperationName());
  pm.addPass(createCanonicalizerPass());
  if (cse)
    pm.addPass(createCSEPass());
  return runPipeline(pm, getOperation());
}

void SpecializeDynamicDimsPass::runOnOperation() {
  ModuleOp module = getOperation();
  if (size <= 0) {
    module.emitError() << sizeName << " must be positive, got "
                       << int64_t(size);
    return signalPassFailure();
  }
  for (func::FuncOp func : publicFunctionDefinitions(module))
    if (failed(specializeArguments(func)))
      return signalPassFailure();
  if (failed(simplify(/*cse=*/false)))
    return signalPassFailure();
  for (func::FuncOp func : publicFunctionDefinitions(module))
    specializeResults(func);
  if (failed(simplify(/*cse=*/true)))
    return signalPassFailure();
}

} // namespace

std::unique_ptr<Pass>
potq::createPotqSpecializeDynamicDims(int64_t size, StringRef sizeName) {
  PotqSpecializeDynamicDimsOptions options;
  options.size = size;
  return std::make_unique<SpecializeDynamicDimsPass>(options, sizeName.str());
}
