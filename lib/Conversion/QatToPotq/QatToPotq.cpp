//===- QatToPotq.cpp - Freeze qat.fake_quant into potq ops ----------------===//
//
// qat.fake_quant(const w, s) -> potq.dequantize(potq.constant(P(w)))
// qat.fake_quant(x, s)       -> potq.dequantize(potq.quantize(x))
//
//===----------------------------------------------------------------------===//

#include "potq/Conversion/Passes.h"
#include "potq/Dialect/Potq/IR/ChannelIndexer.h"
#include "potq/Dialect/Potq/IR/PotqOps.h"
#include "potq/Dialect/Qat/IR/QatOps.h"
#include "potq/Limits.h"
#include "potq/Numerics/Projection.h"
#include "potq/Numerics/ScaleSelection.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

namespace potq {
#define GEN_PASS_DEF_CONVERTQATTOPOTQ
#include "potq/Conversion/Passes.h.inc"
} // namespace potq

using namespace mlir;
using namespace potq;
namespace numerics = ::potq::numerics;

namespace {

/// The float values of a constant tensor, converted to binary32.
SmallVector<float> toFloats(DenseFPElementsAttr attr) {
  SmallVector<float> values;
  values.reserve(attr.getNumElements());
  for (const APFloat &v : attr.getValues<APFloat>())
    values.push_back(toBinary32(v));
  return values;
}

/// The trained scales of `op`, or a diagnostic.
FailureOr<SmallVector<float>> trainedScales(qat::FakeQuantOp op) {
  DenseFPElementsAttr attr;
  if (!matchPattern(op.getScale(), m_Constant(&attr)))
    return op.emitOpError("cannot be frozen: its scale is not a constant");
  if (!::potq::fitsMaterializationLimit(attr.getNumElements(), sizeof(float)))
    return emitOverLimitError(op, "the scales", attr.getNumElements(),
                              sizeof(float));
  SmallVector<float> scales = toFloats(attr);
  for (auto [i, s] : llvm::enumerate(scales))
    if (!(std::isfinite(s) && s > 0.0f))
      return op.emitOpError()
             << "cannot be frozen: scale[" << i << "] = " << double(s)
             << " is not positive and finite";
  return scales;
}

struct ConvertQatToPotqPass
    : potq::impl::ConvertQatToPotqBase<ConvertQatToPotqPass> {
  using Base::Base;

  void runOnOperation() override {
    std::optional<numerics::ScaleMethod> method;
    switch (weightScales) {
    case WeightScales::Trained:
      break;
    case WeightScales::Max:
      method = numerics::ScaleMethod::Max;
      break;
    case WeightScales::Msqe:
      method = numerics::ScaleMethod::Msqe;
      break;
    }
    if (potScales && !method) {
      emitError(
          getOperation().getLoc(),
          "convert-qat-to-potq: pot-scales needs weight-scales=max or msqe");
      return signalPassFailure();
    }

    SmallVector<qat::FakeQuantOp> ops;
    getOperation().walk([&](qat::FakeQuantOp op) { ops.push_back(op); });
    for (qat::FakeQuantOp op : ops)
      if (failed(freeze(op, method)))
        return signalPassFailure();
  }

  LogicalResult freeze(qat::FakeQuantOp op,
                       std::optional<numerics::ScaleMethod> method) {
    RankedTensorType type = op.getInput().getType();
    DenseFPElementsAttr weights;
    bool isWeight = matchPattern(op.getInput(), m_Constant(&weights));
    // Projecting here expands the weight (potq/Limits.h). Beyond the limit a
    // potq.quantize is left instead, whose folder keeps a splat a splat.
    int64_t count = isWeight ? weights.getNumElements() : 0;
    if (isWeight && !::potq::fitsMaterializationLimit(count, sizeof(APInt))) {
      if (method)
        return emitOverLimitError(op, "the weight to choose scales from", count,
                                  sizeof(APInt));
      isWeight = false;
    }
    SmallVector<float> scales;
    if (isWeight && method) {
      SmallVector<float> values = toFloats(weights);
      numerics::ScaleOptions options{*method, potScales};
      const numerics::LevelSet &levels = op.getEncoding().getLevelSet();
      if (std::optional<int64_t> axis = op.getAxis()) {
        std::vector<float> chosen = numerics::chooseScalesPerChannel(
            values.data(), std::vector<int64_t>(type.getShape()), *axis, levels,
            options);
        scales.assign(chosen.begin(), chosen.end());
      } else {
        scales.push_back(numerics::chooseScale(values.data(), values.size(),
                                               levels, options));
      }
    } else {
      FailureOr<SmallVector<float>> trained = trainedScales(op);
      if (failed(trained))
        return failure();
      scales = std::move(*trained);
    }

    auto expressed = cast<FloatType>(type.getElementType());
    QuantizedType qtype =
        op.getAxis() ? QuantizedType::get(op.getEncoding(), expressed,
                                          *op.getAxis(), scales)
                     : QuantizedType::get(op.getEncoding(), expressed,
                                          scales.front(), op.getZeroPoint());
    auto quantTensor = type.clone(qtype);
    OpBuilder b(op);
    Value levels;
    if (isWeight) {
      // Project here rather than leaving a quantize to the folder, so that
      // chosen scales and trained scales take the same path.
      const numerics::LevelSet &set = qtype.getLevelSet();
      ChannelIndexer indexer(type.getShape(), op.getAxis());
      SmallVector<int64_t> projected;
      int64_t linear = 0;
      for (float w : toFloats(weights)) {
        float s = qtype.getScaleFor(indexer.channel(linear++));
        projected.push_back(numerics::project(w, s, set, qtype.getZeroPoint()));
      }
      levels = ConstantOp::create(b, op.getLoc(), quantTensor, projected);
    } else {
      levels = QuantizeOp::create(b, op.getLoc(), quantTensor, op.getInput());
    }
    Value real = DequantizeOp::create(b, op.getLoc(), type, levels);
    op.replaceAllUsesWith(real);
    op.erase();
    return success();
  }
};

} // namespace
