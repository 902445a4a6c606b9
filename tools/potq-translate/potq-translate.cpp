//===- potq-translate.cpp - Ahead-of-time compilation of potq modules -----===//
//
//   potq-translate FILE.mlir --emit=llvmir|asm|obj|header [-o FILE]
//                  [--preset=NAME] [--target=TRIPLE] [--mcpu=CPU]
//                  [--mattr=+f,-g] [--opt-level=0..3]
//                  [--dynamic-dim-size=N] [--lowering-pipeline=PASSES]
//                  [--kernels=loops|runtime] [--kernel-strategy=S]
//                  [--kernel-isa=I] [--kernel-threads=N]
//
// Input is a potq module at any level after freezing: func/linalg/tensor
// (possibly with potq ops), or already the LLVM dialect. A module that is not
// yet in the LLVM dialect is lowered by the registered `potq-lower-to-llvm`
// pipeline (potq ops first by `convert-potq-to-linalg`, with `--kernels`
// and its options; objects built with --kernels=runtime link against
// libPotqRuntime.a). Before lowering,
// tensor arguments of public functions are marked read-only for
// bufferization, so that compiled code never writes into the caller's
// inputs. `--emit=header` writes a C99 header for the public functions (see
// docs/AOT.md for the ABI). Every error goes to stderr and exits with code 1.
//
//===----------------------------------------------------------------------===//

#include "potq/Dialect/Potq/IR/PotqDialect.h"
#include "potq/Dialect/Potq/IR/PotqTypes.h"
#include "potq/Dialect/Qat/IR/QatOps.h"
#include "potq/InitAllDialects.h"
#include "potq/InitAllPasses.h"
#include "potq/Limits.h"
#include "potq/Support/InputFile.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <optional>

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
    "emit", cl::desc("What to write:"), cl::Required,
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

cl::opt<std::string> kernels(
    "kernels",
    cl::desc("How convert-potq-to-linalg lowers contractions: loops "
             "(shift-add, default) or runtime (calls into PotqRuntime; link "
             "the object with libPotqRuntime.a, docs/AOT.md)"),
    cl::value_desc("loops|runtime"), cl::init("loops"), cl::cat(category));
cl::opt<std::string>
    kernelStrategy("kernel-strategy",
                   cl::desc("--kernels=runtime: auto, dot or shift-add"),
                   cl::init("auto"), cl::cat(category));
cl::opt<std::string>
    kernelIsa("kernel-isa",
              cl::desc("--kernels=runtime: auto, scalar, avx2, avxvnni, "
                       "avx512 or neon (of the machine running the code)"),
              cl::init("auto"), cl::cat(category));
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
    cl::value_desc("passes"), cl::init("potq-lower-to-llvm"),
    cl::cat(category));

int fail(const Twine &message) {
  llvm::errs() << "potq-translate: error: " << message << "\n";
  return 1;
}

//===----------------------------------------------------------------------===//
// Target selection
//===----------------------------------------------------------------------===//

struct TargetChoice {
  std::string triple, cpu, features;
};

struct Preset {
  const char *name, *triple, *cpu, *features;
};

// The triple "" stands for the host triple.
const Preset presets[] = {
    {"x86-64", "x86_64-unknown-linux-gnu", "x86-64", ""},
    {"x86-64-v3", "x86_64-unknown-linux-gnu", "x86-64-v3", ""},
    {"x86-64-v4", "x86_64-unknown-linux-gnu", "x86-64-v4", ""},
    {"avx512-vnni", "x86_64-unknown-linux-gnu", "x86-64-v4", "+avx512vnni"},
    {"aarch64", "aarch64-unknown-linux-gnu", "generic", "+neon"},
    {"native", "", "native", ""},
};

/// The host's CPU features as "+a,-b,...".
std::string hostFeatures() {
  SmallVector<std::string> list;
  for (const auto &feature : llvm::sys::getHostCPUFeatures())
    list.push_back((feature.second ? "+" : "-") + feature.first().str());
  llvm::sort(list);
  return llvm::join(list, ",");
}

