//===- ExportCHeader.h - A C99 header for compiled functions ----*- C++ -*-===//
//
// The `export-c-header` emitter (potq-translate --emit=header): a C99 header
// that declares, for each public function of a module at tensor level, the
// C interface `_mlir_ciface_<name>` of the compiled object with its memref
// descriptor structs, and an entry point `potq_<name>` over contiguous
// row-major buffers. The ABI is docs/AOT.md's; the descriptor structs and
// their include guards are those of potq/Runtime/MlirEntryPoints.h, so both
// headers go into one translation unit.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_TARGET_CHEADER_EXPORTCHEADER_H
#define POTQ_TARGET_CHEADER_EXPORTCHEADER_H

#include "potq/Support/LLVM.h"
#include "potq/Target/Export.h"

#include <functional>
#include <string>

namespace potq {

struct CHeaderOptions {
  /// Preparation and lowering (the header follows the C interface of the
  /// lowered module).
  ExportHooks hooks;
  /// How diagnostics name this emitter: the flag that asked for it.
  std::string name = "--export-c-header";
  /// What the diagnostic on a dynamic shape suggests.
  std::string dynamicShapeHint =
      "run potq-specialize-dynamic-dims{size=N} first";
  /// The command named in the header's first comment.
  std::string generator = "potq-translate --export-c-header";
  /// The input named in that comment; empty: the file of the module's
  /// location.
  std::string sourceName;
  /// The header's path, for its include guard POTQ_<FILE NAME>; empty or
  /// "-": POTQ_GENERATED_H.
  std::string headerName;
};

/// Writes the C header of `module`, a module at tensor level, to `os`: reads
/// the signatures of the public functions, lowers `module` in place
/// (options.hooks), checks each function's lowered C interface against its
/// signature and writes the declarations. Fails, with diagnostics, on a
/// module already in the LLVM dialect, qat ops, a signature C cannot take
/// (dynamic shapes, non-tensor types, element types without a C type, sizes
/// that overflow int64), no public function, or a lowered C interface of
/// another shape.
LogicalResult exportCHeader(ModuleOp module, raw_ostream &os,
                            const CHeaderOptions &options = {});

/// Registers the translation `export-c-header`. `getOptions` is called for
/// each translation (after the command line is parsed); empty: the defaults.
/// Registers once: later calls do nothing.
void registerExportCHeaderTranslation(
    std::function<CHeaderOptions()> getOptions = {});

} // namespace potq

#endif // POTQ_TARGET_CHEADER_EXPORTCHEADER_H
