//===- ExportCHeader.cpp - A C99 header for compiled functions ------------===//
//
// The descriptor structs are named potq_memref_<rank>d_<element> and guarded
// by POTQ_MEMREF_<RANK>D_<ELEMENT>_DEFINED, as in
// potq/Runtime/MlirEntryPoints.h (test/Target/CHeader checks that both
// headers compile in one C99 translation unit).
//
//===----------------------------------------------------------------------===//

#include "potq/Target/CHeader/ExportCHeader.h"

#include "potq/Dialect/Potq/IR/PotqTypes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Tools/mlir-translate/Translation.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

using namespace mlir;

namespace {

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
FailureOr<CTensor> toCTensor(func::FuncOp func, Type type, StringRef what,
                             const potq::CHeaderOptions &options) {
  StringRef name = options.name;
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return func.emitError() << name
                            << " supports ranked tensor arguments and "
                               "results only, but "
                            << what << " has type " << type;
  if (!tensor.hasStaticShape())
    return func.emitError()
           << name << " needs static shapes, but " << what << " has type "
           << type << " (" << options.dynamicShapeHint << ")";
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
    return func.emitError()
           << name << " does not map element type " << element << " of " << what
           << " to C (supported: f32, f64, index, "
              "i8/i16/i32/i64 and potq storage types)";
  }
  // The header writes element counts and strides as int64 and the entry
  // point copies bytes: none of them may wrap.
  if (!fitsInt64(result.shape, result.bytes))
    return func.emitError() << name << ": " << what << " has type " << type
                            << ", whose size or strides in bytes overflow "
                               "int64";
  return result;
}

FailureOr<CFunction> toCFunction(func::FuncOp func,
                                 const potq::CHeaderOptions &options) {
  CFunction c;
  c.name = func.getSymName().str();
  FunctionType type = func.getFunctionType();
  for (auto [index, input] : llvm::enumerate(type.getInputs())) {
    FailureOr<CTensor> t = toCTensor(
        func, input,
        ("argument " + Twine(index) + " of '" + c.name + "'").str(), options);
    if (failed(t))
      return failure();
    c.inputs.push_back(*t);
  }
  for (auto [index, result] : llvm::enumerate(type.getResults())) {
    FailureOr<CTensor> t = toCTensor(
        func, result, ("result " + Twine(index) + " of '" + c.name + "'").str(),
        options);
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
  StringRef base = path.empty() || path == "-"
                       ? StringRef("generated.h")
                       : llvm::sys::path::filename(path);
  for (char ch : base)
    guard += llvm::isAlnum(ch) ? llvm::toUpper(ch) : '_';
  return guard;
}

void writeHeader(llvm::raw_ostream &os, ArrayRef<CFunction> funcs,
                 StringRef generator, StringRef source, StringRef headerName) {
  std::string guard = headerGuard(headerName);
  os << "/* Generated by " << generator << " from " << source
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

/// The file name of `module`'s location, or "<unknown>".
std::string sourceFileName(ModuleOp module) {
  if (auto file = dyn_cast<FileLineColLoc>(module.getLoc()))
    return llvm::sys::path::filename(file.getFilename().getValue()).str();
  return "<unknown>";
}

} // namespace

LogicalResult potq::exportCHeader(ModuleOp module, raw_ostream &os,
                                  const CHeaderOptions &options) {
  MLIRContext *context = module.getContext();
  if (isLLVMDialectModule(module))
    return emitError(UnknownLoc::get(context))
           << options.name
           << " needs the module before lowering (func.func with tensor "
              "types): the input is already in the LLVM dialect";
  if (failed(checkNoQatOps(module)) || failed(options.hooks.runPrepare(module)))
    return failure();

  // The signatures before lowering; the C interfaces after.
  std::vector<CFunction> funcs;
  for (func::FuncOp func : getPublicFunctionDefinitions(module)) {
    FailureOr<CFunction> c = toCFunction(func, options);
    if (failed(c))
      return failure();
    funcs.push_back(std::move(*c));
  }
  if (failed(options.hooks.runLowerToLLVM(module)))
    return failure();
  if (funcs.empty())
    return emitError(UnknownLoc::get(context))
           << options.name << ": the module has no public function definitions";
  for (CFunction &c : funcs) {
    FailureOr<ResultAbi> abi = checkLoweredAbi(module, c);
    if (failed(abi))
      return failure();
    c.abi = *abi;
  }
  writeHeader(os, funcs, options.generator,
              options.sourceName.empty() ? sourceFileName(module)
                                         : options.sourceName,
              options.headerName);
  return success();
}

void potq::registerExportCHeaderTranslation(
    std::function<CHeaderOptions()> getOptions) {
  static TranslateFromMLIRRegistration registration(
      "export-c-header",
      "A C99 header declaring the compiled public functions (docs/AOT.md)",
      [getOptions](ModuleOp module, raw_ostream &os) {
        return exportCHeader(module, os,
                             getOptions ? getOptions() : CHeaderOptions());
      },
      registerExportDialects);
}
