//===- FuseContractions.cpp - Float layers -> potq contractions -----------===//
//
// quantize([clamp]([bias-add](contraction(dequantize(x), dequantize(w)))))
//   -> potq.<contraction>(x, w) {bias levels, clamp bounds}
//
//===----------------------------------------------------------------------===//

#include "potq/Dialect/Potq/IR/ChannelIndexer.h"
#include "potq/Dialect/Potq/IR/PotqOps.h"
#include "potq/Dialect/Potq/Transforms/Passes.h"
#include "potq/Limits.h"
#include "potq/Numerics/FixedPoint.h"
#include "potq/Numerics/Projection.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <limits>

namespace potq {
#define GEN_PASS_DEF_POTQFUSECONTRACTIONS
#include "potq/Dialect/Potq/Transforms/Passes.h.inc"
} // namespace potq

using namespace mlir;
using namespace potq;
namespace numerics = ::potq::numerics;

namespace {

/// A float constant `value`, either a scalar or a splat tensor.
std::optional<float> floatConstant(Value value) {
  FloatAttr scalar;
  if (matchPattern(value, m_Constant(&scalar)))
    return float(scalar.getValueAsDouble());
  SplatElementsAttr splat;
  if (matchPattern(value, m_Constant(&splat)))
    if (auto f = dyn_cast<FloatAttr>(splat.getSplatValue<Attribute>()))
      return float(f.getValueAsDouble());
  return std::nullopt;
}

/// True if `generic` is elementwise over identically shaped operands: all
/// loops parallel and every map the identity.
bool isElementwise(linalg::GenericOp generic) {
  return generic.getNumLoops() == generic.getNumParallelLoops() &&
         llvm::all_of(generic.getIndexingMapsArray(),
                      [](AffineMap m) { return m.isIdentity(); });
}

/// Matches an elementwise clamp: yield min(max(x, lo), hi) with either
/// bound optional (ReLU is max(x, 0)). Returns the clamped input.
Value matchClamp(linalg::GenericOp generic, float &lo, float &hi) {
  if (generic.getNumDpsInputs() != 1 || !isElementwise(generic))
    return {};
  Block &body = generic.getRegion().front();
  Value current = body.getTerminator()->getOperand(0);
  Value input = body.getArgument(0);
  lo = -std::numeric_limits<float>::infinity();
  hi = std::numeric_limits<float>::infinity();
  // Peel min/max ops from the yielded value back to the block argument.
  while (current != input) {
    Operation *op = current.getDefiningOp();
    if (!op || op->getBlock() != &body || op->getNumOperands() != 2)
      return {};
    bool isMax = isa<arith::MaximumFOp, arith::MaxNumFOp>(op);
    bool isMin = isa<arith::MinimumFOp, arith::MinNumFOp>(op);
    if (!isMax && !isMin)
      return {};
    Value other;
    std::optional<float> bound;
    for (int i = 0; i < 2 && !bound; ++i) {
      bound = floatConstant(op->getOperand(i));
      other = op->getOperand(1 - i);
    }
    if (!bound)
      return {};
    (isMax ? lo : hi) = *bound;
    current = other;
  }
  return generic.getDpsInputs()[0];
}

/// True if the body of `generic` (two inputs) yields `in0 + in1` (addf, in
/// either order).
bool yieldsSumOfInputs(linalg::GenericOp generic) {
  Block &body = generic.getRegion().front();
  auto add = body.getTerminator()->getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  Value a = body.getArgument(0), b = body.getArgument(1);
  return (add.getLhs() == a && add.getRhs() == b) ||
         (add.getLhs() == b && add.getRhs() == a);
}

/// Matches `acc + bias[c]` with a constant 1-D bias indexed by loop
/// `channelDim`. Returns the accumulator input.
Value matchBiasAdd(linalg::GenericOp generic, int64_t channelDim,
                   SmallVectorImpl<float> &bias) {
  if (generic.getNumDpsInputs() != 2 ||
      generic.getNumLoops() != generic.getNumParallelLoops())
    return {};
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  AffineMap biasMap = maps[1];
  if (!maps[0].isIdentity() || !maps[2].isIdentity() ||
      biasMap.getNumResults() != 1 ||
      biasMap.getResult(0) !=
          getAffineDimExpr(channelDim, generic.getContext()))
    return {};
  if (!yieldsSumOfInputs(generic))
    return {};
  DenseFPElementsAttr attr;
  if (!matchPattern(generic.getDpsInputs()[1], m_Constant(&attr)))
    return {};
  // One bias per channel is expanded: not fused beyond potq/Limits.h.
  if (!::potq::fitsMaterializationLimit(attr.getNumElements(), sizeof(float)))
    return {};
  for (const APFloat &v : attr.getValues<APFloat>())
    bias.push_back(toBinary32(v));
  return generic.getDpsInputs()[0];
}

/// Matches an elementwise `a + b` where one side is dequantize(%r) of a
/// per-tensor type (a skip connection). Returns the other side and sets
/// `residual` to %r.
Value matchResidualAdd(linalg::GenericOp generic, Value &residual) {
  if (generic.getNumDpsInputs() != 2 || !isElementwise(generic))
    return {};
  if (!yieldsSumOfInputs(generic))
    return {};
  for (int i = 0; i < 2; ++i) {
    auto dequantize = generic.getDpsInputs()[i].getDefiningOp<DequantizeOp>();
    if (dequantize && !getQuantizedElementType(dequantize.getInput().getType())
                           .isPerChannel()) {
      residual = dequantize.getInput();
      return generic.getDpsInputs()[1 - i];
    }
  }
  return {};
}

/// True if `init` is zero-filled.
bool isZeroInit(Value init) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    return matchPattern(fill.getInputs()[0], m_AnyZeroFloat());
  return matchPattern(init, m_AnyZeroFloat());
}

