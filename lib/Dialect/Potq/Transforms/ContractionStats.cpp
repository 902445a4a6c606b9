//===- ContractionStats.cpp - Count multiplies left in contractions -------===//

#include "EpilogueAnalysis.h"

#include "potq/Dialect/Potq/IR/PotqOps.h"
#include "potq/Dialect/Potq/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/ToolOutputFile.h"

namespace potq {
#define GEN_PASS_DEF_POTQCONTRACTIONSTATS
#include "potq/Dialect/Potq/Transforms/Passes.h.inc"
} // namespace potq

using namespace mlir;

namespace {
struct Counts {
  int64_t contractions = 0;
  int64_t inFloat = 0;
  int64_t multiplies = 0;

  void add(const Counts &other) {
    contractions += other.contractions;
    inFloat += other.inFloat;
    multiplies += other.multiplies;
  }
  void print(raw_ostream &os) const {
    os << contractions << " contractions, " << inFloat << " in float, "
       << multiplies << " multiplies in contraction bodies\n";
  }
};

/// Adds the contractions of `func` and their body multiplies to `counts`.
void countFunction(func::FuncOp func, Counts &counts) {
  func.walk([&](Operation *op) {
    if (isa<potq::ContractionOpInterface>(op)) {
      ++counts.contractions;
      ++counts.multiplies;
      return;
    }
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp || linalgOp.getNumReductionLoops() == 0)
      return;
    ++counts.contractions;
    if (potq::isFloatContraction(op))
      ++counts.inFloat;
    linalgOp.getBlock()->walk([&](Operation *inner) {
      if (isa<arith::MulIOp, arith::MulFOp>(inner))
        ++counts.multiplies;
    });
  });
}

struct PotqContractionStatsPass
    : potq::impl::PotqContractionStatsBase<PotqContractionStatsPass> {
  using Base::Base;
  void runOnOperation() override {
    std::string error;
    std::unique_ptr<llvm::ToolOutputFile> file =
        openOutputFile(outputFile, &error);
    if (!file) {
      emitError(getOperation().getLoc()) << "potq-contraction-stats: " << error;
      return signalPassFailure();
    }
    Counts total;
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue; // e.g. the runtime kernels' declarations
      Counts counts;
      countFunction(func, counts);
      file->os() << "potq-contraction-stats: @" << func.getSymName() << ": ";
      counts.print(file->os());
      total.add(counts);
    }
    file->os() << "potq-contraction-stats: total: ";
    total.print(file->os());
    file->keep();
    markAllAnalysesPreserved();
  }
};
} // namespace
