//===- EncodingTest.cpp - Tests of encodings and level sets ---------------===//

#include "potq/Numerics/Encoding.h"

#include "AllEncodings.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

using namespace potq::numerics;
using potq::testutil::allEncodings;

namespace {

std::vector<int64_t> range(int64_t lo, int64_t hi) {
  std::vector<int64_t> v;
  for (int64_t x = lo; x <= hi; ++x)
    v.push_back(x);
  return v;
}

/// Minimal term counts of nhot<n, e>, by enumerating every tuple of n terms
/// in {0} U {+-2^k : k <= e}. Independent of the library's BFS.
std::map<int64_t, unsigned> bruteForceNHot(unsigned n, unsigned e) {
  std::vector<int64_t> choices{0};
  for (unsigned k = 0; k <= e; ++k) {
    choices.push_back(int64_t(1) << k);
    choices.push_back(-(int64_t(1) << k));
  }
  std::map<int64_t, unsigned> minTerms;
  std::vector<size_t> idx(n, 0);
  while (true) {
    int64_t sum = 0;
    unsigned count = 0;
    for (size_t i : idx) {
      sum += choices[i];
      count += choices[i] != 0;
    }
    auto it = minTerms.find(sum);
    if (it == minTerms.end())
      minTerms[sum] = count;
    else
      it->second = std::min(it->second, count);
    // Next tuple, odometer style.
    size_t d = 0;
    while (d < n && ++idx[d] == choices.size())
      idx[d++] = 0;
    if (d == n)
      break;
  }
  return minTerms;
}

TEST(EncodingTest, Verify) {
  EXPECT_FALSE(Encoding::uniform(2).verify());
  EXPECT_FALSE(Encoding::uniform(16, true).verify());
  EXPECT_FALSE(Encoding::uniform(8, false, true).verify());
  EXPECT_FALSE(Encoding::pot(2).verify());
  EXPECT_FALSE(Encoding::pot(5).verify());
  EXPECT_FALSE(Encoding::apot(3).verify());
  EXPECT_FALSE(Encoding::apot(7).verify());
  EXPECT_FALSE(Encoding::nhot(1, 0).verify());
  EXPECT_FALSE(Encoding::nhot(4, 15).verify());

  auto msg = [](const Encoding &e) { return e.verify().value_or("<valid>"); };
  EXPECT_EQ(msg(Encoding::uniform(1)),
            "bits = 1 is out of range: uniform encodings allow bits in "
            "[2, 16]");
  EXPECT_EQ(msg(Encoding::uniform(17)),
            "bits = 17 is out of range: uniform encodings allow bits in "
            "[2, 16]");
  EXPECT_EQ(msg(Encoding::uniform(8, true, true)),
            "'narrow' applies only to signed uniform encodings");
  EXPECT_EQ(msg(Encoding::pot(1)),
            "bits = 1 is out of range: pot encodings allow bits in [2, 5]");
  EXPECT_EQ(msg(Encoding::pot(6)),
            "bits = 6 is out of range: pot encodings allow bits in [2, 5]");
  EXPECT_EQ(msg(Encoding::apot(2)),
            "bits = 2 is out of range: apot encodings allow bits in [3, 7]");
  EXPECT_EQ(msg(Encoding::apot(8)),
            "bits = 8 is out of range: apot encodings allow bits in [3, 7]");
  EXPECT_EQ(msg(Encoding::nhot(0, 3)),
            "terms = 0 is out of range: nhot encodings allow terms in [1, 4]");
  EXPECT_EQ(msg(Encoding::nhot(5, 3)),
            "terms = 5 is out of range: nhot encodings allow terms in [1, 4]");
  EXPECT_EQ(msg(Encoding::nhot(2, 16)),
            "max_exp = 16 is out of range: nhot encodings allow max_exp in "
            "[0, 15]");

  Encoding potUnsigned = Encoding::pot(4);
  potUnsigned.isUnsigned = true;
  EXPECT_EQ(msg(potUnsigned), "'unsigned' applies only to uniform encodings");
  Encoding nhotNarrow = Encoding::nhot(2, 3);
  nhotNarrow.narrow = true;
  EXPECT_EQ(msg(nhotNarrow),
            "'narrow' applies only to signed uniform encodings");
}

TEST(EncodingTest, StrAndEquality) {
  EXPECT_EQ(Encoding::uniform(8).str(), "uniform<bits = 8>");
  EXPECT_EQ(Encoding::uniform(8, true).str(), "uniform<bits = 8, unsigned>");
  EXPECT_EQ(Encoding::uniform(8, false, true).str(),
            "uniform<bits = 8, narrow>");
  EXPECT_EQ(Encoding::pot(4).str(), "pot<bits = 4>");
  EXPECT_EQ(Encoding::apot(4).str(), "apot<bits = 4>");
  EXPECT_EQ(Encoding::nhot(2, 7).str(), "nhot<terms = 2, max_exp = 7>");

  EXPECT_EQ(Encoding::uniform(8), Encoding::uniform(8));
  EXPECT_NE(Encoding::uniform(8), Encoding::uniform(8, true));
  EXPECT_NE(Encoding::uniform(8), Encoding::uniform(8, false, true));
  EXPECT_NE(Encoding::uniform(8), Encoding::uniform(7));
  EXPECT_NE(Encoding::pot(4), Encoding::apot(4));
  EXPECT_NE(Encoding::nhot(2, 7), Encoding::nhot(2, 6));
  EXPECT_NE(Encoding::nhot(2, 7), Encoding::nhot(3, 7));

  // Fields that mean nothing for the kind are ignored.
  Encoding a = Encoding::pot(4), b = Encoding::pot(4);
  b.terms = 3;
  b.maxExp = 9;
  EXPECT_EQ(a, b);
  Encoding c = Encoding::nhot(2, 7), d = Encoding::nhot(2, 7);
  d.bits = 5;
  EXPECT_EQ(c, d);
  // ... and equal encodings share one cached level set.
  EXPECT_EQ(&LevelSet::get(a), &LevelSet::get(b));
  EXPECT_EQ(&LevelSet::get(c), &LevelSet::get(d));
}

TEST(EncodingTest, UniformLevels) {
  EXPECT_EQ(LevelSet::get(Encoding::uniform(2)).levels(), range(-2, 1));
  EXPECT_EQ(LevelSet::get(Encoding::uniform(2, true)).levels(), range(0, 3));
  EXPECT_EQ(LevelSet::get(Encoding::uniform(2, false, true)).levels(),
            range(-1, 1));
  EXPECT_EQ(LevelSet::get(Encoding::uniform(8)).levels(), range(-128, 127));
  EXPECT_EQ(LevelSet::get(Encoding::uniform(8, true)).levels(), range(0, 255));
  EXPECT_EQ(LevelSet::get(Encoding::uniform(8, false, true)).levels(),
            range(-127, 127));
  EXPECT_EQ(LevelSet::get(Encoding::uniform(16)).levels(),
            range(-32768, 32767));
  EXPECT_EQ(LevelSet::get(Encoding::uniform(16, true)).levels(),
            range(0, 65535));
  EXPECT_EQ(LevelSet::get(Encoding::uniform(16, false, true)).levels(),
            range(-32767, 32767));
  for (unsigned b = 2; b <= 16; ++b) {
    EXPECT_TRUE(LevelSet::get(Encoding::uniform(b)).isContiguous());
    EXPECT_TRUE(LevelSet::get(Encoding::uniform(b, true)).isContiguous());
  }
}

TEST(EncodingTest, PotLevels) {
  EXPECT_EQ(LevelSet::get(Encoding::pot(2)).levels(),
            (std::vector<int64_t>{-1, 0, 1}));
  EXPECT_EQ(LevelSet::get(Encoding::pot(3)).levels(),
            (std::vector<int64_t>{-4, -2, -1, 0, 1, 2, 4}));
  EXPECT_EQ(LevelSet::get(Encoding::pot(4)).levels(),
            (std::vector<int64_t>{-64, -32, -16, -8, -4, -2, -1, 0, 1, 2, 4, 8,
                                  16, 32, 64}));
  const LevelSet &pot5 = LevelSet::get(Encoding::pot(5));
  EXPECT_EQ(pot5.size(), 31u);
  EXPECT_EQ(pot5.max(), int64_t(1) << 14);
  EXPECT_EQ(pot5.min(), -(int64_t(1) << 14));
  EXPECT_TRUE(LevelSet::get(Encoding::pot(2)).isContiguous());
  EXPECT_FALSE(LevelSet::get(Encoding::pot(3)).isContiguous());
  for (unsigned b = 2; b <= 5; ++b)
    EXPECT_EQ(LevelSet::get(Encoding::pot(b)).maxTerms(), 1u);
}

TEST(EncodingTest, ApotMagnitudes) {
  // The lists of SPEC section 2, verbatim.
  const std::vector<int64_t> m3{0, 1, 2, 4};
  const std::vector<int64_t> m4{0, 1, 2, 3, 4, 6, 8, 10};
  const std::vector<int64_t> m5{0,  1,  2,  3,  4,  6,  8,  9,
                                12, 16, 18, 24, 32, 33, 36, 48};
  const std::vector<int64_t> m6{0,  1,  2,  3,  4,  5,  6,  7,  8,  10, 12,
                                14, 16, 17, 20, 21, 24, 28, 32, 34, 36, 38,
                                48, 52, 64, 65, 68, 69, 72, 76, 96, 100};
  const std::vector<int64_t> m7{
      0,   1,   2,   3,   4,   5,   6,   7,   8,   10,  12,  14,  16,
      17,  20,  21,  24,  28,  32,  33,  34,  35,  40,  42,  48,  49,
      56,  64,  66,  68,  70,  80,  84,  96,  98,  112, 128, 129, 132,
      133, 136, 140, 160, 161, 168, 192, 196, 224, 256, 257, 258, 259,
      264, 266, 272, 273, 280, 320, 322, 336, 384, 385, 392, 448};
  EXPECT_EQ(apotMagnitudes(3), m3);
  EXPECT_EQ(apotMagnitudes(4), m4);
  EXPECT_EQ(apotMagnitudes(5), m5);
  EXPECT_EQ(apotMagnitudes(6), m6);
  EXPECT_EQ(apotMagnitudes(7), m7);

  for (unsigned b = 3; b <= 7; ++b) {
    std::vector<int64_t> mags = apotMagnitudes(b);
    ASSERT_EQ(mags.size(), size_t(1) << (b - 1));
    // The level set is +-M(B).
    std::set<int64_t> expected;
    for (int64_t m : mags) {
      expected.insert(m);
      expected.insert(-m);
    }
    EXPECT_EQ(LevelSet::get(Encoding::apot(b)).levels(),
              std::vector<int64_t>(expected.begin(), expected.end()));
  }
  // Construction terms: 10 = 8 + 2 in apot<4>, 100 = 64 + 32 + 4 in apot<6>.
  EXPECT_EQ(LevelSet::get(Encoding::apot(4)).decompose(-10),
            (std::vector<Term>{{-1, 3}, {-1, 1}}));
  EXPECT_EQ(LevelSet::get(Encoding::apot(6)).decompose(100),
            (std::vector<Term>{{1, 6}, {1, 5}, {1, 2}}));
  EXPECT_EQ(LevelSet::get(Encoding::apot(7)).maxTerms(), 3u);
  EXPECT_EQ(LevelSet::get(Encoding::apot(3)).maxTerms(), 1u);
}

TEST(EncodingTest, NHotMatchesBruteForce) {
  const std::pair<unsigned, unsigned> cases[] = {
      {1, 0}, {1, 3}, {2, 0}, {2, 3}, {3, 5}, {4, 4}, {4, 7}, {4, 15}};
  for (auto [n, e] : cases) {
    SCOPED_TRACE(Encoding::nhot(n, e).str());
    std::map<int64_t, unsigned> minTerms = bruteForceNHot(n, e);
    const LevelSet &set = LevelSet::get(Encoding::nhot(n, e));
    std::vector<int64_t> expected;
    unsigned maxTerms = 0;
    for (auto [v, count] : minTerms) {
      expected.push_back(v);
      maxTerms = std::max(maxTerms, count);
    }
    ASSERT_EQ(set.levels(), expected);
    EXPECT_EQ(set.maxTerms(), maxTerms);
    EXPECT_EQ(set.max(), int64_t(n) << e);
    for (auto [v, count] : minTerms)
      ASSERT_EQ(set.decompose(v).size(), count) << "level " << v;
  }
  // Exponents may repeat: 2^(E+1) = 2^E + 2^E.
  EXPECT_EQ(LevelSet::get(Encoding::nhot(2, 3)).decompose(16),
            (std::vector<Term>{{1, 3}, {1, 3}}));
  EXPECT_FALSE(LevelSet::get(Encoding::nhot(1, 3)).contains(3));
  EXPECT_TRUE(LevelSet::get(Encoding::nhot(1, 0)).isContiguous());
}

TEST(EncodingTest, NHotCanonicalDecomposition) {
  const LevelSet &set = LevelSet::get(Encoding::nhot(2, 7));
  // Largest exponent first, positive before negative.
  EXPECT_EQ(set.decompose(7), (std::vector<Term>{{1, 3}, {-1, 0}}));
  EXPECT_EQ(set.decompose(-7), (std::vector<Term>{{-1, 3}, {1, 0}}));
  EXPECT_EQ(set.decompose(3), (std::vector<Term>{{1, 2}, {-1, 0}}));
  EXPECT_EQ(set.decompose(128), (std::vector<Term>{{1, 7}}));
  EXPECT_EQ(set.decompose(0), std::vector<Term>{});
  const LevelSet &small = LevelSet::get(Encoding::nhot(2, 2));
  // 7 = 8 - 1 is out of reach with E = 2; 7 needs 4 + 2 + 1: not a level.
  EXPECT_FALSE(small.contains(7));
  EXPECT_EQ(small.decompose(6), (std::vector<Term>{{1, 2}, {1, 1}}));
}

TEST(EncodingTest, DecompositionsReconstructEveryLevel) {
  for (const Encoding &enc : allEncodings()) {
    SCOPED_TRACE(enc.str());
    ASSERT_FALSE(enc.verify());
    const LevelSet &set = LevelSet::get(enc);
    const std::vector<int64_t> &levels = set.levels();
    ASSERT_FALSE(levels.empty());
    ASSERT_TRUE(std::is_sorted(levels.begin(), levels.end()));
    ASSERT_TRUE(std::adjacent_find(levels.begin(), levels.end()) ==
                levels.end());
    ASSERT_TRUE(set.contains(0));
    unsigned maxTerms = 0;
    for (size_t i = 0; i < levels.size(); ++i) {
      int64_t level = levels[i];
      const std::vector<Term> &terms = set.decompose(level);
      ASSERT_EQ(evaluateTerms(terms), level);
      ASSERT_EQ(set.indexOf(level), i);
      maxTerms = std::max(maxTerms, unsigned(terms.size()));
      for (size_t t = 0; t < terms.size(); ++t) {
        ASSERT_TRUE(terms[t].sign == 1 || terms[t].sign == -1);
        if (t > 0) {
          ASSERT_GE(terms[t - 1].exp, terms[t].exp) << "level " << level;
        }
      }
      if (enc.kind == EncodingKind::Uniform) {
        ASSERT_EQ(terms, nonAdjacentForm(level));
      }
      if (enc.kind == EncodingKind::NHot) {
        ASSERT_LE(terms.size(), enc.terms);
        for (const Term &t : terms)
          ASSERT_LE(t.exp, enc.maxExp);
      }
    }
    EXPECT_EQ(set.maxTerms(), maxTerms);
    EXPECT_EQ(set.isContiguous(),
              set.max() - set.min() + 1 == int64_t(set.size()));
    EXPECT_FALSE(set.indexOf(set.max() + 1));
    EXPECT_FALSE(set.contains(set.min() - 1));
  }
}

TEST(EncodingTest, NonAdjacentFormIsMinimal) {
  // Fewest signed power-of-two terms for every |v| <= 2^12, by BFS over
  // +-2^k steps (k <= 14) inside [-2^15, 2^15].
  const int64_t bound = int64_t(1) << 15;
  std::vector<int> dist(size_t(2 * bound + 1), -1);
  std::vector<int64_t> layer{0};
  dist[size_t(bound)] = 0;
  for (int d = 1; !layer.empty(); ++d) {
    std::vector<int64_t> next;
    for (int64_t v : layer)
      for (int k = 0; k <= 14; ++k)
        for (int64_t u : {v + (int64_t(1) << k), v - (int64_t(1) << k)})
          if (u >= -bound && u <= bound && dist[size_t(u + bound)] < 0) {
            dist[size_t(u + bound)] = d;
            next.push_back(u);
          }
    layer = std::move(next);
  }
  for (int64_t v = -4096; v <= 4096; ++v) {
    std::vector<Term> naf = nonAdjacentForm(v);
    ASSERT_EQ(int(naf.size()), dist[size_t(v + bound)]) << "value " << v;
    ASSERT_EQ(evaluateTerms(naf), v);
    for (size_t t = 1; t < naf.size(); ++t)
      ASSERT_GE(naf[t - 1].exp, naf[t].exp + 2) << "adjacent digits in " << v;
  }
  // Hacker's Delight closed form of the NAF weight, for all 17-bit values.
  for (int64_t v = -(int64_t(1) << 16); v <= (int64_t(1) << 16); ++v) {
    uint64_t n = uint64_t(std::llabs(v));
    uint64_t half = n >> 1;
    int weight = __builtin_popcountll((n + half) ^ half);
    ASSERT_EQ(int(nonAdjacentForm(v).size()), weight) << "value " << v;
  }
  // Extremes of int64 do not overflow.
  EXPECT_EQ(evaluateTerms(nonAdjacentForm(INT64_MAX)), INT64_MAX);
  EXPECT_EQ(evaluateTerms(nonAdjacentForm(INT64_MIN)), INT64_MIN);
  EXPECT_EQ(nonAdjacentForm(7), (std::vector<Term>{{1, 3}, {-1, 0}}));
  EXPECT_EQ(nonAdjacentForm(-3), (std::vector<Term>{{-1, 2}, {1, 0}}));
}

TEST(EncodingTest, EvaluateTerms) {
  EXPECT_EQ(evaluateTerms({}), 0);
  EXPECT_EQ(evaluateTerms({{1, 3}, {-1, 0}}), 7);
  EXPECT_EQ(evaluateTerms({{-1, 4}, {-1, 4}}), -32);
  EXPECT_EQ(evaluateTerms({{1, 40}}), int64_t(1) << 40);
}

TEST(EncodingTest, StorageInfo) {
  auto check = [](const Encoding &enc, unsigned width, bool isSigned) {
    StorageInfo info = storageInfo(enc);
    EXPECT_EQ(info.width, width) << enc.str();
    EXPECT_EQ(info.isSigned, isSigned) << enc.str();
  };
  check(Encoding::uniform(8), 8, true);
  check(Encoding::uniform(8, true), 8, false);
  check(Encoding::uniform(9, true), 16, false);
  check(Encoding::uniform(2), 8, true);
  check(Encoding::uniform(16), 16, true);
  check(Encoding::uniform(16, true), 16, false);
  check(Encoding::pot(4), 8, true);
  check(Encoding::pot(5), 16, true);
  check(Encoding::apot(5), 8, true);
  check(Encoding::apot(6), 8, true);
  check(Encoding::apot(7), 16, true);
  check(Encoding::nhot(1, 6), 8, true);
  check(Encoding::nhot(1, 7), 16, true);
  check(Encoding::nhot(2, 14), 32, true);
  check(Encoding::nhot(4, 15), 32, true);

  // The closed form agrees with the built level sets.
  for (const Encoding &enc : allEncodings()) {
    const LevelSet &set = LevelSet::get(enc);
    StorageInfo info = storageInfo(enc);
    int64_t lo = info.isSigned ? -(int64_t(1) << (info.width - 1)) : 0;
    int64_t hi = info.isSigned ? (int64_t(1) << (info.width - 1)) - 1
                               : (int64_t(1) << info.width) - 1;
    EXPECT_TRUE(set.min() >= lo && set.max() <= hi) << enc.str();
    if (info.width > 8) {
      unsigned w = info.width / 2;
      int64_t lo2 = info.isSigned ? -(int64_t(1) << (w - 1)) : 0;
      int64_t hi2 =
          info.isSigned ? (int64_t(1) << (w - 1)) - 1 : (int64_t(1) << w) - 1;
      EXPECT_FALSE(set.min() >= lo2 && set.max() <= hi2) << enc.str();
    }
  }
}

} // namespace
