//===- FuseContractions.cpp - Float layers -> potq contractions -----------===//
//
// Three phases, one greedy rewrite each:
//  1. Layers ending in a quantize: the float epilogue between the
//     contraction and the quantize (EpilogueAnalysis.h: bias, residual,
//     clamp in any grouping) is read as one formula, and
//       quantize(epilogue(contraction(dequantize(x), dequantize(w))))
//         -> potq.<contraction>(x, w) {bias, residual, clamp, padding}
//     Sums of two quantized tensors become potq.add, pools potq pools.
//  2. Every other float contraction on quantized operands (float logits, an
//     epilogue phase 1 did not understand) accumulates in integers: an i32
//     potq contraction, then `acc * (sx * sw[c])` in float.
//  3. Every contraction still in float is reported with its reason: a
//     remark, or an error under `require-integer`; so is a requantization
//     left in float by an epilogue phase 1 did not understand.
//
//===----------------------------------------------------------------------===//

#include "EpilogueAnalysis.h"

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

/// True if `init` is zero-filled.
bool isZeroInit(Value init) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    return matchPattern(fill.getInputs()[0], m_AnyZeroFloat());
  return matchPattern(init, m_AnyZeroFloat());
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

/// The quantized operands of a float contraction (isFusibleContraction),
/// or why it has none.
struct IntegerOperands {
  Value input, weight;
  /// [top, left, bottom, right] of a folded tensor.pad; empty: none.
  SmallVector<int64_t, 4> padding;
  std::string failure; // empty when the integer form exists
};

/// Folds `tensor.pad(%v, 0.0)` over the window dimensions into `padding`
/// and returns %v: padding with the real value 0 is padding with the zero
/// point (SPEC section 6). Returns null and sets `why` otherwise.
Value peelZeroPadding(tensor::PadOp pad, ArrayRef<int64_t> windowDims,
                      SmallVectorImpl<int64_t> &padding, std::string &why) {
  if (windowDims.empty()) {
    why = "its input is padded ('tensor.pad'), which only convolutions fold";
    return {};
  }
  Value padValue = pad.getConstantPaddingValue();
  std::optional<float> value =
      padValue ? floatConstant(padValue) : std::nullopt;
  if (!value || *value != 0.0f) {
    why = "its input is padded with a value other than 0.0 (the zero "
          "point)";
    return {};
  }
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  for (size_t d = 0; d < low.size(); ++d) {
    bool window = llvm::is_contained(windowDims, int64_t(d));
    if (ShapedType::isDynamic(low[d]) || ShapedType::isDynamic(high[d]) ||
        (!window && (low[d] != 0 || high[d] != 0))) {
      why = "its input padding is dynamic or pads a non-window dimension";
      return {};
    }
  }
  padding.assign({low[windowDims[0]], low[windowDims[1]], high[windowDims[0]],
                  high[windowDims[1]]});
  return pad.getSource();
}