/// Output-channel dimension of a supported float contraction, or -1.
int64_t channelDimOf(Operation *op) {
  if (isa<linalg::MatmulOp>(op))
    return 1;
  if (isa<linalg::BatchMatmulOp>(op))
    return 2;
  if (isa<linalg::Conv2DNhwcHwcfOp>(op))
    return 3;
  if (isa<linalg::Conv2DNchwFchwOp>(op))
    return 1;
  if (isa<linalg::DepthwiseConv2DNhwcHwcOp>(op))
    return 3;
  return -1;
}

/// Default indexing maps only (no transposed or broadcast operands).
bool hasDefaultMaps(Operation *op) {
  if (auto matmul = dyn_cast<linalg::MatmulOp>(op))
    return !matmul.hasUserDefinedMaps();
  if (auto batch = dyn_cast<linalg::BatchMatmulOp>(op))
    return !batch.hasUserDefinedMaps();
  return true;
}

/// The i64 values of a dense integer attribute, or {1, 1}.
DenseI64ArrayAttr windowAttr(OpBuilder &b, DenseIntElementsAttr attr) {
  if (!attr)
    return nullptr;
  SmallVector<int64_t> values;
  for (const APInt &v : attr.getValues<APInt>())
    values.push_back(v.getSExtValue());
  return b.getDenseI64ArrayAttr(values);
}

