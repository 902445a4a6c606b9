//===- VerifyAccumulators.cpp - Prove i32 accumulators (SPEC 6) -----------===//

#include "potq/Dialect/Potq/IR/ChannelIndexer.h"
#include "potq/Dialect/Potq/IR/PotqOps.h"
#include "potq/Dialect/Potq/Transforms/Passes.h"
#include "potq/Limits.h"

#include "mlir/IR/Matchers.h"

#include <cmath>
#include <limits>
#include <string>

namespace potq {
#define GEN_PASS_DEF_POTQVERIFYACCUMULATORS
#include "potq/Dialect/Potq/Transforms/Passes.h.inc"
} // namespace potq

using namespace mlir;
using namespace potq;

namespace {

// Bounds are non-negative and saturate at INT64_MAX: a saturated bound is
// still an upper bound, far above every limit checked here, so overflow can
// never make the proof accept an accumulator that does not fit.
constexpr int64_t kSaturated = std::numeric_limits<int64_t>::max();
using ::potq::addSat;
using ::potq::mulSat;

/// Product of the static dimensions of `shape` except `skip`, saturating;
/// kDynamic if one of them is dynamic.
int64_t productOf(ArrayRef<int64_t> shape, int64_t skip = -1) {
  int64_t product = 1;
  for (auto [d, size] : llvm::enumerate(shape)) {
    if (int64_t(d) == skip)
      continue;
    if (ShapedType::isDynamic(size))
      return ShapedType::kDynamic;
    product = mulSat(product, size);
  }
  return product;
}

/// A bound for printing: saturated bounds only say "at least 2^63".
std::string format(int64_t bound) {
  return bound == kSaturated ? "2^63 or more" : std::to_string(bound);
}

LogicalResult verifyAccumulator(ContractionOpInterface op, bool widen) {
  if (op.hasI64Accumulator())
    return success(); // an i64 accumulator is asked for
  QuantizedType in = op.getInputQuantizedType();
  const auto &inLevels = in.getLevelSet();
  int64_t maxInput = std::max(std::abs(inLevels.min() - in.getZeroPoint()),
                              std::abs(inLevels.max() - in.getZeroPoint()));
  auto weightType = cast<RankedTensorType>(op.getWeight().getType());
  QuantizedType w = op.getWeightQuantizedType();
  int64_t channelAxis = op.getWeightChannelAxis();
  int64_t channels = weightType.getDimSize(channelAxis);

  // Σ|W| per output channel: exact for non-splat constant weights (batches
  // summed together, which only over-approximates); for a splat, |level|
  // times the elements of one channel; else K * max|level|. The last two
  // are the same for every channel: one entry stands for all of them.
  SmallVector<int64_t> weightSums;
  auto weight = op.getWeight().getDefiningOp<ConstantOp>();
  std::optional<int64_t> splat = weight ? weight.getSplatLevel() : std::nullopt;
  if (weight && !splat) {
    // The attribute holds every element, so this is at most 8x its size;
    // still checked, as the weight may be a byte per element.
    if (!::potq::fitsMaterializationLimit(channels, sizeof(int64_t)))
      return emitOverLimitError(op, "the per-channel weight sums", channels,
                                sizeof(int64_t));
    weightSums.assign(channels, 0);
    ChannelIndexer indexer(weightType.getShape(), channelAxis);
    int64_t linear = 0;
    for (int64_t level : weight.getLevels()) {
      int64_t &sum = weightSums[indexer.channel(linear++)];
      sum = addSat(sum, std::abs(level));
    }
  } else if (weight) {
    int64_t perChannel = productOf(weightType.getShape(), channelAxis);
    if (ShapedType::isDynamic(perChannel))
      perChannel = kSaturated; // constants are static; stay sound anyway
    weightSums.push_back(mulSat(std::abs(*splat), perChannel));
  } else {
    int64_t k = op.getReductionSize();
    if (ShapedType::isDynamic(k))
      return op.emitOpError(
          "cannot bound the accumulator: the reduction size is dynamic and "
          "the weight is not a constant");
    const auto &levels = w.getLevelSet();
    int64_t maxWeight =
        std::max(std::abs(levels.min()), std::abs(levels.max()));
    weightSums.push_back(mulSat(k, maxWeight));
  }
  bool uniform = weightSums.size() == 1;

  DenseIntElementsAttr biasAttr;
  if (Value bias = op.getBias())
    if (!matchPattern(bias, m_Constant(&biasAttr)))
      return op.emitOpError(
          "cannot bound the accumulator: the bias is not a constant");

  // A residual adds up to max|R - Zr| * sr / (sx * sw[c]) (rounded up).
  double maxResidual = 0, residualScale = 0;
  if (Value residual = op.getResidual()) {
    QuantizedType r = getQuantizedElementType(residual.getType());
    const auto &rLevels = r.getLevelSet();
    maxResidual = double(std::max(std::abs(rLevels.min() - r.getZeroPoint()),
                                  std::abs(rLevels.max() - r.getZeroPoint())));
    residualScale = double(r.getScale());
  }
  // |bias[c]| plus the residual's largest value in accumulator units.
  auto extraAt = [&](int64_t c) {
    int64_t extra = 0;
    if (biasAttr) {
      if (biasAttr.isSplat())
        extra = std::abs(biasAttr.getSplatValue<APInt>().getSExtValue());
      else if (c < biasAttr.getNumElements())
        extra = std::abs(biasAttr.getValues<APInt>()[c].getSExtValue());
    }
    if (maxResidual != 0) {
      double accScale = double(in.getScale()) * double(w.getScaleFor(c));
      double term = std::ceil(maxResidual * residualScale / accScale);
      extra = addSat(extra, term < 9e18 ? int64_t(term) : kSaturated);
    }
    return extra;
  };

  // Channels to look at: every channel for per-channel sums; with uniform
  // sums only those whose bias or scale differs (never more than the IR
  // holds, however large the weight).
  int64_t numScales = int64_t(w.getScales().size());
  int64_t count =
      uniform ? std::max<int64_t>(1, numScales) : int64_t(weightSums.size());
  if (uniform && biasAttr && !biasAttr.isSplat())
    count = std::max(count, biasAttr.getNumElements());

  const int64_t limit = int64_t(1) << 31;
  // The channel with the largest bound is the one reported.
  int64_t largest = 0, worstSum = 0, worstExtra = 0;
  int64_t worst = 0;
  for (int64_t c = 0; c < count; ++c) {
    int64_t sum = weightSums[uniform ? 0 : c];
    int64_t extra = extraAt(c);
    int64_t bound = addSat(mulSat(maxInput, sum), extra);
    if (bound > largest || c == 0) {
      largest = bound;
      worst = c;
      worstSum = sum;
      worstExtra = extra;
    }
  }
  if (largest < limit)
    return success();
  bool quantized = bool(op.getResultQuantizedType());
  if (widen && quantized && largest < (int64_t(1) << 62)) {
    op.setWideAccumulator(true);
    return success();
  }
  return op.emitOpError()
         << "accumulator may overflow i32: output channel " << worst
         << " can reach " << format(largest) << " (max |x - Zx| = " << maxInput
         << " times Σ|W| = " << format(worstSum)
         << ", plus |bias| and residual = " << format(worstExtra)
         << "); use fewer input bits or smaller weights, return the raw i64 "
            "accumulator, or run with widen-i64 for a quantized result";
}

struct PotqVerifyAccumulatorsPass
    : potq::impl::PotqVerifyAccumulatorsBase<PotqVerifyAccumulatorsPass> {
  using Base::Base;
  void runOnOperation() override {
    // Report every offending op, not only the first.
    bool ok = true;
    getOperation()->walk([&](ContractionOpInterface op) {
      ok &= succeeded(verifyAccumulator(op, widenI64));
    });
    if (!ok)
      signalPassFailure();
  }
};

} // namespace
