//===- FixedPoint.h - Integer requantization (SPEC section 6) ---*- C++ -*-===//
//
// A positive real multiplier m (e.g. sx * sw / sy) is represented as
// M * 2^-shift with M an integer in [2^30, 2^31), or M = 1 when m is an exact
// power of two (so no multiply is needed). Applying it to an accumulator is
// round_shift(acc * M, shift) = (acc * M + 2^(shift-1)) >> shift on i64,
// i.e. round half up.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_NUMERICS_FIXEDPOINT_H
#define POTQ_NUMERICS_FIXEDPOINT_H

#include <cstdint>
#include <optional>
#include <string>

namespace potq::numerics {

struct FixedPointMultiplier {
  /// In [2^30, 2^31), or 1 for an exact power of two.
  int64_t multiplier;
  /// Right shift; negative means a left shift (only when multiplier == 1).
  int shift;

  bool isPowerOfTwo() const { return multiplier == 1; }
};

/// Represents `m` as a fixed-point multiplier. `m` is computed by callers in
/// double from binary32 scales, e.g. double(sx) * double(sw) / double(sy).
/// Returns an error message if m is not positive and finite or is outside
/// [2^-62, 2^31] (powers of two) or [2^-32, 2^31) (all other values).
std::optional<FixedPointMultiplier> toFixedPoint(double m,
                                                 std::string *error = nullptr);

/// round_shift(acc * M, shift) on i64. `acc` must satisfy |acc| < 2^31.
int64_t applyFixedPoint(int64_t acc, const FixedPointMultiplier &fp);

/// The full requantization of SPEC section 6:
/// clamp(zeroPoint + applyFixedPoint(acc, fp), lo, hi), evaluated in 128-bit
/// arithmetic so that it also serves wide (i64) accumulators with
/// |acc| < 2^62; for |acc| < 2^31 it equals the i64 formula exactly.
int64_t requantize(int64_t acc, const FixedPointMultiplier &fp,
                   int64_t zeroPoint, int64_t lo, int64_t hi);

/// The sum of two quantized values with one rounding:
/// clamp(zeroPoint + round_shift(Ta + Tb, S), lo, hi) where, for each input,
/// T = v * M * 2^(S - shift) with v the input level minus its zero point, M
/// and shift its fixed-point multiplier to the output scale, and
/// S = max(shift_a, shift_b, 0). Computed in 128 bits. Callers check
/// addShiftsSupported() first.
int64_t addRequantized(int64_t va, const FixedPointMultiplier &ma, int64_t vb,
                       const FixedPointMultiplier &mb, int64_t zeroPoint,
                       int64_t lo, int64_t hi);

/// True if addRequantized() stays within 128 bits for |v| < 2^17: each
/// alignment shift S - shift is at most 60.
bool addShiftsSupported(const FixedPointMultiplier &ma,
                        const FixedPointMultiplier &mb);

} // namespace potq::numerics

#endif // POTQ_NUMERICS_FIXEDPOINT_H
