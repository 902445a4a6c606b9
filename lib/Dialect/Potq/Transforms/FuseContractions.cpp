//===- FuseContractions.cpp - Float layers -> potq contractions -----------===//
//
// quantize([clamp]([bias-add](contraction(dequantize(x), dequantize(w)))))
//   -> potq.<contraction>(x, w) {bias levels, clamp bounds}
//
// FuseIntoContraction is a match (matchContractionFusion: walk the float
// layer up from the quantize and check that its integer form exists, into a
// ContractionFusion) and a rewrite (rewriteContractionFusion: project the
// bias and clamp bounds and build the potq op). Pooling, addition and the
// dequantize sinking are single patterns.
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

/// A float contraction potq can fuse: where its output channels are.
struct FusibleContraction {
  /// The result dimension (and loop) of the output channels.
  int64_t resultChannelDim;
  /// The weight dimension of the output channels (per-channel weight
  /// scales must use it).
  int64_t weightChannelAxis;
};

/// `op` if it is a linalg contraction with a potq counterpart, used only
/// once, with default indexing maps (no transposed or broadcast operands).
std::optional<FusibleContraction> fusibleContraction(Value value) {
  Operation *op = value.getDefiningOp();
  if (!op || !value.hasOneUse())
    return std::nullopt;
  if (auto matmul = dyn_cast<linalg::MatmulOp>(op))
    return matmul.hasUserDefinedMaps()
               ? std::nullopt
               : std::optional<FusibleContraction>({1, 1});
  if (auto batch = dyn_cast<linalg::BatchMatmulOp>(op))
    return batch.hasUserDefinedMaps()
               ? std::nullopt
               : std::optional<FusibleContraction>({2, 2});
  if (isa<linalg::Conv2DNhwcHwcfOp>(op))
    return FusibleContraction{3, 3};
  if (isa<linalg::Conv2DNchwFchwOp>(op))
    return FusibleContraction{1, 0};
  if (isa<linalg::DepthwiseConv2DNhwcHwcOp>(op))
    return FusibleContraction{3, 2};
  return std::nullopt;
}

/// The i64 values of a dense integer attribute (strides, dilations), or
/// null.
DenseI64ArrayAttr windowAttr(OpBuilder &b, DenseIntElementsAttr attr) {
  if (!attr)
    return nullptr;
  SmallVector<int64_t> values;
  for (const APInt &v : attr.getValues<APInt>())
    values.push_back(v.getSExtValue());
  return b.getDenseI64ArrayAttr(values);
}

/// A float layer that becomes one potq contraction:
/// quantize([clamp]([residual add]([bias add](contraction(dequantize(x),
/// dequantize(w)))))).
struct ContractionFusion {
  /// The linalg contraction.
  Operation *contraction = nullptr;
  /// The quantized input and weight (the dequantized operands' sources).
  Value input, weight;
  /// The float bias, one value per output channel; empty without a bias.
  SmallVector<float> bias;
  /// The levels of the residual (skip connection), or null.
  Value residual;
  /// The clamp bounds on the real values, infinite where absent.
  float lo = -std::numeric_limits<float>::infinity();
  float hi = std::numeric_limits<float>::infinity();
};

/// Matches the layer that `quantize` ends and checks that its integer form
/// exists (SPEC section 6): quantization parameters and multipliers.
/// Changes nothing.
LogicalResult matchContractionFusion(QuantizeOp quantize,
                                     PatternRewriter &rewriter,
                                     ContractionFusion &fusion) {
  QuantizedType out = getQuantizedElementType(quantize.getResult().getType());
  if (!out.isUniform() || out.isPerChannel())
    return rewriter.notifyMatchFailure(quantize,
                                       "result not per-tensor uniform");

  // Walk up: clamp, residual add, bias add, contraction; each link used
  // only here.
  Value value = quantize.getInput();
  if (auto generic = value.getDefiningOp<linalg::GenericOp>())
    if (value.hasOneUse())
      if (Value clamped = matchClamp(generic, fusion.lo, fusion.hi))
        value = clamped;
  // A residual add between the bias add and the clamp.
  if (auto generic = value.getDefiningOp<linalg::GenericOp>())
    if (value.hasOneUse())
      if (Value other = matchResidualAdd(generic, fusion.residual))
        value = other;
  if (auto generic = value.getDefiningOp<linalg::GenericOp>()) {
    if (!value.hasOneUse())
      return failure();
    Value acc;
    // The bias map names the contraction's channel loop, known only once
    // the contraction is found.
    Value source = generic.getDpsInputs()[0];
    if (std::optional<FusibleContraction> kind = fusibleContraction(source))
      acc = matchBiasAdd(generic, kind->resultChannelDim, fusion.bias);
    if (!acc)
      return rewriter.notifyMatchFailure(quantize, "unrecognised generic");
    value = acc;
  }
  std::optional<FusibleContraction> kind = fusibleContraction(value);
  if (!kind)
    return rewriter.notifyMatchFailure(quantize, "no float contraction");
  fusion.contraction = value.getDefiningOp();
  auto linalgOp = cast<linalg::LinalgOp>(fusion.contraction);
  if (linalgOp.getNumDpsInputs() != 2 || !isZeroInit(linalgOp.getDpsInits()[0]))
    return rewriter.notifyMatchFailure(quantize, "contraction init not zero");
  auto x = linalgOp.getDpsInputs()[0].getDefiningOp<DequantizeOp>();
  auto w = linalgOp.getDpsInputs()[1].getDefiningOp<DequantizeOp>();
  if (!x || !w)
    return rewriter.notifyMatchFailure(quantize, "operands not dequantized");
  fusion.input = x.getInput();
  fusion.weight = w.getInput();

  QuantizedType in = getQuantizedElementType(fusion.input.getType());
  QuantizedType wt = getQuantizedElementType(fusion.weight.getType());
  if (!in.isUniform() || in.isPerChannel() ||
      (wt.isPerChannel() && *wt.getAxis() != kind->weightChannelAxis) ||
      wt.getExpressedType() != in.getExpressedType() ||
      out.getExpressedType() != in.getExpressedType())
    return rewriter.notifyMatchFailure(quantize, "unsupported quantization");
  // Every channel's multipliers must have a fixed-point form.
  QuantizedType rt = fusion.residual
                         ? getQuantizedElementType(fusion.residual.getType())
                         : nullptr;
  if (rt && rt.getExpressedType() != in.getExpressedType())
    return rewriter.notifyMatchFailure(quantize, "residual expressed type");
  for (float sw : wt.getScales().asArrayRef()) {
    double acc = double(in.getScale()) * double(sw);
    if (!numerics::toFixedPoint(acc / double(out.getScale())) ||
        (rt && !numerics::toFixedPoint(double(rt.getScale()) / acc)))
      return rewriter.notifyMatchFailure(quantize, "multiplier out of range");
  }
  return success();
}