struct FuseIntoContraction : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    RankedTensorType resultType = quantize.getResult().getType();
    QuantizedType out = getQuantizedElementType(resultType);
    if (!out.isUniform() || out.isPerChannel())
      return rewriter.notifyMatchFailure(quantize,
                                         "result not per-tensor uniform");

    // Walk up: clamp, bias add, contraction; each link used only here.
    Value value = quantize.getInput();
    float lo = -std::numeric_limits<float>::infinity();
    float hi = std::numeric_limits<float>::infinity();
    if (auto generic = value.getDefiningOp<linalg::GenericOp>())
      if (value.hasOneUse())
        if (Value clamped = matchClamp(generic, lo, hi))
          value = clamped;
    // A residual add between the bias add and the clamp.
    Value residual;
    if (auto generic = value.getDefiningOp<linalg::GenericOp>())
      if (value.hasOneUse())
        if (Value other = matchResidualAdd(generic, residual))
          value = other;
    SmallVector<float> bias;
    Operation *contraction = nullptr;
    auto findContraction = [&](Value v) -> Operation * {
      Operation *op = v.getDefiningOp();
      if (!op || !v.hasOneUse() || channelDimOf(op) < 0 || !hasDefaultMaps(op))
        return nullptr;
      return op;
    };
    if (auto generic = value.getDefiningOp<linalg::GenericOp>()) {
      if (!value.hasOneUse())
        return failure();
      Value acc;
      // The bias map names the contraction's channel loop, known only once
      // the contraction is found.
      if (Operation *op = findContraction(generic.getDpsInputs()[0]))
        acc = matchBiasAdd(generic, channelDimOf(op), bias);
      if (!acc)
        return rewriter.notifyMatchFailure(quantize, "unrecognised generic");
      value = acc;
    }
    contraction = findContraction(value);
    if (!contraction)
      return rewriter.notifyMatchFailure(quantize, "no float contraction");
    auto linalgOp = cast<linalg::LinalgOp>(contraction);
    if (linalgOp.getNumDpsInputs() != 2 ||
        !isZeroInit(linalgOp.getDpsInits()[0]))
      return rewriter.notifyMatchFailure(quantize, "contraction init not zero");
    auto x = linalgOp.getDpsInputs()[0].getDefiningOp<DequantizeOp>();
    auto w = linalgOp.getDpsInputs()[1].getDefiningOp<DequantizeOp>();
    if (!x || !w)
      return rewriter.notifyMatchFailure(quantize, "operands not dequantized");

    QuantizedType in = getQuantizedElementType(x.getInput().getType());
    QuantizedType wt = getQuantizedElementType(w.getInput().getType());
    int64_t channelDim = channelDimOf(contraction);
    int64_t weightAxis = isa<linalg::Conv2DNchwFchwOp>(contraction) ? 0
                         : isa<linalg::DepthwiseConv2DNhwcHwcOp>(contraction)
                             ? 2
                             : channelDim;
    if (!in.isUniform() || in.isPerChannel() ||
        (wt.isPerChannel() && *wt.getAxis() != weightAxis) ||
        wt.getExpressedType() != in.getExpressedType() ||
        out.getExpressedType() != in.getExpressedType())
      return rewriter.notifyMatchFailure(quantize, "unsupported quantization");
    // Every channel's multipliers must have a fixed-point form.
    QuantizedType rt =
        residual ? getQuantizedElementType(residual.getType()) : nullptr;
    if (rt && rt.getExpressedType() != in.getExpressedType())
      return rewriter.notifyMatchFailure(quantize, "residual expressed type");
    for (float sw : wt.getScales().asArrayRef()) {
      double acc = double(in.getScale()) * double(sw);
      if (!numerics::toFixedPoint(acc / double(out.getScale())) ||
          (rt && !numerics::toFixedPoint(double(rt.getScale()) / acc)))
        return rewriter.notifyMatchFailure(quantize, "multiplier out of range");
    }

    Location loc = quantize.getLoc();
    Value biasLevels;
    if (!bias.empty()) {
      SmallVector<int32_t> levels;
      for (auto [c, b] : llvm::enumerate(bias)) {
        // Bias levels at scale sx * sw[c], rounded like any projection.
        float scale = in.getScale() * wt.getScaleFor(c);
        levels.push_back(int32_t(numerics::projectToIntegerRange(
            b, scale, std::numeric_limits<int32_t>::min(),
            std::numeric_limits<int32_t>::max())));
      }
      auto type = RankedTensorType::get({int64_t(levels.size())},
                                        rewriter.getI32Type());
      biasLevels = arith::ConstantOp::create(
          rewriter, loc, type,
          DenseIntElementsAttr::get(type, ArrayRef(levels)));
    }
    // The projection is monotone, so clamping reals then projecting equals
    // projecting then clamping levels.
    const numerics::LevelSet &outLevels = out.getLevelSet();
    IntegerAttr clampMin, clampMax;
    if (!std::isinf(lo))
      clampMin = rewriter.getI64IntegerAttr(
          numerics::project(lo, out.getScale(), outLevels, out.getZeroPoint()));
    if (!std::isinf(hi))
      clampMax = rewriter.getI64IntegerAttr(
          numerics::project(hi, out.getScale(), outLevels, out.getZeroPoint()));

    Value xq = x.getInput(), wq = w.getInput();
    // The potq convolution for a linalg one, with its strides/dilations.
    auto createConvOf = [&](auto tag, auto conv) -> Operation * {
      using PotqConv = typename decltype(tag)::type;
      return PotqConv::create(rewriter, loc, resultType, xq, wq, biasLevels,
                              residual, clampMin, clampMax,
                              /*wide_accumulator=*/nullptr,
                              windowAttr(rewriter, conv.getStrides()),
                              windowAttr(rewriter, conv.getDilations()));
    };
    Operation *fused =
        llvm::TypeSwitch<Operation *, Operation *>(contraction)
            .Case([&](linalg::MatmulOp) {
              return MatmulOp::create(rewriter, loc, resultType, xq, wq,
                                      biasLevels, residual, clampMin, clampMax,
                                      /*wide_accumulator=*/nullptr);
            })
            .Case([&](linalg::BatchMatmulOp) {
              return BatchMatmulOp::create(rewriter, loc, resultType, xq, wq,
                                           biasLevels, residual, clampMin,
                                           clampMax,
                                           /*wide_accumulator=*/nullptr);
            })
            .Case([&](linalg::Conv2DNhwcHwcfOp conv) {
              return createConvOf(llvm::type_identity<Conv2DNhwcHwcfOp>(),
                                  conv);
            })
            .Case([&](linalg::DepthwiseConv2DNhwcHwcOp conv) {
              return createConvOf(
                  llvm::type_identity<DepthwiseConv2DNhwcHwcOp>(), conv);
            })
            .Case([&](linalg::Conv2DNchwFchwOp conv) {
              return createConvOf(llvm::type_identity<Conv2DNchwFchwOp>(),
                                  conv);
            });
    rewriter.replaceOp(quantize, fused->getResults());
    return success();
  }
};

