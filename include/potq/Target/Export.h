//===- Export.h - What potq's emitters share --------------------*- C++ -*-===//
//
// potq's emitters (lib/Target/<Name>) each turn a module into one kind of
// file and register it as an MLIR translation `export-<name>`, run by
// `potq-translate --export-<name>` (docs/Target.md). They share the steps
// before emission: a tool may prepare the module first (potq-translate:
// --dynamic-dim-size) and choose how it is lowered to the LLVM dialect
// (potq-translate: --kernels, --lowering-pipeline); without such hooks an
// emitter lowers with lowerToLLVMDialect.
//
// Errors about the module as a whole (the wrong input level, qat ops, no
// public function) have no location (UnknownLoc); potq-translate prints them
// as "potq-translate: error: ...". Errors about an op carry its location.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_TARGET_EXPORT_H
#define POTQ_TARGET_EXPORT_H

#include "potq/Support/LLVM.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include "potq/Conversion/Passes.h"

#include <functional>

namespace potq {

/// The steps an emitter leaves to the tool that runs it.
struct ExportHooks {
  using ModuleStep = std::function<LogicalResult(ModuleOp)>;
  /// Runs first on the module as parsed, after the emitter checked its level
  /// (e.g. potq-translate's --dynamic-dim-size). Empty: nothing.
  ModuleStep prepare;
  /// Lowers a module that is not in the LLVM dialect yet, in place. Empty:
  /// lowerToLLVMDialect.
  ModuleStep lowerToLLVM;

  LogicalResult runPrepare(ModuleOp module) const;
  LogicalResult runLowerToLLVM(ModuleOp module) const;
};

/// Whether every op of `module` (but the module itself) is in the LLVM
/// dialect, i.e. the module is already lowered.
bool isLLVMDialectModule(ModuleOp module);

/// Whether `module` contains an op of `dialect`.
bool containsDialect(ModuleOp module, StringRef dialect);

/// Fails with an error without location if `module` contains qat ops: a QAT
/// graph must be compiled (potq-opt --potq-qat-to-shift-add) before it is
/// emitted, and whether to fuse it is the user's choice.
LogicalResult checkNoQatOps(ModuleOp module);

/// The public function definitions of `module`, in order: what an emitter
/// exports.
SmallVector<mlir::func::FuncOp> getPublicFunctionDefinitions(ModuleOp module);

/// Lowers a module at tensor level to the LLVM dialect, in place:
/// `convert-potq-to-linalg{linalg},canonicalize,cse` when potq ops remain,
/// then `pipeline` (pass pipeline text; empty: the registered pipeline
/// `potq-lower-to-llvm`). A pipeline given as text is preceded by
/// `potq-prepare-c-abi`, so that whatever it is, every public function gets
/// a C interface and compiled code never writes into the caller's inputs
/// (`potq-lower-to-llvm` starts with that pass itself).
LogicalResult lowerToLLVMDialect(ModuleOp module,
                                 const ConvertPotqToLinalgOptions &linalg = {},
                                 StringRef pipeline = "");

/// Gives every dynamic dimension of the public functions' tensor arguments
/// the size `size` and propagates the static shapes
/// (potq-specialize-dynamic-dims), as a `prepare` hook does for a tool's
/// fixed-batch option named `optionName` (potq-translate's
/// --dynamic-dim-size). Fails with an error without location for a module
/// already in the LLVM dialect.
LogicalResult specializeDynamicDims(ModuleOp module, int64_t size,
                                    StringRef optionName);

/// Adds the dialects an emitter may meet (potq's and upstream's) and their
/// translations to LLVM IR to `registry`: the dialect registration of every
/// potq translation.
void registerExportDialects(mlir::DialectRegistry &registry);

} // namespace potq

#endif // POTQ_TARGET_EXPORT_H
