//===- PassEnums.h - Enum-valued options of the potq passes -----*- C++ -*-===//
//
// The enums of potq-recode-weights' and potq-cost-report's word-valued
// options, each with the one list of its words (potq/Support/EnumOption.h).
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_DIALECT_POTQ_TRANSFORMS_PASSENUMS_H
#define POTQ_DIALECT_POTQ_TRANSFORMS_PASSENUMS_H

#include "potq/Support/EnumOption.h"

namespace potq {

/// How potq-recode-weights rewrites weights (`mode`; the pipeline's
/// `recode`, which adds `none`).
enum class RecodeMode {
  None,  ///< no recoding (the pipeline's default; a no-op for the pass)
  Exact, ///< values unchanged, tightest nhot type in CSD form
  NHot   ///< projected onto a budgeted nhot encoding
};

/// Scales of recode=nhot (`granularity`, the pipeline's `nhot-granularity`).
enum class NHotGranularity {
  Layer,  ///< one scale per layer
  Channel ///< one scale per output channel
};

/// potq-cost-report's output format (`format`).
enum class CostReportFormat { Text, Json };

} // namespace potq

POTQ_ENUM_OPTION_PARSER(potq::RecodeMode)
POTQ_ENUM_OPTION_PARSER(potq::NHotGranularity)
POTQ_ENUM_OPTION_PARSER(potq::CostReportFormat)

namespace potq {

/// The words of potq-recode-weights' `mode` (exact, nhot) or, with
/// `withNone`, of the pipeline's `recode` (none, exact, nhot).
inline llvm::cl::ValuesClass recodeModeValues(bool withNone = false) {
  auto none = clEnumValN(RecodeMode::None, "none", "no recoding");
  auto exact =
      clEnumValN(RecodeMode::Exact, "exact", "CSD form, values unchanged");
  auto nhot = clEnumValN(RecodeMode::NHot, "nhot",
                         "projected onto a budgeted n-hot encoding");
  return withNone ? llvm::cl::values(none, exact, nhot)
                  : llvm::cl::values(exact, nhot);
}

/// The words of `granularity` (and the pipeline's `nhot-granularity`).
inline llvm::cl::ValuesClass nhotGranularityValues() {
  return llvm::cl::values(
      clEnumValN(NHotGranularity::Layer, "layer", "one scale per layer"),
      clEnumValN(NHotGranularity::Channel, "channel",
                 "one scale per output channel"));
}

/// The words of potq-cost-report's `format`.
inline llvm::cl::ValuesClass costReportFormatValues() {
  return llvm::cl::values(
      clEnumValN(CostReportFormat::Text, "text", "one line per layer"),
      clEnumValN(CostReportFormat::Json, "json", "one JSON object"));
}

} // namespace potq

#endif // POTQ_DIALECT_POTQ_TRANSFORMS_PASSENUMS_H