FailureOr<TargetChoice> chooseTarget() {
  TargetChoice choice{llvm::sys::getDefaultTargetTriple(), "generic", ""};
  if (!presetName.empty()) {
    const Preset *preset = nullptr;
    for (const Preset &p : presets)
      if (presetName == p.name)
        preset = &p;
    if (!preset) {
      SmallVector<StringRef> names;
      for (const Preset &p : presets)
        names.push_back(p.name);
      fail("unknown --preset '" + presetName +
           "' (known: " + llvm::join(names, ", ") + ")");
      return failure();
    }
    if (*preset->triple)
      choice.triple = preset->triple;
    choice.cpu = preset->cpu;
    choice.features = preset->features;
  }
  if (!targetTriple.empty())
    choice.triple = targetTriple;
  if (!targetCpu.empty())
    choice.cpu = targetCpu;
  if (!targetAttrs.empty())
    choice.features = targetAttrs;
  choice.triple = llvm::Triple::normalize(choice.triple);
  if (choice.cpu == "native") {
    if (llvm::Triple(choice.triple).getArch() !=
        llvm::Triple(llvm::sys::getProcessTriple()).getArch()) {
      fail("--mcpu=native needs the host architecture, but the target is '" +
           choice.triple + "'");
      return failure();
    }
    choice.cpu = llvm::sys::getHostCPUName().str();
    std::string host = hostFeatures();
    choice.features = choice.features.empty() ? host
                      : host.empty()          ? choice.features
                                              : host + "," + choice.features;
  }
  return choice;
}

/// Creates the target machine, with a clear error for an unknown target, CPU
/// or feature.
std::unique_ptr<llvm::TargetMachine> createTargetMachine(const TargetChoice &c,
                                                         unsigned level) {
  std::string error;
  llvm::Triple triple(c.triple);
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (target && !target->hasTargetMachine())
    error = "no code generator for it in this LLVM";
  if (!target || !target->hasTargetMachine()) {
    fail("unknown target '" + c.triple + "': " + error);
    return nullptr;
  }
  std::unique_ptr<llvm::MCSubtargetInfo> sti(
      target->createMCSubtargetInfo(triple, "", ""));
  // Every target with a code generator has subtarget information.
  assert(sti && "a code generator without subtarget information");
  if (!sti->isCPUStringValid(c.cpu)) {
    fail("unknown CPU '" + c.cpu + "' for target '" + c.triple +
         "' (llc-22 -mtriple=" + c.triple + " -mcpu=help lists them)");
    return nullptr;
  }
  llvm::StringSet<> known;
  for (const llvm::SubtargetFeatureKV &kv : sti->getAllProcessorFeatures())
    known.insert(kv.Key);
  SmallVector<StringRef> features;
  StringRef(c.features).split(features, ',', -1, /*KeepEmpty=*/false);
  for (StringRef feature : features) {
    feature = feature.trim();
    if (!feature.starts_with("+") && !feature.starts_with("-")) {
      fail("target feature '" + feature +
           "' must start with '+' (enable) or '-' (disable)");
      return nullptr;
    }
    if (!known.contains(feature.drop_front())) {
      fail("unknown target feature '" + feature.drop_front() +
           "' for target '" + c.triple + "' (llc-22 -mtriple=" + c.triple +
           " -mattr=help lists them)");
      return nullptr;
    }
  }
  llvm::CodeGenOptLevel cgLevel = llvm::CodeGenOpt::getLevel(level).value_or(
      llvm::CodeGenOptLevel::Default);
  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> machine(
      target->createTargetMachine(triple, c.cpu, c.features, options,
                                  llvm::Reloc::PIC_, std::nullopt, cgLevel));
  // Only null for targets without a code generator, rejected above.
  assert(machine && "no target machine for a code generator");
  return machine;
}

//===----------------------------------------------------------------------===//
// Lowering
//===----------------------------------------------------------------------===//

/// Whether every op of the module (but the module itself) is in the LLVM
/// dialect.
bool isLLVMDialect(ModuleOp module) {
  bool llvmOnly = true;
  module.walk([&](Operation *op) {
    if (op != module.getOperation() &&
        !isa<LLVM::LLVMDialect>(op->getDialect()))
      llvmOnly = false;
  });
  return llvmOnly;
}

SmallVector<func::FuncOp> publicFunctions(ModuleOp module) {
  SmallVector<func::FuncOp> funcs;
  for (auto func : module.getOps<func::FuncOp>())
    if (func.isPublic() && !func.isExternal())
      funcs.push_back(func);
  return funcs;
}

