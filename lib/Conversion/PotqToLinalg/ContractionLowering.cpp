//===- ContractionLowering.cpp - potq contractions -> shift-add generics --===//
//
// One pattern lowers every ContractionOpInterface op into two
// linalg.generic ops:
//  1. the accumulation over the op's indexing maps, where each weight level
//     W = Σ_t s_t·2^e_t (its canonical decomposition, SPEC section 2)
//     contributes Σ_t s_t·(x << e_t): the weight is stored as one i8
//     exponent plane and one i8 sign plane per term, and the body only
//     shifts, negates, selects and adds;
//  2. an elementwise epilogue adding the bias and requantizing (SPEC
//     section 6) with clamping, when the result is quantized.
// A convolution's zero-point padding pads the integer input with Zx
// (tensor.pad) before step 1, as the indexing maps read the padded input.
// With kernels=runtime, step 1 of an eligible contraction is a call into
// the native kernel runtime instead (RuntimeKernels.cpp), which pads itself;
// step 2 is the same.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PatternsInternal.h"

#include "potq/Dialect/Potq/IR/PotqOps.h"
#include "potq/Limits.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"

#include <tuple>
#include <vector>

using namespace mlir;
using namespace potq;
using namespace potq::lowering;
namespace numerics = ::potq::numerics;

namespace {

/// Leading result dimensions whose loop indexes the input's dimension of
/// the same position (batch dimensions, matmul rows): their dynamic sizes
/// are the input's.
unsigned leadingInputDims(ContractionOpInterface op) {
  SmallVector<AffineMap, 3> maps = op.getIndexingMaps();
  unsigned d = 0;
  while (d < maps[0].getNumResults() && d < maps[2].getNumResults() &&
         isa<AffineDimExpr>(maps[2].getResult(d)) &&
         maps[0].getResult(d) == maps[2].getResult(d))
    ++d;
  return d;
}

/// The weight's decomposition as `2 * terms` i8 constant planes
/// (exponent, sign) shaped like the weight; splat planes for a splat weight.
/// verifyLowerable() checked the size of the others (potq/Limits.h).
SmallVector<Value> weightPlanes(Operation *op, ConstantOp weight,
                                OpBuilder &b) {
  auto weightType = cast<RankedTensorType>(weight.getType());
  const numerics::LevelSet &levels = weight.getQuantizedType().getLevelSet();
  SmallVector<const std::vector<numerics::Term> *> terms;
  size_t numTerms = 0;
  auto addLevel = [&](int64_t level) {
    terms.push_back(&levels.decompose(level));
    numTerms = std::max(numTerms, terms.back()->size());
  };
  if (std::optional<int64_t> level = weight.getSplatLevel())
    addLevel(*level); // one element: a splat plane
  else
    for (int64_t level : weight.getLevels())
      addLevel(level);
  // All-zero weights have no terms, but one (exponent, sign = 0) plane pair
  // is still needed: the planes are the only operands that carry the kernel
  // window's loops, which would otherwise have no bound (invalid generic).
  numTerms = std::max<size_t>(numTerms, 1);
  auto planeType = weightType.clone(b.getI8Type());
  SmallVector<Value> planes;
  for (size_t t = 0; t < numTerms; ++t) {
    SmallVector<int8_t> exps, signs;
    for (const auto *decomposition : terms) {
      bool has = t < decomposition->size();
      exps.push_back(has ? int8_t((*decomposition)[t].exp) : 0);
      signs.push_back(has ? int8_t((*decomposition)[t].sign) : 0);
    }
    for (ArrayRef<int8_t> plane :
         {ArrayRef<int8_t>(exps), ArrayRef<int8_t>(signs)})
      planes.push_back(arith::ConstantOp::create(
          b, op->getLoc(), planeType,
          DenseIntElementsAttr::get(planeType, plane)));
  }
  return planes;
}

/// The converted (storage-typed) input of `op` padded as its indexing map
/// reads it (ContractionOpInterface::getInputPadding) with the input zero
/// point, whose positions then add (Zx - Zx) * w = 0; `input` if unpadded.
Value padInput(ContractionOpInterface op, Value input, OpBuilder &b) {
  auto [low, high] = op.getInputPadding();
  auto isZero = [](int64_t p) { return p == 0; };
  if (llvm::all_of(low, isZero) && llvm::all_of(high, isZero))
    return input;
  Location loc = op.getLoc();
  Type storage = cast<RankedTensorType>(input.getType()).getElementType();
  // The storage bit pattern of Zx (an unsigned level may exceed the signed
  // range of its storage width).
  int64_t zx =
      llvm::SignExtend64(uint64_t(op.getInputQuantizedType().getZeroPoint()),
                         storage.getIntOrFloatBitWidth());
  MLIRContext *ctx = b.getContext();
  return tensor::PadOp::create(
      b, loc, /*resultType=*/Type(), input, getAsIndexOpFoldResult(ctx, low),
      getAsIndexOpFoldResult(ctx, high), intConstant(b, loc, storage, zx));
}

/// Body of the accumulation: acc + Σ_t s_t · ((x - Zx) << e_t), without any
/// multiply. `args` = [x, e_0, s_0, e_1, s_1, ..., acc].
Value shiftAddBody(OpBuilder &b, Location loc, ValueRange args,
                   bool inputSigned, int64_t inputZeroPoint) {
  Value acc = args.back();
  Type accType = acc.getType();
  Value x = castInteger(b, loc, args.front(), accType, inputSigned);
  if (inputZeroPoint != 0)
    x = arith::SubIOp::create(b, loc, x,
                              intConstant(b, loc, accType, inputZeroPoint));
  Value zero = intConstant(b, loc, accType, 0);
  Value zeroI8 = intConstant(b, loc, b.getI8Type(), 0);
  ValueRange planes = args.drop_front().drop_back();
  for (size_t t = 0; t + 1 < planes.size(); t += 2) {
    Value exp = castInteger(b, loc, planes[t], accType, /*isSigned=*/false);
    Value sign = planes[t + 1];
    Value shifted = arith::ShLIOp::create(b, loc, x, exp);
    Value negated = arith::SubIOp::create(b, loc, zero, shifted);
    Value isNegative =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, sign, zeroI8);
    Value isZero =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, sign, zeroI8);
    Value term = arith::SelectOp::create(b, loc, isNegative, negated, shifted);
    term = arith::SelectOp::create(b, loc, isZero, zero, term);
    acc = arith::AddIOp::create(b, loc, acc, term);
  }
  return acc;
}