IntegerOperands integerOperands(linalg::LinalgOp op) {
  IntegerOperands result;
  auto fail = [&](const Twine &why) {
    result.failure = why.str();
    return result;
  };
  auto matmulMaps = [](Operation *o) {
    if (auto m = dyn_cast<linalg::MatmulOp>(o))
      return m.hasUserDefinedMaps();
    if (auto m = dyn_cast<linalg::BatchMatmulOp>(o))
      return m.hasUserDefinedMaps();
    return false;
  };
  if (matmulMaps(op))
    return fail("its operands are transposed by indexing maps "
                "(qat-normalize-graph makes them explicit)");
  if (op.getNumDpsInputs() != 2 || op->getNumResults() != 1)
    return fail("it does not have two inputs and one result");
  if (!isZeroInit(op.getDpsInits()[0]))
    return fail("its init tensor is not zero, e.g. a bias broadcast into it "
                "(qat-normalize-graph moves it into an addition)");
  ContractionLayout layout = *contractionLayout(op);
  // Biases and rescales hold one value per output channel.
  int64_t channels = cast<ShapedType>(op->getResult(0).getType())
                         .getDimSize(layout.resultChannelDim);
  if (ShapedType::isDynamic(channels))
    return fail("its number of output channels is dynamic");
  if (!::potq::fitsMaterializationLimit(channels, sizeof(int32_t)))
    return fail("it has too many output channels to expand per-channel "
                "constants (potq/Limits.h)");
  Value input = op.getDpsInputs()[0];
  if (auto pad = input.getDefiningOp<tensor::PadOp>()) {
    input = peelZeroPadding(pad, layout.windowInputDims, result.padding,
                            result.failure);
    if (!input)
      return result;
  }
  auto x = input.getDefiningOp<DequantizeOp>();
  if (!x)
    return fail("its input is not quantized (it comes from " +
                describeProducer(input) + ", not from a qat.fake_quant)");
  auto w = op.getDpsInputs()[1].getDefiningOp<DequantizeOp>();
  if (!w)
    return fail("its weight is not quantized (it comes from " +
                describeProducer(op.getDpsInputs()[1]) +
                ", not from a qat.fake_quant)");
  // The lowering packs weights at compile time, so a weight quantized at
  // run time (e.g. the keys of an attention product) keeps the float path.
  Value levels = w.getInput();
  if (auto quantize = levels.getDefiningOp<QuantizeOp>())
    if (!matchPattern(quantize.getInput(), m_Constant()))
      return fail("its weight is quantized at run time (a fake_quant of " +
                  describeProducer(quantize.getInput()) +
                  "); potq compiles contractions with constant weights only");
  QuantizedType in = getQuantizedElementType(x.getInput().getType());
  QuantizedType wt = getQuantizedElementType(levels.getType());
  if (!in.isUniform() || in.isPerChannel())
    return fail("its input is not per-tensor uniform");
  if (wt.isPerChannel() && *wt.getAxis() != layout.weightChannelAxis)
    return fail("its weight is quantized per channel along axis " +
                Twine(*wt.getAxis()) +
                ", but its output channels are along "
                "axis " +
                Twine(layout.weightChannelAxis));
  if (wt.getExpressedType() != in.getExpressedType() ||
      getElementTypeOrSelf(op->getResult(0).getType()) != in.getExpressedType())
    return fail("its operands and result have different float types");
  result.input = x.getInput();
  result.weight = w.getInput();
  return result;
}

/// Creates the potq counterpart of the float contraction `op` on levels.
Value createPotqContraction(PatternRewriter &rewriter, Location loc,
                            Operation *op, Type resultType,
                            const IntegerOperands &operands, Value bias,
                            Value residual, IntegerAttr clampMin,
                            IntegerAttr clampMax) {
  Value x = operands.input, w = operands.weight;
  auto createMatmul = [&](auto tag) -> Value {
    using PotqOp = typename decltype(tag)::type;
    return PotqOp::create(rewriter, loc, resultType, x, w, bias, residual,
                          clampMin, clampMax,
                          /*wide_accumulator=*/nullptr);
  };
  DenseI64ArrayAttr padding =
      operands.padding.empty() ||
              llvm::all_of(operands.padding, [](int64_t p) { return p == 0; })
          ? nullptr
          : rewriter.getDenseI64ArrayAttr(operands.padding);
  // A convolution keeps the linalg op's strides and dilations.
  auto createConv = [&](auto tag, auto conv) -> Value {
    using PotqOp = typename decltype(tag)::type;
    return PotqOp::create(
        rewriter, loc, resultType, x, w, bias, residual, clampMin, clampMax,
        /*wide_accumulator=*/nullptr, windowAttr(rewriter, conv.getStrides()),
        windowAttr(rewriter, conv.getDilations()), padding);
  };
  return llvm::TypeSwitch<Operation *, Value>(op)
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
}

/// The clamp bounds of `epilogue` as levels of `out`. The projection is
/// monotone, so clamping reals then projecting equals projecting then
/// clamping levels; an infinite bound that clamps (max(x, +inf)) projects
/// to the extreme level.
std::pair<IntegerAttr, IntegerAttr>
clampLevels(Builder &b, const Epilogue &epilogue, QuantizedType out) {
  const numerics::LevelSet &levels = out.getLevelSet();
  IntegerAttr clampMin, clampMax;
  float inf = std::numeric_limits<float>::infinity();
  if (epilogue.lo != -inf)
    clampMin = b.getI64IntegerAttr(numerics::project(
        epilogue.lo, out.getScale(), levels, out.getZeroPoint()));
  if (epilogue.hi != inf)
    clampMax = b.getI64IntegerAttr(numerics::project(
        epilogue.hi, out.getScale(), levels, out.getZeroPoint()));
  return {clampMin, clampMax};
}

