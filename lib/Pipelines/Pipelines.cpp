//===- Pipelines.cpp - potq's end-to-end pass pipelines -------------------===//

#include "potq/Pipelines/Pipelines.h"

#include "potq/Conversion/Passes.h"
#include "potq/Dialect/Potq/IR/PotqTypes.h"
#include "potq/Dialect/Potq/Transforms/Passes.h"
#include "potq/Dialect/Qat/Transforms/Passes.h"
#include "potq/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace {
/// Fails on every op that defines a !potq.q type: a result, a block argument
/// or an attribute (the signature of a declaration). The upstream lowerings
/// leave such types alone, and their IR does not parse again.
struct CheckNoPotqTypesPass
    : PassWrapper<CheckNoPotqTypesPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CheckNoPotqTypesPass)
  StringRef getArgument() const final { return "potq-check-no-potq-types"; }
  void runOnOperation() override {
    bool ok = true;
    getOperation().walk([&](Operation *op) {
      Type offending;
      auto check = [&](Type type) {
        if (!offending && type.walk([](potq::QuantizedType) {
                                return WalkResult::interrupt();
                              })
                              .wasInterrupted())
          offending = type;
      };
      op->getAttrDictionary().walk([&](Attribute attr) {
        if (auto typeAttr = dyn_cast<TypeAttr>(attr))
          check(typeAttr.getValue());
        else if (auto typed = dyn_cast<TypedAttr>(attr))
          check(typed.getType());
      });
      for (Type type : op->getResultTypes())
        check(type);
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments())
            check(arg.getType());
      if (!offending)
        return;
      op->emitError() << "type " << offending
                      << " has !potq.q elements, which potq-lower-to-llvm "
                         "cannot lower (run convert-potq-to-linalg first)";
      ok = false;
    });
    if (!ok)
      signalPassFailure();
  }
};
} // namespace

void potq::buildQatToShiftAddPipeline(OpPassManager &pm,
                                      const QatToShiftAddOptions &options) {
  ConvertQatToPotqOptions freeze;
  freeze.weightScales = options.weightScales;
  freeze.potScales = options.potScales;
  // Exporter spellings of a layer -> one form (docs/QatInputForm.md), while
  // fake-quantized weights can still be transposed as float constants. Not
  // for fuse=false, the float reference: moving a bias out of an init
  // changes the float summation order.
  if (options.fuse)
    pm.addPass(createQatNormalizeGraph());
  pm.addPass(createConvertQatToPotq(freeze));
  // Fuse before canonicalizing: canonicalization folds the dequantized
  // constant weights into float constants, which the fusion cannot use.
  if (options.fuse) {
    PotqFuseContractionsOptions fusion;
    fusion.requireInteger = options.requireInteger;
    pm.addPass(createPotqFuseContractions(fusion));
  }
  pm.addPass(createCanonicalizerPass());
  if (options.recode != RecodeMode::None) {
    PotqRecodeWeightsOptions recode;
    recode.mode = options.recode;
    recode.terms = options.nhotTerms;
    recode.maxExp = options.nhotMaxExp;
    recode.granularity = options.nhotGranularity;
    recode.maxError = options.nhotMaxError;
    recode.termBudget = options.nhotTermBudget;
    recode.reportFile = options.recodeReport;
    pm.addPass(createPotqRecodeWeights(recode));
  }
  if (options.fuse) {
    PotqVerifyAccumulatorsOptions verify;
    verify.widenI64 = options.widenI64;
    pm.addPass(createPotqVerifyAccumulators(verify));
  }
  if (!options.costReport.empty()) {
    PotqCostReportOptions report;
    report.outputFile = options.costReport;
    pm.addPass(createPotqCostReport(report));
  }
  if (!options.lower)
    return;
  ConvertPotqToLinalgOptions lowering;
  lowering.kernels = options.kernels;
  lowering.strategy = options.strategy;
  lowering.isa = options.isa;
  lowering.threads = options.threads;
  lowering.reportKernels = options.reportKernels;
  pm.addPass(createConvertPotqToLinalg(lowering));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void potq::buildLowerToLLVMPipeline(OpPassManager &pm) {
  pm.addPass(std::make_unique<CheckNoPotqTypesPass>());
  // The C ABI (potq-prepare-c-abi): public functions get a C interface
  // wrapper, and their tensor arguments are read-only for bufferization.
  pm.addPass(createPotqPrepareCAbi());
  // Elementwise arith/math ops on whole tensors are not bufferizable as
  // such: turn them into linalg.generic first.
  pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addPass(bufferization::createBufferResultsToOutParamsPass());
  // Free every intermediate buffer. Public functions keep returning their
  // results, which the deallocation pipeline makes caller-owned (copied when
  // they would alias an argument or a constant): callers free them.
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass()); // clones -> copies
  // Copies that would call MLIR's runtime (memrefCopy) become loops.
  pm.addPass(createPotqExpandStridedCopies());
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

LogicalResult potq::parseModulePipeline(ModuleOp module, StringRef pipeline,
                                        StringRef pipelineName,
                                        OpPassManager &pm) {
  if (pipeline.empty())
    return success();
  std::string error;
  llvm::raw_string_ostream os(error);
  FailureOr<OpPassManager> parsed = parsePassPipeline(pipeline, os);
  if (failed(parsed))
    return module.emitError()
           << "invalid " << pipelineName << " '" << pipeline << "': " << error;
  if (parsed->getOpAnchorName() != ModuleOp::getOperationName())
    return module.emitError()
           << pipelineName
           << " must be anchored on builtin.module, e.g. "
              "'builtin.module(potq-qat-to-shift-add)', got '"
           << pipeline << "'";
  pm = std::move(*parsed);
  return success();
}

/// Registers the pipeline `name` like PassPipelineRegistration, except that
/// nesting it under anything but builtin.module (e.g.
/// "builtin.module(func.func(NAME))") is a parse error: its passes run on
/// the module, and adding them to a func.func pass manager is a fatal error
/// in MLIR.
template <typename Options>
static void registerModulePipeline(
    StringRef name, StringRef description,
    std::function<void(OpPassManager &, const Options &)> builder) {
  registerPassPipeline(
      name, description,
      [name = name.str(), builder](
          OpPassManager &pm, StringRef optionsStr,
          function_ref<LogicalResult(const Twine &)> errorHandler) {
        std::optional<StringRef> opName = pm.getOpName();
        if (opName && *opName != ModuleOp::getOperationName())
          return errorHandler("pipeline '" + name +
                              "' runs on 'builtin.module' and cannot be "
                              "nested under '" +
                              *opName + "'");
        Options options;
        if (failed(options.parseFromString(optionsStr)))
          return failure();
        builder(pm, options);
        return success();
      },
      [](function_ref<void(const detail::PassOptions &)> optHandler) {
        optHandler(Options());
      });
}

void potq::registerPotqPipelines() {
  registerModulePipeline<QatToShiftAddOptions>(
      "potq-qat-to-shift-add",
      "Lower a QAT graph (qat.fake_quant + linalg) to integer shift-add IR",
      buildQatToShiftAddPipeline);
  registerModulePipeline<EmptyPipelineOptions>(
      "potq-lower-to-llvm",
      "Lower potq's integer tensor IR to the LLVM dialect",
      [](OpPassManager &pm, const EmptyPipelineOptions &) {
        buildLowerToLLVMPipeline(pm);
      });
}