/// Whether every row-major stride of `shape` and its size in bytes (with
/// `elementBytes` per element) fit int64: the C interface and the memref
/// descriptors of the lowered code count in int64.
bool fitsInt64(ArrayRef<int64_t> shape, int64_t elementBytes) {
  int64_t product = elementBytes;
  for (int64_t dim : llvm::reverse(shape))
    if (llvm::MulOverflow(product, dim, product))
      return false;
  return true;
}

/// Runs `pipeline`, a list of passes on the module (no anchor).
LogicalResult runPipeline(ModuleOp module, StringRef pipeline) {
  PassManager pm(module.getContext());
  std::string error;
  llvm::raw_string_ostream os(error);
  if (failed(parsePassPipeline(pipeline, pm, os)))
    return module.emitError()
           << "cannot build pipeline '" << pipeline << "': " << error;
  return pm.run(module);
}

/// Gives every dynamic dimension of the public functions' tensor arguments
/// the size `size`, lets canonicalization propagate the static shapes, and
/// makes results static where their values are.
LogicalResult specializeDynamicDims(ModuleOp module, int64_t size) {
  for (func::FuncOp func : publicFunctions(module)) {
    bool dynamic = llvm::any_of(func.getArgumentTypes(), [](Type type) {
      auto ranked = dyn_cast<RankedTensorType>(type);
      return ranked && !ranked.hasStaticShape();
    });
    if (dynamic && !SymbolTable::symbolKnownUseEmpty(func, module))
      return func.emitError()
             << "--dynamic-dim-size cannot change the signature of '"
             << func.getSymName() << "': it is called within the module";
    Block &entry = func.getBody().front();
    OpBuilder builder = OpBuilder::atBlockBegin(&entry);
    SmallVector<Type> inputs;
    for (BlockArgument arg : entry.getArguments()) {
      auto type = dyn_cast<RankedTensorType>(arg.getType());
      if (!type || type.hasStaticShape()) {
        inputs.push_back(arg.getType());
        continue;
      }
      SmallVector<int64_t> shape(type.getShape());
      for (int64_t &dim : shape)
        if (ShapedType::isDynamic(dim))
          dim = size;
      auto staticType = type.clone(shape);
      if (!fitsInt64(shape, /*elementBytes=*/1))
        return func.emitError()
               << "--dynamic-dim-size=" << size << " makes argument "
               << arg.getArgNumber() << " of '" << func.getSymName() << "' "
               << staticType << ", whose element count or strides overflow "
                  "int64";
      arg.setType(staticType);
      auto cast = tensor::CastOp::create(builder, func.getLoc(), type, arg);
      arg.replaceAllUsesExcept(cast, cast);
      inputs.push_back(staticType);
    }
    func.setFunctionType(FunctionType::get(
        module.getContext(), inputs, func.getFunctionType().getResults()));
  }
  if (failed(runPipeline(module, "canonicalize")))
    return failure();
  // A dynamic result whose every returned value is a cast of one static
  // type becomes that static type.
  for (func::FuncOp func : publicFunctions(module)) {
    SmallVector<func::ReturnOp> returns;
    func.walk([&](func::ReturnOp ret) { returns.push_back(ret); });
    SmallVector<Type> results(func.getFunctionType().getResults());
    for (auto [index, result] : llvm::enumerate(results)) {
      auto shaped = dyn_cast<RankedTensorType>(result);
      if (!shaped || shaped.hasStaticShape() || returns.empty())
        continue;
      Type staticType;
      bool uniform = true;
      for (func::ReturnOp ret : returns) {
        auto castOp = ret.getOperand(index).getDefiningOp<tensor::CastOp>();
        Type source = castOp ? castOp.getSource().getType() : Type();
        auto ranked = dyn_cast_or_null<RankedTensorType>(source);
        uniform &= ranked && ranked.hasStaticShape() &&
                   (!staticType || staticType == source);
        staticType = source;
      }
      if (!uniform)
        continue;
      for (func::ReturnOp ret : returns)
        ret->setOperand(
            index,
            ret.getOperand(index).getDefiningOp<tensor::CastOp>().getSource());
      result = staticType;
    }
    func.setFunctionType(FunctionType::get(
        module.getContext(), func.getFunctionType().getInputs(), results));
  }
  return runPipeline(module, "canonicalize,cse");
}

