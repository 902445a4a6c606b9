//===- Export.cpp - What potq's emitters share ----------------------------===//

#include "potq/Target/Export.h"

#include "potq/Conversion/Passes.h"
#include "potq/InitAllDialects.h"
#include "potq/Pipelines/Pipelines.h"
#include "potq/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

LogicalResult potq::ExportHooks::runPrepare(ModuleOp module) const {
  return prepare ? prepare(module) : success();
}

LogicalResult potq::ExportHooks::runLowerToLLVM(ModuleOp module) const {
  return lowerToLLVM ? lowerToLLVM(module) : lowerToLLVMDialect(module);
}

bool potq::isLLVMDialectModule(ModuleOp module) {
  bool llvmOnly = true;
  module.walk([&](Operation *op) {
    if (op != module.getOperation() &&
        !isa<LLVM::LLVMDialect>(op->getDialect()))
      llvmOnly = false;
  });
  return llvmOnly;
}

bool potq::containsDialect(ModuleOp module, StringRef dialect) {
  return module
      .walk([&](Operation *op) {
        return op->getName().getDialectNamespace() == dialect
                   ? WalkResult::interrupt()
                   : WalkResult::advance();
      })
      .wasInterrupted();
}

LogicalResult potq::checkNoQatOps(ModuleOp module) {
  if (!containsDialect(module, "qat"))
    return success();
  return emitError(UnknownLoc::get(module.getContext()))
         << "the module contains qat ops: compile the QAT graph with "
            "`potq-opt --potq-qat-to-shift-add` first";
}

SmallVector<func::FuncOp> potq::getPublicFunctionDefinitions(ModuleOp module) {
  SmallVector<func::FuncOp> funcs;
  for (auto func : module.getOps<func::FuncOp>())
    if (func.isPublic() && !func.isExternal())
      funcs.push_back(func);
  return funcs;
}

LogicalResult potq::lowerToLLVMDialect(ModuleOp module,
                                       const ConvertPotqToLinalgOptions &linalg,
                                       StringRef pipeline) {
  PassManager pm(module.getContext());
  if (!pipeline.empty())
    pm.addPass(createPotqPrepareCAbi());
  if (containsDialect(module, "potq")) {
    pm.addPass(createConvertPotqToLinalg(linalg));
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
  }
  if (pipeline.empty()) {
    buildLowerToLLVMPipeline(pm);
    return pm.run(module);
  }
  if (failed(pm.run(module)))
    return failure();
  PassManager custom(module.getContext());
  std::string error;
  llvm::raw_string_ostream os(error);
  if (failed(parsePassPipeline(pipeline, custom, os)))
    return module.emitError()
           << "cannot build pipeline '" << pipeline << "': " << error;
  return custom.run(module);
}

LogicalResult potq::specializeDynamicDims(ModuleOp module, int64_t size,
                                          StringRef optionName) {
  if (isLLVMDialectModule(module))
    return emitError(UnknownLoc::get(module.getContext()))
           << optionName
           << " needs the module before lowering: the input is already in "
              "the LLVM dialect";
  PassManager pm(module.getContext());
  pm.addPass(createPotqSpecializeDynamicDims(size, optionName));
  return pm.run(module);
}

void potq::registerExportDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
}
