//===- potq-translate.cpp - Ahead-of-time compilation of potq modules -----===//
//
//   potq-translate FILE.mlir --emit=llvmir|asm|obj|header [-o FILE]
//                  [--preset=NAME] [--target=TRIPLE] [--mcpu=CPU]
//                  [--mattr=+f,-g] [--opt-level=0..3]
//                  [--dynamic-dim-size=N] [--lowering-pipeline=PASSES]
//                  [--kernels=loops|runtime] [--kernel-strategy=S]
//                  [--kernel-isa=I] [--kernel-threads=N]
//
// A driver for potq's emitters (lib/Target, docs/Target.md), which are
// registered as MLIR translations: --emit=llvmir|asm|obj|header runs
// export-llvmir|export-asm|export-object|export-c-header, which can also be
// named directly (--export-c-header, ...). The flags become the emitters'
// options: the target (--preset, --target, --mcpu, --mattr, --opt-level)
// and the two steps an emitter leaves to the tool that runs it:
// prepareModule (--dynamic-dim-size: potq-specialize-dynamic-dims) and
// lowerToLLVMDialect, the one place this tool builds its pipeline
// (potq-prepare-c-abi; convert-potq-to-linalg with --kernels and its
// options when potq ops remain, whose objects link against
// libPotqRuntime.a with --kernels=runtime; then --lowering-pipeline,
// default potq-lower-to-llvm). docs/AOT.md describes the ABI. Every error
// goes to stderr and exits with code 1; errors about the module as a whole
// read "potq-translate: error: ...".
//
//===----------------------------------------------------------------------===//

#include "potq/Conversion/Passes.h"
#include "potq/InitAllPasses.h"
#include "potq/Limits.h"
#include "potq/Support/InputFile.h"
#include "potq/Target/CHeader/ExportCHeader.h"
#include "potq/Target/Export.h"
#include "potq/Target/ObjectFile/ExportObjectFile.h"
#include "potq/Target/ObjectFile/TargetMachine.h"
#include "potq/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

using namespace mlir;
namespace cl = llvm::cl;

