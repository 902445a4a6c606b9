//===- Projection.cpp - Bit-exact float -> level projection ---------------===//
//
// The reference implementation of SPEC section 4. Everything here is exact
// except the one binary32 division the spec prescribes.
//
//===----------------------------------------------------------------------===//

#include "potq/Numerics/Projection.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdlib>

using namespace potq::numerics;

int64_t potq::numerics::nearestLevel(const LevelSet &levels, double target,
                                     int64_t zeroPoint) {
  assert(!std::isnan(target) && "nearestLevel of NaN");
  const std::vector<int64_t> &l = levels.levels();
  // Levels are integers below 2^53, so their conversion to double is exact.
  if (target <= double(l.front()))
    return l.front();
  if (target >= double(l.back()))
    return l.back();
  int64_t lo, hi;
  if (levels.isContiguous()) {
    // Every integer is a level: the neighbours are floor and floor + 1.
    // Scale selection projects millions of values, so skip the search.
    lo = int64_t(std::floor(target));
    hi = lo + 1;
  } else {
    // First level >= target; it has a predecessor because target > min.
    auto it = std::lower_bound(
        l.begin(), l.end(), target,
        [](int64_t level, double t) { return double(level) < t; });
    hi = *it;
    lo = *(it - 1);
  }
  if (double(lo) == target)
    return lo;
  if (double(hi) == target)
    return hi;
  // Compare with the midpoint instead of subtracting: lo + hi is an exact
  // integer and halving it is exact, so the comparison never rounds.
  double mid = double(lo + hi) / 2.0;
  if (target < mid)
    return lo;
  if (target > mid)
    return hi;
  // A tie: the level of smaller magnitude relative to the zero point wins,
  // and the lower level if the magnitudes are equal too.
  int64_t dLo = std::llabs(lo - zeroPoint), dHi = std::llabs(hi - zeroPoint);
  return dHi < dLo ? hi : lo;
}

int64_t potq::numerics::project(float r, float scale, const LevelSet &levels,
                                int64_t zeroPoint) {
  if (std::isnan(r))
    return zeroPoint;
  // The spec's binary32 division. `volatile` forces the quotient through a
  // float even on targets that evaluate float expressions in wider precision.
  volatile float t = r / scale;
  float q = t;
  if (std::isnan(q))
    return zeroPoint;
  // Exact while |q| < 2^30 (far beyond every level set, which clamps anyway);
  // +-inf stays infinite and clamps to the extremes.
  double target = double(q) + double(zeroPoint);
  return nearestLevel(levels, target, zeroPoint);
}

int64_t potq::numerics::projectToIntegerRange(float r, float scale, int64_t lo,
                                              int64_t hi) {
  if (std::isnan(r))
    return 0;
  volatile float quotient = r / scale;
  double t = double(float(quotient));
  if (t <= double(lo))
    return lo;
  if (t >= double(hi))
    return hi;
  double below = std::floor(t);
  double fraction = t - below; // exact: t and below share the exponent range
  int64_t down = int64_t(below), up = down + 1;
  if (fraction < 0.5)
    return down;
  if (fraction > 0.5)
    return up;
  // A tie goes to the smaller magnitude.
  return std::llabs(up) < std::llabs(down) ? up : down;
}

float potq::numerics::dequantize(int64_t level, float scale,
                                 int64_t zeroPoint) {
  // level - zeroPoint is exact in float for every potq level set; the product
  // is then the only rounding.
  return float(level - zeroPoint) * scale;
}

float potq::numerics::fakeQuantize(float r, float scale, const LevelSet &levels,
                                   int64_t zeroPoint) {
  return dequantize(project(r, scale, levels, zeroPoint), scale, zeroPoint);
}
