//===- FixedPointTest.cpp - Tests of fixed-point requantization -----------===//

#include "potq/Numerics/FixedPoint.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace potq::numerics;

namespace {

/// floor((acc * M + 2^(shift-1)) / 2^shift) in 128-bit arithmetic, or
/// acc * M * 2^-shift for shift <= 0.
int64_t reference(int64_t acc, const FixedPointMultiplier &fp) {
  __int128 v = __int128(acc) * fp.multiplier;
  if (fp.shift <= 0)
    return int64_t(v * (__int128(1) << -fp.shift));
  __int128 den = __int128(1) << fp.shift;
  __int128 num = v + (den >> 1);
  __int128 q = num / den;
  if (num % den != 0 && num < 0)
    --q; // C++ division truncates; we want the floor
  return int64_t(q);
}

TEST(FixedPointTest, PowersOfTwo) {
  auto fp = [](double m) {
    std::optional<FixedPointMultiplier> r = toFixedPoint(m);
    EXPECT_TRUE(r.has_value()) << m;
    return r.value_or(FixedPointMultiplier{0, 0});
  };
  EXPECT_EQ(fp(0.25).multiplier, 1);
  EXPECT_EQ(fp(0.25).shift, 2);
  EXPECT_EQ(fp(4.0).multiplier, 1);
  EXPECT_EQ(fp(4.0).shift, -2);
  EXPECT_EQ(fp(1.0).shift, 0);
  EXPECT_TRUE(fp(1.0).isPowerOfTwo());
  EXPECT_EQ(fp(std::ldexp(1.0, 31)).shift, -31);
  EXPECT_EQ(fp(std::ldexp(1.0, -62)).shift, 62);
  for (int k = -62; k <= 31; ++k) {
    FixedPointMultiplier f = fp(std::ldexp(1.0, k));
    EXPECT_EQ(f.multiplier, 1);
    EXPECT_EQ(f.shift, -k);
  }
}

TEST(FixedPointTest, NonPowersOfTwo) {
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> logm(-32.0, 31.0);
  std::vector<double> ms{0.1, 0.3, 1.5, 3.0, 1000.7, 0.999999999,
                         std::ldexp(1.0, 31) * 0.75, std::ldexp(1.0, -32) * 1.5,
                         // Products of binary32 scales, as callers form them.
                         double(0.0123f) * double(0.37f) / double(0.051f)};
  for (int i = 0; i < 10000; ++i)
    ms.push_back(std::exp2(logm(rng)));
  for (double m : ms) {
    std::string err;
    std::optional<FixedPointMultiplier> fp = toFixedPoint(m, &err);
    ASSERT_TRUE(fp.has_value()) << m << ": " << err;
    int e;
    if (std::frexp(m, &e) == 0.5)
      continue; // an exact power of two
    EXPECT_GE(fp->multiplier, int64_t(1) << 30) << m;
    EXPECT_LT(fp->multiplier, int64_t(1) << 31) << m;
    EXPECT_GE(fp->shift, 0);
    EXPECT_LE(fp->shift, 62);
    double approx = std::ldexp(double(fp->multiplier), -fp->shift);
    EXPECT_LT(std::fabs(approx - m) / m, std::ldexp(1.0, -30)) << m;
  }
  // Rounding f * 2^31 up to 2^31 renormalizes to M = 2^30.
  std::optional<FixedPointMultiplier> up =
      toFixedPoint(std::nextafter(1.0, 0.0));
  ASSERT_TRUE(up.has_value());
  EXPECT_EQ(up->multiplier, int64_t(1) << 30);
  EXPECT_EQ(up->shift, 30);
}

TEST(FixedPointTest, Rejects) {
  const double inf = std::numeric_limits<double>::infinity();
  for (double m :
       {0.0, -0.0, -1.0, -0.25, std::nan(""), inf, -inf, std::ldexp(1.0, 40),
        std::nextafter(std::ldexp(1.0, 31), inf), 1e-30, std::ldexp(1.0, -63),
        1e-10}) {
    std::string err;
    EXPECT_FALSE(toFixedPoint(m, &err).has_value()) << m;
    EXPECT_NE(err.find("multiplier m = "), std::string::npos) << err;
    EXPECT_FALSE(toFixedPoint(m).has_value()) << m; // no error sink
  }
  std::string err;
  toFixedPoint(std::ldexp(1.0, 40), &err);
  EXPECT_EQ(err, "multiplier m = 1099511627776 is out of range: multipliers "
                 "must be in [2^-62, 2^31]");
  toFixedPoint(-2.0, &err);
  EXPECT_EQ(err, "multiplier m = -2 is not a positive finite number");
  // Below 2^-32 only exact powers of two are representable.
  toFixedPoint(1e-10, &err);
  EXPECT_NE(err.find("not a power of two"), std::string::npos) << err;
  EXPECT_TRUE(toFixedPoint(std::ldexp(1.0, -40)).has_value());
}

TEST(FixedPointTest, ApplyMatchesExactReference) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> logm(-40.0, 31.0);
  std::uniform_int_distribution<int64_t> accDist(-(int64_t(1) << 31) + 1,
                                                 (int64_t(1) << 31) - 1);
  const int64_t edge[] = {0,  1,         -1,         2,          -2,         3,
                          -3, (1 << 30), -(1 << 30), 2147483647, -2147483647};
  for (int i = 0; i < 2000; ++i) {
    double m = std::exp2(logm(rng));
    if (i % 4 == 0)
      m = std::ldexp(1.0, int(rng() % 94) - 62); // powers of two
    std::optional<FixedPointMultiplier> fp = toFixedPoint(m);
    if (!fp)
      continue; // non-powers of two below 2^-32
    for (int64_t acc : edge)
      ASSERT_EQ(applyFixedPoint(acc, *fp), reference(acc, *fp))
          << "acc " << acc << " M " << fp->multiplier << " shift " << fp->shift;
    for (int j = 0; j < 50; ++j) {
      int64_t acc = accDist(rng);
      ASSERT_EQ(applyFixedPoint(acc, *fp), reference(acc, *fp))
          << "acc " << acc << " M " << fp->multiplier << " shift " << fp->shift;
    }
  }
  // A shift of 63 (not produced by toFixedPoint) is still well defined.
  FixedPointMultiplier deep{1, 63};
  for (int64_t acc : edge)
    EXPECT_EQ(applyFixedPoint(acc, deep), reference(acc, deep));
}

