//===- NHotTest.cpp - Signed-digit recoding properties --------------------===//

#include "potq/Numerics/NHot.h"
#include "potq/Numerics/Projection.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdlib>
#include <random>
#include <set>

using namespace potq::numerics;

namespace {

/// Every value with at most `terms` signed powers of two with exponents in
/// [0, maxExp], enumerated independently of LevelSet.
std::set<int64_t> enumerateNHot(unsigned terms, unsigned maxExp) {
  std::set<int64_t> values{0};
  for (unsigned t = 0; t < terms; ++t) {
    std::set<int64_t> next = values;
    for (int64_t v : values)
      for (unsigned e = 0; e <= maxExp; ++e) {
        next.insert(v + (int64_t(1) << e));
        next.insert(v - (int64_t(1) << e));
      }
    values = std::move(next);
  }
  return values;
}

/// The nearest value of `set` to t (SPEC section 4: ties to the smaller
/// magnitude), by brute force.
int64_t bruteNearest(const std::set<int64_t> &set, double t) {
  int64_t best = 0;
  double bestDistance = INFINITY;
  for (int64_t v : set) {
    double d = std::fabs(t - double(v));
    if (d < bestDistance ||
        (d == bestDistance && std::llabs(v) < std::llabs(best))) {
      best = v;
      bestDistance = d;
    }
  }
  return best;
}

TEST(NHot, RecodeErrorHandCounts) {
  float original[] = {1.0f, -2.0f, 0.0f, 4.0f};
  float recoded[] = {1.0f, -1.0f, 0.5f, 4.0f};
  RecodeError e = recodeError(original, recoded, 4);
  EXPECT_DOUBLE_EQ(e.mse, (1.0 + 0.25) / 4.0);
  EXPECT_DOUBLE_EQ(e.maxAbs, 1.0);
  EXPECT_DOUBLE_EQ(e.relativeRmse, std::sqrt(1.25 / 21.0));
  EXPECT_EQ(recodeError(original, original, 4).mse, 0.0);
  float zeros[] = {0.0f, 0.0f};
  EXPECT_EQ(recodeError(zeros, zeros, 2).relativeRmse, 0.0);
}

TEST(NHot, TightestEncodingKeepsEveryValue) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int64_t> level(-128, 127);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<int64_t> levels;
    int count = 1 + trial % 40;
    for (int i = 0; i < count; ++i)
      levels.push_back(level(rng));
    std::optional<Encoding> enc = tightestNHot(levels);
    ASSERT_TRUE(enc.has_value()); // int8 values have at most 4 NAF digits
    const LevelSet &set = LevelSet::get(*enc);
    size_t maxNaf = 1;
    for (int64_t l : levels) {
      ASSERT_TRUE(set.contains(l)) << l << " not in " << enc->str();
      EXPECT_EQ(set.decompose(l).size(), nonAdjacentForm(l).size()) << l;
      maxNaf = std::max(maxNaf, nonAdjacentForm(l).size());
    }
    // Tight: one term fewer loses a level; one exponent fewer loses a level
    // or needs more terms for one.
    EXPECT_EQ(enc->terms, maxNaf);
    if (enc->maxExp > 0) {
      const LevelSet &smaller =
          LevelSet::get(Encoding::nhot(enc->terms, enc->maxExp - 1));
      bool worse = false;
      for (int64_t l : levels)
        worse |= !smaller.contains(l) ||
                 smaller.decompose(l).size() > nonAdjacentForm(l).size();
      EXPECT_TRUE(worse) << enc->str();
    }
  }
}

TEST(NHot, TightestEncodingOutOfRange) {
  EXPECT_FALSE(tightestNHot({341}).has_value());   // 101010101b: 5 digits
  EXPECT_FALSE(tightestNHot({65536}).has_value()); // exponent 16
  EXPECT_EQ(tightestNHot({0})->str(), Encoding::nhot(1, 0).str());
  EXPECT_EQ(tightestNHot({7, -1})->str(), Encoding::nhot(2, 3).str());
}