/// quantize(pooling_nhwc_max(dequantize(%q)))
///   -> potq.max_pool_2d_nhwc(%q) [-> potq.requantize when the types differ]
/// Max commutes with the increasing map from levels to reals, so pooling the
/// levels is exact; a different output quantization is an integer
/// requantization of the pooled levels.
struct FuseMaxPool : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    auto pool = quantize.getInput().getDefiningOp<linalg::PoolingNhwcMaxOp>();
    if (!pool || !pool->hasOneUse())
      return failure();
    auto dequantize = pool.getInputs()[0].getDefiningOp<DequantizeOp>();
    if (!dequantize)
      return rewriter.notifyMatchFailure(quantize, "pooled value not levels");
    // The pool must start from -inf (or any value below every level).
    auto fill = pool.getOutputs()[0].getDefiningOp<linalg::FillOp>();
    FloatAttr init;
    if (!fill || !matchPattern(fill.getInputs()[0], m_Constant(&init)) ||
        !init.getValue().isInfinity() || !init.getValue().isNegative())
      return rewriter.notifyMatchFailure(quantize, "pool init is not -inf");
    auto window = cast<ShapedType>(pool.getInputs()[1].getType());
    if (!window.hasStaticShape())
      return failure();
    // Different quantizations: pool the levels, then requantize (SPEC 6).
    RankedTensorType resultType = quantize.getResult().getType();
    QuantizedType in = getQuantizedElementType(dequantize.getInput().getType());
    QuantizedType out = getQuantizedElementType(resultType);
    bool requantize = in != out;
    if (requantize && (!out.isUniform() || out.isPerChannel() ||
                       !numerics::toFixedPoint(double(in.getScaleFor(0)) /
                                               double(out.getScale())) ||
                       in.isPerChannel()))
      return rewriter.notifyMatchFailure(quantize, "cannot requantize");
    Value pooled = MaxPool2DNhwcOp::create(
        rewriter, quantize.getLoc(), resultType.clone(in),
        dequantize.getInput(), rewriter.getDenseI64ArrayAttr(window.getShape()),
        windowAttr(rewriter, pool.getStrides()),
        windowAttr(rewriter, pool.getDilations()));
    if (requantize)
      pooled =
          RequantizeOp::create(rewriter, quantize.getLoc(), resultType, pooled);
    rewriter.replaceOp(quantize, pooled);
    return success();
  }
};

