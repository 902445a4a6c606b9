//===- JitRunner.cpp - Compile a function to native code and run it -------===//
//
// Calling convention: every function gets a C interface wrapper
// `_mlir_ciface_<name>(results*, memref descriptors*...)`. Tensor arguments
// are passed as identity-layout memref descriptors over native buffers;
// tensor results come back as descriptors (pointing into buffers the
// compiled code allocated and the caller owns) and are copied out honouring
// their strides, then freed.
//
//===----------------------------------------------------------------------===//

#include "potq/ExecutionEngine/JitRunner.h"

#include "potq/Dialect/Potq/IR/PotqTypes.h"
#include "potq/Limits.h"
#include "potq/Pipelines/Pipelines.h"
#include "potq/Runtime/MlirEntryPoints.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/Support/TargetSelect.h"

#include "llvm/ADT/SmallPtrSet.h"

#include <cstdlib>
#include <cstring>
#include <functional>

using namespace mlir;
using ::potq::interp::Tensor;

namespace {

/// Native element layout of a tensor element type after lowering.
struct NativeElement {
  Type type;      // the lowered element type
  unsigned bytes; // storage size of one element
  bool isSigned;  // integers: sign- or zero-extend when reading
};

/// The lowered element type of an original element type: quantized
/// elements are stored as their storage integers.
NativeElement nativeElement(Type type) {
  if (auto q = dyn_cast<potq::QuantizedType>(type))
    return {q.getStorageType(), q.getStorageType().getWidth() / 8,
            q.isStorageSigned()};
  if (type.isIndex())
    return {type, 8, true};
  unsigned width = type.getIntOrFloatBitWidth();
  return {type, width == 1 ? 1 : width / 8, true};
}

/// Writes element `i` of `t` into native memory at `dst`.
void storeElement(const Tensor &t, int64_t i, const NativeElement &e,
                  char *dst) {
  if (auto f = dyn_cast<FloatType>(e.type)) {
    llvm::APFloat value(t.getFloat(i));
    bool losesInfo;
    value.convert(f.getFloatSemantics(), llvm::APFloat::rmNearestTiesToEven,
                  &losesInfo);
    uint64_t bits = value.bitcastToAPInt().getZExtValue();
    std::memcpy(dst, &bits, e.bytes); // little endian
    return;
  }
  int64_t v = t.getInt(i);
  std::memcpy(dst, &v, e.bytes);
}

/// Reads the native element at `src` into element `i` of `t`.
void loadElement(Tensor &t, int64_t i, const NativeElement &e,
                 const char *src) {
  uint64_t bits = 0;
  std::memcpy(&bits, src, e.bytes);
  if (auto f = dyn_cast<FloatType>(e.type)) {
    llvm::APFloat value(f.getFloatSemantics(), llvm::APInt(e.bytes * 8, bits));
    bool losesInfo;
    value.convert(llvm::APFloat::IEEEdouble(),
                  llvm::APFloat::rmNearestTiesToEven, &losesInfo);
    t.setFloat(i, value.convertToDouble());
    return;
  }
  unsigned width = e.type.isIndex() ? 64 : e.type.getIntOrFloatBitWidth();
  llvm::APInt value(width, bits);
  t.setInt(i, e.isSigned && width > 1 ? value.getSExtValue()
                                      : int64_t(value.getZExtValue()));
}

/// A ranked memref descriptor {allocated, aligned, offset, sizes, strides}
/// as raw 64-bit words.
struct Descriptor {
  SmallVector<int64_t> words;
  explicit Descriptor(int64_t rank) : words(3 + 2 * rank, 0) {}
  static int64_t size(int64_t rank) { return 3 + 2 * rank; }
};

/// Parses and runs `pipeline` (anchored on builtin.module, e.g.
/// "builtin.module(potq-qat-to-shift-add)") on `module`, then lowers to LLVM.
LogicalResult runPipeline(ModuleOp module, StringRef pipeline) {
  PassManager pm(module.getContext());
  if (!pipeline.empty()) {
    std::string error;
    llvm::raw_string_ostream os(error);
    FailureOr<OpPassManager> parsed = parsePassPipeline(pipeline, os);
    if (failed(parsed))
      return module.emitError()
             << "invalid --pipeline '" << pipeline << "': " << error;
    if (parsed->getOpAnchorName() != ModuleOp::getOperationName())
      return module.emitError()
             << "--pipeline must be anchored on builtin.module, e.g. "
                "'builtin.module(potq-qat-to-shift-add)', got '"
             << pipeline << "'";
    static_cast<OpPassManager &>(pm) = std::move(*parsed);
  }
  potq::buildLowerToLLVMPipeline(pm);
  return pm.run(module);
}

} // namespace

namespace potq::jit {
FailureOr<SmallVector<Tensor>> runCompiled(ModuleOp module, StringRef entry,
                                           ArrayRef<Tensor> args,
                                           const JitOptions &options) {
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return module.emitError() << "no function named '" << entry << "'";
  FunctionType signature = func.getFunctionType();
  for (Type type :
       llvm::concat<const Type>(signature.getInputs(), signature.getResults()))
    if (!isa<RankedTensorType>(type))
      return func.emitError() << "compiled execution supports ranked tensor "
                                 "arguments and results only, got "
                              << type;
  if (args.size() != signature.getNumInputs())
    return func.emitError() << "expected " << signature.getNumInputs()
                            << " arguments, got " << args.size();

  OwningOpRef<ModuleOp> lowered = module.clone();
  if (failed(runPipeline(*lowered, options.pipeline)))
    return failure();
  // Constants are copied into LLVM IR and executable memory: refuse those
  // beyond potq/Limits.h (a splat may describe gigabytes).
  if (failed(potq::checkMaterializationLimits(*lowered)))
    return failure();

  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)initialized;
  MLIRContext *ctx = module.getContext();
  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  ctx->appendDialectRegistry(registry);