/// Why phase 1 left the requantization of a contraction in float, by
/// contraction; phase 2 reports it. A key is erased before its contraction
/// is (phase 1 erases a contraction only by fusing it), so none dangles.
using EpilogueFailures = llvm::DenseMap<Operation *, std::string>;

/// quantize(epilogue(...)) where the epilogue (EpilogueAnalysis.h) is
///   - over a contraction of quantized operands:
///       -> potq.<contraction>(x, w) {bias, residual, clamp, padding};
///   - a sum of two per-tensor quantized tensors (a skip connection):
///       -> potq.add(a, b) {clamp}, summed in integers with one rounding.
struct FuseEpilogue : OpRewritePattern<QuantizeOp> {
  FuseEpilogue(MLIRContext *context, EpilogueFailures &failures)
      : OpRewritePattern(context), failures(failures) {}

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    EpilogueMatch match = analyzeEpilogue(quantize.getInput());
    if (Operation *contraction = match.epilogue.contraction)
      return fuseContraction(quantize, match, contraction, rewriter);
    return fuseAdd(quantize, match, rewriter);
  }

private:
  LogicalResult fuseContraction(QuantizeOp quantize, const EpilogueMatch &match,
                                Operation *contraction,
                                PatternRewriter &rewriter) const {
    auto reject = [&](const Twine &why) {
      failures[contraction] = why.str();
      return rewriter.notifyMatchFailure(quantize, why);
    };
    if (!match.succeeded())
      return reject(match.failure);
    RankedTensorType resultType = quantize.getResult().getType();
    QuantizedType out = getQuantizedElementType(resultType);
    if (!out.isUniform() || out.isPerChannel())
      return reject("its result is not quantized per tensor and uniform");
    const Epilogue &epilogue = match.epilogue;
    IntegerOperands operands =
        integerOperands(cast<linalg::LinalgOp>(contraction));
    if (!operands.failure.empty()) // reported as a float contraction
      return rewriter.notifyMatchFailure(quantize, operands.failure);
    ContractionLayout layout = *contractionLayout(contraction);
    if (epilogue.residuals.size() > 1)
      return reject("the epilogue adds two quantized tensors");
    if (!epilogue.bias.empty() && epilogue.biasDim != layout.resultChannelDim)
      return reject("the bias is not indexed by the output channel");
    int64_t channels = resultType.getDimSize(layout.resultChannelDim);

    QuantizedType in = getQuantizedElementType(operands.input.getType());
    QuantizedType wt = getQuantizedElementType(operands.weight.getType());
    Value residual =
        epilogue.residuals.empty() ? Value() : epilogue.residuals.front();
    QuantizedType rt =
        residual ? getQuantizedElementType(residual.getType()) : nullptr;
    if (out.getExpressedType() != in.getExpressedType() ||
        (rt && rt.getExpressedType() != in.getExpressedType()))
      return reject("the quantized types have different float types");
    // Every channel's multipliers must have a fixed-point form.
    for (float sw : wt.getScales().asArrayRef()) {
      double acc = double(in.getScale()) * double(sw);
      if (!numerics::toFixedPoint(acc / double(out.getScale())) ||
          (rt && !numerics::toFixedPoint(double(rt.getScale()) / acc)))
        return reject("a requantization multiplier is out of range");
    }

    // The bias as i32 levels at scale sx * sw[c], rounded like any
    // projection; a scalar offset is a bias of every channel.
    Location loc = quantize.getLoc();
    Value biasLevels;
    if (!epilogue.bias.empty() || epilogue.offset != 0.0f) {
      SmallVector<int32_t> levels;
      for (int64_t c = 0; c < channels; ++c) {
        float b = epilogue.offset;
        if (!epilogue.bias.empty())
          b += epilogue.bias[c];
        float scale = in.getScale() * wt.getScaleFor(c);
        levels.push_back(int32_t(numerics::projectToIntegerRange(
            b, scale, std::numeric_limits<int32_t>::min(),
            std::numeric_limits<int32_t>::max())));
      }
      auto type = RankedTensorType::get({channels}, rewriter.getI32Type());
      biasLevels = arith::ConstantOp::create(
          rewriter, loc, type,
          DenseIntElementsAttr::get(type, ArrayRef(levels)));
    }
    auto [clampMin, clampMax] = clampLevels(rewriter, epilogue, out);
    Value fused =
        createPotqContraction(rewriter, loc, contraction, resultType, operands,
                              biasLevels, residual, clampMin, clampMax);
    failures.erase(contraction);
    rewriter.replaceOp(quantize, fused);
    return success();
  }

  LogicalResult fuseAdd(QuantizeOp quantize, const EpilogueMatch &match,
                        PatternRewriter &rewriter) const {
    RankedTensorType resultType = quantize.getResult().getType();
    QuantizedType out = getQuantizedElementType(resultType);
    const Epilogue &epilogue = match.epilogue;
    if (!match.succeeded() || !out.isUniform() || out.isPerChannel() ||
        epilogue.residuals.size() != 2 || !epilogue.bias.empty() ||
        epilogue.offset != 0.0f)
      return rewriter.notifyMatchFailure(quantize, "not a sum of two levels");
    // Keep the operands in the order of the float addition.
    Value lhs = epilogue.residuals[0], rhs = epilogue.residuals[1];
    QuantizedType a = getQuantizedElementType(lhs.getType());
    QuantizedType b = getQuantizedElementType(rhs.getType());
    if (a.getExpressedType() != out.getExpressedType() ||
        b.getExpressedType() != out.getExpressedType())
      return failure();
    std::optional<numerics::FixedPointMultiplier> ma =
        numerics::toFixedPoint(double(a.getScale()) / double(out.getScale()));
    std::optional<numerics::FixedPointMultiplier> mb =
        numerics::toFixedPoint(double(b.getScale()) / double(out.getScale()));
    if (!ma || !mb || !numerics::addShiftsSupported(*ma, *mb))
      return rewriter.notifyMatchFailure(quantize, "multiplier out of range");
    auto [clampMin, clampMax] = clampLevels(rewriter, epilogue, out);
    rewriter.replaceOpWithNewOp<AddOp>(quantize, resultType, lhs, rhs, clampMin,
                                       clampMax);
    return success();
  }

  EpilogueFailures &failures;
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

