//===- EpilogueAnalysis.cpp - What a float layer epilogue computes --------===//
//
// A symbolic evaluation over three kinds of terms: a scalar constant, a
// per-channel constant vector, and a sum `acc + bias[c] + residuals` that
// may be clamped. Each body op combines terms by its arithmetic meaning;
// anything that leaves the formula (a multiply of the accumulator, an add
// after a clamp, an unknown op) fails with the op and the reason.
//
// NaN: the forms of ReLU and clamp (maximumf, maxnumf, select on an ordered
// or unordered compare) differ only on NaN operands. The accumulator of an
// integer contraction is an exact sum of finite levels, never NaN, so every
// form gives the same integer result (docs/QatInputForm.md).
//
//===----------------------------------------------------------------------===//

#include "EpilogueAnalysis.h"

#include "potq/Dialect/Potq/IR/ChannelIndexer.h"
#include "potq/Dialect/Potq/IR/PotqOps.h"
#include "potq/Limits.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace potq;

namespace {

/// A value of the symbolic evaluation.
struct Term {
  enum class Kind { Scalar, Channel, Sum };
  Kind kind = Kind::Scalar;
  /// Kind::Scalar.
  float scalar = 0.0f;
  /// Kind::Channel: values indexed by loop `dim`.
  SmallVector<float> values;
  int64_t dim = -1;
  /// Kind::Sum.
  Epilogue sum;

  static Term ofScalar(float value) {
    Term t;
    t.scalar = value;
    return t;
  }
  static Term ofChannel(SmallVector<float> values, int64_t dim) {
    Term t;
    t.kind = Kind::Channel;
    t.values = std::move(values);
    t.dim = dim;
    return t;
  }
  static Term ofSum(Epilogue sum) {
    Term t;
    t.kind = Kind::Sum;
    t.sum = std::move(sum);
    return t;
  }
};

/// The constant `attr`, read through indexing map `map`, as a scalar (all
/// values equal) or a per-channel vector (values vary along one dimension
/// only); std::nullopt otherwise.
std::optional<Term> constantTerm(DenseFPElementsAttr attr, AffineMap map) {
  if (attr.isSplat())
    return Term::ofScalar(toBinary32(attr.getSplatValue<APFloat>()));
  ArrayRef<int64_t> shape = attr.getType().getShape();
  // A result 0 of the map reads index 0 of a size-1 dimension (a
  // `view(1, C, 1, 1)` broadcast); anything else is not a layout.
  if (attr.getNumElements() == 0 ||
      !map.isProjectedPermutation(/*allowZeroInResults=*/true) ||
      !::potq::fitsMaterializationLimit(attr.getNumElements(), sizeof(float)))
    return std::nullopt;
  for (auto [d, result] : llvm::enumerate(map.getResults()))
    if (!isa<AffineDimExpr>(result) && shape[d] != 1)
      return std::nullopt;
  SmallVector<float> values;
  values.reserve(attr.getNumElements());
  for (const APFloat &v : attr.getValues<APFloat>())
    values.push_back(toBinary32(v));
  // Which dimensions the values vary along: compare each element with the
  // one at coordinate 0 of that dimension.
  std::optional<int64_t> varying;
  int64_t stride = 1;
  for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
    bool varies = false;
    for (int64_t i = 0, e = int64_t(values.size()); i < e && !varies; ++i) {
      int64_t coordinate = (i / stride) % shape[d];
      varies = values[i] != values[i - coordinate * stride] &&
               !(std::isnan(values[i]) &&
                 std::isnan(values[i - coordinate * stride]));
    }
    if (varies) {
      if (varying)
        return std::nullopt;
      varying = d;
    }
    stride *= shape[d];
  }
  if (!varying)
    return Term::ofScalar(values.front());
  int64_t stepAlong = 1;
  for (int64_t d = *varying + 1; d < int64_t(shape.size()); ++d)
    stepAlong *= shape[d];
  SmallVector<float> channel;
  for (int64_t c = 0; c < shape[*varying]; ++c)
    channel.push_back(values[c * stepAlong]);
  return Term::ofChannel(std::move(channel), map.getDimPosition(*varying));
}

/// The evaluation of one epilogue. Fails at most once: the first reason
/// is kept.
class Evaluator {
public:
  EpilogueMatch match;

