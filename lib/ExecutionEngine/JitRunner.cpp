//===- JitRunner.cpp - Compile a function to native code and run it -------===//
//
// Calling convention: the C ABI of potq-prepare-c-abi (run first by
// potq-lower-to-llvm): every public function gets a C interface wrapper
// `_mlir_ciface_<name>(results*, memref descriptors*...)`, the descriptors
// being upstream's StridedMemRefType (CRunnerUtils.h). Tensor arguments
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
#include "mlir/ExecutionEngine/CRunnerUtils.h"
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

#include <cstddef>
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

/// A ranked memref descriptor of a rank known only at run time, laid out as
/// upstream's StridedMemRefType<T, rank> (mlir/ExecutionEngine/
/// CRunnerUtils.h): the rank-0 descriptor {allocated, aligned, offset}, then
/// sizes[rank] and strides[rank].
class Descriptor {
public:
  using Header = ::StridedMemRefType<char, 0>;
  using Rank2 = ::StridedMemRefType<char, 2>;
  static_assert(offsetof(Rank2, sizes) == sizeof(Header) &&
                    sizeof(Rank2) == sizeof(Header) + 4 * sizeof(int64_t),
                "a ranked descriptor is the rank-0 one, sizes and strides");

  /// The size in bytes of a rank-`rank` descriptor.
  static size_t bytes(int64_t rank) {
    return sizeof(Header) + 2 * size_t(rank) * sizeof(int64_t);
  }

  /// A descriptor of the contiguous `data` with `shape` and `strides`.
  Descriptor(char *data, ArrayRef<int64_t> shape, ArrayRef<int64_t> strides)
      : storage(bytes(shape.size()) / sizeof(int64_t), 0) {
    Header &header = *reinterpret_cast<Header *>(storage.data());
    header.basePtr = header.data = data;
    header.offset = 0;
    int64_t *sizes = storage.data() + sizeof(Header) / sizeof(int64_t);
    llvm::copy(shape, sizes);
    llvm::copy(strides, sizes + shape.size());
  }

  void *get() { return storage.data(); }

  /// The descriptor of rank `rank` at `address`, as the MLIR runtime reads
  /// an unranked memref.
  static ::DynamicMemRefType<char> view(void *address, int64_t rank) {
    return ::DynamicMemRefType<char>(::UnrankedMemRefType<char>{rank, address});
  }

private:
  std::vector<int64_t> storage; // 8-byte aligned, as the fields
};

/// Runs `pipeline` (anchored on builtin.module, e.g.
/// "builtin.module(potq-qat-to-shift-add)") on `module`, then lowers to LLVM.
LogicalResult runPipeline(ModuleOp module, StringRef pipeline,
                          StringRef pipelineName) {
  PassManager pm(module.getContext());
  if (failed(potq::parseModulePipeline(module, pipeline, pipelineName, pm)))
    return failure();
  potq::buildLowerToLLVMPipeline(pm);
  return pm.run(module);
}

} // namespace

namespace potq::jit {
CompiledFunction::CompiledFunction(std::unique_ptr<ExecutionEngine> engine,
                                   FunctionType signature, Location loc,
                                   std::string entry)
    : engine(std::move(engine)), signature(signature), loc(loc),
      entry(std::move(entry)) {}

CompiledFunction::~CompiledFunction() = default;

FailureOr<std::unique_ptr<CompiledFunction>>
CompiledFunction::create(ModuleOp module, StringRef entry,
                         const JitOptions &options) {
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return module.emitError() << "no function named '" << entry << "'";
  // Only public functions get a C interface (potq-prepare-c-abi).
  if (!func.isPublic())
    return func.emitError() << "compiled execution calls public functions "
                               "only, but '"
                            << entry << "' is private";
  FunctionType signature = func.getFunctionType();
  for (Type type :
       llvm::concat<const Type>(signature.getInputs(), signature.getResults()))
    if (!isa<RankedTensorType>(type))
      return func.emitError() << "compiled execution supports ranked tensor "
                                 "arguments and results only, got "
                              << type;
  OwningOpRef<ModuleOp> lowered = module.clone();
  if (failed(runPipeline(*lowered, options.pipeline, options.pipelineName)))
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
    potq::runtime::registerRuntimeSymbols([&](const char *symbol,
                                              void *address) {
      symbols[interner(symbol)] = {llvm::orc::ExecutorAddr::fromPtr(address),
                                   llvm::JITSymbolFlags::Exported};
    });
    return symbols;
  });
  return std::unique_ptr<CompiledFunction>(new CompiledFunction(
      std::move(*engine), signature, func.getLoc(), entry.str()));
}

FailureOr<SmallVector<Tensor>>
CompiledFunction::call(ArrayRef<Tensor> args) const {
  if (args.size() != signature.getNumInputs())
    return emitError(loc) << "expected " << signature.getNumInputs()
                          << " arguments, got " << args.size();

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
    inputs.emplace_back(buffer.data(), arg.getShape(), arg.getStrides());
  }

  // Results: one struct of descriptors, written by the callee.
  SmallVector<size_t> resultOffsets; // in bytes
  size_t resultBytes = 0;
  for (Type type : signature.getResults()) {
    resultOffsets.push_back(resultBytes);
    resultBytes += Descriptor::bytes(cast<RankedTensorType>(type).getRank());
  }
  std::vector<int64_t> resultStruct(
      std::max<size_t>(1, resultBytes / sizeof(int64_t)), 0);
  auto resultAt = [&](size_t index) -> void * {
    return reinterpret_cast<char *>(resultStruct.data()) + resultOffsets[index];
  };

  SmallVector<void *> inputPointers;
  for (Descriptor &d : inputs)
    inputPointers.push_back(d.get());
  SmallVector<void *> packed;
  void *resultPointer = resultStruct.data();
  bool hasResults = signature.getNumResults() > 0;
  if (hasResults)
    packed.push_back(&resultPointer);
  for (void *&p : inputPointers)
    packed.push_back(&p);
  // A single result is returned directly as a descriptor; several as a
  // struct of descriptors: both through the leading result pointer.
  if (llvm::Error error = engine->invokePacked("_mlir_ciface_" + entry, packed))
    return emitError(loc) << "JIT invocation failed: "
                          << llvm::toString(std::move(error));

  SmallVector<Tensor> results;
  for (auto [index, type] : llvm::enumerate(signature.getResults())) {
    auto tensorType = cast<RankedTensorType>(type);
    int64_t rank = tensorType.getRank();
    ::DynamicMemRefType<char> d = Descriptor::view(resultAt(index), rank);
    SmallVector<int64_t> shape(d.sizes, d.sizes + rank);
    ArrayRef<int64_t> strides(d.strides, rank);
    NativeElement element = nativeElement(tensorType.getElementType());
    Tensor &result = results.emplace_back(tensorType.getElementType(), shape);
    const char *base = d.data + d.offset * element.bytes;
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
  for (auto [index, type] : llvm::enumerate(signature.getResults())) {
    void *allocated = Descriptor::view(resultAt(index),
                                       cast<RankedTensorType>(type).getRank())
                          .basePtr;
    if (allocated && freed.insert(allocated).second)
      free(allocated);
  }
  return results;
}

FailureOr<SmallVector<Tensor>> runCompiled(ModuleOp module, StringRef entry,
                                           ArrayRef<Tensor> args,
                                           const JitOptions &options) {
  FailureOr<std::unique_ptr<CompiledFunction>> compiled =
      CompiledFunction::create(module, entry, options);
  if (failed(compiled))
    return failure();
  return (*compiled)->call(args);
}
} // namespace potq::jit