/// True if `value` reaches a potq.quantize through elementwise linalg ops:
/// an epilogue that phase 1 could not read as one formula.
bool reachesQuantize(Value value) {
  SmallVector<Value> work{value};
  llvm::SmallPtrSet<Operation *, 8> seen;
  while (!work.empty()) {
    for (Operation *user : work.pop_back_val().getUsers()) {
      if (isa<QuantizeOp>(user))
        return true;
      auto generic = dyn_cast<linalg::GenericOp>(user);
      if (generic && seen.insert(user).second &&
          generic.getNumLoops() == generic.getNumParallelLoops())
        llvm::append_range(work, generic->getResults());
    }
  }
  return false;
}

/// A float contraction on quantized operands that phase 1 did not fuse
/// (its result is not quantized, or its epilogue was not understood):
///   contraction(dequantize(x), dequantize(w))
///     -> float(potq.<contraction>(x, w) : i32) * (sx * sw[c])
/// The rescale is f32 arithmetic, rounded once to the element type: the i32
/// accumulator converted to f32 times the product of the scales rounded to
/// f32. The interpreter runs the same ops, so the two agree bit for bit.
struct AccumulateInIntegers : OpInterfaceRewritePattern<linalg::LinalgOp> {
  AccumulateInIntegers(MLIRContext *context, EpilogueFailures &failures,
                       bool requireInteger, bool &failedRequirement)
      : OpInterfaceRewritePattern(context), failures(failures),
        requireInteger(requireInteger), failedRequirement(failedRequirement) {}

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    if (!isFusibleContraction(op))
      return failure();
    IntegerOperands operands = integerOperands(op);
    if (!operands.failure.empty())
      return rewriter.notifyMatchFailure(op, operands.failure);
    auto floatType = cast<RankedTensorType>(op->getResult(0).getType());
    int64_t channelDim = contractionLayout(op)->resultChannelDim;
    int64_t channels = floatType.getDimSize(channelDim);
    // A requantization left in float (phase 1 could not read the epilogue
    // before a quantize): say why.
    auto recorded = failures.find(op);
    if (recorded != failures.end() || reachesQuantize(op->getResult(0))) {
      InFlightDiagnostic diag =
          requireInteger ? op->emitError() : op->emitRemark();
      diag << "'" << op->getName()
           << "' accumulates in integers, but its epilogue stays in float: "
           << (recorded != failures.end()
                   ? recorded->second
                   : std::string("its result reaches a quantize through "
                                 "ops that are not one epilogue formula"));
      failedRequirement |= requireInteger;
      if (recorded != failures.end())
        failures.erase(recorded);
    }