  FailureOr<Term> fail(Operation *op, const Twine &why) {
    if (match.failure.empty()) {
      match.failure = why.str();
      match.failedAt = op;
    }
    return failure();
  }

  FailureOr<Term> evaluateTensor(Value tensor);

private:
  FailureOr<Term> evaluateGeneric(linalg::GenericOp generic);
  FailureOr<Term> evaluateOperand(linalg::GenericOp generic,
                                  OpOperand &operand);
  FailureOr<Term> evaluateScalar(Value value, linalg::GenericOp generic,
                                 ArrayRef<Term> inputs);
  FailureOr<Term> evaluateBodyValue(Value value, linalg::GenericOp generic,
                                    ArrayRef<Term> inputs);
  FailureOr<Term> add(Operation *op, Term a, Term b);
  FailureOr<Term> multiplyConstants(Operation *op, Term a, Term b);
  FailureOr<Term> clamp(Operation *op, Term a, Term b, bool isMax);
  FailureOr<Term> select(arith::SelectOp select, linalg::GenericOp generic,
                         ArrayRef<Term> inputs);

  /// Terms of the body values already evaluated (a select reads its
  /// operands twice).
  DenseMap<Value, Term> scalars;
};

FailureOr<Term> Evaluator::evaluateTensor(Value tensor) {
  Operation *def = tensor.getDefiningOp();
  if (def && isFusibleContraction(def)) {
    if (match.epilogue.contraction && match.epilogue.contraction != def)
      return fail(def, "the epilogue adds two contractions");
    match.epilogue.contraction = def;
    if (!tensor.hasOneUse())
      return fail(def, "the contraction result has other uses");
    Epilogue sum;
    sum.contraction = def;
    return Term::ofSum(std::move(sum));
  }
  if (auto dequantize = dyn_cast_or_null<DequantizeOp>(def)) {
    if (getQuantizedElementType(dequantize.getInput().getType()).isPerChannel())
      return fail(def, "a per-channel quantized tensor is added");
    Epilogue sum;
    sum.residuals.push_back(dequantize.getInput());
    return Term::ofSum(std::move(sum));
  }
  if (auto generic = dyn_cast_or_null<linalg::GenericOp>(def)) {
    if (!tensor.hasOneUse())
      return fail(def, "an intermediate result of the epilogue has other "
                       "uses");
    return evaluateGeneric(generic);
  }
  return fail(def, describeProducer(tensor) +
                       " is neither a contraction, a quantized tensor nor an "
                       "elementwise linalg.generic");
}

FailureOr<Term> Evaluator::evaluateGeneric(linalg::GenericOp generic) {
  if (generic.getNumResults() != 1 ||
      generic.getNumLoops() != generic.getNumParallelLoops() ||
      !generic.getIndexingMapsArray().back().isIdentity())
    return fail(generic, "'linalg.generic' is not elementwise");
  OpOperand *init = generic.getDpsInitOperand(0);
  if (generic.payloadUsesValueFromOperand(init))
    return fail(generic, "'linalg.generic' reads its init tensor");
  // Every operand is visited, even after one failed, so that the
  // contraction is found and the failure is reported at it.
  SmallVector<Term> inputs;
  bool operandFailed = false;
  for (OpOperand *operand : generic.getDpsInputOperands()) {
    FailureOr<Term> term = evaluateOperand(generic, *operand);
    if (failed(term))
      operandFailed = true;
    else
      inputs.push_back(std::move(*term));
  }
  if (operandFailed)
    return failure();
  Value yielded = generic.getBody()->getTerminator()->getOperand(0);
  FailureOr<Term> result = evaluateScalar(yielded, generic, inputs);
  if (succeeded(result) && result->kind != Term::Kind::Sum)
    return fail(generic, "'linalg.generic' yields a constant");
  return result;
}

