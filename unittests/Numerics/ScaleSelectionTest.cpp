//===- ScaleSelectionTest.cpp - Tests of scale selection ------------------===//

#include "potq/Numerics/ScaleSelection.h"
#include "potq/Numerics/Projection.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>
#include <random>

using namespace potq::numerics;

namespace {

const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

const ScaleOptions kMax{ScaleMethod::Max, false};
const ScaleOptions kMaxPot{ScaleMethod::Max, true};
const ScaleOptions kMsqe{ScaleMethod::Msqe, false};
const ScaleOptions kMsqePot{ScaleMethod::Msqe, true};

float choose(const std::vector<float> &w, const Encoding &enc,
             const ScaleOptions &options) {
  return chooseScale(w.data(), w.size(), LevelSet::get(enc), options);
}

double error(const std::vector<float> &w, float s, const Encoding &enc) {
  return quantizationError(w.data(), w.size(), s, LevelSet::get(enc));
}

bool isPowerOfTwo(float s) {
  int e;
  return s > 0.0f && std::frexp(s, &e) == 0.5f;
}

enum class Dist { Gaussian, Laplace, Uniform, Outlier };

std::vector<float> sample(Dist dist, size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> gauss(0.0f, 0.7f);
  std::exponential_distribution<float> expo(2.0f);
  std::uniform_real_distribution<float> unif(-1.5f, 1.5f);
  std::vector<float> w(n);
  for (float &x : w) {
    switch (dist) {
    case Dist::Gaussian:
    case Dist::Outlier:
      x = gauss(rng);
      break;
    case Dist::Laplace:
      x = (rng() & 1 ? 1.0f : -1.0f) * expo(rng);
      break;
    case Dist::Uniform:
      x = unif(rng);
      break;
    }
  }
  if (dist == Dist::Outlier)
    w[n / 3] = -14.0f; // 20 sigma
  return w;
}

TEST(ScaleSelectionTest, MaxMethod) {
  std::vector<float> w{0.5f, -2.54f, 1.0f, 0.0f};
  EXPECT_EQ(choose(w, Encoding::uniform(8), kMax), 2.54f / 127.0f);
  EXPECT_EQ(choose(w, Encoding::uniform(8, false, true), kMax), 2.54f / 127.0f);
  EXPECT_EQ(choose(w, Encoding::uniform(8, true), kMax), 2.54f / 255.0f);
  EXPECT_EQ(choose(w, Encoding::uniform(4), kMax), 2.54f / 7.0f);
  EXPECT_EQ(choose(w, Encoding::pot(4), kMax), 2.54f / 64.0f);
  EXPECT_EQ(choose(w, Encoding::pot(2), kMax), 2.54f);
  EXPECT_EQ(choose(w, Encoding::apot(4), kMax), 2.54f / 10.0f);
  EXPECT_EQ(choose(w, Encoding::nhot(2, 4), kMax), 2.54f / 32.0f);
  // The result maps max |w| onto the largest level of both signs.
  const LevelSet &u8 = LevelSet::get(Encoding::uniform(8));
  float s = choose(w, Encoding::uniform(8), kMax);
  EXPECT_EQ(project(-2.54f, s, u8), -127);
  EXPECT_EQ(project(2.54f, s, u8), 127);
}

TEST(ScaleSelectionTest, DegenerateInputs) {
  for (const ScaleOptions &o : {kMax, kMaxPot, kMsqe, kMsqePot}) {
    EXPECT_EQ(choose({}, Encoding::uniform(8), o), 1.0f);
    EXPECT_EQ(choose({0.0f, -0.0f, 0.0f}, Encoding::uniform(8), o), 1.0f);
    EXPECT_EQ(choose({kNaN, kInf, -kInf}, Encoding::pot(4), o), 1.0f);
    EXPECT_EQ(choose({kNaN, 0.0f}, Encoding::apot(5), o), 1.0f);
  }
  // Non-finite weights are ignored.
  EXPECT_EQ(
      choose({kNaN, 1.27f, -kInf, kInf, -0.5f}, Encoding::uniform(8), kMax),
      1.27f / 127.0f);
  std::vector<float> w = sample(Dist::Gaussian, 300, 3);
  float clean = choose(w, Encoding::apot(4), kMsqe);
  w.insert(w.begin() + 10, kNaN);
  w.push_back(kInf);
  EXPECT_EQ(choose(w, Encoding::apot(4), kMsqe), clean);
  // A tiny amax does not underflow the scale to zero.
  float tiny = std::numeric_limits<float>::denorm_min();
  EXPECT_GT(choose({tiny}, Encoding::uniform(8), kMax), 0.0f);
}

TEST(ScaleSelectionTest, PowerOfTwoMax) {
  EXPECT_EQ(choose({3.0f}, Encoding::pot(4), kMaxPot), 0.0625f);
  EXPECT_EQ(choose({2.0f}, Encoding::pot(4), kMaxPot), 0.03125f);
  EXPECT_EQ(choose({-2.0f}, Encoding::pot(4), kMaxPot), 0.03125f);
  EXPECT_EQ(choose({127.0f}, Encoding::uniform(8), kMaxPot), 1.0f);
  EXPECT_EQ(choose({127.5f}, Encoding::uniform(8), kMaxPot), 2.0f);
  EXPECT_EQ(choose({255.0f}, Encoding::uniform(8, true), kMaxPot), 1.0f);
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> mag(-20.0f, 20.0f);
  for (int i = 0; i < 200; ++i) {
    float amax = std::exp2(mag(rng));
    for (const Encoding &enc :
         {Encoding::uniform(8), Encoding::pot(3), Encoding::apot(6)}) {
      const LevelSet &set = LevelSet::get(enc);
      float s = choose({amax, 0.1f * amax}, enc, kMaxPot);
      ASSERT_TRUE(isPowerOfTwo(s));
      int64_t lmax = std::min(set.max(), -set.min());
      // No clipping at s, clipping at s / 2.
      EXPECT_LE(double(amax), double(s) * double(lmax));
      EXPECT_GT(double(amax), double(s) / 2 * double(lmax));
    }
  }
}

struct MsqeCase {
  Dist dist;
  Encoding enc;
  size_t n = 1000;
};

TEST(ScaleSelectionTest, MsqeIsWithinATenthOfAPercentOfDenseSearch) {
  const MsqeCase cases[] = {
      {Dist::Gaussian, Encoding::uniform(4)},
      {Dist::Gaussian, Encoding::pot(4)},
      {Dist::Gaussian, Encoding::apot(4)},
      {Dist::Gaussian, Encoding::nhot(2, 4)},
      {Dist::Laplace, Encoding::uniform(4)},
      {Dist::Laplace, Encoding::pot(4)},
      {Dist::Laplace, Encoding::apot(5)},
      {Dist::Uniform, Encoding::uniform(4)},
      {Dist::Uniform, Encoding::apot(4)},
      {Dist::Outlier, Encoding::uniform(4)},
      {Dist::Outlier, Encoding::pot(4)},
      {Dist::Outlier, Encoding::apot(5)},
      {Dist::Outlier, Encoding::nhot(2, 4)},
      // Few weights make the error very jagged; int8 most of all.
      {Dist::Uniform, Encoding::uniform(8), 64},
      {Dist::Gaussian, Encoding::apot(5), 37},
      {Dist::Uniform, Encoding::uniform(8), 3000},
      {Dist::Laplace, Encoding::apot(5), 3000},
  };
  unsigned seed = 100;
  for (const MsqeCase &c : cases) {
    SCOPED_TRACE(c.enc.str() + " distribution " + std::to_string(int(c.dist)) +
                 " n " + std::to_string(c.n));
    std::vector<float> w = sample(c.dist, c.n, ++seed);
    float smax = choose(w, c.enc, kMax);
    float s = choose(w, c.enc, kMsqe);
    ASSERT_GT(s, 0.0f);
    double err = error(w, s, c.enc);

    // 20000 log-spaced candidates over [1e-3 smax, 2 smax].
    double dense = std::numeric_limits<double>::infinity();
    const int count = 20000;
    double step = std::log(2000.0) / (count - 1);
    for (int i = 0; i < count; ++i) {
      float cand = float(1e-3 * double(smax) * std::exp(step * i));
      dense = std::min(dense, error(w, cand, c.enc));
    }
    EXPECT_LE(err, dense * 1.001) << "scale " << s << " (max " << smax << ")";
    EXPECT_LE(err, error(w, smax, c.enc));
  }
}

TEST(ScaleSelectionTest, MsqeOnFewWeights) {
  // Per-channel slices are small, and few weights make the error landscape
  // very jagged: sweep many small random cases (dense search is cheap here).
  const Encoding encs[] = {
      Encoding::uniform(3),       Encoding::uniform(4), Encoding::uniform(8),
      Encoding::uniform(4, true), Encoding::pot(3),     Encoding::pot(4),
      Encoding::apot(3),          Encoding::apot(4),    Encoding::apot(5),
      Encoding::nhot(1, 3),       Encoding::nhot(2, 4)};
  const size_t sizes[] = {8, 16, 64, 256};
  std::mt19937 rng(2024);
  for (int trial = 0; trial < 80; ++trial) {
    const Encoding &enc = encs[rng() % std::size(encs)];
    size_t n = sizes[rng() % std::size(sizes)];
    Dist dist = Dist(rng() % 4);
    SCOPED_TRACE(enc.str() + " distribution " + std::to_string(int(dist)) +
                 " n " + std::to_string(n) + " trial " + std::to_string(trial));
    std::vector<float> w = sample(dist, n, unsigned(rng()));
    if (enc.isUnsigned) // half the weights would just clip to 0
      for (float &x : w)
        x = std::fabs(x);
    float smax = choose(w, enc, kMax);
    double err = error(w, choose(w, enc, kMsqe), enc);
    double dense = std::numeric_limits<double>::infinity();
    const int count = 20000;
    double step = std::log(2000.0) / (count - 1);
    for (int i = 0; i < count; ++i) {
      float cand = float(1e-3 * double(smax) * std::exp(step * i));
      dense = std::min(dense, error(w, cand, enc));
    }
    EXPECT_LE(err, dense * 1.001);
  }
}

TEST(ScaleSelectionTest, PowerOfTwoMsqe) {
  const MsqeCase cases[] = {
      {Dist::Gaussian, Encoding::uniform(4)},
      {Dist::Gaussian, Encoding::pot(4)},
      {Dist::Laplace, Encoding::apot(5)},
      {Dist::Uniform, Encoding::uniform(8)},
      {Dist::Outlier, Encoding::nhot(2, 4)},
      {Dist::Outlier, Encoding::pot(3)},
  };
  unsigned seed = 200;
  for (const MsqeCase &c : cases) {
    SCOPED_TRACE(c.enc.str() + " distribution " + std::to_string(int(c.dist)));
    std::vector<float> w = sample(c.dist, 1000, ++seed);
    float s = choose(w, c.enc, kMsqePot);
    ASSERT_TRUE(isPowerOfTwo(s)) << s;
    double err = error(w, s, c.enc);
    int e;
    std::frexp(s, &e);
    for (int k = e - 1 - 4; k <= e - 1 + 4; ++k)
      EXPECT_LE(err, error(w, std::ldexp(1.0f, k), c.enc) * (1 + 1e-12))
          << "2^" << k << " beats " << s;
    // Never worse than the power-of-two max scale.
    EXPECT_LE(err, error(w, choose(w, c.enc, kMaxPot), c.enc));
  }
}

TEST(ScaleSelectionTest, QuantizationError) {
  const LevelSet &u4 = LevelSet::get(Encoding::uniform(4));
  std::vector<float> w{0.3f, -1.0f, 10.0f};
  // 0.3 -> 0.5 (level 1), -1 -> -1 (level -2), 10 -> 3.5 (level 7).
  EXPECT_EQ(quantizationError(w.data(), w.size(), 0.5f, u4),
            (double(0.3f) - 0.5) * (double(0.3f) - 0.5) + 6.5 * 6.5);
  EXPECT_EQ(quantizationError(w.data(), 0, 0.5f, u4), 0.0);
}

TEST(ScaleSelectionTest, PerChannel) {
  const std::vector<int64_t> shape{3, 4, 5};
  std::vector<float> w = sample(Dist::Laplace, 60, 42);
  const LevelSet &set = LevelSet::get(Encoding::apot(4));
  for (unsigned axis = 0; axis < 3; ++axis) {
    for (const ScaleOptions &o : {kMax, kMsqe, kMsqePot}) {
      std::vector<float> scales =
          chooseScalesPerChannel(w.data(), shape, axis, set, o);
      ASSERT_EQ(scales.size(), size_t(shape[axis]));
      for (int64_t c = 0; c < shape[axis]; ++c) {
        std::vector<float> slice;
        for (int64_t i = 0; i < 3; ++i)
          for (int64_t j = 0; j < 4; ++j)
            for (int64_t k = 0; k < 5; ++k) {
              int64_t idx[3] = {i, j, k};
              if (idx[axis] == c)
                slice.push_back(w[size_t(i * 20 + j * 5 + k)]);
            }
        ASSERT_EQ(slice.size(), size_t(60 / shape[axis]));
        EXPECT_EQ(scales[size_t(c)],
                  chooseScale(slice.data(), slice.size(), set, o))
            << "axis " << axis << " channel " << c;
      }
    }
  }
  // Channels differ: the max scales are each slice's own amax / 10.
  std::vector<float> rows{1, -2, 10, 0.5f, 3, -30};
  std::vector<float> perRow =
      chooseScalesPerChannel(rows.data(), {2, 3}, 0, set, kMax);
  EXPECT_EQ(perRow, (std::vector<float>{1.0f, 3.0f}));
  std::vector<float> perCol =
      chooseScalesPerChannel(rows.data(), {2, 3}, 1, set, kMax);
  EXPECT_EQ(perCol, (std::vector<float>{0.1f, 0.3f, 3.0f}));
}

} // namespace
