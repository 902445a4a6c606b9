//===- potq-run.cpp - Run a function of a potq module on .npy data --------===//
//
//   potq-run FILE.mlir [--entry=NAME] [--input=a.npy ...] [--output=o.npy ...]
//            [--print] [--interpret | --jit [--pipeline=P] [--opt-level=N]]
//
// Parses and verifies the module, converts each --input file to the matching
// argument of the entry function, runs the function in the selected
// execution mode, and writes each result to the matching --output file
// and/or prints it. Every error goes to stderr and exits with code 1.
//
// Execution modes are separate code paths chosen by flag: `--interpret`, the
// reference interpreter, and `--jit`, which compiles the module through
// --pipeline and potq-lower-to-llvm and runs it natively. A new mode adds an
// enum value and a `run<Mode>` function with the same signature.
//
//===----------------------------------------------------------------------===//

#include "potq/ExecutionEngine/JitRunner.h"
#include "potq/InitAllDialects.h"
#include "potq/InitAllPasses.h"
#include "potq/Interpreter/Interpreter.h"
#include "potq/Limits.h"
#include "potq/Support/InputFile.h"
#include "potq/TensorIO/Entry.h"
#include "potq/TensorIO/Npy.h"
#include "potq/TensorIO/TensorIO.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace interp = ::potq::interp;
namespace npy = ::potq::npy;