//===----------------------------------------------------------------------===//
// C header
//===----------------------------------------------------------------------===//

/// A tensor of a public function's signature as the C interface sees it.
struct CTensor {
  std::string cType;  // element type in C: float, int8_t, ...
  std::string suffix; // element type in descriptor names: f32, i8, ...
  int64_t bytes = 0;  // bytes per element
  SmallVector<int64_t> shape;
  int64_t elements() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
  std::string descriptor() const {
    return "potq_memref_" + std::to_string(shape.size()) + "d_" + suffix;
  }
};

/// How results cross the C interface of the lowered module.
enum class ResultAbi { Returned, OutParams };

struct CFunction {
  std::string name;
  std::vector<CTensor> inputs, results;
  ResultAbi abi = ResultAbi::Returned;
};

/// The C form of `type`, or an error naming `what`.
FailureOr<CTensor> toCTensor(func::FuncOp func, Type type, StringRef what) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return func.emitError() << "--emit=header supports ranked tensor "
                               "arguments and results only, but "
                            << what << " has type " << type;
  if (!tensor.hasStaticShape())
    return func.emitError()
           << "--emit=header needs static shapes, but " << what << " has type "
           << type << " (use --dynamic-dim-size=N to fix dynamic dimensions)";
  Type element = tensor.getElementType();
  if (auto q = dyn_cast<potq::QuantizedType>(element))
    element = q.getStorageType();
  CTensor result;
  result.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
  if (element.isF32()) {
    result.cType = "float";
    result.suffix = "f32";
    result.bytes = 4;
  } else if (element.isF64()) {
    result.cType = "double";
    result.suffix = "f64";
    result.bytes = 8;
  } else if (element.isIndex()) {
    result.cType = "int64_t";
    result.suffix = "index";
    result.bytes = 8;
  } else if (auto integer = dyn_cast<IntegerType>(element);
             integer && !integer.isUnsigned() &&
             llvm::is_contained({8u, 16u, 32u, 64u}, integer.getWidth())) {
    std::string width = std::to_string(integer.getWidth());
    result.cType = "int" + width + "_t";
    result.suffix = "i" + width;
    result.bytes = integer.getWidth() / 8;
  } else {
    return func.emitError() << "--emit=header does not map element type "
                            << element << " of " << what
                            << " to C (supported: f32, f64, index, "
                               "i8/i16/i32/i64 and potq storage types)";
  }
  // The header writes element counts and strides as int64 and the entry
  // point copies bytes: none of them may wrap.
  if (!fitsInt64(result.shape, result.bytes))
    return func.emitError() << "--emit=header: " << what << " has type "
                            << type
                            << ", whose size or strides in bytes overflow "
                               "int64";
  return result;
}

FailureOr<CFunction> toCFunction(func::FuncOp func) {
  CFunction c;
  c.name = func.getSymName().str();
  FunctionType type = func.getFunctionType();
  for (auto [index, input] : llvm::enumerate(type.getInputs())) {
    FailureOr<CTensor> t =
        toCTensor(func, input,
                  ("argument " + Twine(index) + " of '" + c.name + "'").str());
    if (failed(t))
      return failure();
    c.inputs.push_back(*t);
  }
  for (auto [index, result] : llvm::enumerate(type.getResults())) {
    FailureOr<CTensor> t =
        toCTensor(func, result,
                  ("result " + Twine(index) + " of '" + c.name + "'").str());
    if (failed(t))
      return failure();
    c.results.push_back(*t);
  }
  return c;
}

