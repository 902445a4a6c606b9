//===- Estimators.cpp - Parameters of #qat.estimator ----------------------===//

#include "potq/Dialect/Qat/IR/Estimators.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace potq::qat {

namespace {
using Type = EstimatorParameterType;
constexpr StringLiteral kStochasticModes[] = {"element", "filter"};

// Keep in sync with python/potq/estimators (a test parses every estimator's
// attribute with potq-opt) and docs/Estimators.md.
constexpr EstimatorParameter kLsq[] = {{"grad_scale", Type::Float, {}}};
constexpr EstimatorParameter kLgLsq[] = {{"grad_scale", Type::Float, {}},
                                         {"asr_alpha", Type::Float, {}},
                                         {"mde", Type::Bool, {}}};
constexpr EstimatorParameter kQErrorAware[] = {
    {"alpha", Type::Float, {}}, {"learned_clip", Type::Bool, {}}};
constexpr EstimatorParameter kMsqe[] = {{"update_interval", Type::Integer, {}},
                                        {"outlier_quantile", Type::Float, {}},
                                        {"scale_momentum", Type::Float, {}}};
constexpr EstimatorParameter kStochasticPartial[] = {
    {"mode", Type::String, kStochasticModes},
    {"ratio", Type::Float, {}},
    {"seed", Type::Integer, {}}};
constexpr EstimatorParameter kNHotTwoStage[] = {{"terms", Type::Integer, {}},
                                                {"stage", Type::Integer, {}}};
} // namespace

ArrayRef<EstimatorParameter> estimatorParameters(EstimatorKind kind) {
  switch (kind) {
  case EstimatorKind::STE:
  case EstimatorKind::ClippedSTE:
    return {};
  case EstimatorKind::LSQ:
    return kLsq;
  case EstimatorKind::LGLSQ:
    return kLgLsq;
  case EstimatorKind::QErrorAware:
    return kQErrorAware;
  case EstimatorKind::MSQE:
    return kMsqe;
  case EstimatorKind::StochasticPartial:
    return kStochasticPartial;
  case EstimatorKind::NHotTwoStage:
    return kNHotTwoStage;
  }
  llvm_unreachable("unknown estimator kind");
}

static StringRef typeName(EstimatorParameterType type) {
  switch (type) {
  case Type::Float:
    return "a finite float";
  case Type::Integer:
    return "an integer";
  case Type::Bool:
    return "a bool";
  case Type::String:
    return "a string";
  }
  llvm_unreachable("unknown parameter type");
}

static bool hasType(Attribute value, EstimatorParameterType type) {
  switch (type) {
  case Type::Float: {
    auto f = dyn_cast<FloatAttr>(value);
    return f && f.getValue().isFinite();
  }
  case Type::Integer: {
    auto i = dyn_cast<IntegerAttr>(value);
    return i && !isa<BoolAttr>(value) && i.getType().isSignlessInteger() &&
           i.getType().getIntOrFloatBitWidth() > 1;
  }
  case Type::Bool:
    return isa<BoolAttr>(value);
  case Type::String:
    return isa<StringAttr>(value);
  }
  llvm_unreachable("unknown parameter type");
}

LogicalResult
verifyEstimatorParameters(function_ref<InFlightDiagnostic()> emitError,
                          EstimatorKind kind, DictionaryAttr params) {
  if (!params)
    return success();
  ArrayRef<EstimatorParameter> known = estimatorParameters(kind);
  for (NamedAttribute entry : params) {
    const EstimatorParameter *param =
        llvm::find_if(known, [&](const EstimatorParameter &p) {
          return p.name == entry.getName();
        });
    if (param == known.end()) {
      InFlightDiagnostic diag = emitError();
      diag << "estimator '" << stringifyEstimatorKind(kind)
           << "' has no parameter '" << entry.getName().getValue() << "'";
      if (known.empty())
        diag << "; it takes none";
      else
        diag << "; it takes "
             << llvm::join(llvm::map_range(known,
                                           [](const EstimatorParameter &p)
                                               -> StringRef { return p.name; }),
                           ", ");
      return diag;
    }
    if (!hasType(entry.getValue(), param->type))
      return emitError() << "estimator parameter '" << param->name
                         << "' must be " << typeName(param->type) << ", got "
                         << entry.getValue();
    if (!param->choices.empty()) {
      StringRef value = cast<StringAttr>(entry.getValue()).getValue();
      if (!llvm::is_contained(param->choices, value))
        return emitError() << "estimator parameter '" << param->name
                           << "' must be one of "
                           << llvm::join(param->choices, ", ") << ", got \""
                           << value << "\"";
    }
  }
  return success();
}

} // namespace potq::qat
