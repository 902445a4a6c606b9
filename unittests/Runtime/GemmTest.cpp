//===- GemmTest.cpp - Kernels x strategies x ISAs vs a scalar reference ---===//

#include "potq/Numerics/Encoding.h"
#include "potq/Runtime/LevelTable.h"
#include "potq/Runtime/Runtime.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>

using namespace potq;
using numerics::Encoding;

namespace {

struct Case {
  std::string name;
  Encoding enc;
};

std::vector<Case> encodings() {
  return {{"pot4", Encoding::pot(4)},
          {"apot4", Encoding::apot(4)},
          {"uniform4", Encoding::uniform(4)},
          {"uniform2", Encoding::uniform(2)},
          {"uniform8", Encoding::uniform(8)},
          {"uniform3u", Encoding::uniform(3, /*isUnsigned=*/true)},
          {"pot2", Encoding::pot(2)},
          {"pot5", Encoding::pot(5)},   // levels up to 2^14: shift-add only
          {"apot7", Encoding::apot(7)}, // levels up to 448: shift-add only
          {"nhot2", Encoding::nhot(2, 3)}};
}

std::vector<int32_t> supportedIsas() {
  std::vector<int32_t> isas;
  for (int32_t isa : {POTQ_ISA_SCALAR, POTQ_ISA_AVX2, POTQ_ISA_AVXVNNI,
                      POTQ_ISA_AVX512, POTQ_ISA_NEON})
    if (potq_isa_supported(isa))
      isas.push_back(isa);
  return isas;
}

/// Wrapped int32 of sum (X - zx) * W computed in int64.
std::vector<int32_t> reference(int64_t M, int64_t N, int64_t K,
                               const std::vector<int8_t> &X, int64_t ldx,
                               int32_t zx, const std::vector<int32_t> &W) {
  std::vector<int32_t> out(size_t(M * N));
  for (int64_t m = 0; m < M; ++m)
    for (int64_t n = 0; n < N; ++n) {
      int64_t s = 0;
      for (int64_t k = 0; k < K; ++k)
        s += (int64_t(X[size_t(m * ldx + k)]) - zx) * W[size_t(k * N + n)];
      out[size_t(m * N + n)] = int32_t(uint32_t(uint64_t(s)));
    }
  return out;
}

struct Packed {
  std::vector<uint8_t> bytes;
  bool fits8 = true;
  unsigned maxTerms = 0;
};

/// A code -> level table and its code width.
struct Codebook {
  std::vector<int32_t> table;
  int bits;
  std::string name;
};

Codebook codebook(const Encoding &enc) {
  Codebook cb{*runtime::levelTable(enc), 0, enc.str()};
  while ((size_t(1) << cb.bits) < cb.table.size())
    ++cb.bits;
  return cb;
}

Packed pack(const Codebook &cb, const std::vector<int32_t> &W, int64_t K,
            int64_t N) {
  const std::vector<int32_t> &table = cb.table;
  const int bits = cb.bits;
  int64_t size = 0;
  EXPECT_EQ(potq_packed_size(K, N, bits, &size), POTQ_OK);
  Packed p;
  p.bytes.assign(size_t(size), 0xAB);
  EXPECT_EQ(potq_pack_weights(W.data(), K, N, N, table.data(), bits,
                              p.bytes.data(), size),
            POTQ_OK);
  for (int32_t w : W) {
    p.fits8 &= w >= -128 && w <= 127;
    p.maxTerms = std::max<unsigned>(
        p.maxTerms, unsigned(numerics::nonAdjacentForm(w).size()));
  }
  return p;
}

/// Runs every (ISA, strategy, threads) combination on one problem.
void checkAll(const Codebook &cb, int64_t M, int64_t N, int64_t K,
              const std::vector<int8_t> &X, int64_t ldx, int32_t zx,
              const std::vector<int32_t> &W, const std::string &what,
              const std::vector<int32_t> &isas = supportedIsas()) {
  Packed p = pack(cb, W, K, N);
  std::vector<int32_t> ref = reference(M, N, K, X, ldx, zx, W);
  const int64_t ldacc = N + 3;
  for (int32_t isa : isas)
    for (int32_t strat : {POTQ_STRATEGY_DOT, POTQ_STRATEGY_SHIFT_ADD})
      for (int32_t threads : {1, 2}) {
        std::vector<int32_t> acc(size_t(M * ldacc + 1), 0x5A5A5A5A);
        int32_t s = potq_gemm(M, N, K, X.data(), ldx, zx, p.bytes.data(),
                              acc.data(), ldacc, strat, isa, threads);
        std::string ctx = what + " " + cb.name + " isa=" + std::to_string(isa) +
                          " strat=" + std::to_string(strat) +
                          " threads=" + std::to_string(threads) +
                          " M=" + std::to_string(M) +
                          " N=" + std::to_string(N) + " K=" + std::to_string(K);
        bool ok = strat == POTQ_STRATEGY_DOT ? p.fits8 : p.maxTerms <= 4;
        if (!ok) {
          EXPECT_EQ(s, POTQ_ERR_STRATEGY) << ctx;
          continue;
        }
        ASSERT_EQ(s, POTQ_OK) << ctx;
        int bad = 0;
        for (int64_t m = 0; m < M && bad < 5; ++m) {
          for (int64_t n = 0; n < N && bad < 5; ++n)
            if (acc[size_t(m * ldacc + n)] != ref[size_t(m * N + n)]) {
              ADD_FAILURE() << ctx << " at m=" << m << " n=" << n << ": got "
                            << acc[size_t(m * ldacc + n)] << " want "
                            << ref[size_t(m * N + n)];
              ++bad;
            }
          for (int64_t n = N; n < ldacc; ++n)
            ASSERT_EQ(acc[size_t(m * ldacc + n)], 0x5A5A5A5A)
                << ctx << ": wrote past N";
        }
        ASSERT_EQ(bad, 0);
      }
}

std::vector<int32_t> randomWeights(const Encoding &enc, int64_t K, int64_t N,
                                   std::mt19937 &rng) {
  const auto &levels = numerics::LevelSet::get(enc).levels();
  std::uniform_int_distribution<size_t> pick(0, levels.size() - 1);
  std::vector<int32_t> W(size_t(K * N));
  for (auto &w : W)
    w = int32_t(levels[pick(rng)]);
  return W;
}

TEST(RuntimeGemm, RandomShapes) {
  std::mt19937 rng(42);
  const int64_t shapes[][3] = {
      {0, 5, 7},
      {3, 0, 7},
      {3, 5, 0},
      {1, 1, 1},
      {1, 15, 63},
      {1, 17, 65},
      {1, 16, 1000},
      {2, 16, 3},
      {3, 33, 64},
      {4, 7, 130},
      {5, 17, 1000},
      {20, 31, 65},
      {13, 1, 530},
      {37, 48, 129},
      // Many rows, few panels: the row split across threads.
      {300, 20, 100}};
  for (const Case &c : encodings())
    for (const auto &s : shapes) {
      int64_t M = s[0], N = s[1], K = s[2], ldx = K + 5;
      std::vector<int8_t> X(size_t(M * ldx + 1));
      std::uniform_int_distribution<int> d(-128, 127);
      for (auto &x : X)
        x = int8_t(d(rng));
      int32_t zx = d(rng);
      checkAll(codebook(c.enc), M, N, K, X, ldx, zx,
               randomWeights(c.enc, K, N, rng), c.name);
    }
}

// One test per vector ISA of this architecture, so that the ISAs the host
// lacks show up as skipped (with the reason) rather than silently untested.
class RuntimeGemmIsa : public ::testing::TestWithParam<int32_t> {};


TEST_P(RuntimeGemmIsa, MatchesReference) {
  const int32_t isa = GetParam();
  if (!potq_isa_supported(isa))
    GTEST_SKIP() << "host lacks " << potq_isa_name(isa)
                 << ": its kernels are not tested here";
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> d(-128, 127);
  for (const Case &c : encodings()) {
    int64_t M = 5, N = 33, K = 130, ldx = K + 1;
    std::vector<int8_t> X(size_t(M * ldx));
    for (auto &x : X)
      x = int8_t(d(rng));
    checkAll(codebook(c.enc), M, N, K, X, ldx, d(rng),
             randomWeights(c.enc, K, N, rng), c.name, {isa});
  }
}

INSTANTIATE_TEST_SUITE_P(
    Host, RuntimeGemmIsa,
#if defined(__x86_64__)
    ::testing::Values(POTQ_ISA_AVX2, POTQ_ISA_AVXVNNI, POTQ_ISA_AVX512),
#else
    ::testing::Values(POTQ_ISA_NEON),
#endif
    [](const ::testing::TestParamInfo<int32_t> &info) {
      return potq_isa_name(info.param);
    });

TEST(RuntimeGemm, ExtremesAndAllCodes) {
  for (const Case &c : encodings()) {
    const auto &levels = numerics::LevelSet::get(c.enc).levels();
    // Every level in every column position and k phase.
    int64_t K = 67, N = 19;
    std::vector<int32_t> W(size_t(K * N));
    for (size_t i = 0; i < W.size(); ++i)
      W[i] = int32_t(levels[(i * 7 + i / 5) % levels.size()]);
    for (int8_t xv : {int8_t(-128), int8_t(127)})
      for (int32_t zx : {-128, 0, 127}) {
        int64_t M = 9;
        std::vector<int8_t> X(size_t(M * K), xv);
        checkAll(codebook(c.enc), M, N, K, X, K, zx, W, "extreme");
        checkAll(codebook(c.enc), 1, N, K, X, K, zx, W, "extreme-gemv");
      }
  }
}

TEST(RuntimeGemm, LargeGemvAndGemm) {
  std::mt19937 rng(7);
  for (const Case &c :
       {Case{"pot4", Encoding::pot(4)}, Case{"uniform8", Encoding::uniform(8)}})
    for (int64_t M : {1, 24}) {
      int64_t K = 1100, N = 70;
      std::vector<int8_t> X(size_t(M * K));
      for (auto &x : X)
        x = int8_t(rng());
      checkAll(codebook(c.enc), M, N, K, X, K, 3,
               randomWeights(c.enc, K, N, rng), "large");
    }
}

TEST(RuntimeGemm, AllZeroWeights) {
  // No level has a term: shift-add runs with zero terms per code.
  for (const Case &c : encodings()) {
    int64_t M = 9, N = 18, K = 37;
    std::vector<int8_t> X(size_t(M * K), 77);
    checkAll(codebook(c.enc), M, N, K, X, K, -5,
             std::vector<int32_t>(size_t(K * N), 0), "zeros");
  }
}

TEST(RuntimeGemm, CustomTables) {
  // Arbitrary int16 level tables: levels with at most 4 NAF terms run on
  // shift-add (32767 = 2^15 - 1, -32768, 4369 = 0x1111 with 4 terms);
  // 21845 = 0x5555 needs 8 terms and fits neither strategy; 1-bit codes.
  std::mt19937 rng(9);
  const Codebook books[] = {
      {{0, 32767, -32768, 255, 1000, 4369, -7, 21}, 3, "wide3"},
      {{0, 21845, 3, -1}, 2, "eightTerms"},
      {{0, 1}, 1, "binary"},
      {{5, 0, -128, 127, 64, -64, 3, -3}, 3, "int8-3"}};
  for (const Codebook &cb : books)
    for (int64_t M : {1, 3, 11}) {
      int64_t N = 17, K = 70;
      std::vector<int32_t> W(size_t(K * N));
      for (auto &w : W)
        w = cb.table[rng() % cb.table.size()];
      std::vector<int8_t> X(size_t(M * K));
      for (auto &x : X)
        x = int8_t(rng());
      checkAll(cb, M, N, K, X, K, int32_t(rng() % 256) - 128, W, "custom");
    }
}

TEST(RuntimeGemm, MoreThreadsThanCores) {
  // 5 threads (pool grows), default threads (0), and POTQ_NUM_THREADS.
  std::mt19937 rng(3);
  Codebook cb = codebook(Encoding::pot(4));
  int64_t M = 40, N = 75, K = 300;
  std::vector<int32_t> W = randomWeights(Encoding::pot(4), K, N, rng);
  Packed p = pack(cb, W, K, N);
  std::vector<int8_t> X(size_t(M * K));
  for (auto &x : X)
    x = int8_t(rng());
  std::vector<int32_t> ref = reference(M, N, K, X, K, 7, W);
  setenv("POTQ_NUM_THREADS", "3", 1);
  EXPECT_EQ(potq_default_threads(), 3);
  for (int32_t threads : {5, 0})
    for (int64_t m : {int64_t(1), M}) {
      std::vector<int32_t> acc(size_t(m * N));
      ASSERT_EQ(potq_gemm(m, N, K, X.data(), K, 7, p.bytes.data(), acc.data(),
                          N, POTQ_STRATEGY_AUTO, POTQ_ISA_AUTO, threads),
                POTQ_OK);
      EXPECT_TRUE(std::equal(acc.begin(), acc.end(), ref.begin()))
          << "threads " << threads << " M " << m;
    }
  unsetenv("POTQ_NUM_THREADS");
}

TEST(RuntimeGemm, EnvIsaOverride) {
  std::vector<int32_t> W = {1, -2, 4, 0, 8, -64};
  std::vector<int32_t> table = *runtime::levelTable(Encoding::pot(4));
  int64_t size;
  ASSERT_EQ(potq_packed_size(3, 2, 4, &size), POTQ_OK);
  std::vector<uint8_t> buf(static_cast<size_t>(size));
  ASSERT_EQ(
      potq_pack_weights(W.data(), 3, 2, 2, table.data(), 4, buf.data(), size),
      POTQ_OK);
  std::vector<int8_t> X = {1, 2, 3};
  int32_t acc[2];
  setenv("POTQ_ISA", "scalar", 1);
  ASSERT_EQ(potq_gemm(1, 2, 3, X.data(), 3, 1, buf.data(), acc, 2,
                      POTQ_STRATEGY_AUTO, POTQ_ISA_AUTO, 1),
            POTQ_OK);
  EXPECT_EQ(acc[0], 0 * 1 + 1 * 4 + 2 * 8);
  EXPECT_EQ(acc[1], 0 * -2 + 1 * 0 + 2 * -64);
  setenv("POTQ_ISA", "neon", 1);
  EXPECT_EQ(potq_gemm(1, 2, 3, X.data(), 3, 1, buf.data(), acc, 2,
                      POTQ_STRATEGY_AUTO, POTQ_ISA_AUTO, 1),
            potq_isa_supported(POTQ_ISA_NEON) ? POTQ_OK : POTQ_ERR_ISA);
  setenv("POTQ_ISA", "pentium", 1);
  EXPECT_EQ(potq_gemm(1, 2, 3, X.data(), 3, 1, buf.data(), acc, 2,
                      POTQ_STRATEGY_AUTO, POTQ_ISA_AUTO, 1),
            POTQ_ERR_ARG);
  unsetenv("POTQ_ISA");
}

} // namespace