/// Checks the lowered `_mlir_ciface_<name>` against `c` and tells how it
/// passes results: through a leading result pointer (the function returns
/// its results) or as trailing out-parameters.
FailureOr<ResultAbi> checkLoweredAbi(ModuleOp lowered, const CFunction &c) {
  auto ciface =
      lowered.lookupSymbol<LLVM::LLVMFuncOp>("_mlir_ciface_" + c.name);
  auto impl = lowered.lookupSymbol<LLVM::LLVMFuncOp>(c.name);
  size_t n = c.inputs.size(), m = c.results.size();
  if (ciface && impl) {
    unsigned params = ciface.getFunctionType().getNumParams();
    bool returnsVoid =
        isa<LLVM::LLVMVoidType>(impl.getFunctionType().getReturnType());
    if (m == 0 && params == n)
      return ResultAbi::OutParams;
    if (!returnsVoid && params == n + 1)
      return ResultAbi::Returned;
    if (returnsVoid && params == n + m)
      return ResultAbi::OutParams;
  }
  return lowered.emitError()
         << "the lowered module has no C interface for '" << c.name << "' ("
         << n << " arguments, " << m << " results): expected _mlir_ciface_"
         << c.name << "(results, arguments...) or (arguments..., results...)";
}

std::string shapeList(ArrayRef<int64_t> shape) {
  std::string s;
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? ", " : "") + std::to_string(d);
  return s;
}

std::string rowMajorStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t r = int64_t(shape.size()) - 2; r >= 0; --r)
    strides[r] = strides[r + 1] * shape[r + 1];
  return shapeList(strides);
}

std::string headerGuard(StringRef path) {
  std::string guard = "POTQ_";
  StringRef base =
      path == "-" ? "generated.h" : llvm::sys::path::filename(path);
  for (char ch : base)
    guard += llvm::isAlnum(ch) ? llvm::toUpper(ch) : '_';
  return guard;
}