FailureOr<Term> Evaluator::evaluateOperand(linalg::GenericOp generic,
                                           OpOperand &operand) {
  AffineMap map = generic.getMatchingIndexingMap(&operand);
  FloatAttr scalar;
  if (matchPattern(operand.get(), m_Constant(&scalar)))
    return Term::ofScalar(float(scalar.getValueAsDouble()));
  DenseFPElementsAttr attr;
  if (matchPattern(operand.get(), m_Constant(&attr))) {
    if (std::optional<Term> term = constantTerm(attr, map))
      return std::move(*term);
    return fail(generic, "a constant operand of 'linalg.generic' varies "
                         "along more than the channel dimension");
  }
  if (!map.isIdentity())
    return fail(generic, "operand #" + Twine(operand.getOperandNumber()) +
                             " of 'linalg.generic' is broadcast or "
                             "transposed and not a constant");
  return evaluateTensor(operand.get());
}

FailureOr<Term> Evaluator::evaluateScalar(Value value,
                                          linalg::GenericOp generic,
                                          ArrayRef<Term> inputs) {
  if (auto it = scalars.find(value); it != scalars.end())
    return it->second;
  FailureOr<Term> term = evaluateBodyValue(value, generic, inputs);
  if (succeeded(term))
    scalars[value] = *term;
  return term;
}

FailureOr<Term> Evaluator::evaluateBodyValue(Value value,
                                             linalg::GenericOp generic,
                                             ArrayRef<Term> inputs) {
  Block *body = generic.getBody();
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    if (arg.getOwner() == body && arg.getArgNumber() < inputs.size())
      return inputs[arg.getArgNumber()];
    return fail(generic, "the body reads a value the analysis cannot see");
  }
  FloatAttr constant;
  if (matchPattern(value, m_Constant(&constant)))
    return Term::ofScalar(float(constant.getValueAsDouble()));
  Operation *op = value.getDefiningOp();
  if (op->getBlock() != body)
    return fail(generic, "the body uses a non-constant value from outside");
  auto operand = [&](unsigned i) {
    return evaluateScalar(op->getOperand(i), generic, inputs);
  };
  auto binary = [&](auto combine) -> FailureOr<Term> {
    FailureOr<Term> a = operand(0);
    if (failed(a))
      return failure();
    FailureOr<Term> b = operand(1);
    if (failed(b))
      return failure();
    return combine(std::move(*a), std::move(*b));
  };
  if (isa<arith::AddFOp>(op))
    return binary([&](Term a, Term b) { return add(op, a, b); });
  if (isa<arith::SubFOp>(op))
    return binary([&](Term a, Term b) -> FailureOr<Term> {
      if (b.kind == Term::Kind::Sum)
        return fail(op, "'arith.subf' subtracts a tensor");
      b.scalar = -b.scalar;
      for (float &v : b.values)
        v = -v;
      return add(op, a, b);
    });
  if (isa<arith::MulFOp>(op))
    return binary([&](Term a, Term b) -> FailureOr<Term> {
      if (a.kind != Term::Kind::Sum && b.kind != Term::Kind::Sum)
        return multiplyConstants(op, std::move(a), std::move(b));
      // x * 1.0 (e.g. aten.add's alpha) is x.
      if (b.kind == Term::Kind::Scalar && b.scalar == 1.0f)
        return a;
      if (a.kind == Term::Kind::Scalar && a.scalar == 1.0f)
        return b;
      return fail(op, "'arith.mulf' scales the layer by a value other "
                      "than 1");
    });
  if (isa<arith::MaximumFOp, arith::MaxNumFOp>(op))
    return binary(
        [&](Term a, Term b) { return clamp(op, a, b, /*isMax=*/true); });
  if (isa<arith::MinimumFOp, arith::MinNumFOp>(op))
    return binary(
        [&](Term a, Term b) { return clamp(op, a, b, /*isMax=*/false); });
  if (auto sel = dyn_cast<arith::SelectOp>(op))
    return select(sel, generic, inputs);
  return fail(op, "'" + op->getName().getStringRef() +
                      "' in the epilogue is not understood");
}

