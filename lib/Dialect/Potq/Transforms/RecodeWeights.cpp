//===- RecodeWeights.cpp - CSD / n-hot weight rewriting -------------------===//
//
// docs/BitSparsity.md. Exact mode re-types each weight to the tightest nhot
// encoding of its levels (values unchanged); nhot mode projects the real
// weights onto nhot<N, E> with new scales and re-expresses constant biases.
//
//===----------------------------------------------------------------------===//

#include "ContractionWeights.h"

#include "potq/Dialect/Potq/IR/ChannelIndexer.h"
#include "potq/Dialect/Potq/IR/PotqOps.h"
#include "potq/Dialect/Potq/Transforms/Passes.h"
#include "potq/Limits.h"
#include "potq/Numerics/FixedPoint.h"
#include "potq/Numerics/NHot.h"
#include "potq/Numerics/Projection.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/ToolOutputFile.h"

#include <cmath>
#include <limits>

namespace potq {
#define GEN_PASS_DEF_POTQRECODEWEIGHTS
#include "potq/Dialect/Potq/Transforms/Passes.h.inc"
} // namespace potq

using namespace mlir;
using namespace potq;
namespace numerics = ::potq::numerics;

namespace {

/// A contraction whose weight is a single-use potq.constant.
struct Layer {
  ContractionOpInterface op;
  ConstantOp constant;
  QuantizedType type;
  std::string name;
  std::vector<int64_t> shape;
  std::vector<int64_t> levels;
  /// The real weights scale * level, binary32.
  std::vector<float> reals;
};

/// What a rewrite did to one layer, for the report.
struct LayerChange {
  std::string name;
  std::string before, after;
  int64_t termsBefore = 0, termsAfter = 0;
  numerics::RecodeError error;
};

int64_t countTerms(const numerics::LevelSet &set,
                   const std::vector<int64_t> &levels) {
  int64_t terms = 0;
  for (int64_t l : levels)
    terms += int64_t(set.decompose(l).size());
  return terms;
}

std::vector<int64_t> shapeOf(Value v) {
  ArrayRef<int64_t> s = cast<RankedTensorType>(v.getType()).getShape();
  return std::vector<int64_t>(s.begin(), s.end());
}

/// The levels `levels` as a potq.constant of element type `type`.
ConstantOp buildConstant(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                         QuantizedType type,
                         const std::vector<int64_t> &levels) {
  return ConstantOp::create(b, loc, RankedTensorType::get(shape, type),
                            ArrayRef<int64_t>(levels));
}

struct PotqRecodeWeightsPass
    : potq::impl::PotqRecodeWeightsBase<PotqRecodeWeightsPass> {
  using Base::Base;

  void runOnOperation() override;

private:
  LogicalResult checkOptions();
  FailureOr<std::vector<Layer>> collectLayers();
  void recodeExact(Layer &layer);
  FailureOr<numerics::NHotFit> fitLayer(const Layer &layer, unsigned terms);
  LogicalResult chooseFits(std::vector<Layer> &layers,
                           std::vector<numerics::NHotFit> &fits);
  LogicalResult applyFit(Layer &layer, const numerics::NHotFit &fit);
  LogicalResult writeReport();

  std::vector<LayerChange> changes;
};

LogicalResult PotqRecodeWeightsPass::checkOptions() {
  Location loc = getOperation().getLoc();
  auto fail = [&](const Twine &msg) {
    return emitError(loc) << "potq-recode-weights: " << msg;
  };
  if (mode == RecodeMode::Exact) {
    if (terms != 0 || maxExp != -1 || maxError != 0.0 || termBudget != 0 ||
        granularity != NHotGranularity::Layer)
      return fail("terms, max-exp, granularity, max-error and term-budget "
                  "apply to mode=nhot only");
    return success();
  }
  int targets = (terms != 0) + (maxError != 0.0) + (termBudget != 0);
  if (targets != 1)
    return fail("mode=nhot needs exactly one of terms, max-error and "
                "term-budget");
  if (terms > 4)
    return fail("terms must be in [1, 4], got " + Twine(unsigned(terms)));
  if (maxExp < -1 || maxExp > 15)
    return fail("max-exp must be in [0, 15] or -1 (from the data), got " +
                Twine(int(maxExp)));
  if (maxError != 0.0 && !(maxError > 0.0 && std::isfinite(maxError)))
    return fail("max-error must be a positive finite relative error");
  if (termBudget < 0)
    return fail("term-budget must be positive, got " +
                Twine(int64_t(termBudget)));
  return success();
}

FailureOr<std::vector<Layer>> PotqRecodeWeightsPass::collectLayers() {
  std::vector<Layer> layers;
  bool ok = true;
  walkContractions(getOperation(), [&](ContractionOpInterface op,
                                       const std::string &name) {
    auto constant = op.getWeight().getDefiningOp<ConstantOp>();
    if (!constant)
      return; // nothing to recode: the weight is not known
    if (!constant->hasOneUse()) {
      op->emitWarning() << "potq-recode-weights: " << name
                        << ": the weight is shared with other ops; left "
                           "unchanged";
      return;
    }
    // New scales change what a raw accumulator means; a requantized result
    // absorbs them in its multiplier.
    auto resultType = cast<RankedTensorType>(op.getResult().getType());
    if (mode == RecodeMode::NHot &&
        !isa<QuantizedType>(resultType.getElementType())) {
      op->emitWarning() << "potq-recode-weights: " << name
                        << ": the result is a raw accumulator, whose scale "
                           "would change with the weights; left unchanged";
      return;
    }
    // Recoding expands the weight (levels, reals, sorted and new levels),
    // a splat too: refused beyond potq/Limits.h.
    int64_t count = cast<ElementsAttr>(constant.getValue()).getNumElements();
    if (!::potq::fitsMaterializationLimit(count, 4 * sizeof(int64_t))) {
      emitOverLimitError(op, "the weight for potq-recode-weights", count,
                         4 * sizeof(int64_t));
      ok = false;
      return;
    }
    auto levels = constant.getLevels();
    Layer layer{op,
                constant,
                constant.getQuantizedType(),
                name,
                shapeOf(constant),
                std::vector<int64_t>(levels.begin(), levels.end()),
                {}};
    ChannelIndexer indexer(layer.shape, layer.type.getAxis());
    for (size_t i = 0; i < layer.levels.size(); ++i) {
      int64_t channel = indexer.channel(int64_t(i));
      layer.reals.push_back(
          numerics::dequantize(layer.levels[i], layer.type.getScaleFor(channel),
                               layer.type.getZeroPoint()));
    }
    layers.push_back(std::move(layer));
  });
  if (!ok)
    return failure();
  return layers;
}

void PotqRecodeWeightsPass::recodeExact(Layer &layer) {
  std::vector<int64_t> distinct = layer.levels;
  llvm::sort(distinct);
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  // Contraction weights have zero point 0 (verified).
  std::optional<numerics::Encoding> enc = numerics::tightestNHot(distinct);
  if (!enc) {
    layer.op->emitWarning()
        << "potq-recode-weights: " << layer.name
        << ": some level needs more than 4 signed digits or an exponent "
           "above 15; left unchanged";
    return;
  }
  MLIRContext *ctx = &getContext();
  auto encoding = NHotAttr::get(ctx, enc->terms, enc->maxExp);
  QuantizedType type = QuantizedType::get(
      ctx, encoding, layer.type.getExpressedType(), layer.type.getScales(),
      layer.type.getAxis(), /*zeroPoint=*/0);
  LayerChange change{layer.name,
                     layer.type.getEncoding().getEncoding().str(),
                     enc->str(),
                     countTerms(layer.type.getLevelSet(), layer.levels),
                     countTerms(type.getLevelSet(), layer.levels),
                     {}};
  OpBuilder b(layer.constant);
  ConstantOp replacement = buildConstant(b, layer.constant.getLoc(),
                                         layer.shape, type, layer.levels);
  layer.constant.replaceAllUsesWith(replacement.getResult());
  layer.constant.erase();
  changes.push_back(change);
}

FailureOr<numerics::NHotFit> PotqRecodeWeightsPass::fitLayer(const Layer &layer,
                                                             unsigned n) {
  ContractionOpInterface op = layer.op;
  numerics::NHotOptions options;
  options.terms = n;
  if (maxExp >= 0)
    options.maxExp = unsigned(maxExp);
  if (granularity == NHotGranularity::Channel)
    options.channelAxis = unsigned(op.getWeightChannelAxis());
  for (float r : layer.reals)
    if (!std::isfinite(r))
      return op->emitError() << "potq-recode-weights: " << layer.name
                             << ": weight is not finite";
  return numerics::fitNHot(layer.reals.data(), layer.shape, options);
}

LogicalResult
PotqRecodeWeightsPass::chooseFits(std::vector<Layer> &layers,
                                  std::vector<numerics::NHotFit> &fits) {
  if (terms != 0) {
    for (Layer &layer : layers) {
      FailureOr<numerics::NHotFit> fit = fitLayer(layer, terms);
      if (failed(fit))
        return failure();
      fits.push_back(*fit);
    }
    return success();
  }
  if (maxError != 0.0) {
    for (Layer &layer : layers) {
      std::optional<numerics::NHotFit> chosen;
      double best = INFINITY;
      for (unsigned n = 1; n <= 4 && !chosen; ++n) {
        FailureOr<numerics::NHotFit> fit = fitLayer(layer, n);
        if (failed(fit))
          return failure();
        best = std::min(best, fit->error.relativeRmse);
        if (fit->error.relativeRmse <= maxError)
          chosen = *fit;
      }
      if (!chosen)
        return layer.op->emitError()
               << "potq-recode-weights: " << layer.name << ": max-error "
               << double(maxError)
               << " cannot be met with at most 4 terms; the smallest "
                  "relative RMS error is "
               << best;
      fits.push_back(*chosen);
    }
    return success();
  }
  // term-budget: every layer at N = 1..4, then the allocation.
  std::vector<std::vector<numerics::NHotFit>> candidates;
  std::vector<std::vector<numerics::TermChoice>> choices;
  for (Layer &layer : layers) {
    candidates.emplace_back();
    choices.emplace_back();
    for (unsigned n = 1; n <= 4; ++n) {
      FailureOr<numerics::NHotFit> fit = fitLayer(layer, n);
      if (failed(fit))
        return failure();
      // Relative squared error summed over the layer's weights, so that
      // layers of different scales compare.
      double r = fit->error.relativeRmse;
      choices.back().push_back(
          {fit->nonzeroTerms, double(layer.levels.size()) * r * r});
      candidates.back().push_back(*fit);
    }
  }
  std::optional<std::vector<size_t>> allocation =
      numerics::allocateTermBudget(choices, termBudget);
  if (!allocation) {
    int64_t minimum = 0;
    for (const auto &c : choices)
      minimum += c.front().nonzeroTerms;
    return emitError(getOperation().getLoc())
           << "potq-recode-weights: term-budget " << int64_t(termBudget)
           << " cannot be met: one term per weight already needs " << minimum
           << " nonzero terms";
  }
  for (size_t l = 0; l < layers.size(); ++l)
    fits.push_back(candidates[l][(*allocation)[l]]);
  return success();
}

/// The bias of `layer` re-expressed at the new weight scales, or failure
/// when it cannot be (not a constant).
FailureOr<Value> rescaleBias(const Layer &layer, QuantizedType newType,
                             OpBuilder &b) {
  ContractionOpInterface op = layer.op;
  Value bias = op.getBias();
  DenseIntElementsAttr values;
  if (auto c = bias.getDefiningOp<arith::ConstantOp>())
    values = dyn_cast<DenseIntElementsAttr>(c.getValue());
  if (!values)
    return layer.op->emitError()
           << "potq-recode-weights: " << layer.name
           << ": the bias is not a constant, so it cannot follow the new "
              "weight scales";
  float sx = op.getInputQuantizedType().getScale();
  SmallVector<int32_t> levels;
  for (auto [c, raw] : llvm::enumerate(values.getValues<APInt>())) {
    float oldScale = sx * layer.type.getScaleFor(int64_t(c));
    float newScale = sx * newType.getScaleFor(int64_t(c));
    float real = float(double(raw.getSExtValue()) * double(oldScale));
    levels.push_back(int32_t(numerics::projectToIntegerRange(
        real, newScale, std::numeric_limits<int32_t>::min(),
        std::numeric_limits<int32_t>::max())));
  }
  auto type = cast<RankedTensorType>(bias.getType());
  return arith::ConstantOp::create(
             b, bias.getLoc(), type,
             DenseIntElementsAttr::get(type, ArrayRef(levels)))
      .getResult();
}

LogicalResult PotqRecodeWeightsPass::applyFit(Layer &layer,
                                              const numerics::NHotFit &fit) {
  MLIRContext *ctx = &getContext();
  auto encoding = NHotAttr::get(ctx, fit.encoding.terms, fit.encoding.maxExp);
  QuantizedType type =
      fit.scales.size() == 1
          ? QuantizedType::get(encoding, layer.type.getExpressedType(),
                               fit.scales.front())
          : QuantizedType::get(encoding, layer.type.getExpressedType(),
                               layer.op.getWeightChannelAxis(), fit.scales);
  // The requantization multipliers must stay representable (SPEC 6).
  float sx = layer.op.getInputQuantizedType().getScale();
  if (QuantizedType out = layer.op.getResultQuantizedType())
    for (float sw : fit.scales)
      if (!numerics::toFixedPoint(double(sx) * double(sw) /
                                  double(out.getScale())))
        return layer.op->emitError()
               << "potq-recode-weights: " << layer.name
               << ": the requantization multiplier of the new weight scale "
               << sw << " is out of range";
  OpBuilder b(layer.op);
  if (Value oldBias = layer.op.getBias()) {
    FailureOr<Value> bias = rescaleBias(layer, type, b);
    if (failed(bias))
      return failure();
    layer.op->replaceUsesOfWith(oldBias, *bias);
    if (Operation *old = oldBias.getDefiningOp(); old->use_empty())
      old->erase();
  }
  b.setInsertionPoint(layer.constant);
  ConstantOp replacement =
      buildConstant(b, layer.constant.getLoc(), layer.shape, type, fit.levels);
  changes.push_back({layer.name, layer.type.getEncoding().getEncoding().str(),
                     fit.encoding.str(),
                     countTerms(layer.type.getLevelSet(), layer.levels),
                     fit.nonzeroTerms, fit.error});
  layer.constant.replaceAllUsesWith(replacement.getResult());
  layer.constant.erase();
  return success();
}

LogicalResult PotqRecodeWeightsPass::writeReport() {
  if (reportFile.empty())
    return success();
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> file =
      openOutputFile(reportFile, &error);
  if (!file)
    return emitError(getOperation().getLoc())
           << "potq-recode-weights: " << error;
  int64_t before = 0, after = 0;
  for (const LayerChange &c : changes) {
    file->os() << "potq-recode-weights: " << c.name << ": " << c.before
               << " -> " << c.after << ", terms " << c.termsBefore << " -> "
               << c.termsAfter
               << llvm::format(", mse %.6g, max abs %.6g, relative rms %.6g\n",
                               c.error.mse, c.error.maxAbs,
                               c.error.relativeRmse);
    before += c.termsBefore;
    after += c.termsAfter;
  }
  file->os() << "potq-recode-weights: total: " << changes.size()
             << " layers, terms " << before << " -> " << after << "\n";
  file->keep();
  return success();
}

void PotqRecodeWeightsPass::runOnOperation() {
  if (mode == RecodeMode::None)
    return; // the pipeline's recode=none; not a word of the pass's `mode`
  if (failed(checkOptions()))
    return signalPassFailure();
  FailureOr<std::vector<Layer>> collected = collectLayers();
  if (failed(collected))
    return signalPassFailure();
  std::vector<Layer> &layers = *collected;
  if (mode == RecodeMode::Exact) {
    for (Layer &layer : layers)
      recodeExact(layer);
  } else {
    std::vector<numerics::NHotFit> fits;
    if (failed(chooseFits(layers, fits)))
      return signalPassFailure();
    for (size_t l = 0; l < layers.size(); ++l)
      if (failed(applyFit(layers[l], fits[l])))
        return signalPassFailure();
  }
  if (failed(writeReport()))
    return signalPassFailure();
}

} // namespace
