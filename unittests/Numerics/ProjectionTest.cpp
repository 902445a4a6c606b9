//===- ProjectionTest.cpp - Tests of the bit-exact projection -------------===//

#include "potq/Numerics/Projection.h"

#include "gtest/gtest.h"

#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>

using namespace potq::numerics;

namespace {

const float kInf = std::numeric_limits<float>::infinity();
const float kNaN = std::numeric_limits<float>::quiet_NaN();

/// SPEC section 4 by brute force: a linear scan for the least |target - L|.
int64_t referenceProject(float r, float s, const LevelSet &set, int64_t z) {
  if (std::isnan(r))
    return z;
  volatile float t = r / s; // the spec's binary32 quotient
  float q = t;
  // Beyond the extremes (and at +-inf) the spec clamps; the distances below
  // would all round to the same value there.
  double target = double(q) + double(z);
  if (target >= double(set.max()))
    return set.max();
  if (target <= double(set.min()))
    return set.min();
  int64_t best = set.levels().front();
  double bestDist = std::fabs(target - double(best));
  for (int64_t level : set.levels()) {
    double d = std::fabs(target - double(level));
    int64_t mag = std::llabs(level - z), bestMag = std::llabs(best - z);
    if (d < bestDist || (d == bestDist &&
                         (mag < bestMag || (mag == bestMag && level < best)))) {
      best = level;
      bestDist = d;
    }
  }
  return best;
}

struct Config {
  Encoding enc;
  int64_t zeroPoint;
};

std::vector<Config> randomConfigs() {
  return {{Encoding::uniform(4), 0},
          {Encoding::uniform(4), 3},
          {Encoding::uniform(8), 0},
          {Encoding::uniform(8), -17},
          {Encoding::uniform(8, true), 128},
          {Encoding::uniform(8, false, true), 0},
          {Encoding::pot(3), 0},
          {Encoding::pot(4), 0},
          {Encoding::pot(5), 0},
          {Encoding::apot(3), 0},
          {Encoding::apot(4), 0},
          {Encoding::apot(5), 0},
          {Encoding::apot(6), 0},
          {Encoding::apot(7), 0},
          {Encoding::nhot(2, 7), 0},
          {Encoding::nhot(3, 5), 0}};
}

TEST(ProjectionTest, MatchesBruteForceOnRandomInputs) {
  std::mt19937_64 rng(0x5eed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const int perConfig = 131072; // x16 configs: over 2 million inputs
  for (const Config &c : randomConfigs()) {
    SCOPED_TRACE(c.enc.str() + " zero point " + std::to_string(c.zeroPoint));
    const LevelSet &set = LevelSet::get(c.enc);
    const std::vector<int64_t> &levels = set.levels();
    auto randInt = [&](int64_t lo, int64_t hi) {
      return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
    };
    int mismatches = 0;
    for (int i = 0; i < perConfig; ++i) {
      // Half the scales are powers of two, so that the ties below are exact.
      bool pow2 = (i & 1) == 0;
      float s =
          pow2 ? std::ldexp(1.0f, int(randInt(-12, 12)))
               : float(std::exp(std::log(1e-4) + unit(rng) * std::log(1e7)));
      double lo = double(set.min() - c.zeroPoint) - 3.0;
      double hi = double(set.max() - c.zeroPoint) + 3.0;
      float r;
      switch (randInt(0, pow2 ? 5 : 3)) {
      case 0: // anywhere around the level range
        r = float((lo + unit(rng) * (hi - lo)) * s);
        break;
      case 1: // close to the zero point, where levels are densest
        r = float(std::normal_distribution<double>(0.0, 2.0)(rng) * s);
        break;
      case 2: { // any bit pattern: NaN, inf, denormals, huge values
        uint32_t bits = uint32_t(rng());
        std::memcpy(&r, &bits, sizeof(r));
        break;
      }
      case 3: // exactly on a level
        r = float(
            double(levels[size_t(randInt(0, int64_t(levels.size()) - 1))] -
                   c.zeroPoint) *
            s);
        break;
      case 4: { // exactly halfway between two neighbouring levels
        size_t j = size_t(randInt(0, int64_t(levels.size()) - 2));
        double mid = (double(levels[j]) + double(levels[j + 1])) / 2.0;
        r = float((mid - double(c.zeroPoint)) * s);
        break;
      }
      default: { // one ulp either side of a midpoint
        size_t j = size_t(randInt(0, int64_t(levels.size()) - 2));
        double mid = (double(levels[j]) + double(levels[j + 1])) / 2.0;
        r = float((mid - double(c.zeroPoint)) * s);
        r = std::nextafter(r, randInt(0, 1) ? kInf : -kInf);
        break;
      }
      }
      int64_t got = project(r, s, set, c.zeroPoint);
      int64_t want = referenceProject(r, s, set, c.zeroPoint);
      if (got != want && ++mismatches <= 10)
        ADD_FAILURE() << "r = " << r << " (" << std::hexfloat << r
                      << std::defaultfloat << "), s = " << s << ": got " << got
                      << ", want " << want;
    }
    EXPECT_EQ(mismatches, 0);
  }
}

TEST(ProjectionTest, TiesGoToSmallerMagnitude) {
  const LevelSet &u8 = LevelSet::get(Encoding::uniform(8));
  const float s = 0.25f;
  for (int64_t l = -128; l < 127; ++l) {
    float r = float((double(l) + 0.5) * s); // exact
    int64_t want = std::llabs(l) < std::llabs(l + 1) ? l : l + 1;
    EXPECT_EQ(project(r, s, u8), want) << "r = " << r;
  }
  EXPECT_EQ(project(2.5f, 1.0f, u8), 2);
  EXPECT_EQ(project(-2.5f, 1.0f, u8), -2);
  EXPECT_EQ(project(0.5f, 1.0f, u8), 0);
  EXPECT_EQ(project(-0.5f, 1.0f, u8), 0);
  // With a zero point the tie goes towards Z: 12.5 -> 12, 9.5 -> 10.
  EXPECT_EQ(project(2.5f, 1.0f, u8, 10), 12);
  EXPECT_EQ(project(-0.5f, 1.0f, u8, 10), 10);
  EXPECT_EQ(project(-2.5f, 1.0f, u8, -10), -12);

  // Non-uniform midpoints, both signs: 6 -> 4 in pot, 9 -> 8 in apot<4>,
  // 5 -> 4 in apot<4> (between 4 and 6), 48 -> 32 in pot<4>.
  const LevelSet &pot4 = LevelSet::get(Encoding::pot(4));
  const LevelSet &apot4 = LevelSet::get(Encoding::apot(4));
  const float p = 0.125f;
  EXPECT_EQ(project(6 * p, p, pot4), 4);
  EXPECT_EQ(project(-6 * p, p, pot4), -4);
  EXPECT_EQ(project(48 * p, p, pot4), 32);
  EXPECT_EQ(project(-48 * p, p, pot4), -32);
  EXPECT_EQ(project(1.5f * p, p, pot4), 1);
  EXPECT_EQ(project(9 * p, p, apot4), 8);
  EXPECT_EQ(project(-9 * p, p, apot4), -8);
  EXPECT_EQ(project(5 * p, p, apot4), 4);
  EXPECT_EQ(project(-5 * p, p, apot4), -4);
  // Just off the midpoint the nearer level wins.
  EXPECT_EQ(project(std::nextafter(6 * p, kInf), p, pot4), 8);
  EXPECT_EQ(project(std::nextafter(-6 * p, -kInf), p, pot4), -8);

  // Equal magnitudes around a zero point that is not a level: the lower.
  const LevelSet &pot3 = LevelSet::get(Encoding::pot(3));
  EXPECT_EQ(nearestLevel(pot3, 3.0, 3), 2);
  EXPECT_EQ(nearestLevel(pot3, -3.0, -3), -4);
  EXPECT_EQ(nearestLevel(pot3, 3.0, 0), 2);
  EXPECT_EQ(nearestLevel(pot3, 3.0, 4), 4);
}

TEST(ProjectionTest, SpecialValues) {
  for (const Config &c : randomConfigs()) {
    SCOPED_TRACE(c.enc.str());
    const LevelSet &set = LevelSet::get(c.enc);
    int64_t z = c.zeroPoint;
    EXPECT_EQ(project(kNaN, 1.0f, set, z), z);
    EXPECT_EQ(project(-kNaN, 0.5f, set, z), z);
    EXPECT_EQ(project(kInf, 1.0f, set, z), set.max());
    EXPECT_EQ(project(-kInf, 1.0f, set, z), set.min());
    EXPECT_EQ(project(FLT_MAX, 1.0f, set, z), set.max());
    EXPECT_EQ(project(-FLT_MAX, 1.0f, set, z), set.min());
    EXPECT_EQ(project(FLT_MAX, 0.5f, set, z), set.max()); // quotient is inf
    EXPECT_EQ(project(1e30f, 3.0f, set, z), set.max());
    EXPECT_EQ(project(-1e30f, 3.0f, set, z), set.min());
    EXPECT_EQ(project(0.0f, 1.0f, set, z), z);
    EXPECT_EQ(project(-0.0f, 1.0f, set, z), z);
    EXPECT_EQ(project(-0.0f, 1e-3f, set, z), z);
    // Exactly at the extremes (power-of-two scale: exact products).
    const float s = 0.0625f;
    EXPECT_EQ(project(float(set.max() - z) * s, s, set, z), set.max());
    EXPECT_EQ(project(float(set.min() - z) * s, s, set, z), set.min());
    EXPECT_EQ(project(float(set.max() - z + 1000) * s, s, set, z), set.max());
    // Denormals.
    const float tiny = std::numeric_limits<float>::denorm_min();
    EXPECT_EQ(project(tiny, 1.0f, set, z), z);
    EXPECT_EQ(project(-tiny, 1.0f, set, z), z);
    EXPECT_EQ(project(1.0f, tiny, set, z), set.max()); // quotient is inf
    EXPECT_EQ(project(-1.0f, tiny, set, z), set.min());
    EXPECT_EQ(project(1.0f, FLT_MAX, set, z), z);
  }
  const LevelSet &u8 = LevelSet::get(Encoding::uniform(8));
  const float tiny = std::numeric_limits<float>::denorm_min();
  // Denormal over denormal: 37 * 2^-149 / 2^-149 is exactly 37.
  EXPECT_EQ(project(37 * tiny, tiny, u8), 37);
  EXPECT_EQ(project(-37.5f * 4 * tiny, 4 * tiny, u8), -37);
  EXPECT_EQ(project(1e-40f, 1e-42f, u8),
            referenceProject(1e-40f, 1e-42f, u8, 0));
  EXPECT_EQ(project(1e-40f, 1e-42f, u8), 100);
  // 3 * 2^-149 / 2^-148 is exactly 1.5: a tie, to the smaller magnitude.
  EXPECT_EQ(project(3 * tiny, std::ldexp(1.0f, -148), u8), 1);
}

TEST(ProjectionTest, DivisionIsBinary32) {
  // Find r with r / 0.1f rounding to a different level in binary32 than in
  // double; project must follow the binary32 quotient.
  const LevelSet &u8 = LevelSet::get(Encoding::uniform(8));
  const float s = 0.1f;
  int found = 0;
  for (int k = -127; k < 127 && found < 20; ++k) {
    float r0 = float((k + 0.5) * double(s));
    for (int step = -4; step <= 4; ++step) {
      float r = r0;
      for (int i = 0; i < std::abs(step); ++i)
        r = std::nextafter(r, step > 0 ? kInf : -kInf);
      volatile float qf = r / s;
      double qd = double(r) / double(s);
      int64_t byFloat = nearestLevel(u8, double(qf), 0);
      int64_t byDouble = nearestLevel(u8, qd, 0);
      if (byFloat == byDouble)
        continue;
      ++found;
      EXPECT_EQ(project(r, s, u8), byFloat) << "r = " << r;
    }
  }
  EXPECT_GT(found, 0) << "no input separates binary32 from double division";
}

TEST(ProjectionTest, PowerOfTwoScaleIsExactMultiplication) {
  // SPEC section 4: with s = 2^k, r / s equals r * 2^-k exactly (no
  // overflow or underflow in this range).
  std::mt19937 rng(7);
  const LevelSet &apot5 = LevelSet::get(Encoding::apot(5));
  std::normal_distribution<float> dist(0.0f, 10.0f);
  for (int i = 0; i < 10000; ++i) {
    int k = int(rng() % 21) - 10;
    float s = std::ldexp(1.0f, k);
    float r = dist(rng) * s;
    EXPECT_EQ(project(r, s, apot5),
              nearestLevel(apot5, double(std::ldexp(r, -k)), 0));
  }
}

TEST(ProjectionTest, ProjectToIntegerRangeMatchesUniformLevelSets) {
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (unsigned bits : {8u, 16u}) {
    const LevelSet &set = LevelSet::get(Encoding::uniform(bits));
    for (int i = 0; i < 100000; ++i) {
      float s = (i & 1) ? std::ldexp(1.0f, int(rng() % 17) - 8)
                        : float(std::exp(-8.0 + 12.0 * unit(rng)));
      float r;
      if (i % 3 == 0) { // exact ties with power-of-two scales
        r = float((double(int64_t(rng() % 600) - 300) + 0.5) * s);
      } else if (i % 3 == 1) {
        r = float((unit(rng) - 0.5) * 2.5 * double(set.max()) * s);
      } else {
        uint32_t raw = uint32_t(rng());
        std::memcpy(&r, &raw, sizeof(r));
      }
      ASSERT_EQ(projectToIntegerRange(r, s, set.min(), set.max()),
                project(r, s, set))
          << "r = " << r << ", s = " << s;
    }
  }
  const int64_t lo = INT32_MIN, hi = INT32_MAX;
  EXPECT_EQ(projectToIntegerRange(kNaN, 1.0f, lo, hi), 0);
  EXPECT_EQ(projectToIntegerRange(kInf, 1.0f, lo, hi), hi);
  EXPECT_EQ(projectToIntegerRange(-kInf, 1.0f, lo, hi), lo);
  EXPECT_EQ(projectToIntegerRange(3e9f, 1.0f, lo, hi), hi);
  EXPECT_EQ(projectToIntegerRange(2.5f, 1.0f, lo, hi), 2);
  EXPECT_EQ(projectToIntegerRange(-2.5f, 1.0f, lo, hi), -2);
  EXPECT_EQ(projectToIntegerRange(1e9f, 0.5f, lo, hi), 2000000000);
  EXPECT_EQ(projectToIntegerRange(-0.0f, 1.0f, lo, hi), 0);
}

TEST(ProjectionTest, DequantizeAndFakeQuantize) {
  const LevelSet &u8 = LevelSet::get(Encoding::uniform(8, true));
  EXPECT_EQ(dequantize(3, 0.5f), 1.5f);
  EXPECT_EQ(dequantize(-64, 0.125f), -8.0f);
  EXPECT_EQ(dequantize(10, 0.25f, 6), 1.0f);
  EXPECT_EQ(dequantize(0, 0.25f, 6), -1.5f);
  // One binary32 rounding of the product.
  EXPECT_EQ(dequantize(3, 0.1f), 3.0f * 0.1f);
  EXPECT_EQ(dequantize(-7, 0.3f), -7.0f * 0.3f);
  EXPECT_EQ(fakeQuantize(1.3f, 0.5f, u8, 6), 1.5f);
  EXPECT_EQ(fakeQuantize(-100.0f, 0.5f, u8, 6), -3.0f); // clamps at level 0
  EXPECT_EQ(fakeQuantize(kNaN, 0.5f, u8, 6), 0.0f);
  const LevelSet &pot4 = LevelSet::get(Encoding::pot(4));
  EXPECT_EQ(fakeQuantize(5.0f, 1.0f, pot4), 4.0f);
  EXPECT_EQ(fakeQuantize(7.0f, 1.0f, pot4), 8.0f);
}

} // namespace
