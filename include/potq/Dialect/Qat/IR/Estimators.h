//===- Estimators.h - Parameters of #qat.estimator --------------*- C++ -*-===//
//
// The one table of the hyperparameters each gradient estimator records in
// `#qat.estimator<kind, {...}>`. The Python package (python/potq/estimators)
// exports exactly these names; docs/Estimators.md gives their meaning.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_DIALECT_QAT_IR_ESTIMATORS_H
#define POTQ_DIALECT_QAT_IR_ESTIMATORS_H

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include "potq/Dialect/Qat/IR/QatOps.h"

namespace potq::qat {

/// The value type of an estimator parameter, as spelled in MLIR:
/// Float: a float attribute (finite); Integer: a signless integer attribute
/// wider than i1; Bool: `true`/`false`; String: one of `choices`.
enum class EstimatorParameterType { Float, Integer, Bool, String };

struct EstimatorParameter {
  llvm::StringLiteral name;
  EstimatorParameterType type;
  /// The accepted values of a String parameter; empty otherwise.
  llvm::ArrayRef<llvm::StringLiteral> choices;
};

/// The parameters estimator `kind` may record (none for ste/clipped_ste).
llvm::ArrayRef<EstimatorParameter> estimatorParameters(EstimatorKind kind);

/// Checks that every entry of `params` is a parameter of `kind` with a value
/// of its type.
mlir::LogicalResult verifyEstimatorParameters(
    llvm::function_ref<mlir::InFlightDiagnostic()> emitError,
    EstimatorKind kind, mlir::DictionaryAttr params);

} // namespace potq::qat

#endif // POTQ_DIALECT_QAT_IR_ESTIMATORS_H