// potq contraction -> accumulation generic (or runtime call) + epilogue.
struct ContractionLowering
    : OpInterfaceConversionPattern<ContractionOpInterface> {
  ContractionLowering(const TypeConverter &converter, MLIRContext *ctx,
                      const KernelOptions &kernels)
      : OpInterfaceConversionPattern(converter, ctx), kernels(kernels) {}

  KernelOptions kernels;

  /// Step 1 with shifts and adds: a linalg.generic over the op's loop nest
  /// reading the (padded) input and the weight's exponent/sign planes.
  Value accumulateLoops(ContractionOpInterface op, Value input,
                        ConstantOp weight, Type accType,
                        ConversionPatternRewriter &rewriter) const {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getResult().getType());
    QuantizedType in = op.getInputQuantizedType();
    SmallVector<Value> planes = weightPlanes(op, weight, rewriter);
    input = padInput(op, input, rewriter);
    SmallVector<AffineMap, 3> maps = op.getIndexingMaps();
    SmallVector<Value> inputs{input};
    SmallVector<AffineMap> indexingMaps{maps[0]};
    for (Value plane : planes) {
      inputs.push_back(plane);
      indexingMaps.push_back(maps[1]);
    }
    indexingMaps.push_back(maps[2]);
    Value init =
        emptyLike(rewriter, loc, resultType.getShape(), accType, input);
    Value zero = intConstant(rewriter, loc, accType, 0);
    init = linalg::FillOp::create(rewriter, loc, zero, init).getResult(0);
    bool inputSigned = in.isStorageSigned();
    int64_t inputZeroPoint = in.getZeroPoint();
    auto accumulate = linalg::GenericOp::create(
        rewriter, loc, TypeRange{init.getType()}, inputs, ValueRange{init},
        indexingMaps, op.getIteratorTypes(),
        [&](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(
              b, l, shiftAddBody(b, l, args, inputSigned, inputZeroPoint));
        });
    return accumulate.getResult(0);
  }

  LogicalResult
  matchAndRewrite(ContractionOpInterface op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    // verifyContractionLowerable() reported unsupported cases already.
    auto weight = op.getWeight().getDefiningOp<ConstantOp>();
    if (!weight)
      return rewriter.notifyMatchFailure(op, "weight is not a potq.constant");
    auto resultType = cast<RankedTensorType>(op.getResult().getType());
    QuantizedType in = op.getInputQuantizedType();
    QuantizedType w = op.getWeightQuantizedType();
    QuantizedType out = op.getResultQuantizedType();
    bool wide = op.hasI64Accumulator();
    Type accType =
        wide ? Type(rewriter.getI64Type()) : Type(rewriter.getI32Type());
    // The converted (storage-typed) operands.
    Value input = rewriter.getRemappedValue(op.getInput());
    Value bias =
        op.getBias() ? rewriter.getRemappedValue(op.getBias()) : Value();
    Value residual = op.getResidual()
                         ? rewriter.getRemappedValue(op.getResidual())
                         : Value();

    // 1. Accumulate: a runtime call, or shifts and adds.
    Value acc;
    if (kernels.kernels == ContractionKernels::Runtime && !wide)
      acc = accumulateWithRuntimeKernels(op, input, kernels, rewriter);
    if (!acc)
      acc = accumulateLoops(op, input, weight, accType, rewriter);

    // 2. Epilogue: bias, residual, requantization, clamp.
    if (!out && !bias) {
      rewriter.replaceOp(op, acc);
      return success();
    }
    SmallVector<Value> channelInputs;
    if (bias)
      channelInputs.push_back(bias);
    EpilogueMultipliers multipliers, residualMultipliers;
    int64_t lo = 0, hi = 0;
    Type resultElement = accType;
    QuantizedType rt = residual
                           ? getQuantizedElementType(op.getResidual().getType())
                           : nullptr;
    if (out) {
      SmallVector<double> ratios, residualRatios;
      for (float sw : w.getScales().asArrayRef()) {
        double accScale = double(in.getScale()) * double(sw);
        ratios.push_back(accScale / double(out.getScale()));
        if (rt)
          residualRatios.push_back(double(rt.getScale()) / accScale);
      }
      multipliers = addMultiplierInputs(rewriter, loc, toFixedPoint(ratios),
                                        channelInputs);
      if (rt)
        residualMultipliers = addMultiplierInputs(
            rewriter, loc, toFixedPoint(residualRatios), channelInputs);
      std::tie(lo, hi) = op.getClampBounds();
      resultElement = out.getStorageType();
    }
    auto epilogueType = resultType.clone(resultElement);
    bool hasBias = bool(bias);
    int64_t outZeroPoint = out ? out.getZeroPoint() : 0;
    SmallVector<Value> epilogueInputs{acc};
    if (residual)
      epilogueInputs.push_back(residual);
    Value result = buildElementwise(
        rewriter, loc, epilogueInputs, epilogueType, channelInputs,
        op.getResultChannelAxis(),
        [&](OpBuilder &b, Location l, ValueRange values, ValueRange channels) {
          Value value = values[0];
          if (!out) // integer result: acc + bias
            return Value(arith::AddIOp::create(
                b, l, value,
                castInteger(b, l, channels[0], accType, /*isSigned=*/true)));
          // i64 suffices for an i32 accumulator (|acc * M| < 2^62); a wide
          // accumulator requantizes in i128.
          Type math = wide ? b.getIntegerType(128) : b.getI64Type();
          Value sum = castInteger(b, l, value, math, /*isSigned=*/true);
          if (hasBias)
            sum = arith::AddIOp::create(
                b, l, sum,
                castInteger(b, l, channels[0], math, /*isSigned=*/true));
          if (rt) {
            // The residual in accumulator units: (R - Zr) * sr / (sx * sw).
            Value r = castInteger(b, l, values[1], math, rt.isStorageSigned());
            if (rt.getZeroPoint() != 0)
              r = arith::SubIOp::create(
                  b, l, r, intConstant(b, l, math, rt.getZeroPoint()));
            r = residualMultipliers.buildRescale(b, l, r, channels);
            sum = arith::AddIOp::create(b, l, sum, r);
          }
          Value y =
              multipliers.build(b, l, sum, channels, outZeroPoint, lo, hi);
          return castInteger(b, l, y, resultElement, /*isSigned=*/true);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};
/// Reports why `op` cannot be lowered, if it cannot.
LogicalResult verifyLowerable(ContractionOpInterface op) {
  auto weight = op.getWeight().getDefiningOp<ConstantOp>();
  if (!weight) {
    InFlightDiagnostic diag =
        op.emitOpError("shift-add lowering needs a constant weight "
                       "(potq.constant), but the weight operand is ");
    Operation *producer = op.getWeight().getDefiningOp();
    if (!producer)
      return diag << "a block argument; only constant weights are lowered";
    diag << "produced by '" << producer->getName()
         << "'; only constant weights are lowered";
    // Canonicalization folds a quantize of a float constant (static shape)
    // into a potq.constant; nothing else.
    auto quantize = dyn_cast<QuantizeOp>(producer);
    if (quantize && quantize.getResult().getType().hasStaticShape() &&
        matchPattern(quantize.getInput(), m_Constant()))
      diag << " (run --canonicalize first to fold the potq.quantize of a "
              "constant into a potq.constant)";
    return diag;
  }
  // weightPlanes() expands a non-splat weight: a decomposition pointer per
  // element, then byte planes.
  DenseIntElementsAttr values = weight.getCodes();
  if (!values.isSplat() && !::potq::fitsMaterializationLimit(
                               values.getNumElements(), sizeof(void *)))
    return emitOverLimitError(op, "the weight's exponent and sign planes",
                              values.getNumElements(), sizeof(void *));
  unsigned leading = leadingInputDims(op);
  auto resultType = cast<RankedTensorType>(op.getResult().getType());
  for (auto [dim, size] : llvm::enumerate(resultType.getShape()))
    if (ShapedType::isDynamic(size) && dim >= leading)
      return op.emitOpError()
             << "shift-add lowering supports dynamic sizes only in batch "
                "dimensions; result dimension "
             << dim << " is dynamic";
  return success();
}

} // namespace

namespace potq::lowering {
LogicalResult verifyContractionLowerable(Operation *op) {
  if (auto contraction = dyn_cast<ContractionOpInterface>(op))
    return verifyLowerable(contraction);
  return success();
}

void populateContractionLoweringPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns,
                                         const KernelOptions &kernels) {
  patterns.add<ContractionLowering>(converter, patterns.getContext(), kernels);
}
} // namespace potq::lowering