namespace {

enum class EmitKind { LLVMIR, Asm, Obj, Header };

cl::OptionCategory category("potq-translate options");

cl::opt<std::string> inputFilename(cl::Positional,
                                   cl::desc("<input .mlir file>"),
                                   cl::init("-"), cl::cat(category));

cl::opt<std::string> outputFilename("o", cl::desc("Output file (default: -)"),
                                    cl::value_desc("file"), cl::init("-"),
                                    cl::cat(category));

cl::opt<EmitKind> emitKind(
    "emit", cl::desc("What to write (or name the emitter: --export-<name>):"),
    cl::values(clEnumValN(EmitKind::LLVMIR, "llvmir", "LLVM IR (text)"),
               clEnumValN(EmitKind::Asm, "asm", "target assembly"),
               clEnumValN(EmitKind::Obj, "obj", "a relocatable object file"),
               clEnumValN(EmitKind::Header, "header",
                          "a C99 header for the public functions")),
    cl::cat(category));

cl::opt<std::string>
    presetName("preset",
               cl::desc("Named target: x86-64, x86-64-v3, x86-64-v4, "
                        "avx512-vnni, aarch64, native (--target/--mcpu/"
                        "--mattr given explicitly override it)"),
               cl::value_desc("name"), cl::cat(category));

cl::opt<std::string> targetTriple("target",
                                  cl::desc("Target triple (default: host)"),
                                  cl::value_desc("triple"), cl::cat(category));

cl::opt<std::string>
    targetCpu("mcpu",
              cl::desc("Target CPU (default: generic; native: the host CPU "
                       "and its features)"),
              cl::value_desc("cpu"), cl::cat(category));

cl::opt<std::string>
    targetAttrs("mattr",
                cl::desc("Target features, comma separated: +feature,-feature"),
                cl::value_desc("features"), cl::cat(category));

cl::opt<unsigned> optLevel("opt-level",
                           cl::desc("LLVM optimization level 0..3 (default 2)"),
                           cl::init(2), cl::cat(category));

cl::opt<int64_t> dynamicDimSize(
    "dynamic-dim-size",
    cl::desc("Before lowering, give every dynamic dimension of the public "
             "functions' tensor arguments this size and propagate the static "
             "shapes (e.g. a fixed batch size)"),
    cl::value_desc("N"), cl::init(0), cl::cat(category));

// The words of convert-potq-to-linalg's kernels, strategy and isa.
cl::opt<potq::ContractionKernels>
    kernels("kernels",
            cl::desc("How convert-potq-to-linalg lowers contractions: loops "
                     "(shift-add, default) or runtime (calls into PotqRuntime; "
                     "link the object with libPotqRuntime.a, docs/AOT.md)"),
            cl::init(potq::ContractionKernels::Loops),
            potq::contractionKernelsValues(), cl::cat(category));
cl::opt<potq::KernelStrategy>
    kernelStrategy("kernel-strategy",
                   cl::desc("--kernels=runtime: auto, dot or shift-add"),
                   cl::init(potq::KernelStrategy::Auto),
                   potq::kernelStrategyValues(), cl::cat(category));
cl::opt<potq::KernelIsa>
    kernelIsa("kernel-isa",
              cl::desc("--kernels=runtime: auto, scalar, avx2, avxvnni, "
                       "avx512 or neon (of the machine running the code)"),
              cl::init(potq::KernelIsa::Auto), potq::kernelIsaValues(),
              cl::cat(category));
cl::opt<int> kernelThreads(
    "kernel-threads",
    cl::desc("--kernels=runtime: threads per call (0: POTQ_NUM_THREADS or "
             "all cores)"),
    cl::init(0), cl::cat(category));

cl::opt<std::string> loweringPipeline(
    "lowering-pipeline",
    cl::desc("Passes that lower the module to the LLVM dialect, on "
             "builtin.module without the anchor (default: the registered "
             "pipeline potq-lower-to-llvm; for experiments with other "
             "lowerings and ABIs)"),
    cl::value_desc("passes"), cl::init(""), cl::cat(category));

int fail(const Twine &message) {
  llvm::errs() << "potq-translate: error: " << message << "\n";
  return 1;
}

//===----------------------------------------------------------------------===//
// The steps the flags add to the emitters
//===----------------------------------------------------------------------===//

/// Runs on the parsed module before an emitter reads it: --dynamic-dim-size.
LogicalResult prepareModule(ModuleOp module) {
  if (!dynamicDimSize.getNumOccurrences())
    return success();
  return potq::specializeDynamicDims(module, dynamicDimSize,
                                     "--dynamic-dim-size");
}

/// Lowers a module at tensor level to the LLVM dialect with the flags'
/// kernel options and --lowering-pipeline.
LogicalResult lowerToLLVMDialect(ModuleOp module) {
  potq::ConvertPotqToLinalgOptions lowering;
  lowering.kernels = kernels;
  lowering.strategy = kernelStrategy;
  lowering.isa = kernelIsa;
  lowering.threads = kernelThreads;
  return potq::lowerToLLVMDialect(module, lowering, loweringPipeline);
}

potq::ExportHooks exportHooks() { return {prepareModule, lowerToLLVMDialect}; }

/// The options of export-c-header. Its diagnostics name the flag that asked
/// for it.
potq::CHeaderOptions cHeaderOptions() {
  potq::CHeaderOptions options;
  options.hooks = exportHooks();
  options.name =
      emitKind.getNumOccurrences() ? "--emit=header" : "--export-c-header";
  options.dynamicShapeHint =
      "use --dynamic-dim-size=N to fix dynamic dimensions";
  options.generator = "potq-translate " + options.name;
  options.sourceName = inputFilename == "-"
                           ? std::string("<stdin>")
                           : llvm::sys::path::filename(inputFilename).str();
  options.headerName = outputFilename;
  return options;
}

potq::TargetSelection targetSelection() {
  return {presetName, targetTriple, targetCpu, targetAttrs};
}

/// The options of export-llvmir, export-asm and export-object.
potq::ObjectFileOptions objectFileOptions() {
  potq::ObjectFileOptions options;
  options.hooks = exportHooks();
  options.target = targetSelection();
  options.optLevel = optLevel;
  return options;
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

using TranslationOption =
    cl::opt<const Translation *, /*ExternalStorage=*/false, TranslationParser>;

/// The registered translation `name`, or null.
const Translation *lookupTranslation(TranslationOption &option,
                                     StringRef name) {
  const Translation *translation = nullptr;
  // The parser maps each registered name to its translation.
  if (option.getParser().parse(option, name, "", translation))
    return nullptr;
  return translation;
}

StringRef translationName(EmitKind kind) {
  switch (kind) {
  case EmitKind::LLVMIR:
    return "export-llvmir";
  case EmitKind::Asm:
    return "export-asm";
  case EmitKind::Obj:
    return "export-object";
  case EmitKind::Header:
    return "export-c-header";
  }
  llvm_unreachable("unknown EmitKind");
}

/// Prints a diagnostic without location (about the module as a whole) as
/// potq-translate's own; others go to the next handler.
LogicalResult printUnlocated(Diagnostic &diag) {
  if (!isa<UnknownLoc>(diag.getLocation()))
    return failure();
  auto print = [](DiagnosticSeverity severity, const Twine &message) {
    StringRef kind = severity == DiagnosticSeverity::Error     ? "error"
                     : severity == DiagnosticSeverity::Warning ? "warning"
                     : severity == DiagnosticSeverity::Remark  ? "remark"
                                                               : "note";
    llvm::errs() << "potq-translate: " << kind << ": " << message << "\n";
  };
  print(diag.getSeverity(), diag.str());
  for (Diagnostic &note : diag.getNotes())
    print(note.getSeverity(), note.str());
  return success();
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  potq::registerAllPasses();
  potq::registerExportCHeaderTranslation(cHeaderOptions);
  potq::registerExportObjectFileTranslations(objectFileOptions);
  // Constructed after the registrations: it offers every registered
  // translation as a flag.
  TranslationOption exportFlag(
      cl::desc("Or name the emitter (the same, with the same flags):"),
      cl::cat(category));
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "potq ahead-of-time compiler: LLVM IR, assembly, objects and C "
      "headers\n");

  const Translation *translation = nullptr;
  if (emitKind.getNumOccurrences()) {
    if (exportFlag.getNumOccurrences())
      return fail("--emit and --export-<name> both name an emitter: give one");
    translation = lookupTranslation(exportFlag, translationName(emitKind));
  } else if (exportFlag.getNumOccurrences()) {
    translation = exportFlag;
  } else {
    llvm::errs() << "potq-translate: for the --emit option: must be specified "
                    "at least once! (or name the emitter: --export-<name>)\n";
    return 1;
  }
  if (!translation)
    return fail("no emitter registered for --emit");
  bool header = translation == lookupTranslation(exportFlag, "export-c-header");

  if (optLevel > 3)
    return fail("--opt-level must be 0, 1, 2 or 3, got " +
                Twine(optLevel.getValue()));
  if (dynamicDimSize.getNumOccurrences() && dynamicDimSize <= 0)
    return fail("--dynamic-dim-size must be positive, got " +
                Twine(dynamicDimSize.getValue()));
  // The target is checked first, so that a bad flag fails fast.
  if (!header) {
    llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine =
        potq::createTargetMachine(targetSelection(), optLevel);
    if (!machine)
      return fail(llvm::toString(machine.takeError()));
  }

  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input = potq::openBoundedInputFile(
      inputFilename, potq::kMaxInputFileBytes, error);
  if (!input)
    return fail("cannot open input file '" + inputFilename + "': " + error);
  auto sourceMgr = std::make_shared<llvm::SourceMgr>();
  sourceMgr->AddNewSourceBuffer(std::move(input), llvm::SMLoc());

  DialectRegistry registry;
  potq::registerExportDialects(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);
  context.loadAllAvailableDialects();
  SourceMgrDiagnosticHandler diagnostics(*sourceMgr, &context);
  ScopedDiagnosticHandler unlocated(&context, printUnlocated);

  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFilename, &error);
  if (!output)
    return fail(error);
  if (failed((*translation)(sourceMgr, output->os(), &context)))
    return 1;
  output->keep();
  return 0;
}