/// Replaces `quantize` with the potq contraction of `fusion`: the bias
/// projected to i32 levels at scale sx * sw[c], the clamp bounds projected
/// to result levels.
void rewriteContractionFusion(QuantizeOp quantize,
                              const ContractionFusion &fusion,
                              PatternRewriter &rewriter) {
  RankedTensorType resultType = quantize.getResult().getType();
  QuantizedType out = getQuantizedElementType(resultType);
  QuantizedType in = getQuantizedElementType(fusion.input.getType());
  QuantizedType wt = getQuantizedElementType(fusion.weight.getType());
  Location loc = quantize.getLoc();
  Value biasLevels;
  if (!fusion.bias.empty()) {
    SmallVector<int32_t> levels;
    for (auto [c, b] : llvm::enumerate(fusion.bias)) {
      // Bias levels at scale sx * sw[c], rounded like any projection.
      float scale = in.getScale() * wt.getScaleFor(c);
      levels.push_back(int32_t(numerics::projectToIntegerRange(
          b, scale, std::numeric_limits<int32_t>::min(),
          std::numeric_limits<int32_t>::max())));
    }
    auto type =
        RankedTensorType::get({int64_t(levels.size())}, rewriter.getI32Type());
    biasLevels = arith::ConstantOp::create(
        rewriter, loc, type, DenseIntElementsAttr::get(type, ArrayRef(levels)));
  }
  // The projection is monotone, so clamping reals then projecting equals
  // projecting then clamping levels.
  const numerics::LevelSet &outLevels = out.getLevelSet();
  IntegerAttr clampMin, clampMax;
  if (!std::isinf(fusion.lo))
    clampMin = rewriter.getI64IntegerAttr(numerics::project(
        fusion.lo, out.getScale(), outLevels, out.getZeroPoint()));
  if (!std::isinf(fusion.hi))
    clampMax = rewriter.getI64IntegerAttr(numerics::project(
        fusion.hi, out.getScale(), outLevels, out.getZeroPoint()));

  Value x = fusion.input, w = fusion.weight, residual = fusion.residual;
  auto createMatmul = [&](auto tag) -> Operation * {
    using PotqOp = typename decltype(tag)::type;
    return PotqOp::create(rewriter, loc, resultType, x, w, biasLevels, residual,
                          clampMin, clampMax,
                          /*wide_accumulator=*/nullptr);
  };
  // A convolution keeps the linalg op's strides and dilations.
  auto createConv = [&](auto tag, auto conv) -> Operation * {
    using PotqOp = typename decltype(tag)::type;
    return PotqOp::create(rewriter, loc, resultType, x, w, biasLevels, residual,
                          clampMin, clampMax,
                          /*wide_accumulator=*/nullptr,
                          windowAttr(rewriter, conv.getStrides()),
                          windowAttr(rewriter, conv.getDilations()));
  };
  Operation *fused =
      llvm::TypeSwitch<Operation *, Operation *>(fusion.contraction)
          .Case([&](linalg::MatmulOp) {
            return createMatmul(llvm::type_identity<MatmulOp>());
          })
          .Case([&](linalg::BatchMatmulOp) {
            return createMatmul(llvm::type_identity<BatchMatmulOp>());
          })
          .Case([&](linalg::Conv2DNhwcHwcfOp conv) {
            return createConv(llvm::type_identity<Conv2DNhwcHwcfOp>(), conv);
          })
          .Case([&](linalg::DepthwiseConv2DNhwcHwcOp conv) {
            return createConv(llvm::type_identity<DepthwiseConv2DNhwcHwcOp>(),
                              conv);
          })
          .Case([&](linalg::Conv2DNchwFchwOp conv) {
            return createConv(llvm::type_identity<Conv2DNchwFchwOp>(), conv);
          });
  rewriter.replaceOp(quantize, fused->getResults());
}

/// quantize([clamp]([residual add]([bias add](contraction(dequantize(x),
/// dequantize(w)))))) -> potq.<contraction>(x, w) {bias, residual, clamp}.
struct FuseIntoContraction : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    ContractionFusion fusion;
    if (failed(matchContractionFusion(quantize, rewriter, fusion)))
      return failure();
    rewriteContractionFusion(quantize, fusion, rewriter);
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