namespace {

enum class ExecutionMode { Interpret, Jit };

llvm::cl::OptionCategory category("potq-run options");

llvm::cl::opt<std::string> inputFilename(llvm::cl::Positional,
                                         llvm::cl::desc("<input .mlir file>"),
                                         llvm::cl::init("-"),
                                         llvm::cl::cat(category));

llvm::cl::opt<std::string>
    entryName("entry",
              llvm::cl::desc("Function to run (default: the only public "
                             "function, or 'main')"),
              llvm::cl::value_desc("name"), llvm::cl::cat(category));

llvm::cl::list<std::string>
    inputFiles("input",
               llvm::cl::desc("A .npy file for the next function argument "
                              "(repeat once per argument, in order)"),
               llvm::cl::value_desc("file.npy"), llvm::cl::cat(category));

llvm::cl::list<std::string>
    outputFiles("output",
                llvm::cl::desc("A .npy file for the next result (repeat once "
                               "per result, in order)"),
                llvm::cl::value_desc("file.npy"), llvm::cl::cat(category));

llvm::cl::opt<bool>
    printResults("print",
                 llvm::cl::desc("Print the results as text (the default "
                                "when no --output is given)"),
                 llvm::cl::cat(category));

llvm::cl::opt<ExecutionMode> executionMode(
    llvm::cl::desc("Execution mode:"),
    llvm::cl::values(clEnumValN(ExecutionMode::Interpret, "interpret",
                                "Evaluate with the reference interpreter "
                                "(default)"),
                     clEnumValN(ExecutionMode::Jit, "jit",
                                "Compile to native code and run it")),
    llvm::cl::init(ExecutionMode::Interpret), llvm::cl::cat(category));

llvm::cl::opt<std::string> jitPipeline(
    "pipeline",
    llvm::cl::desc("With --jit: pass pipeline run before potq-lower-to-llvm "
                   "(default: builtin.module(potq-qat-to-shift-add); use "
                   "'builtin.module(potq-qat-to-shift-add{fuse=false})' for "
                   "the float QAT graph, '' for none)"),
    llvm::cl::init(::potq::jit::JitOptions().pipeline),
    llvm::cl::cat(category));

llvm::cl::opt<unsigned>
    jitOptLevel("opt-level",
                llvm::cl::desc("With --jit: LLVM optimization level (0-3)"),
                llvm::cl::init(2), llvm::cl::cat(category));

/// Prints "potq-run: error: <message>" and returns the exit code 1.
int fail(const llvm::Twine &message) {
  llvm::errs() << "potq-run: error: " << message << "\n";
  return 1;
}

/// The reference interpreter mode.
FailureOr<SmallVector<interp::Tensor>>
runInterpreter(func::FuncOp func, ArrayRef<interp::Tensor> args) {
  interp::InterpreterOptions options;
  options.modeName = "potq-run --interpret";
  return interp::interpret(func, args, options);
}

/// The compiled mode: lower a copy of the module and run it natively.
FailureOr<SmallVector<interp::Tensor>> runJit(func::FuncOp func,
                                              ArrayRef<interp::Tensor> args) {
  ::potq::jit::JitOptions options;
  options.pipeline = jitPipeline;
  options.pipelineName = "--pipeline";
  options.optLevel = jitOptLevel;
  return ::potq::jit::runCompiled(func->getParentOfType<ModuleOp>(),
                                  func.getSymName(), args, options);
}

int runMain() {
  DialectRegistry registry;
  potq::registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  context.printOpOnDiagnostic(false);

  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> file =
      ::potq::openBoundedInputFile(inputFilename, ::potq::kMaxInputFileBytes,
                                   errorMessage);
  if (!file)
    return fail("cannot open input file '" + inputFilename +
                "': " + errorMessage);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), SMLoc());
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return fail("cannot parse or verify '" + inputFilename + "'");

  std::string entryError;
  func::FuncOp func =
      ::potq::findEntryFunction(*module, entryName, "--entry=NAME", entryError);
  if (!func)
    return fail(entryError);
  FunctionType type = func.getFunctionType();
  std::string name = "@" + func.getSymName().str();

  if (inputFiles.size() != type.getNumInputs())
    return fail(name + " takes " + llvm::Twine(type.getNumInputs()) +
                " argument(s), but " + llvm::Twine(inputFiles.size()) +
                " --input file(s) were given");
  if (!outputFiles.empty() && outputFiles.size() != type.getNumResults())
    return fail(name + " returns " + llvm::Twine(type.getNumResults()) +
                " result(s), but " + llvm::Twine(outputFiles.size()) +
                " --output file(s) were given");

  SmallVector<interp::Tensor> args;
  for (auto [index, path] : llvm::enumerate(inputFiles)) {
    // The limit is checked against the header, before the data is read.
    llvm::Expected<npy::Array> array =
        npy::read(path, interp::InterpreterOptions().maxElements);
    if (!array)
      return fail("input #" + llvm::Twine(index) + ": " +
                  llvm::toString(array.takeError()));
    if (array->getNumElements() > interp::InterpreterOptions().maxElements)
      return fail("input #" + llvm::Twine(index) + " (" + path + ") has " +
                  llvm::Twine(array->getNumElements()) +
                  " elements, more than the interpreter's limit of " +
                  llvm::Twine(interp::InterpreterOptions().maxElements));
    llvm::Expected<interp::Tensor> arg =
        interp::tensorFromNpy(*array, type.getInput(index));
    if (!arg)
      return fail("input #" + llvm::Twine(index) + " (" + path +
                  "): " + llvm::toString(arg.takeError()));
    args.push_back(std::move(*arg));
  }

  FailureOr<SmallVector<interp::Tensor>> results = failure();
  switch (executionMode) {
  case ExecutionMode::Interpret:
    results = runInterpreter(func, args);
    break;
  case ExecutionMode::Jit:
    if (jitOptLevel > 3)
      return fail("--opt-level must be 0, 1, 2 or 3, got " +
                  llvm::Twine(jitOptLevel));
    results = runJit(func, args);
    break;
  }
  if (failed(results))
    return fail("execution of " + name + " failed");

  for (auto [index, path] : llvm::enumerate(outputFiles)) {
    llvm::Expected<npy::Array> array = interp::tensorToNpy((*results)[index]);
    if (!array)
      return fail("result #" + llvm::Twine(index) + ": " +
                  llvm::toString(array.takeError()));
    if (llvm::Error error = npy::write(path, *array))
      return fail(llvm::toString(std::move(error)));
  }
  if (printResults || outputFiles.empty()) {
    for (auto [index, value] : llvm::enumerate(*results)) {
      llvm::outs() << "result " << index << ": " << value.getType() << " = ";
      interp::printValue(llvm::outs(), value);
      llvm::outs() << "\n";
    }
    llvm::outs().flush();
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // --pipeline names passes by their registered flags.
  potq::registerAllPasses();
  llvm::cl::HideUnrelatedOptions(category);
  llvm::cl::ParseCommandLineOptions(
      argc, argv, "potq-run: run a function of a potq module on .npy inputs\n");
  return runMain();
}
