//===- Projection.h - Bit-exact float -> level projection -------*- C++ -*-===//
//
// SPEC section 4, the one rounding rule every potq component must reproduce
// bit for bit: t = r / s as a binary32 division, NaN -> zero point, nearest
// level to t + Z, ties to the level of smaller magnitude |L - Z|, clamping at
// the extremes.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_NUMERICS_PROJECTION_H
#define POTQ_NUMERICS_PROJECTION_H

#include "potq/Numerics/Encoding.h"

#include <cstdint>

namespace potq::numerics {

/// The level of `levels` nearest to `target`, ties to smaller |L - zeroPoint|
/// (the lower level if both have the same magnitude). NaN is not allowed here.
int64_t nearestLevel(const LevelSet &levels, double target, int64_t zeroPoint);

/// Projects the real value `r` with scale `scale` (> 0, finite) and zero
/// point `zeroPoint` onto `levels` (SPEC section 4).
int64_t project(float r, float scale, const LevelSet &levels,
                int64_t zeroPoint = 0);

/// The same projection onto the contiguous integers [lo, hi] with zero point
/// 0, without building a level set: used for i32 bias levels at scale
/// sx * sw.
int64_t projectToIntegerRange(float r, float scale, int64_t lo, int64_t hi);

/// The real value of a level: scale * (level - zeroPoint), computed in
/// binary32 (one rounding: level - zeroPoint is exact in float for every
/// potq level set).
float dequantize(int64_t level, float scale, int64_t zeroPoint = 0);

/// project() followed by dequantize(): the forward value of a fake-quant.
float fakeQuantize(float r, float scale, const LevelSet &levels,
                   int64_t zeroPoint = 0);

} // namespace potq::numerics

#endif // POTQ_NUMERICS_PROJECTION_H
