//===- LoweringUtils.cpp - Shared helpers of the potq lowering ------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
namespace numerics = ::potq::numerics;

namespace potq::lowering {

Value castInteger(OpBuilder &b, Location loc, Value value, Type type,
                  bool isSigned) {
  unsigned from = value.getType().getIntOrFloatBitWidth();
  unsigned to = type.getIntOrFloatBitWidth();
  if (from == to)
    return value;
  if (from > to)
    return arith::TruncIOp::create(b, loc, type, value);
  if (isSigned)
    return arith::ExtSIOp::create(b, loc, type, value);
  return arith::ExtUIOp::create(b, loc, type, value);
}

Value intConstant(OpBuilder &b, Location loc, Type type, int64_t value) {
  // Sign-extend explicitly: getIntegerAttr(type, int64_t) zero-extends into
  // types wider than 64 bits.
  if (type.isIndex())
    return arith::ConstantOp::create(b, loc, type,
                                     b.getIntegerAttr(type, value));
  APInt bits(type.getIntOrFloatBitWidth(), uint64_t(value), /*isSigned=*/true);
  return arith::ConstantOp::create(b, loc, type, b.getIntegerAttr(type, bits));
}

Value emptyLike(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                Type elementType, Value like) {
  SmallVector<Value> dynamicSizes;
  for (auto [dim, size] : llvm::enumerate(shape))
    if (ShapedType::isDynamic(size))
      dynamicSizes.push_back(tensor::DimOp::create(b, loc, like, dim));
  return tensor::EmptyOp::create(b, loc, shape, elementType, dynamicSizes);
}

SmallVector<numerics::FixedPointMultiplier>
toFixedPoint(ArrayRef<double> multipliers) {
  SmallVector<numerics::FixedPointMultiplier> result;
  for (double m : multipliers)
    result.push_back(*numerics::toFixedPoint(m));
  return result;
}

ChannelValues channelConstants(OpBuilder &b, Location loc, Type elementType,
                               ArrayRef<int64_t> values) {
  if (llvm::all_equal(values))
    return {intConstant(b, loc, elementType, values.front()), nullptr};
  auto type = RankedTensorType::get({int64_t(values.size())}, elementType);
  SmallVector<APInt> data;
  for (int64_t v : values)
    data.emplace_back(elementType.getIntOrFloatBitWidth(), uint64_t(v),
                      /*isSigned=*/true);
  Value tensor = arith::ConstantOp::create(
      b, loc, type, DenseIntElementsAttr::get(type, data));
  return {nullptr, tensor};
}

ChannelValues channelConstants(OpBuilder &b, Location loc,
                               ArrayRef<float> values) {
  Type f32 = b.getF32Type();
  if (llvm::all_equal(values))
    return {arith::ConstantOp::create(b, loc, f32,
                                      b.getF32FloatAttr(values.front())),
            nullptr};
  auto type = RankedTensorType::get({int64_t(values.size())}, f32);
  Value tensor = arith::ConstantOp::create(
      b, loc, type, DenseFPElementsAttr::get(type, values));
  return {nullptr, tensor};
}

Value buildElementwise(
    OpBuilder &b, Location loc, ValueRange inputs, RankedTensorType resultType,
    ValueRange channelInputs, int64_t channelDim,
    function_ref<Value(OpBuilder &, Location, ValueRange, ValueRange)> body) {
  int64_t rank = resultType.getRank();
  MLIRContext *ctx = b.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
  SmallVector<AffineMap> maps(inputs.size(), identity);
  SmallVector<Value> operands(inputs.begin(), inputs.end());
  for (Value channel : channelInputs) {
    operands.push_back(channel);
    maps.push_back(AffineMap::get(rank, 0, getAffineDimExpr(channelDim, ctx)));
  }
  maps.push_back(identity);
  Value init = emptyLike(b, loc, resultType.getShape(),
                         resultType.getElementType(), inputs.front());
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, operands, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = body(nested, nestedLoc, args.take_front(inputs.size()),
                            args.slice(inputs.size(), channelInputs.size()));
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return generic.getResult(0);
}

Value buildElementwise(
    OpBuilder &b, Location loc, Value input, RankedTensorType resultType,
    ValueRange channelInputs, int64_t channelDim,
    function_ref<Value(OpBuilder &, Location, Value, ValueRange)> body) {
  return buildElementwise(
      b, loc, ValueRange{input}, resultType, channelInputs, channelDim,
      [&](OpBuilder &nested, Location l, ValueRange args, ValueRange channels) {
        return body(nested, l, args.front(), channels);
      });
}

Value buildRoundShift(OpBuilder &b, Location loc, Value acc, Value multiplier,
                      Value shift,
                      const numerics::FixedPointMultiplier *fixed) {
  // At least i64; wider when the caller passes a wider accumulator.
  Type math = acc.getType().getIntOrFloatBitWidth() > 64 ? acc.getType()
                                                         : b.getI64Type();
  auto c = [&](int64_t v) { return intConstant(b, loc, math, v); };
  Value v = castInteger(b, loc, acc, math, /*isSigned=*/true);
  Value result;
  if (fixed) {
    // Known multiplier: a power of two is a pure (rounding) shift.
    if (fixed->multiplier != 1)
      v = arith::MulIOp::create(b, loc, v, c(fixed->multiplier));
    if (fixed->shift > 0) {
      Value rounded =
          arith::AddIOp::create(b, loc, v, c(int64_t(1) << (fixed->shift - 1)));
      result = arith::ShRSIOp::create(b, loc, rounded, c(fixed->shift));
    } else if (fixed->shift < 0) {
      result = arith::ShLIOp::create(b, loc, v, c(-fixed->shift));
    } else {
      result = v;
    }
  } else {
    // Per-channel multipliers: (v * M + 2^(sh-1)) >> sh for sh > 0, else
    // (v * M) << -sh. Shift amounts stay in [0, 62] on every path, so no
    // shift is poison.
    multiplier = castInteger(b, loc, multiplier, math, /*isSigned=*/true);
    shift = castInteger(b, loc, shift, math, /*isSigned=*/true);
    v = arith::MulIOp::create(b, loc, v, multiplier);
    Value zero = c(0), one = c(1);
    Value positive =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, shift, zero);
    Value right = arith::MaxSIOp::create(b, loc, shift, zero);
    Value halfShift = arith::MaxSIOp::create(
        b, loc, arith::SubIOp::create(b, loc, shift, one), zero);
    Value half = arith::SelectOp::create(
        b, loc, positive, arith::ShLIOp::create(b, loc, one, halfShift), zero);
    Value shiftedRight = arith::ShRSIOp::create(
        b, loc, arith::AddIOp::create(b, loc, v, half), right);
    Value left = arith::MaxSIOp::create(
        b, loc, arith::SubIOp::create(b, loc, zero, shift), zero);
    Value shiftedLeft = arith::ShLIOp::create(b, loc, v, left);
    result =
        arith::SelectOp::create(b, loc, positive, shiftedRight, shiftedLeft);
  }
  return result;
}

