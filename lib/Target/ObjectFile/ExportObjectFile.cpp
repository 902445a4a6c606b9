//===- ExportObjectFile.cpp - Native code for compiled functions ----------===//

#include "potq/Target/ObjectFile/ExportObjectFile.h"

#include "potq/Limits.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Tools/mlir-translate/Translation.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;

std::unique_ptr<llvm::Module> potq::translateToOptimizedLLVMIR(
    ModuleOp module, llvm::LLVMContext &llvmContext,
    llvm::TargetMachine &machine, unsigned optLevel) {
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, "potq");
  if (!llvmModule) {
    emitError(UnknownLoc::get(module.getContext()))
        << "translation to LLVM IR failed";
    return nullptr;
  }
  // Only the C interfaces are exported: the implementations (e.g. a
  // function named `main`) must not clash with the program's symbols.
  for (llvm::Function &function : *llvmModule)
    if (!function.isDeclaration() &&
        !function.getName().starts_with("_mlir_ciface_"))
      function.setLinkage(llvm::GlobalValue::InternalLinkage);
  llvmModule->setTargetTriple(machine.getTargetTriple());
  llvmModule->setDataLayout(machine.createDataLayout());
  auto transformer =
      makeOptimizingTransformer(optLevel, /*sizeLevel=*/0, &machine);
  if (llvm::Error error = transformer(llvmModule.get())) {
    emitError(UnknownLoc::get(module.getContext()))
        << "optimizing the LLVM IR failed: "
        << llvm::toString(std::move(error));
    return nullptr;
  }
  return llvmModule;
}

LogicalResult potq::exportObjectFile(ModuleOp module, ObjectFileKind kind,
                                     raw_ostream &os,
                                     const ObjectFileOptions &options) {
  MLIRContext *context = module.getContext();
  if (!isLLVMDialectModule(module)) {
    if (failed(checkNoQatOps(module)) ||
        failed(options.hooks.runPrepare(module)) ||
        failed(options.hooks.runLowerToLLVM(module)))
      return failure();
  } else if (failed(options.hooks.runPrepare(module))) {
    return failure();
  }
  // Constants are copied into LLVM IR and the output: refuse those beyond
  // potq/Limits.h (a splat may describe gigabytes) before translating.
  if (failed(checkMaterializationLimits(module)))
    return failure();
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine =
      createTargetMachine(options.target, options.optLevel);
  if (!machine)
    return emitError(UnknownLoc::get(context))
           << llvm::toString(machine.takeError());
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule = translateToOptimizedLLVMIR(
      module, llvmContext, **machine, options.optLevel);
  if (!llvmModule)
    return failure();

  if (kind == ObjectFileKind::LLVMIR) {
    llvmModule->print(os, nullptr);
    return success();
  }
  // Code generation writes to a seekable stream.
  SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream bufferStream(buffer);
  llvm::legacy::PassManager codegen;
  if ((*machine)->addPassesToEmitFile(
          codegen, bufferStream, nullptr,
          kind == ObjectFileKind::Object ? llvm::CodeGenFileType::ObjectFile
                                         : llvm::CodeGenFileType::AssemblyFile))
    return emitError(UnknownLoc::get(context))
           << "the target cannot emit this file type";
  codegen.run(*llvmModule);
  os << StringRef(buffer.data(), buffer.size());
  return success();
}

void potq::registerExportObjectFileTranslations(
    std::function<ObjectFileOptions()> getOptions) {
  auto translate = [getOptions](ObjectFileKind kind) {
    return [getOptions, kind](ModuleOp module, raw_ostream &os) {
      return exportObjectFile(module, kind, os,
                              getOptions ? getOptions() : ObjectFileOptions());
    };
  };
  static TranslateFromMLIRRegistration llvmir(
      "export-llvmir",
      "Optimized LLVM IR (text) for the target, only the C interfaces "
      "exported",
      translate(ObjectFileKind::LLVMIR), registerExportDialects);
  static TranslateFromMLIRRegistration assembly(
      "export-asm", "Target assembly of the compiled module",
      translate(ObjectFileKind::Assembly), registerExportDialects);
  static TranslateFromMLIRRegistration object(
      "export-object",
      "A relocatable object file of the compiled module (docs/AOT.md)",
      translate(ObjectFileKind::Object), registerExportDialects);
}