void writeHeader(llvm::raw_ostream &os, ArrayRef<CFunction> funcs,
                 StringRef source) {
  std::string guard = headerGuard(outputFilename);
  os << "/* Generated by potq-translate --emit=header from " << source
     << ". Do not edit.\n"
        " *\n"
        " * For each function NAME: the C interface _mlir_ciface_NAME of the "
        "compiled\n"
        " * object, and the entry point potq_NAME, which takes contiguous "
        "row-major\n"
        " * buffers (inputs are read, never written; outputs are written) and "
        "returns\n"
        " * 0, or 1 when a result has an unexpected shape. See docs/AOT.md. "
        "*/\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stdint.h>\n#include <stdlib.h>\n#include <string.h>\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";

  // Descriptor structs, once per (rank, element type) across headers.
  llvm::StringSet<> emitted;
  for (const CFunction &f : funcs)
    for (const CTensor &t : llvm::concat<const CTensor>(f.inputs, f.results)) {
      std::string name = t.descriptor();
      if (!emitted.insert(name).second)
        continue;
      std::string macro = StringRef(name).upper() + "_DEFINED";
      os << "#ifndef " << macro << "\n#define " << macro << "\n"
         << "/* A rank-" << t.shape.size() << " memref descriptor of "
         << t.cType
         << ": element (i0, ...) lives at aligned[offset + i0 * strides[0] + "
            "...]. */\n"
         << "typedef struct {\n  " << t.cType << " *allocated;\n  " << t.cType
         << " *aligned;\n  int64_t offset;\n";
      if (!t.shape.empty())
        os << "  int64_t sizes[" << t.shape.size() << "];\n  int64_t strides["
           << t.shape.size() << "];\n";
      os << "} " << name << ";\n#endif\n\n";
    }

  // Shared helpers.
  os << "#ifndef POTQ_AOT_HELPERS_DEFINED\n#define POTQ_AOT_HELPERS_DEFINED\n"
        "/* Copies a strided rank-`rank` array into a contiguous row-major "
        "buffer. */\n"
        "static inline void potq_copy_out_(void *dst, const void *src, "
        "int64_t offset,\n"
        "                                  const int64_t *sizes, const int64_t "
        "*strides,\n"
        "                                  int rank, size_t elem) {\n"
        "  int64_t n = 1, i, r;\n"
        "  for (r = 0; r < rank; ++r)\n    n *= sizes[r];\n"
        "  for (i = 0; i < n; ++i) {\n"
        "    int64_t rest = i, at = offset;\n"
        "    for (r = rank - 1; r >= 0; --r) {\n"
        "      at += (rest % sizes[r]) * strides[r];\n"
        "      rest /= sizes[r];\n    }\n"
        "    memcpy((char *)dst + i * elem, (const char *)src + at * elem, "
        "elem);\n  }\n}\n"
        "/* Result buffers the compiled code allocated with malloc are freed "
        "once;\n"
        " * those that are inputs or constants (allocated == 0xdeadbeef) are "
        "not. */\n"
        "static inline int potq_owned_(const void *allocated, const void "
        "*const *seen,\n"
        "                              int nseen) {\n"
        "  int i;\n"
        "  if (allocated == NULL || (uintptr_t)allocated == "
        "(uintptr_t)0xdeadbeef)\n    return 0;\n"
        "  for (i = 0; i < nseen; ++i)\n"
        "    if (seen[i] == allocated)\n      return 0;\n"
        "  return 1;\n}\n#endif\n\n";

  for (const CFunction &f : funcs) {
    std::string upper = StringRef(f.name).upper();
    for (auto [i, t] : llvm::enumerate(f.inputs))
      os << "#define POTQ_" << upper << "_IN" << i << "_ELEMENTS "
         << t.elements() << "\n";
    for (auto [i, t] : llvm::enumerate(f.results))
      os << "#define POTQ_" << upper << "_OUT" << i << "_ELEMENTS "
         << t.elements() << "\n";

    // (a) The C interface symbol.
    ResultAbi abi = f.abi;
    bool multi = abi == ResultAbi::Returned && f.results.size() > 1;
    std::string resultStruct = "potq_" + f.name + "_results";
    if (multi) {
      os << "typedef struct {\n";
      for (auto [i, t] : llvm::enumerate(f.results))
        os << "  " << t.descriptor() << " r" << i << ";\n";
      os << "} " << resultStruct << ";\n";
    }
    SmallVector<std::string> params;
    if (abi == ResultAbi::Returned && !f.results.empty())
      params.push_back(multi ? resultStruct + " *results"
                             : f.results[0].descriptor() + " *result");
    for (auto [i, t] : llvm::enumerate(f.inputs))
      params.push_back(t.descriptor() + " *in" + std::to_string(i));
    if (abi == ResultAbi::OutParams)
      for (auto [i, t] : llvm::enumerate(f.results))
        params.push_back(t.descriptor() + " *out" + std::to_string(i));
    os << "void _mlir_ciface_" << f.name << "("
       << (params.empty() ? "void" : llvm::join(params, ", ")) << ");\n\n";

    // (b) The entry point over contiguous buffers.
    SmallVector<std::string> args;
    for (auto [i, t] : llvm::enumerate(f.inputs))
      args.push_back("const " + t.cType + " *in" + std::to_string(i));
    for (auto [i, t] : llvm::enumerate(f.results))
      args.push_back(t.cType + " *out" + std::to_string(i));
    os << "/* " << f.name << ":";
    for (auto [i, t] : llvm::enumerate(f.inputs))
      os << " in" << i << " " << t.cType << "[" << shapeList(t.shape) << "]";
    os << " ->";
    for (auto [i, t] : llvm::enumerate(f.results))
      os << " out" << i << " " << t.cType << "[" << shapeList(t.shape) << "]";
    os << ", row-major. */\n"
       << "static inline int potq_" << f.name << "("
       << (args.empty() ? "void" : llvm::join(args, ", ")) << ") {\n";
    auto descriptorInit = [](const CTensor &t, StringRef ptr) {
      std::string init = "{(" + t.cType + " *)" + ptr.str() + ", (" + t.cType +
                         " *)" + ptr.str() + ", 0";
      if (!t.shape.empty())
        init += ", {" + shapeList(t.shape) + "}, {" + rowMajorStrides(t.shape) +
                "}";
      return init + "}";
    };
    for (auto [i, t] : llvm::enumerate(f.inputs)) {
      std::string name = "in" + std::to_string(i);
      os << "  " << t.descriptor() << " a" << i << " = "
         << descriptorInit(t, name) << ";\n";
    }
    SmallVector<std::string> call;
    if (abi == ResultAbi::OutParams) {
      for (auto [i, t] : llvm::enumerate(f.results))
        os << "  " << t.descriptor() << " o" << i << " = "
           << descriptorInit(t, "out" + std::to_string(i)) << ";\n";
      for (size_t i = 0; i < f.inputs.size(); ++i)
        call.push_back("&a" + std::to_string(i));
      for (size_t i = 0; i < f.results.size(); ++i)
        call.push_back("&o" + std::to_string(i));
      os << "  _mlir_ciface_" << f.name << "(" << llvm::join(call, ", ")
         << ");\n  return 0;\n}\n\n";
      continue;
    }
    if (!f.results.empty())
      call.push_back(multi ? "&res" : "&res.r0");
    for (size_t i = 0; i < f.inputs.size(); ++i)
      call.push_back("&a" + std::to_string(i));
    if (multi)
      os << "  " << resultStruct << " res;\n";
    else if (!f.results.empty())
      os << "  struct { " << f.results[0].descriptor() << " r0; } res;\n";
    if (!f.results.empty())
      os << "  const void *seen[" << f.inputs.size() + f.results.size()
         << "];\n  int nseen = 0, status = 0;\n";
    os << "  _mlir_ciface_" << f.name << "(" << llvm::join(call, ", ")
       << ");\n";
    if (f.results.empty()) {
      os << "  return 0;\n}\n\n";
      continue;
    }
    for (size_t i = 0; i < f.inputs.size(); ++i)
      os << "  seen[nseen++] = in" << i << ";\n";
    for (auto [i, t] : llvm::enumerate(f.results)) {
      std::string r = "res.r" + std::to_string(i);
      os << "  {\n";
      if (t.shape.empty()) {
        os << "    int ok = 1;\n";
      } else {
        os << "    static const int64_t shape[] = {" << shapeList(t.shape)
           << "};\n"
           << "    int ok = 1, r;\n"
           << "    for (r = 0; r < " << t.shape.size() << "; ++r)\n"
           << "      ok = ok && " << r << ".sizes[r] == shape[r];\n";
      }
      os << "    if (ok)\n"
         << "      potq_copy_out_(out" << i << ", " << r << ".aligned, " << r
         << ".offset, " << (t.shape.empty() ? "NULL" : r + ".sizes") << ", "
         << (t.shape.empty() ? "NULL" : r + ".strides") << ", "
         << t.shape.size() << ", sizeof(" << t.cType << "));\n"
         << "    else\n      status = 1;\n"
         << "    if (potq_owned_(" << r << ".allocated, seen, nseen))\n"
         << "      free(" << r << ".allocated);\n"
         << "    seen[nseen++] = " << r << ".allocated;\n  }\n";
    }
    os << "  return status;\n}\n\n";
  }
  os << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargets();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmPrinters();
  potq::registerAllPasses();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "potq ahead-of-time compiler: LLVM IR, assembly, objects and C "
      "headers\n");

  if (optLevel > 3)
    return fail("--opt-level must be 0, 1, 2 or 3, got " +
                Twine(optLevel.getValue()));
  // The kernel options are spliced into a pass pipeline string: keep them
  // single words so that a bad value reaches the pass's own diagnostic.
  for (const cl::opt<std::string> *option :
       {&kernels, &kernelStrategy, &kernelIsa})
    if (StringRef(*option).find_first_of(" \t{},=") != StringRef::npos)
      return fail("--" + option->ArgStr + " must be a single word, got '" +
                  *option + "'");
  if (dynamicDimSize.getNumOccurrences() && dynamicDimSize <= 0)
    return fail("--dynamic-dim-size must be positive, got " +
                Twine(dynamicDimSize.getValue()));

  // The target is checked first, so that a bad flag fails fast.
  std::unique_ptr<llvm::TargetMachine> machine;
  if (emitKind != EmitKind::Header) {
    FailureOr<TargetChoice> choice = chooseTarget();
    if (failed(choice))
      return 1;
    machine = createTargetMachine(*choice, optLevel);
    if (!machine)
      return 1;
  }

  DialectRegistry registry;
  potq::registerAllDialects(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);
  context.loadAllAvailableDialects();

  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input =
      ::potq::openBoundedInputFile(inputFilename, ::potq::kMaxInputFileBytes,
                                   error);
  if (!input)
    return fail("cannot open input file '" + inputFilename + "': " + error);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(input), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;

  // Lower to the LLVM dialect unless it is there already.
  std::vector<CFunction> cFunctions;
  bool lowered = isLLVMDialect(*module);
  if (lowered) {
    if (emitKind == EmitKind::Header)
      return fail("--emit=header needs the module before lowering (func.func "
                  "with tensor types): the input is already in the LLVM "
                  "dialect");
    if (dynamicDimSize.getNumOccurrences())
      return fail("--dynamic-dim-size needs the module before lowering: the "
                  "input is already in the LLVM dialect");
  } else {
    bool hasQat = false, hasPotq = false;
    module->walk([&](Operation *op) {
      hasQat |= isa<potq::qat::QatDialect>(op->getDialect());
      hasPotq |= isa<potq::PotqDialect>(op->getDialect());
    });
    if (hasQat)
      return fail("the module contains qat ops: compile the QAT graph with "
                  "`potq-opt --potq-qat-to-shift-add` first");
    if (dynamicDimSize.getNumOccurrences() &&
        failed(specializeDynamicDims(*module, dynamicDimSize)))
      return 1;
    // Compiled code must not write into the caller's input buffers; every
    // public function gets a C interface (whatever the lowering pipeline).
    for (func::FuncOp func : publicFunctions(*module)) {
      func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                    UnitAttr::get(&context));
      for (unsigned i = 0; i < func.getNumArguments(); ++i)
        if (isa<TensorType>(func.getArgument(i).getType()))
          func.setArgAttr(
              i, bufferization::BufferizationDialect::kWritableAttrName,
              BoolAttr::get(&context, false));
    }
    if (emitKind == EmitKind::Header)
      for (func::FuncOp func : publicFunctions(*module)) {
        FailureOr<CFunction> c = toCFunction(func);
        if (failed(c))
          return 1;
        cFunctions.push_back(*c);
      }
    if (hasPotq &&
        failed(runPipeline(
            *module, std::string("convert-potq-to-linalg{kernels=") + kernels +
                         " strategy=" + kernelStrategy + " isa=" + kernelIsa +
                         " threads=" + std::to_string(kernelThreads) +
                         "},canonicalize,cse")))
      return 1;
    if (failed(runPipeline(*module, loweringPipeline)))
      return 1;
  }

  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFilename, &error);
  if (!output)
    return fail(error);

  if (emitKind == EmitKind::Header) {
    if (cFunctions.empty())
      return fail("--emit=header: the module has no public function "
                  "definitions");
    for (CFunction &c : cFunctions) {
      FailureOr<ResultAbi> abi = checkLoweredAbi(*module, c);
      if (failed(abi))
        return 1;
      c.abi = *abi;
    }
    writeHeader(output->os(), cFunctions,
                inputFilename == "-"
                    ? "<stdin>"
                    : llvm::sys::path::filename(inputFilename));
    output->keep();
    return 0;
  }

  // Constants are copied into LLVM IR and the output: refuse those beyond
  // potq/Limits.h (a splat may describe gigabytes) before translating.
  if (failed(potq::checkMaterializationLimits(*module)))
    return 1;
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, llvmContext, "potq");
  if (!llvmModule)
    return fail("translation to LLVM IR failed");
  // Only the C interfaces are exported: the implementations (e.g. a
  // function named `main`) must not clash with the program's symbols.
  for (llvm::Function &function : *llvmModule)
    if (!function.isDeclaration() &&
        !function.getName().starts_with("_mlir_ciface_"))
      function.setLinkage(llvm::GlobalValue::InternalLinkage);
  llvmModule->setTargetTriple(machine->getTargetTriple());
  llvmModule->setDataLayout(machine->createDataLayout());
  auto transformer =
      makeOptimizingTransformer(optLevel, /*sizeLevel=*/0, machine.get());
  // Fails only for an invalid optimization level, checked above.
  llvm::cantFail(transformer(llvmModule.get()));

  if (emitKind == EmitKind::LLVMIR) {
    llvmModule->print(output->os(), nullptr);
  } else {
    llvm::legacy::PassManager codegen;
    if (machine->addPassesToEmitFile(codegen, output->os(), nullptr,
                                     emitKind == EmitKind::Obj
                                         ? llvm::CodeGenFileType::ObjectFile
                                         : llvm::CodeGenFileType::AssemblyFile))
      return fail("the target cannot emit this file type");
    codegen.run(*llvmModule);
  }
  output->keep();
  return 0;
}
