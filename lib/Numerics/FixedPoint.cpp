//===- FixedPoint.cpp - Integer requantization (SPEC section 6) -----------===//
//
// m = M * 2^-shift with M in [2^30, 2^31) (or M = 1 for powers of two), and
// the round-half-up shift that applies it to an i64 accumulator.
//
//===----------------------------------------------------------------------===//

#include "potq/Numerics/FixedPoint.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>

using namespace potq::numerics;

/// Writes "multiplier m = <m> <what>" into `*error` if it is non-null.
static std::nullopt_t fail(std::string *error, double m, const char *what) {
  if (error) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.17g", m);
    *error = std::string("multiplier m = ") + buf + " " + what;
  }
  return std::nullopt;
}

std::optional<FixedPointMultiplier>
potq::numerics::toFixedPoint(double m, std::string *error) {
  if (!std::isfinite(m) || !(m > 0.0))
    return fail(error, m, "is not a positive finite number");
  if (m > std::ldexp(1.0, 31) || m < std::ldexp(1.0, -62))
    return fail(error, m,
                "is out of range: multipliers must be in "
                "[2^-62, 2^31]");

  int e;
  double f = std::frexp(m, &e); // m = f * 2^e, f in [0.5, 1)
  // An exact power of two 2^(e-1) needs no multiply: M = 1.
  if (f == 0.5)
    return FixedPointMultiplier{1, 1 - e};

  // f * 2^31 is exact; rounding it to an integer is the only approximation.
  int64_t M = std::llround(std::ldexp(f, 31));
  if (M == (int64_t(1) << 31)) {
    M = int64_t(1) << 30;
    ++e;
  }
  int shift = 31 - e;
  // M * 2^-shift with M >= 2^30 needs shift in [0, 62] to stay in i64.
  if (shift < 0 || shift > 62)
    return fail(error, m,
                "is out of range: multipliers that are not a power "
                "of two must be in [2^-32, 2^31)");
  return FixedPointMultiplier{M, shift};
}

int64_t potq::numerics::applyFixedPoint(int64_t acc,
                                        const FixedPointMultiplier &fp) {
  assert(acc > -(int64_t(1) << 31) && acc < (int64_t(1) << 31) &&
         "accumulator out of range");
  // |acc| < 2^31 and M <= 2^31, so |v| < 2^62.
  int64_t v = acc * fp.multiplier;
  // A left shift (M == 1): multiply, as shifting a negative value is UB.
  if (fp.shift <= 0)
    return v * (int64_t(1) << -fp.shift);
  // (v + 2^(shift-1)) / 2^shift lies in [0, 1) when |v| < 2^62 <= 2^(shift-1);
  // shifting by 63 or more would overflow or be UB.
  if (fp.shift >= 63)
    return 0;
  // >> on a negative i64 is an arithmetic (flooring) shift on every supported
  // compiler, and guaranteed since C++20.
  return (v + (int64_t(1) << (fp.shift - 1))) >> fp.shift;
}

int64_t potq::numerics::requantize(int64_t acc, const FixedPointMultiplier &fp,
                                   int64_t zeroPoint, int64_t lo, int64_t hi) {
  assert(acc > -(int64_t(1) << 62) && acc < (int64_t(1) << 62) &&
         "accumulator out of range");
  // |acc * M| < 2^93 and shifts are at most 62: no 128-bit overflow.
  __int128 v = __int128(acc) * fp.multiplier;
  if (fp.shift <= 0)
    v = v * (__int128(1) << -fp.shift);
  else
    v = (v + (__int128(1) << (fp.shift - 1))) >> fp.shift;
  v += zeroPoint;
  return int64_t(std::clamp<__int128>(v, lo, hi));
}

static int commonShift(const FixedPointMultiplier &ma,
                       const FixedPointMultiplier &mb) {
  return std::max({ma.shift, mb.shift, 0});
}

bool potq::numerics::addShiftsSupported(const FixedPointMultiplier &ma,
                                        const FixedPointMultiplier &mb) {
  int s = commonShift(ma, mb);
  return s - ma.shift <= 60 && s - mb.shift <= 60;
}

int64_t
potq::numerics::addRequantized(int64_t va, const FixedPointMultiplier &ma,
                               int64_t vb, const FixedPointMultiplier &mb,
                               int64_t zeroPoint, int64_t lo, int64_t hi) {
  assert(addShiftsSupported(ma, mb) && "alignment shift too large");
  int s = commonShift(ma, mb);
  // |v * M| < 2^48 and alignment shifts <= 60: every term fits in 2^108.
  __int128 ta = __int128(va) * ma.multiplier * (__int128(1) << (s - ma.shift));
  __int128 tb = __int128(vb) * mb.multiplier * (__int128(1) << (s - mb.shift));
  __int128 v = ta + tb;
  if (s > 0)
    v = (v + (__int128(1) << (s - 1))) >> s;
  v += zeroPoint;
  return int64_t(std::clamp<__int128>(v, lo, hi));
}
