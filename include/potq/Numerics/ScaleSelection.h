//===- ScaleSelection.h - Choosing scales for frozen weights ----*- C++ -*-===//
//
// SPEC section 5: `max` maps the largest |w| to the largest level, `msqe`
// minimises the squared projection error; either may be constrained to a
// power of two so that requantization is a pure shift.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_NUMERICS_SCALESELECTION_H
#define POTQ_NUMERICS_SCALESELECTION_H

#include "potq/Numerics/Encoding.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace potq::numerics {

enum class ScaleMethod { Max, Msqe };

struct ScaleOptions {
  ScaleMethod method = ScaleMethod::Max;
  /// Restrict the scale to 2^k for an integer k.
  bool powerOfTwo = false;
};

/// Sum over i of (w[i] - dequantize(project(w[i], scale))) ^ 2, in double.
/// Non-finite weights are not skipped (the sum is then NaN or inf).
double quantizationError(const float *w, size_t n, float scale,
                         const LevelSet &levels);

/// The scale for the `n` weights at `w` (zero point 0). Returns 1.0f when
/// every weight is zero (any scale is then exact). Non-finite weights are
/// ignored.
float chooseScale(const float *w, size_t n, const LevelSet &levels,
                  const ScaleOptions &options);

/// One scale per slice along `axis` of a row-major tensor of shape `shape`.
std::vector<float> chooseScalesPerChannel(const float *w,
                                          const std::vector<int64_t> &shape,
                                          unsigned axis, const LevelSet &levels,
                                          const ScaleOptions &options);

} // namespace potq::numerics

#endif // POTQ_NUMERICS_SCALESELECTION_H
