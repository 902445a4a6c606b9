//===- fuzz-parse.cpp - Fuzz the parser and verifiers of potq/qat IR ------===//
//
// Input: MLIR text. It is parsed and verified with every dialect the potq
// tools register. Text that verifies must print and parse back to the same
// text: a custom printer that writes what its parser rejects is a bug.
//
//===----------------------------------------------------------------------===//

#include "FuzzCommon.h"

#include "mlir/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

static std::string print(ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module.print(os);
  return text;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext &context = potq::fuzz::contextForInput();
  llvm::StringRef input(reinterpret_cast<const char *>(data), size);
  if (potq::fuzz::mayHitKnownUpstreamCrash(input))
    return 0;
  OwningOpRef<ModuleOp> module = potq::fuzz::parseQuietly(context, input);
  if (!module)
    return 0;
  std::string printed = print(*module);
  OwningOpRef<ModuleOp> again = potq::fuzz::parseQuietly(context, printed);
  if (!again)
    potq::fuzz::fail("verified IR does not parse after printing", printed);
  if (print(*again) != printed)
    potq::fuzz::fail("printing is not stable across a round trip", printed);
  return 0;
}
