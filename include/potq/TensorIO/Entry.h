//===- Entry.h - The function a module is run through -----------*- C++ -*-===//
//
// Which function of a module potq-run and the Python package's
// potq.compile run when the user names none, and the errors when a name is
// wrong: one rule for every way of running a module.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_TENSORIO_ENTRY_H
#define POTQ_TENSORIO_ENTRY_H

#include "potq/Support/LLVM.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace potq {

/// The function named `entry` (which must have a body); with an empty name,
/// the only public function with a body, else `main`. Returns null and sets
/// `error` (e.g. "no function named 'f' in the module"; the message for an
/// ambiguous module suggests `entryHint`, e.g. "--entry=NAME") otherwise.
mlir::func::FuncOp findEntryFunction(ModuleOp module, StringRef entry,
                                     StringRef entryHint, std::string &error);

} // namespace potq

#endif // POTQ_TENSORIO_ENTRY_H
