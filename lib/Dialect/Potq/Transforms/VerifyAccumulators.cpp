//===- VerifyAccumulators.cpp - Prove i32 accumulators (SPEC 6) -----------===//

#include "potq/Dialect/Potq/IR/ChannelIndexer.h"
#include "potq/Dialect/Potq/IR/PotqOps.h"
#include "potq/Dialect/Potq/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

namespace mlir::potq {
#define GEN_PASS_DEF_POTQVERIFYACCUMULATORS
#include "potq/Dialect/Potq/Transforms/Passes.h.inc"
} // namespace mlir::potq

using namespace mlir;
using namespace mlir::potq;

namespace {

/// Number of weight elements summed into one accumulator.
int64_t reductionSize(Operation *op, RankedTensorType weight) {
  ArrayRef<int64_t> w = weight.getShape();
  return TypeSwitch<Operation *, int64_t>(op)
      .Case([&](MatmulOp) { return w[0]; })
      .Case([&](BatchMatmulOp) { return w[1]; })
      .Case([&](Conv2DNhwcHwcfOp) { return w[0] * w[1] * w[2]; })
      .Case([&](Conv2DNchwFchwOp) { return w[1] * w[2] * w[3]; })
      .Case([&](DepthwiseConv2DNhwcHwcOp) { return w[0] * w[1]; })
      .Default([](Operation *) { return ShapedType::kDynamic; });
}

template <typename OpTy> LogicalResult verifyAccumulator(OpTy op, bool widen) {
  if (op.getResult().getType().getElementType().isInteger(64) ||
      op.getWideAccumulator())
    return success(); // an i64 accumulator is asked for
  QuantizedType in = getQuantizedElementType(op.getInput().getType());
  const auto &inLevels = in.getLevelSet();
  int64_t maxInput = std::max(std::abs(inLevels.min() - in.getZeroPoint()),
                              std::abs(inLevels.max() - in.getZeroPoint()));
  RankedTensorType weightType = op.getWeight().getType();
  int64_t channelAxis = op.getWeightChannelAxis();
  int64_t channels = weightType.getDimSize(channelAxis);

  // Σ|W| per output channel: exact for constant weights (batches summed
  // together, which only over-approximates), else K * max|level|.
  SmallVector<int64_t> weightSums;
  if (auto weight = op.getWeight().template getDefiningOp<ConstantOp>()) {
    QuantizedType w = getQuantizedElementType(weightType);
    weightSums.assign(channels, 0);
    ChannelIndexer indexer(weightType.getShape(), channelAxis);
    int64_t linear = 0;
    for (const APInt &raw : cast<DenseIntElementsAttr>(weight.getValue())
                                .template getValues<APInt>()) {
      int64_t level = w.isStorageSigned() ? raw.getSExtValue()
                                          : int64_t(raw.getZExtValue());
      weightSums[indexer.channel(linear++)] += std::abs(level);
    }
  } else {
    int64_t k = reductionSize(op, weightType);
    if (ShapedType::isDynamic(k))
      return op.emitOpError(
          "cannot bound the accumulator: the reduction size is dynamic and "
          "the weight is not a constant");
    const auto &levels = getQuantizedElementType(weightType).getLevelSet();
    int64_t maxWeight =
        std::max(std::abs(levels.min()), std::abs(levels.max()));
    weightSums.assign(ShapedType::isDynamic(channels) ? 1 : channels,
                      k * maxWeight);
  }

  SmallVector<int64_t> biasMagnitudes(weightSums.size(), 0);
  if (Value bias = op.getBias()) {
    DenseIntElementsAttr biasAttr;
    if (!matchPattern(bias, m_Constant(&biasAttr)))
      return op.emitOpError(
          "cannot bound the accumulator: the bias is not a constant");
    for (auto [c, value] : llvm::enumerate(biasAttr.getValues<APInt>()))
      if (c < biasMagnitudes.size())
        biasMagnitudes[c] = std::abs(value.getSExtValue());
  }

  // A residual adds up to max|R - Zr| * sr / (sx * sw[c]) (rounded up).
  if (Value residual = op.getResidual()) {
    QuantizedType r = getQuantizedElementType(residual.getType());
    QuantizedType w = getQuantizedElementType(weightType);
    const auto &rLevels = r.getLevelSet();
    double maxResidual =
        double(std::max(std::abs(rLevels.min() - r.getZeroPoint()),
                        std::abs(rLevels.max() - r.getZeroPoint())));
    for (size_t c = 0; c < biasMagnitudes.size(); ++c) {
      double accScale = double(in.getScale()) * double(w.getScaleFor(c));
      double term = std::ceil(maxResidual * double(r.getScale()) / accScale);
      biasMagnitudes[c] += term < 9e18 ? int64_t(term) : int64_t(1) << 62;
    }
  }

  const int64_t limit = int64_t(1) << 31;
  // The channel with the largest bound is the one reported.
  int64_t largest = 0;
  size_t worst = 0;
  for (size_t c = 0; c < weightSums.size(); ++c) {
    // Products stay far below 2^63: |x| < 2^16 and Σ|W| < 2^40 here.
    int64_t bound = maxInput * weightSums[c] + biasMagnitudes[c];
    if (bound > largest) {
      largest = bound;
      worst = c;
    }
  }
  if (largest < limit)
    return success();
  bool quantized = bool(getQuantizedElementType(op.getResult().getType()));
  if (widen && quantized && largest < (int64_t(1) << 62)) {
    op.setWideAccumulator(true);
    return success();
  }
  return op.emitOpError()
         << "accumulator may overflow i32: output channel " << worst
         << " can reach " << largest << " (max |x - Zx| = " << maxInput
         << " times Σ|W| = " << weightSums[worst]
         << ", plus |bias| and residual = " << biasMagnitudes[worst]
         << "); use fewer input bits or smaller weights, return the raw i64 "
            "accumulator, or run with widen-i64 for a quantized result";
}

struct PotqVerifyAccumulatorsPass
    : mlir::potq::impl::PotqVerifyAccumulatorsBase<PotqVerifyAccumulatorsPass> {
  using Base::Base;
  void runOnOperation() override {
    // Report every offending op, not only the first.
    bool ok = true;
    getOperation()->walk([&](Operation *op) {
      LogicalResult verdict =
          TypeSwitch<Operation *, LogicalResult>(op)
              .Case<MatmulOp, BatchMatmulOp, Conv2DNhwcHwcfOp, Conv2DNchwFchwOp,
                    DepthwiseConv2DNhwcHwcOp>([&](auto contraction) {
                return verifyAccumulator(contraction, widenI64);
              })
              .Default([](Operation *) { return success(); });
      ok &= succeeded(verdict);
    });
    if (!ok)
      signalPassFailure();
  }
};

} // namespace