    Location loc = op.getLoc();
    QuantizedType in = getQuantizedElementType(operands.input.getType());
    QuantizedType wt = getQuantizedElementType(operands.weight.getType());
    // In f32 whatever the element type: an f16 accumulator would overflow
    // at 65504 and an f16 scale product underflow.
    auto elementType = cast<FloatType>(floatType.getElementType());
    Type f32 = rewriter.getF32Type();
    SmallVector<float> scales;
    for (int64_t c = 0; c < channels; ++c)
      scales.push_back(
          float(double(in.getScale()) * double(wt.getScaleFor(c))));
    auto scaleType = RankedTensorType::get({channels}, f32);
    Value scale = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(scaleType, ArrayRef(scales)));
    Value acc = createPotqContraction(
        rewriter, loc, op, floatType.clone(rewriter.getI32Type()), operands,
        /*bias=*/nullptr, /*residual=*/nullptr, nullptr, nullptr);
    MLIRContext *context = rewriter.getContext();
    int64_t rank = floatType.getRank();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, context);
    AffineMap channel =
        AffineMap::get(rank, 0, getAffineDimExpr(channelDim, context));
    // The accumulator's sizes: a dynamic batch stays an operand.
    Value empty = tensor::EmptyOp::create(
        rewriter, loc, tensor::getMixedSizes(rewriter, loc, acc), elementType);
    auto rescale = linalg::GenericOp::create(
        rewriter, loc, floatType, ValueRange{acc, scale}, ValueRange{empty},
        ArrayRef<AffineMap>{identity, channel, identity},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value real = arith::SIToFPOp::create(b, l, f32, args[0]);
          Value scaled = arith::MulFOp::create(b, l, real, args[1]);
          if (elementType != f32)
            scaled = arith::TruncFOp::create(b, l, elementType, scaled);
          linalg::YieldOp::create(b, l, scaled);
        });
    rewriter.replaceOp(op, rescale.getResults());
    return success();
  }

  EpilogueFailures &failures;
  bool requireInteger;
  bool &failedRequirement;
};

struct PotqFuseContractionsPass
    : potq::impl::PotqFuseContractionsBase<PotqFuseContractionsPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    // No folding: it would turn dequantized constant weights into float
    // constants before they are fused.
    GreedyRewriteConfig config;
    config.enableFolding(false);
    EpilogueFailures failures;
    RewritePatternSet layers(context);
    layers.add<FuseMaxPool, FuseAvgPool, SinkDequantizeThroughCollapse>(
        context);
    layers.add<FuseEpilogue>(context, failures);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(layers), config)))
      return signalPassFailure();

    bool failedRequirement = false;
    RewritePatternSet accumulate(context);
    accumulate.add<AccumulateInIntegers>(context, failures, requireInteger,
                                         failedRequirement);
    if (failed(applyPatternsGreedily(getOperation(), std::move(accumulate),
                                     config)))
      return signalPassFailure();

    getOperation()->walk([&](linalg::LinalgOp op) {
      if (!isFloatContraction(op))
        return;
      std::string why = isFusibleContraction(op)
                            ? integerOperands(op).failure
                            : "'" + op->getName().getStringRef().str() +
                                  "' has no integer form in potq";
      InFlightDiagnostic diag =
          requireInteger ? op->emitError() : op->emitRemark();
      diag << "contraction '" << op->getName() << "' stays in float: " << why;
      failedRequirement |= requireInteger;
    });
    if (failedRequirement)
      signalPassFailure();
  }
};

} // namespace