TEST(NHot, BudgetedLevelsAreNearestWithAtMostNTerms) {
  std::mt19937 rng(11);
  std::normal_distribution<float> weight(0.0f, 0.05f);
  for (unsigned terms = 1; terms <= 3; ++terms) {
    for (unsigned maxExp : {2u, 5u}) {
      std::set<int64_t> allowed = enumerateNHot(terms, maxExp);
      std::vector<float> w(96);
      for (float &x : w)
        x = weight(rng);
      w[3] = 0.0f;
      w[4] = -w[5]; // symmetric pair
      for (bool perChannel : {false, true}) {
        NHotOptions options;
        options.terms = terms;
        options.maxExp = maxExp;
        if (perChannel)
          options.channelAxis = 1;
        NHotFit fit = fitNHot(w.data(), {12, 8}, options);
        ASSERT_EQ(fit.scales.size(), perChannel ? 8u : 1u);
        const LevelSet &set = LevelSet::get(fit.encoding);
        int64_t nonzeroTerms = 0;
        std::vector<float> recoded;
        for (size_t i = 0; i < w.size(); ++i) {
          float scale = fit.scales[perChannel ? i % 8 : 0];
          int64_t l = fit.levels[i];
          ASSERT_TRUE(allowed.count(l)) << l;
          ASSERT_LE(set.decompose(l).size(), terms);
          nonzeroTerms += int64_t(set.decompose(l).size());
          double t = double(w[i] / scale); // binary32 division (SPEC 4)
          ASSERT_EQ(l, bruteNearest(allowed, t)) << "w=" << w[i];
          recoded.push_back(dequantize(l, scale));
        }
        EXPECT_EQ(fit.nonzeroTerms, nonzeroTerms);
        RecodeError e = recodeError(w.data(), recoded.data(), w.size());
        EXPECT_DOUBLE_EQ(fit.error.mse, e.mse);
        EXPECT_DOUBLE_EQ(fit.error.maxAbs, e.maxAbs);
      }
    }
  }
}

TEST(NHot, MoreTermsNeverHurt) {
  std::mt19937 rng(3);
  std::normal_distribution<float> weight(0.0f, 1.0f);
  std::vector<float> w(2000);
  for (float &x : w)
    x = weight(rng);
  double previous = INFINITY;
  for (unsigned terms = 1; terms <= 4; ++terms) {
    NHotOptions options;
    options.terms = terms;
    options.maxExp = 6;
    double mse = fitNHot(w.data(), {2000}, options).error.mse;
    EXPECT_LE(mse, previous * (1.0 + 1e-3)) << terms;
    previous = mse;
  }
}

TEST(NHot, ChosenExponentWindowFitsTheData) {
  // Weights exactly on 0.25 * nhot<2, 3> including 12 = 8 + 4 and 1: E = 3
  // is exact and E = 2 cannot hold both 1 and 12 at any one scale.
  std::vector<float> w;
  for (int64_t l : {1, 12, -9, 3, 0, -6, 10, 5})
    w.push_back(0.25f * float(l));
  EXPECT_EQ(chooseMaxExp(w.data(), w.size(), 2), 3u);
  NHotOptions options;
  options.terms = 2;
  NHotFit fit = fitNHot(w.data(), {int64_t(w.size())}, options);
  EXPECT_EQ(fit.encoding.maxExp, 3u);
  EXPECT_EQ(fit.error.mse, 0.0);
  std::vector<float> zeros(5, 0.0f);
  EXPECT_EQ(chooseMaxExp(zeros.data(), zeros.size(), 1), 0u);
}

TEST(NHot, TermBudgetAllocation) {
  // Layer 0 gains 10 per added term, layer 1 gains 1 per added term.
  std::vector<std::vector<TermChoice>> layers = {
      {{10, 100.0}, {20, 0.0}},
      {{10, 50.0}, {20, 40.0}, {30, 35.0}},
  };
  EXPECT_FALSE(allocateTermBudget(layers, 19).has_value());
  EXPECT_EQ(*allocateTermBudget(layers, 20), (std::vector<size_t>{0, 0}));
  EXPECT_EQ(*allocateTermBudget(layers, 29), (std::vector<size_t>{0, 0}));
  EXPECT_EQ(*allocateTermBudget(layers, 30), (std::vector<size_t>{1, 0}));
  EXPECT_EQ(*allocateTermBudget(layers, 45), (std::vector<size_t>{1, 1}));
  EXPECT_EQ(*allocateTermBudget(layers, 1000), (std::vector<size_t>{1, 2}));
  // An upgrade that adds no term and lowers the error is always taken.
  std::vector<std::vector<TermChoice>> free = {{{10, 5.0}, {10, 1.0}}};
  EXPECT_EQ(*allocateTermBudget(free, 10), (std::vector<size_t>{1}));
}

} // namespace