TEST(FixedPointTest, RoundHalfUp) {
  FixedPointMultiplier half = *toFixedPoint(0.5);
  EXPECT_EQ(applyFixedPoint(1, half), 1);
  EXPECT_EQ(applyFixedPoint(-1, half), 0);
  EXPECT_EQ(applyFixedPoint(3, half), 2);
  EXPECT_EQ(applyFixedPoint(-3, half), -1);
  EXPECT_EQ(applyFixedPoint(-4, half), -2);
  FixedPointMultiplier quarter = *toFixedPoint(0.25);
  EXPECT_EQ(applyFixedPoint(6, quarter), 2);   // 1.5 -> 2
  EXPECT_EQ(applyFixedPoint(-6, quarter), -1); // -1.5 -> -1
  EXPECT_EQ(applyFixedPoint(5, quarter), 1);   // 1.25 -> 1
  EXPECT_EQ(applyFixedPoint(-7, quarter), -2); // -1.75 -> -2
  FixedPointMultiplier four = *toFixedPoint(4.0);
  EXPECT_EQ(applyFixedPoint(-5, four), -20);
  // 0.75 = 3 * 2^30 * 2^-32: 2 * 0.75 = 1.5 -> 2, -1.5 -> -1.
  FixedPointMultiplier threeQuarters = *toFixedPoint(0.75);
  EXPECT_EQ(threeQuarters.multiplier, 3 << 29);
  EXPECT_EQ(threeQuarters.shift, 31);
  EXPECT_EQ(applyFixedPoint(2, threeQuarters), 2);
  EXPECT_EQ(applyFixedPoint(-2, threeQuarters), -1);
}

TEST(FixedPointTest, Requantize) {
  FixedPointMultiplier half = *toFixedPoint(0.5);
  EXPECT_EQ(requantize(4, half, 10, 0, 15), 12);
  EXPECT_EQ(requantize(100, half, 10, 0, 15), 15);
  EXPECT_EQ(requantize(-100, half, 10, 0, 15), 0);
  EXPECT_EQ(requantize(-1, half, 0, -128, 127), 0);
  // ReLU fused into the clamp: lo = zero point.
  EXPECT_EQ(requantize(-30, half, -5, -5, 127), -5);
  EXPECT_EQ(requantize(30, half, -5, -5, 127), 10);
}

} // namespace

namespace {

// requantize() computes in 128 bits: it equals zeroPoint + applyFixedPoint
// (clamped) for i32 accumulators and extends the same formula to the wide
// accumulators (|acc| < 2^62) of `wide_accumulator` contractions.
TEST(FixedPointTest, RequantizeWideAccumulators) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> logm(-32.0, 30.0);
  for (int i = 0; i < 2000; ++i) {
    std::optional<FixedPointMultiplier> fp = toFixedPoint(std::exp2(logm(rng)));
    if (!fp)
      continue;
    int64_t small = int64_t(rng() % (uint64_t(1) << 31)) - (int64_t(1) << 30);
    int64_t expected =
        std::clamp<int64_t>(applyFixedPoint(small, *fp) + 3, -32768, 32767);
    ASSERT_EQ(requantize(small, *fp, 3, -32768, 32767), expected);

    int64_t wide = int64_t(rng() % (uint64_t(1) << 62)) - (int64_t(1) << 61);
    __int128 v = __int128(wide) * fp->multiplier;
    v = fp->shift > 0 ? (v + (__int128(1) << (fp->shift - 1))) >> fp->shift
                      : v * (__int128(1) << -fp->shift);
    __int128 clamped = std::clamp<__int128>(v + 3, -32768, 32767);
    ASSERT_EQ(requantize(wide, *fp, 3, -32768, 32767), int64_t(clamped))
        << "acc " << wide << " M " << fp->multiplier << " shift " << fp->shift;
  }
  // The hand example of test/Integration/wide-accumulator.mlir.
  EXPECT_EQ(
      requantize(4294705152, *toFixedPoint(std::ldexp(1.0, -26)), 0, -128, 127),
      64);
}

} // namespace