FailureOr<Term> Evaluator::add(Operation *op, Term a, Term b) {
  using Kind = Term::Kind;
  if (a.kind != Kind::Sum && b.kind == Kind::Sum)
    std::swap(a, b);
  if (a.kind == Kind::Scalar && b.kind == Kind::Channel)
    std::swap(a, b);
  if (a.kind == Kind::Scalar) // and b
    return Term::ofScalar(a.scalar + b.scalar);
  if (a.kind == Kind::Channel) {
    if (b.kind == Kind::Scalar) {
      for (float &v : a.values)
        v += b.scalar;
      return a;
    }
    if (a.dim != b.dim || a.values.size() != b.values.size())
      return fail(op, "'arith.addf' adds constants along two dimensions");
    for (auto [x, y] : llvm::zip(a.values, b.values))
      x += y;
    return a;
  }
  Epilogue &sum = a.sum;
  if (sum.clamped || (b.kind == Kind::Sum && b.sum.clamped))
    return fail(op, "'arith.addf' adds after the activation (clamp)");
  auto addBias = [&](ArrayRef<float> values, int64_t dim) -> LogicalResult {
    if (sum.bias.empty()) {
      sum.bias.assign(values.begin(), values.end());
      sum.biasDim = dim;
      return success();
    }
    if (sum.biasDim != dim || sum.bias.size() != values.size())
      return failure();
    for (auto [x, y] : llvm::zip(sum.bias, values))
      x += y;
    return success();
  };
  switch (b.kind) {
  case Kind::Scalar:
    sum.offset += b.scalar;
    return a;
  case Kind::Channel:
    if (failed(addBias(b.values, b.dim)))
      return fail(op, "'arith.addf' adds biases along two dimensions");
    return a;
  case Kind::Sum:
    if (sum.contraction && b.sum.contraction)
      return fail(op, "'arith.addf' adds two contractions");
    if (!sum.contraction)
      sum.contraction = b.sum.contraction;
    if (!b.sum.bias.empty() && failed(addBias(b.sum.bias, b.sum.biasDim)))
      return fail(op, "'arith.addf' adds biases along two dimensions");
    sum.offset += b.sum.offset;
    sum.residuals.append(b.sum.residuals.begin(), b.sum.residuals.end());
    return a;
  }
  llvm_unreachable("all kinds handled");
}

FailureOr<Term> Evaluator::multiplyConstants(Operation *op, Term a, Term b) {
  using Kind = Term::Kind;
  if (a.kind == Kind::Scalar)
    std::swap(a, b);
  if (b.kind == Kind::Scalar) {
    if (a.kind == Kind::Scalar)
      return Term::ofScalar(a.scalar * b.scalar);
    for (float &v : a.values)
      v *= b.scalar;
    return a;
  }
  if (a.dim != b.dim || a.values.size() != b.values.size())
    return fail(op, "'arith.mulf' multiplies constants along two dimensions");
  for (auto [x, y] : llvm::zip(a.values, b.values))
    x *= y;
  return a;
}

FailureOr<Term> Evaluator::clamp(Operation *op, Term a, Term b, bool isMax) {
  using Kind = Term::Kind;
  if (a.kind == Kind::Scalar && b.kind == Kind::Scalar)
    return Term::ofScalar(isMax ? std::max(a.scalar, b.scalar)
                                : std::min(a.scalar, b.scalar));
  if (a.kind != Kind::Sum)
    std::swap(a, b);
  if (a.kind != Kind::Sum || b.kind != Kind::Scalar)
    return fail(op, "'" + op->getName().getStringRef() +
                        "' bounds the layer by a non-scalar value");
  if (std::isnan(b.scalar))
    return fail(op, "'" + op->getName().getStringRef() + "' has a NaN bound");
  // max(clamp(x, lo, hi), c) = clamp(x, max(lo, c), max(hi, c)); likewise
  // for min: exact, and lo <= hi is kept.
  Epilogue &sum = a.sum;
  if (isMax) {
    sum.lo = std::max(sum.lo, b.scalar);
    sum.hi = std::max(sum.hi, b.scalar);
  } else {
    sum.lo = std::min(sum.lo, b.scalar);
    sum.hi = std::min(sum.hi, b.scalar);
  }
  sum.clamped = true;
  return a;
}