  // The engine options hold the transformer by function_ref: keep the
  // std::function alive in a named local for as long as the engine uses it.
  std::function<llvm::Error(llvm::Module *)> transformer =
      makeOptimizingTransformer(options.optLevel, /*sizeLevel=*/0, nullptr);
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  auto engine = ExecutionEngine::create(*lowered, engineOptions);
  if (!engine)
    return module.emitError()
           << "JIT compilation failed: " << llvm::toString(engine.takeError());
  // Runtime kernels called by code lowered with kernels=runtime.
  (*engine)->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    symbols[interner("_mlir_ciface_potq_rt_matmul_i8")] = {
        llvm::orc::ExecutorAddr::fromPtr(&_mlir_ciface_potq_rt_matmul_i8),
        llvm::JITSymbolFlags::Exported};
    symbols[interner("_mlir_ciface_potq_rt_conv2d_nhwc_i8")] = {
        llvm::orc::ExecutorAddr::fromPtr(&_mlir_ciface_potq_rt_conv2d_nhwc_i8),
        llvm::JITSymbolFlags::Exported};
    return symbols;
  });

  // Inputs: native buffers and descriptors.
  SmallVector<std::vector<char>> buffers;
  SmallVector<Descriptor> inputs;
  for (auto [arg, type] : llvm::zip(args, signature.getInputs())) {
    auto tensorType = cast<RankedTensorType>(type);
    NativeElement element = nativeElement(tensorType.getElementType());
    std::vector<char> &buffer = buffers.emplace_back(
        std::max<int64_t>(1, arg.getNumElements()) * element.bytes);
    for (int64_t i = 0; i < arg.getNumElements(); ++i)
      storeElement(arg, i, element, buffer.data() + i * element.bytes);
    Descriptor &d = inputs.emplace_back(arg.getRank());
    d.words[0] = d.words[1] =
        int64_t(reinterpret_cast<intptr_t>(buffer.data()));
    SmallVector<int64_t, 4> strides = arg.getStrides();
    for (int64_t r = 0; r < arg.getRank(); ++r) {
      d.words[3 + r] = arg.getShape()[r];
      d.words[3 + arg.getRank() + r] = strides[r];
    }
  }

  // Results: one struct of descriptors, written by the callee.
  SmallVector<int64_t> resultOffsets;
  int64_t resultWords = 0;
  for (Type type : signature.getResults()) {
    resultOffsets.push_back(resultWords);
    resultWords += Descriptor::size(cast<RankedTensorType>(type).getRank());
  }
  SmallVector<int64_t> resultStruct(std::max<int64_t>(1, resultWords), 0);

  SmallVector<void *> inputPointers;
  for (Descriptor &d : inputs)
    inputPointers.push_back(d.words.data());
  SmallVector<void *> packed;
  void *resultPointer = resultStruct.data();
  bool hasResults = signature.getNumResults() > 0;
  if (hasResults)
    packed.push_back(&resultPointer);
  for (void *&p : inputPointers)
    packed.push_back(&p);
  // A single result is returned directly as a descriptor; several as a
  // struct of descriptors: both through the leading result pointer.
  if (llvm::Error error =
          (*engine)->invokePacked(("_mlir_ciface_" + entry).str(), packed))
    return module.emitError()
           << "JIT invocation failed: " << llvm::toString(std::move(error));

  SmallVector<Tensor> results;
  for (auto [index, type] : llvm::enumerate(signature.getResults())) {
    auto tensorType = cast<RankedTensorType>(type);
    int64_t rank = tensorType.getRank();
    const int64_t *d = resultStruct.data() + resultOffsets[index];
    SmallVector<int64_t> shape(d + 3, d + 3 + rank);
    ArrayRef<int64_t> strides(d + 3 + rank, rank);
    NativeElement element = nativeElement(tensorType.getElementType());
    Tensor &result = results.emplace_back(tensorType.getElementType(), shape);
    const char *base =
        reinterpret_cast<const char *>(intptr_t(d[1])) + d[2] * element.bytes;
    for (int64_t i = 0; i < result.getNumElements(); ++i) {
      int64_t offset = 0, rest = i;
      for (int64_t r = rank - 1; r >= 0; --r) {
        offset += (rest % shape[r]) * strides[r];
        rest /= shape[r];
      }
      loadElement(result, i, element, base + offset * element.bytes);
    }
  }
  // potq-lower-to-llvm makes returned buffers caller-owned (malloc'd by the
  // compiled code): free each once. Constants (allocated = 0xdeadbeef) and
  // our own input buffers are never freed, should a result still alias one.
  llvm::SmallPtrSet<void *, 8> freed;
  for (auto &buffer : buffers)
    freed.insert(buffer.data());
  freed.insert(reinterpret_cast<void *>(intptr_t(0xdeadbeef)));
  for (int64_t offset : resultOffsets) {
    void *allocated = reinterpret_cast<void *>(intptr_t(resultStruct[offset]));
    if (allocated && freed.insert(allocated).second)
      free(allocated);
  }
  return results;
}
} // namespace potq::jit
