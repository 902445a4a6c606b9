//===- Requantize.cpp - int32 accumulators -> int8 levels (SPEC 6) --------===//
//
// Bit-exact with numerics::requantize: the common case (|acc + bias| < 2^31,
// right shift) runs in int64; everything else defers to the 128-bit
// reference implementation.
//
//===----------------------------------------------------------------------===//

#include "potq/Numerics/FixedPoint.h"
#include "potq/Runtime/Runtime.h"

#include <algorithm>

using potq::numerics::FixedPointMultiplier;

static bool validMultiplier(int64_t m, int32_t s) {
  if (m == 1)
    return s >= -62 && s <= 62;
  return m >= (int64_t(1) << 30) && m < (int64_t(1) << 31) && s >= 0 && s <= 62;
}

extern "C" int32_t potq_requantize_i8(int64_t M, int64_t N, const int32_t *acc,
                                      int64_t ldacc, const int32_t *bias,
                                      const int64_t *mult, const int32_t *shift,
                                      int32_t per_channel, int32_t zy,
                                      int32_t lo, int32_t hi, int8_t *out,
                                      int64_t ldout) {
  if (M < 0 || N < 0)
    return POTQ_ERR_SIZE;
  if (M == 0 || N == 0)
    return POTQ_OK;
  if (!acc || !mult || !shift || !out)
    return POTQ_ERR_NULL;
  if (ldacc < N || ldout < N)
    return POTQ_ERR_SIZE;
  if (lo > hi || lo < -128 || hi > 127)
    return POTQ_ERR_ARG;
  int64_t channels = per_channel ? N : 1;
  for (int64_t c = 0; c < channels; ++c)
    if (!validMultiplier(mult[c], shift[c]))
      return POTQ_ERR_ARG;
  for (int64_t m = 0; m < M; ++m)
    for (int64_t n = 0; n < N; ++n) {
      int64_t c = per_channel ? n : 0;
      int64_t a = int64_t(acc[m * ldacc + n]) + (bias ? bias[n] : 0);
      int64_t M0 = mult[c];
      int32_t sh = shift[c];
      int64_t y;
      if (sh > 0 && a > -(int64_t(1) << 31) && a < (int64_t(1) << 31)) {
        // |a * M| < 2^62: the int64 formula of SPEC section 6.
        y = zy + ((a * M0 + (int64_t(1) << (sh - 1))) >> sh);
        y = std::clamp<int64_t>(y, lo, hi);
      } else {
        y = potq::numerics::requantize(a, FixedPointMultiplier{M0, sh}, zy, lo,
                                       hi);
      }
      out[m * ldout + n] = int8_t(y);
    }
  return POTQ_OK;
}
