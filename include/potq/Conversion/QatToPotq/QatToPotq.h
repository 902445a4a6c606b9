//===- QatToPotq.h - Freezing qat.fake_quant into potq ops ------*- C++ -*-===//

#ifndef POTQ_CONVERSION_QATTOPOTQ_QATTOPOTQ_H
#define POTQ_CONVERSION_QATTOPOTQ_QATTOPOTQ_H

#include "potq/Support/EnumOption.h"

namespace potq {

/// Where the scales of frozen constant weights come from (`weight-scales`).
enum class WeightScales {
  Trained, ///< the op's constant scale tensor
  Max,     ///< chosen: the largest |w| maps to the largest level (SPEC 5)
  Msqe     ///< chosen: least squared projection error (SPEC section 5)
};

} // namespace potq

POTQ_ENUM_OPTION_PARSER(potq::WeightScales)

namespace potq {

/// The words of `weight-scales` (convert-qat-to-potq, potq-qat-to-shift-add).
inline llvm::cl::ValuesClass weightScalesValues() {
  return llvm::cl::values(
      clEnumValN(WeightScales::Trained, "trained",
                 "the trained scales, from the graph"),
      clEnumValN(WeightScales::Max, "max",
                 "chosen: the largest |w| maps to the largest level"),
      clEnumValN(WeightScales::Msqe, "msqe",
                 "chosen: least squared projection error"));
}

} // namespace potq

#endif // POTQ_CONVERSION_QATTOPOTQ_QATTOPOTQ_H