Value buildRequantize(OpBuilder &b, Location loc, Value acc, Value multiplier,
                      Value shift, const numerics::FixedPointMultiplier *fixed,
                      int64_t zeroPoint, int64_t lo, int64_t hi) {
  Value result = buildRoundShift(b, loc, acc, multiplier, shift, fixed);
  Type math = result.getType();
  auto c = [&](int64_t v) { return intConstant(b, loc, math, v); };
  if (zeroPoint != 0)
    result = arith::AddIOp::create(b, loc, result, c(zeroPoint));
  result = arith::MaxSIOp::create(b, loc, result, c(lo));
  return arith::MinSIOp::create(b, loc, result, c(hi));
}

EpilogueMultipliers
addMultiplierInputs(OpBuilder &b, Location loc,
                    ArrayRef<numerics::FixedPointMultiplier> fp,
                    SmallVectorImpl<Value> &channelInputs) {
  EpilogueMultipliers result;
  bool shared = llvm::all_of(fp, [&](const auto &m) {
    return m.multiplier == fp.front().multiplier && m.shift == fp.front().shift;
  });
  if (shared) {
    result.shared = fp.front();
    return result;
  }
  SmallVector<int64_t> multipliers, shifts;
  for (const auto &m : fp) {
    multipliers.push_back(m.multiplier);
    shifts.push_back(m.shift);
  }
  // Channels differ: pass M and shift as i64 tensors indexed by channel.
  auto tensorOf = [&](ArrayRef<int64_t> values) -> Value {
    auto type = RankedTensorType::get({int64_t(values.size())}, b.getI64Type());
    return arith::ConstantOp::create(b, loc, type,
                                     DenseIntElementsAttr::get(type, values));
  };
  result.index = channelInputs.size();
  channelInputs.push_back(tensorOf(multipliers));
  channelInputs.push_back(tensorOf(shifts));
  return result;
}

Value EpilogueMultipliers::buildRescale(OpBuilder &b, Location loc, Value acc,
                                        ValueRange channelArgs) const {
  if (shared)
    return buildRoundShift(b, loc, acc, nullptr, nullptr, &*shared);
  return buildRoundShift(b, loc, acc, channelArgs[index],
                         channelArgs[index + 1], nullptr);
}

Value EpilogueMultipliers::build(OpBuilder &b, Location loc, Value acc,
                                 ValueRange channelArgs, int64_t zeroPoint,
                                 int64_t lo, int64_t hi) const {
  if (shared)
    return buildRequantize(b, loc, acc, nullptr, nullptr, &*shared, zeroPoint,
                           lo, hi);
  return buildRequantize(b, loc, acc, channelArgs[index],
                         channelArgs[index + 1], nullptr, zeroPoint, lo, hi);
}

} // namespace potq::lowering
