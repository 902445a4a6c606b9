//===- fuzz-differential.cpp - Interpreter vs compiled code ---------------===//
//
// Input: bytes that buildQatGraph turns into one QAT layer and its input.
// Two checks, each "the reference interpreter and the JIT-compiled code give
// bit-identical results", so any difference is a bug and aborts:
//   1. the float QAT graph, compiled with potq-qat-to-shift-add{fuse=false};
//   2. the frozen and fused potq IR (convert-qat-to-potq,
//      potq-fuse-contractions, canonicalize, potq-verify-accumulators),
//      compiled with shift-add loops or runtime kernels (chosen by a byte).
// An input the interpreter rejects (an error, not a crash) is skipped; one
// it runs but the JIT cannot compile or run is a bug as well.
//
//===----------------------------------------------------------------------===//

#include "FuzzCommon.h"
#include "QatGraph.h"

#include "potq/ExecutionEngine/JitRunner.h"
#include "potq/Interpreter/Interpreter.h"
#include "potq/TensorIO/TensorIO.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <iterator>

using namespace mlir;
// A bare `potq` is ambiguous next to potq (README, "Development").
namespace fuzz = ::potq::fuzz;
namespace interp = ::potq::interp;
namespace jit = ::potq::jit;

/// Lowerings of the potq IR to compare with the interpreter.
static const char *const kJitPipelines[] = {
    "builtin.module(potq-qat-to-shift-add)",
    "builtin.module(potq-qat-to-shift-add{kernels=runtime})",
    "builtin.module(potq-qat-to-shift-add{kernels=runtime strategy=dot})",
    ("builtin.module(potq-qat-to-shift-add{kernels=runtime "
     "strategy=shift-add isa=scalar})"),
};

static std::string describe(const interp::Tensor &t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << t.getType() << " = ";
  interp::printValue(os, t);
  return s;
}

/// POTQ_FUZZ_VERBOSE=1 prints each graph and how far its checks got (to see
/// what a corpus exercises).
static bool verbose() {
  static bool on = std::getenv("POTQ_FUZZ_VERBOSE") != nullptr;
  return on;
}

/// Interprets @main and runs it compiled through `pipeline`; aborts if the
/// results differ. `errors` collects the diagnostics of the current input.
static void compare(ModuleOp module, llvm::ArrayRef<interp::Tensor> args,
                    const std::string &pipeline, unsigned optLevel,
                    const std::string &errors, const std::string &source) {
  auto func = module.lookupSymbol<func::FuncOp>("main");
  FailureOr<SmallVector<interp::Tensor>> expected =
      interp::interpret(func, args);
  if (failed(expected)) {
    if (verbose())
      llvm::errs() << "  interpreter rejects it: " << errors << "\n";
    return;
  }
  jit::JitOptions options;
  options.pipeline = pipeline;
  options.optLevel = optLevel;
  FailureOr<SmallVector<interp::Tensor>> actual =
      jit::runCompiled(module, "main", args, options);
  std::string ir;
  llvm::raw_string_ostream os(ir);
  module.print(os);
  if (failed(actual))
    fuzz::fail("the interpreter runs this but " + pipeline +
                   " does not compile or run it:\n" + errors,
               ir + "\n// from\n" + source);
  if (actual->size() != expected->size())
    fuzz::fail("result counts differ", ir);
  for (size_t i = 0; i < expected->size(); ++i)
    if ((*actual)[i] != (*expected)[i])
      fuzz::fail("interpreter and " + pipeline + " (O" +
                     std::to_string(optLevel) + ") differ:\n  interpreter " +
                     describe((*expected)[i]) + "\n  compiled    " +
                     describe((*actual)[i]),
                 ir + "\n// input " + describe(args[0]) + "\n// from\n" +
                     source);
  if (verbose())
    llvm::errs() << "  equal under " << pipeline << ": "
                 << describe((*expected)[0]) << "\n";
}

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  fuzz::registerPasses();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz::ByteReader in(data, size);
  uint8_t choice = in.byte();
  fuzz::QatGraph graph = fuzz::buildQatGraph(in);
  MLIRContext &context = fuzz::contextForInput();
  std::string errors;
  ScopedDiagnosticHandler collect(&context, [&](Diagnostic &d) {
    errors += d.str() + "\n";
    return success();
  });
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(
      graph.text, ParserConfig(&context));
  if (!module)
    fuzz::fail("the generated graph does not parse:\n" + errors, graph.text);

  interp::Tensor x(Float32Type::get(&context), graph.inputShape);
  for (size_t i = 0; i < graph.input.size(); ++i)
    x.setFloat(int64_t(i), double(graph.input[i]));
  SmallVector<interp::Tensor> args{x};
  if (verbose())
    llvm::errs() << "---- graph\n" << graph.text;
  unsigned optLevel = (choice >> 4) % 4;

  // 1. The float QAT graph.
  compare(*module, args, "builtin.module(potq-qat-to-shift-add{fuse=false})",
          optLevel, errors, graph.text);

  // 2. The integer potq IR.
  PassManager pm(&context);
  // Added to `pm` itself: a "builtin.module(...)" string would nest a pass
  // manager that runs on modules inside the module, i.e. on nothing.
  if (failed(parsePassPipeline("convert-qat-to-potq,potq-fuse-contractions,"
                               "canonicalize,potq-verify-accumulators",
                               pm)))
    fuzz::fail("bad pipeline in the fuzz target");
  if (failed(pm.run(*module))) {
    if (verbose())
      llvm::errs() << "  freezing/fusion rejects it: " << errors << "\n";
    return 0;
  }
  compare(*module, args, kJitPipelines[choice % std::size(kJitPipelines)],
          optLevel, errors, graph.text);
  return 0;
}