/// quantize(mean(pooling_nhwc_sum(dequantize(%q)))) -> potq.avg_pool_2d_nhwc
/// where `mean` is an elementwise generic multiplying by 1/K or dividing by K
/// (K = KH * KW): the integer op sums levels and folds 1/K into the
/// requantization multiplier.
struct FuseAvgPool : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    QuantizedType out = getQuantizedElementType(quantize.getResult().getType());
    if (!out.isUniform() || out.isPerChannel())
      return failure();
    auto mean = quantize.getInput().getDefiningOp<linalg::GenericOp>();
    if (!mean || !mean->hasOneUse() || mean.getNumDpsInputs() != 1 ||
        !isElementwise(mean))
      return failure();
    auto pool =
        mean.getDpsInputs()[0].getDefiningOp<linalg::PoolingNhwcSumOp>();
    if (!pool || !pool->hasOneUse())
      return failure();
    auto dequantize = pool.getInputs()[0].getDefiningOp<DequantizeOp>();
    if (!dequantize || !isZeroInit(pool.getOutputs()[0]))
      return rewriter.notifyMatchFailure(quantize, "not a pooled dequantize");
    QuantizedType in = getQuantizedElementType(dequantize.getInput().getType());
    auto window = cast<ShapedType>(pool.getInputs()[1].getType());
    if (in.isPerChannel() || !window.hasStaticShape())
      return failure();
    double k = double(window.getNumElements());
    // The body must be x * (1/K) or x / K.
    Block &body = mean.getRegion().front();
    Operation *def = body.getTerminator()->getOperand(0).getDefiningOp();
    if (!def || def->getNumOperands() != 2 ||
        def->getOperand(0) != body.getArgument(0))
      return failure();
    std::optional<float> c = floatConstant(def->getOperand(1));
    bool isMean =
        c &&
        ((isa<arith::MulFOp>(def) && std::abs(double(*c) * k - 1.0) < 1e-6) ||
         (isa<arith::DivFOp>(def) && double(*c) == k));
    if (!isMean)
      return rewriter.notifyMatchFailure(quantize,
                                         "not a mean over the window");
    if (!numerics::toFixedPoint(double(in.getScale()) /
                                (double(out.getScale()) * k)))
      return rewriter.notifyMatchFailure(quantize, "multiplier out of range");
    rewriter.replaceOpWithNewOp<AvgPool2DNhwcOp>(
        quantize, quantize.getResult().getType(), dequantize.getInput(),
        rewriter.getDenseI64ArrayAttr(window.getShape()),
        windowAttr(rewriter, pool.getStrides()),
        windowAttr(rewriter, pool.getDilations()));
    return success();
  }
};

