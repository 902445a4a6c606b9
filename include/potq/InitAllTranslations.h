//===- InitAllTranslations.h - Register potq's emitters ---------*- C++ -*-===//
//
// potq's emitters (lib/Target, docs/Target.md) as MLIR translations, for a
// translate tool or an embedding compiler. potq-translate registers them
// itself, each with options taken from its flags.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_INITALLTRANSLATIONS_H
#define POTQ_INITALLTRANSLATIONS_H

#include "potq/Target/CHeader/ExportCHeader.h"
#include "potq/Target/ObjectFile/ExportObjectFile.h"

namespace potq {

/// Registers every potq emitter with its default options: export-c-header,
/// export-llvmir, export-asm and export-object.
inline void registerAllTranslations() {
  registerExportCHeaderTranslation();
  registerExportObjectFileTranslations();
}

} // namespace potq

#endif // POTQ_INITALLTRANSLATIONS_H
