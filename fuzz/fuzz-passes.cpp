//===- fuzz-passes.cpp - Fuzz potq's passes and pipelines on valid IR -----===//
//
// Input: one byte choosing a pass pipeline, then MLIR text. Text that parses
// and verifies is run through the pipeline. Failing with a diagnostic is
// fine; crashing is not, and neither is succeeding with IR that no longer
// verifies (the verifier between passes is off so that the check below
// names the pass result, not a later pass tripping over it).
//
//===----------------------------------------------------------------------===//

#include "FuzzCommon.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/raw_ostream.h"

#include <iterator>

using namespace mlir;

/// Every potq pass and pipeline, with the option values that change what
/// they do. Reports go to /dev/null: only crashes and results matter.
static const char *const kPipelines[] = {
    "qat-normalize-graph",
    "convert-qat-to-potq",
    "convert-qat-to-potq{weight-scales=max pot-scales=true}",
    "convert-qat-to-potq{weight-scales=msqe}",
    "potq-fuse-contractions",
    "convert-qat-to-potq,potq-fuse-contractions,canonicalize",
    "potq-verify-accumulators",
    "potq-verify-accumulators{widen-i64=true}",
    "potq-recode-weights",
    "potq-recode-weights{mode=nhot terms=2}",
    "potq-recode-weights{mode=nhot terms=1 granularity=channel}",
    "potq-recode-weights{mode=nhot max-error=0.05}",
    "potq-recode-weights{mode=nhot term-budget=64}",
    "potq-cost-report{output-file=/dev/null}",
    "potq-cost-report{format=json output-file=/dev/null}",
    "potq-contraction-stats{output-file=/dev/null}",
    "convert-potq-to-linalg",
    "convert-potq-to-linalg{kernels=runtime}",
    "convert-potq-to-linalg{kernels=runtime strategy=shift-add}",
    "canonicalize",
    "potq-qat-to-shift-add",
    "potq-qat-to-shift-add{fuse=false}",
    "potq-qat-to-shift-add{require-integer=true}",
    "potq-qat-to-shift-add{widen-i64=true kernels=runtime}",
    ("potq-qat-to-shift-add{recode=nhot nhot-terms=2 recode-report=/dev/null "
     "cost-report=/dev/null}"),
    "potq-qat-to-shift-add{recode=exact}",
    "potq-lower-to-llvm",
    "potq-expand-strided-copies",
    "potq-qat-to-shift-add,potq-lower-to-llvm",
};
constexpr size_t kNumPipelines = std::size(kPipelines);

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  potq::fuzz::registerPasses();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  MLIRContext &context = potq::fuzz::contextForInput();
  // Passes added to a pass manager that runs on the module itself (a
  // "builtin.module(...)" string here would nest one that runs on modules
  // inside it, i.e. on nothing).
  std::string pipeline = kPipelines[data[0] % kNumPipelines];
  llvm::StringRef text(reinterpret_cast<const char *>(data) + 1, size - 1);
  if (potq::fuzz::mayHitKnownUpstreamCrash(text))
    return 0;
  OwningOpRef<ModuleOp> module = potq::fuzz::parseQuietly(context, text);
  if (!module)
    return 0;

  PassManager pm(&context);
  pm.enableVerifier(false);
  std::string error;
  llvm::raw_string_ostream errorStream(error);
  if (failed(parsePassPipeline(pipeline, pm, errorStream)))
    potq::fuzz::fail("bad pipeline in the fuzz target: " + pipeline + ": " +
                     error);
  ScopedDiagnosticHandler quiet(&context, [](Diagnostic &) { return success(); });
  if (failed(pm.run(*module)))
    return 0;
  if (failed(verify(*module)))
    potq::fuzz::fail("'" + pipeline + "' succeeded on this input but its "
                     "result does not verify",
                     text);
  return 0;
}