/// quantize([clamp](dequantize(%a) + dequantize(%b))) -> potq.add(%a, %b)
/// for per-tensor operands: a skip connection between two quantized
/// tensors, summed in integers with one rounding.
struct FuseAdd : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    RankedTensorType resultType = quantize.getResult().getType();
    QuantizedType out = getQuantizedElementType(resultType);
    if (!out.isUniform() || out.isPerChannel())
      return failure();
    Value value = quantize.getInput();
    float lo = -std::numeric_limits<float>::infinity();
    float hi = std::numeric_limits<float>::infinity();
    if (auto generic = value.getDefiningOp<linalg::GenericOp>())
      if (value.hasOneUse())
        if (Value clamped = matchClamp(generic, lo, hi))
          value = clamped;
    auto generic = value.getDefiningOp<linalg::GenericOp>();
    Value residual;
    if (!generic || !value.hasOneUse())
      return failure();
    Value other = matchResidualAdd(generic, residual);
    auto otherLevels = other ? other.getDefiningOp<DequantizeOp>() : nullptr;
    if (!otherLevels ||
        getQuantizedElementType(otherLevels.getInput().getType())
            .isPerChannel())
      return rewriter.notifyMatchFailure(quantize, "not a sum of two levels");
    QuantizedType a = getQuantizedElementType(otherLevels.getInput().getType());
    QuantizedType b = getQuantizedElementType(residual.getType());
    if (a.getExpressedType() != out.getExpressedType() ||
        b.getExpressedType() != out.getExpressedType())
      return failure();
    std::optional<numerics::FixedPointMultiplier> ma =
        numerics::toFixedPoint(double(a.getScale()) / double(out.getScale()));
    std::optional<numerics::FixedPointMultiplier> mb =
        numerics::toFixedPoint(double(b.getScale()) / double(out.getScale()));
    if (!ma || !mb || !numerics::addShiftsSupported(*ma, *mb))
      return rewriter.notifyMatchFailure(quantize, "multiplier out of range");
    const numerics::LevelSet &levels = out.getLevelSet();
    IntegerAttr clampMin, clampMax;
    if (!std::isinf(lo))
      clampMin = rewriter.getI64IntegerAttr(
          numerics::project(lo, out.getScale(), levels, out.getZeroPoint()));
    if (!std::isinf(hi))
      clampMax = rewriter.getI64IntegerAttr(
          numerics::project(hi, out.getScale(), levels, out.getZeroPoint()));
    // Keep the operands in the order of the float addition.
    Value lhs = otherLevels.getInput(), rhs = residual;
    if (generic.getDpsInputs()[0] != otherLevels.getResult())
      std::swap(lhs, rhs);
    rewriter.replaceOpWithNewOp<AddOp>(quantize, resultType, lhs, rhs, clampMin,
                                       clampMax);
    return success();
  }
};

/// collapse_shape(dequantize(%q)) -> dequantize(collapse_shape(%q)) for
/// per-tensor types, so that a flatten between two layers does not hide the
/// dequantized input of the next contraction.
struct SinkDequantizeThroughCollapse
    : OpRewritePattern<tensor::CollapseShapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tensor::CollapseShapeOp collapse,
                                PatternRewriter &rewriter) const override {
    auto dequantize = collapse.getSrc().getDefiningOp<DequantizeOp>();
    if (!dequantize)
      return failure();
    RankedTensorType quantType = dequantize.getInput().getType();
    if (getQuantizedElementType(quantType).isPerChannel())
      return failure();
    RankedTensorType resultType = collapse.getResultType();
    Value levels = tensor::CollapseShapeOp::create(
        rewriter, collapse.getLoc(),
        resultType.clone(quantType.getElementType()), dequantize.getInput(),
        collapse.getReassociationIndices());
    rewriter.replaceOpWithNewOp<DequantizeOp>(collapse, resultType, levels);
    return success();
  }
};

struct PotqFuseContractionsPass
    : potq::impl::PotqFuseContractionsBase<PotqFuseContractionsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseIntoContraction, FuseAdd, FuseMaxPool, FuseAvgPool,
                 SinkDequantizeThroughCollapse>(&getContext());
    // No folding: it would turn dequantized constant weights into float
    // constants before they are fused.
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
