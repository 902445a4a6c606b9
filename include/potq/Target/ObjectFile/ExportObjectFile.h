//===- ExportObjectFile.h - Native code for compiled functions --*- C++ -*-===//
//
// The `export-llvmir`, `export-asm` and `export-object` emitters
// (potq-translate --emit=llvmir|asm|obj): a module, lowered to the LLVM
// dialect unless it is there already, translated to LLVM IR for a target
// machine, optimized, and written as LLVM IR text, assembly or a relocatable
// object. Only the C interfaces `_mlir_ciface_<name>` stay exported; the
// object needs no MLIR runtime (docs/AOT.md).
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_TARGET_OBJECTFILE_EXPORTOBJECTFILE_H
#define POTQ_TARGET_OBJECTFILE_EXPORTOBJECTFILE_H

#include "potq/Support/LLVM.h"
#include "potq/Target/Export.h"
#include "potq/Target/ObjectFile/TargetMachine.h"

#include <functional>
#include <memory>

namespace llvm {
class LLVMContext;
class Module;
} // namespace llvm

namespace potq {

enum class ObjectFileKind { LLVMIR, Assembly, Object };

struct ObjectFileOptions {
  /// Preparation and lowering of a module not yet in the LLVM dialect.
  ExportHooks hooks;
  /// The target (default: the host triple, generic CPU).
  TargetSelection target;
  /// LLVM optimization and code generation level, 0..3.
  unsigned optLevel = 2;
};

/// Translates `module`, in the LLVM dialect, to LLVM IR for `machine`: only
/// the C interfaces keep external linkage, and the module is optimized at
/// `optLevel` with the target's data layout and triple. Returns null after
/// diagnostics (the last one, without location: "translation to LLVM IR
/// failed").
std::unique_ptr<llvm::Module>
translateToOptimizedLLVMIR(ModuleOp module, llvm::LLVMContext &llvmContext,
                           llvm::TargetMachine &machine, unsigned optLevel);

/// Writes `kind` for `module` to `os`: lowers it in place (options.hooks)
/// unless it is in the LLVM dialect, checks its constants against
/// potq/Limits.h, creates the target machine and translates.
LogicalResult exportObjectFile(ModuleOp module, ObjectFileKind kind,
                               raw_ostream &os,
                               const ObjectFileOptions &options = {});

/// Registers the translations `export-llvmir`, `export-asm` and
/// `export-object`. `getOptions` is called for each translation (after the
/// command line is parsed); empty: the defaults. Registers once: later
/// calls do nothing.
void registerExportObjectFileTranslations(
    std::function<ObjectFileOptions()> getOptions = {});

} // namespace potq

#endif // POTQ_TARGET_OBJECTFILE_EXPORTOBJECTFILE_H