/// select(cmpf(x, c), x, c) and its mirrored forms are max(x, c) or
/// min(x, c): the compare picks the larger (or smaller) of the same two
/// values the select chooses between.
FailureOr<Term> Evaluator::select(arith::SelectOp select,
                                  linalg::GenericOp generic,
                                  ArrayRef<Term> inputs) {
  auto cmp = select.getCondition().getDefiningOp<arith::CmpFOp>();
  auto notUnderstood = [&] {
    return fail(select, "'arith.select' is not a max or min of the layer "
                        "and a constant");
  };
  if (!cmp)
    return notUnderstood();
  FailureOr<Term> trueTerm =
      evaluateScalar(select.getTrueValue(), generic, inputs);
  if (failed(trueTerm))
    return failure();
  FailureOr<Term> falseTerm =
      evaluateScalar(select.getFalseValue(), generic, inputs);
  if (failed(falseTerm))
    return failure();
  FailureOr<Term> lhsTerm = evaluateScalar(cmp.getLhs(), generic, inputs);
  if (failed(lhsTerm))
    return failure();
  FailureOr<Term> rhsTerm = evaluateScalar(cmp.getRhs(), generic, inputs);
  if (failed(rhsTerm))
    return failure();
  using Kind = Term::Kind;
  // The layer value x and the bound c, on both ops.
  bool selectsLayerIfTrue = trueTerm->kind == Kind::Sum;
  Value layer =
      selectsLayerIfTrue ? select.getTrueValue() : select.getFalseValue();
  const Term &bound = selectsLayerIfTrue ? *falseTerm : *trueTerm;
  bool layerOnLeft = cmp.getLhs() == layer;
  const Term &cmpBound = layerOnLeft ? *rhsTerm : *lhsTerm;
  if (bound.kind != Kind::Scalar || cmpBound.kind != Kind::Scalar ||
      (!layerOnLeft && cmp.getRhs() != layer) ||
      bound.scalar != cmpBound.scalar)
    return notUnderstood();
  bool greater;
  switch (cmp.getPredicate()) {
  case arith::CmpFPredicate::OGT:
  case arith::CmpFPredicate::OGE:
  case arith::CmpFPredicate::UGT:
  case arith::CmpFPredicate::UGE:
    greater = true;
    break;
  case arith::CmpFPredicate::OLT:
  case arith::CmpFPredicate::OLE:
  case arith::CmpFPredicate::ULT:
  case arith::CmpFPredicate::ULE:
    greater = false;
    break;
  default:
    return notUnderstood();
  }
  // "x > c ? x : c" is max; mirroring the compare or the select flips it.
  bool isMax =
      greater == layerOnLeft ? selectsLayerIfTrue : !selectsLayerIfTrue;
  Term layerTerm = selectsLayerIfTrue ? *trueTerm : *falseTerm;
  return clamp(select, std::move(layerTerm), bound, isMax);
}

} // namespace

std::string potq::describeProducer(Value value) {
  if (Operation *def = value.getDefiningOp())
    return "'" + def->getName().getStringRef().str() + "'";
  return "a block argument";
}

std::optional<ContractionLayout> potq::contractionLayout(Operation *op) {
  using Layout = std::optional<ContractionLayout>;
  return llvm::TypeSwitch<Operation *, Layout>(op)
      .Case([](linalg::MatmulOp) { return ContractionLayout{1, 1, {}}; })
      .Case([](linalg::BatchMatmulOp) { return ContractionLayout{2, 2, {}}; })
      .Case([](linalg::Conv2DNhwcHwcfOp) {
        return ContractionLayout{3, 3, {1, 2}};
      })
      .Case([](linalg::Conv2DNchwFchwOp) {
        return ContractionLayout{1, 0, {2, 3}};
      })
      .Case([](linalg::DepthwiseConv2DNhwcHwcOp) {
        return ContractionLayout{3, 2, {1, 2}};
      })
      .Default([](Operation *) { return std::nullopt; });
}

bool potq::isFloatContraction(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || linalgOp.getNumReductionLoops() == 0 ||
      op->getNumResults() != 1 ||
      !isa<FloatType>(getElementTypeOrSelf(op->getResult(0).getType())))
    return false;
  return linalgOp.getBlock()
      ->walk([](arith::MulFOp) { return WalkResult::interrupt(); })
      .wasInterrupted();
}

EpilogueMatch potq::analyzeEpilogue(Value value) {
  Evaluator evaluator;
  FailureOr<Term> term = evaluator.evaluateTensor(value);
  // On failure, match.epilogue.contraction is the contraction found (if
  // any), for the report.
  if (failed(term))
    return std::move(evaluator.match);
  if (term->kind != Term::Kind::Sum)
    (void)evaluator.fail(value.getDefiningOp(), "the value is a constant");
  else
    evaluator.match.epilogue = std::move(term->sum);
  return std::move(evaluator.match);
}
