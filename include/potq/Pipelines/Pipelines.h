//===- Pipelines.h - potq's end-to-end pass pipelines -----------*- C++ -*-===//
//
// Named pipelines, available in potq-opt by flag and to embedding compilers
// through these builders:
//   potq-qat-to-shift-add  QAT graph -> integer shift-add linalg on tensors
//   potq-lower-to-llvm     tensor IR -> LLVM dialect (upstream lowering)
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_PIPELINES_PIPELINES_H
#define POTQ_PIPELINES_PIPELINES_H

#include "potq/Conversion/PotqToLinalg/PotqToLinalg.h"
#include "potq/Conversion/QatToPotq/QatToPotq.h"
#include "potq/Dialect/Potq/Transforms/PassEnums.h"
#include "potq/Support/LLVM.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace potq {

struct QatToShiftAddOptions
    : public mlir::PassPipelineOptions<QatToShiftAddOptions> {
  Option<WeightScales> weightScales{
      *this, "weight-scales",
      llvm::cl::desc("Scales of constant weights: trained, max or msqe"),
      llvm::cl::init(WeightScales::Trained), weightScalesValues()};
  Option<bool> potScales{*this, "pot-scales",
                         llvm::cl::desc("Restrict chosen weight scales to "
                                        "powers of two"),
                         llvm::cl::init(false)};
  Option<bool> widenI64{*this, "widen-i64",
                        llvm::cl::desc("Accumulate in i64 where the i32 bound "
                                       "cannot be proven (see "
                                       "potq-verify-accumulators)"),
                        llvm::cl::init(false)};
  Option<bool> requireInteger{
      *this, "require-integer",
      llvm::cl::desc("Fail on every contraction (or requantization) left in "
                     "float instead of reporting it as a remark (see "
                     "potq-fuse-contractions)"),
      llvm::cl::init(false)};
  Option<bool> fuse{*this, "fuse",
                    llvm::cl::desc("Fuse float layers into integer potq "
                                   "contractions (off: the float QAT graph, "
                                   "fake quantization lowered exactly)"),
                    llvm::cl::init(true)};
  // Bit-level sparsity (potq-recode-weights, docs/BitSparsity.md).
  Option<RecodeMode> recode{
      *this, "recode",
      llvm::cl::desc("Weight recoding after fusion: none, exact (CSD, values "
                     "unchanged) or nhot (budgeted)"),
      llvm::cl::init(RecodeMode::None), recodeModeValues(/*withNone=*/true)};
  Option<unsigned> nhotTerms{*this, "nhot-terms",
                             llvm::cl::desc("recode=nhot: terms per weight"),
                             llvm::cl::init(0)};
  Option<int> nhotMaxExp{*this, "nhot-max-exp",
                         llvm::cl::desc("recode=nhot: exponent window, -1 "
                                        "from the data"),
                         llvm::cl::init(-1)};
  Option<NHotGranularity> nhotGranularity{
      *this, "nhot-granularity",
      llvm::cl::desc("recode=nhot: scales per layer or per channel"),
      llvm::cl::init(NHotGranularity::Layer), nhotGranularityValues()};
  Option<double> nhotMaxError{
      *this, "nhot-max-error",
      llvm::cl::desc("recode=nhot: per-layer relative RMS error target"),
      llvm::cl::init(0.0)};
  Option<int64_t> nhotTermBudget{
      *this, "nhot-term-budget",
      llvm::cl::desc("recode=nhot: total nonzero terms allowed"),
      llvm::cl::init(0)};
  Option<std::string> recodeReport{
      *this, "recode-report",
      llvm::cl::desc("Where potq-recode-weights prints its per-layer report "
                     "('-' is stdout, empty for none)"),
      llvm::cl::init("")};
  Option<std::string> costReport{
      *this, "cost-report",
      llvm::cl::desc("Print potq-cost-report (text) to this file before "
                     "lowering ('-' is stdout, empty for none)"),
      llvm::cl::init("")};
  Option<bool> lower{*this, "lower",
                     llvm::cl::desc("Lower potq ops to linalg (off: stop at "
                                    "verified potq contractions)"),
                     llvm::cl::init(true)};
  // Contraction kernels (convert-potq-to-linalg, docs/Runtime.md).
  Option<ContractionKernels> kernels{
      *this, "kernels",
      llvm::cl::desc("Contraction accumulation: loops (shift-add generics) "
                     "or runtime (calls into PotqRuntime where eligible)"),
      llvm::cl::init(ContractionKernels::Loops), contractionKernelsValues()};
  Option<KernelStrategy> strategy{
      *this, "strategy",
      llvm::cl::desc("kernels=runtime: auto, dot or shift-add"),
      llvm::cl::init(KernelStrategy::Auto), kernelStrategyValues()};
  Option<KernelIsa> isa{
      *this, "isa",
      llvm::cl::desc("kernels=runtime: auto, scalar, avx2, avxvnni, avx512 or "
                     "neon"),
      llvm::cl::init(KernelIsa::Auto), kernelIsaValues()};
  Option<int> threads{*this, "threads",
                      llvm::cl::desc("kernels=runtime: threads per call (0: "
                                     "POTQ_NUM_THREADS or all cores)"),
                      llvm::cl::init(0)};
  Option<bool> reportKernels{
      *this, "report-kernels",
      llvm::cl::desc("Remark, per contraction, whether it calls the runtime "
                     "or why it keeps the loops"),
      llvm::cl::init(false)};
};

/// QAT graph (qat.fake_quant + linalg) -> integer shift-add IR on tensors:
/// freeze, fold weights, fuse layers, optionally recode weights for bit
/// sparsity, prove i32 accumulators, optionally report costs, lower potq.
void buildQatToShiftAddPipeline(mlir::OpPassManager &pm,
                                const QatToShiftAddOptions &options);

/// Tensor IR (linalg/arith/math/tensor, no potq ops) -> LLVM dialect:
/// elementwise tensor ops to linalg, one-shot bufferization (public
/// functions keep returning their results, which callers own and free),
/// buffer deallocation, loops, and the upstream conversions to LLVM. Every
/// function gets a C interface (`_mlir_ciface_<name>`), which potq-run and
/// the generated C header call.
void buildLowerToLLVMPipeline(mlir::OpPassManager &pm);

/// Parses `pipeline`, pass pipeline text anchored on builtin.module as
/// `potq-opt --pass-pipeline` takes it (e.g.
/// "builtin.module(potq-qat-to-shift-add)"), into `pm`, replacing its
/// passes; empty text leaves `pm` as it is. Errors name the text
/// `pipelineName` (a tool names its flag) and are emitted on `module`.
/// potq-run --jit and the Python package's potq.compile read pipelines so.
mlir::LogicalResult parseModulePipeline(mlir::ModuleOp module,
                                        llvm::StringRef pipeline,
                                        llvm::StringRef pipelineName,
                                        mlir::OpPassManager &pm);

/// Registers both pipelines by name.
void registerPotqPipelines();

} // namespace potq

#endif // POTQ_PIPELINES_PIPELINES_H
