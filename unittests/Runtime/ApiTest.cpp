//===- ApiTest.cpp - Packing layout, status codes, strategy selection -----===//

#include "AddressSpaceLimit.h"
#include "potq/Runtime/LevelTable.h"
#include "potq/Runtime/Runtime.h"

#include "gtest/gtest.h"

#include <cstdlib>
#include <cstring>
#include <vector>

using namespace potq;
using numerics::Encoding;

namespace {

std::vector<uint8_t> packOrDie(const std::vector<int32_t> &W, int64_t K,
                               int64_t N, const std::vector<int32_t> &table,
                               int bits) {
  int64_t size = 0;
  EXPECT_EQ(potq_packed_size(K, N, bits, &size), POTQ_OK);
  std::vector<uint8_t> buf(static_cast<size_t>(size));
  EXPECT_EQ(potq_pack_weights(W.data(), K, N, N, table.data(), bits, buf.data(),
                              size),
            POTQ_OK);
  return buf;
}

TEST(RuntimeApi, PackedSizeAndShape) {
  int64_t size = 0;
  // 64 header + 512 + 1024 + 1024 + 2 * 4 * 16 * P + 64 * P * KB.
  ASSERT_EQ(potq_packed_size(9, 17, 4, &size), POTQ_OK);
  EXPECT_EQ(size, 2624 + 128 * 2 + 64 * 2 * 2);
  ASSERT_EQ(potq_packed_size(0, 0, 2, &size), POTQ_OK);
  EXPECT_EQ(size, 2624);
  EXPECT_EQ(potq_packed_size(-1, 3, 4, &size), POTQ_ERR_SIZE);
  EXPECT_EQ(potq_packed_size(1, 3, 9, &size), POTQ_ERR_BITS);
  EXPECT_EQ(potq_packed_size(1, 3, 0, &size), POTQ_ERR_BITS);
  EXPECT_EQ(potq_packed_size(1, 3, 4, nullptr), POTQ_ERR_NULL);

  std::vector<int32_t> table = *runtime::levelTable(Encoding::pot(4));
  std::vector<int32_t> W(9 * 17, 2);
  std::vector<uint8_t> buf = packOrDie(W, 9, 17, table, 4);
  int64_t K = 0, N = 0;
  ASSERT_EQ(potq_packed_shape(buf.data(), &K, &N), POTQ_OK);
  EXPECT_EQ(K, 9);
  EXPECT_EQ(N, 17);
}

TEST(RuntimeApi, LayoutIsDocumentedAndDeterministic) {
  // uniform4: code = two's complement nibble. W[k][n] = (k + n) % 8 - 4.
  std::vector<int32_t> table = *runtime::levelTable(Encoding::uniform(4));
  int64_t K = 10, N = 3;
  std::vector<int32_t> W(size_t(K * N));
  for (int64_t k = 0; k < K; ++k)
    for (int64_t n = 0; n < N; ++n)
      W[size_t(k * N + n)] = int32_t((k + n) % 8) - 4;
  std::vector<uint8_t> a = packOrDie(W, K, N, table, 4);
  std::vector<uint8_t> b = packOrDie(W, K, N, table, 4);
  EXPECT_EQ(a, b);
  EXPECT_EQ(std::memcmp(a.data(), "POTQPW01", 8), 0);
  // Codes start at 2624 + 128 * P; block kb holds k = 8kb + 4j + i%4 of
  // column i/4 in field j (low nibble j = 0).
  const uint8_t *codes = a.data() + 2624 + 128;
  for (int64_t k = 0; k < 16; ++k)
    for (int64_t n = 0; n < 16; ++n) {
      int64_t kb = k / 8, j = (k % 8) / 4, i = n * 4 + k % 4;
      unsigned code = (codes[kb * 64 + i] >> (4 * j)) & 15;
      unsigned want = k < K && n < N ? unsigned(W[size_t(k * N + n)]) & 15 : 0;
      EXPECT_EQ(code, want) << "k=" << k << " n=" << n;
    }
  // Column sums follow the level table.
  const int32_t *colSum = reinterpret_cast<const int32_t *>(a.data() + 2624);
  for (int64_t n = 0; n < N; ++n) {
    int32_t s = 0;
    for (int64_t k = 0; k < K; ++k)
      s += W[size_t(k * N + n)];
    EXPECT_EQ(colSum[n], s);
  }
}

TEST(RuntimeApi, PackErrors) {
  std::vector<int32_t> table = *runtime::levelTable(Encoding::pot(4));
  std::vector<int32_t> W = {1, 3}; // 3 is not a pot level
  std::vector<uint8_t> buf(1 << 14);
  int64_t n = int64_t(buf.size());
  EXPECT_EQ(
      potq_pack_weights(W.data(), 1, 2, 2, table.data(), 4, buf.data(), n),
      POTQ_ERR_LEVEL);
  W = {1, 2};
  EXPECT_EQ(potq_pack_weights(nullptr, 1, 2, 2, table.data(), 4, buf.data(), n),
            POTQ_ERR_NULL);
  EXPECT_EQ(potq_pack_weights(W.data(), 1, 2, 2, nullptr, 4, buf.data(), n),
            POTQ_ERR_NULL);
  EXPECT_EQ(
      potq_pack_weights(W.data(), 1, 2, 1, table.data(), 4, buf.data(), n),
      POTQ_ERR_SIZE);
  EXPECT_EQ(
      potq_pack_weights(W.data(), 1, 2, 2, table.data(), 9, buf.data(), n),
      POTQ_ERR_BITS);
  EXPECT_EQ(
      potq_pack_weights(W.data(), 1, 2, 2, table.data(), 4, buf.data(), 100),
      POTQ_ERR_BUFFER);
  std::vector<int32_t> noZero = {1, 2, 3, 4};
  std::vector<int32_t> W2 = {1, 2};
  EXPECT_EQ(
      potq_pack_weights(W2.data(), 1, 2, 2, noZero.data(), 2, buf.data(), n),
      POTQ_ERR_LEVEL);
  std::vector<int32_t> huge = {0, 40000, 1, 2};
  std::vector<int32_t> W3 = {40000, 1};
  EXPECT_EQ(
      potq_pack_weights(W3.data(), 1, 2, 2, huge.data(), 2, buf.data(), n),
      POTQ_ERR_LEVEL);
}

TEST(RuntimeApi, CorruptHeaderOrTablesReportFormat) {
  // pot4 levels 1, -64, 2: DOT-able (int8), 1 NAF term each.
  std::vector<int32_t> table = *runtime::levelTable(Encoding::pot(4));
  std::vector<int32_t> W = {1, 2, 4, 8, -1, -64};
  std::vector<uint8_t> good = packOrDie(W, 3, 2, table, 4);
  int64_t K = 0, N = 0;
  ASSERT_EQ(potq_packed_shape(good.data(), &K, &N), POTQ_OK);
  auto formatOf = [&](size_t offset, const void *bytes, size_t n) {
    std::vector<uint8_t> bad = good;
    std::memcpy(bad.data() + offset, bytes, n);
    return potq_packed_shape(bad.data(), &K, &N);
  };
  // Header (docs/Runtime.md): flags at 36, maxTerms at 40 (int32).
  const int32_t flags6 = 6, termsNeg = -1, terms100 = 100;
  EXPECT_EQ(formatOf(36, &flags6, 4), POTQ_ERR_FORMAT);
  EXPECT_EQ(formatOf(40, &termsNeg, 4), POTQ_ERR_FORMAT);
  EXPECT_EQ(formatOf(40, &terms100, 4), POTQ_ERR_FORMAT);
  // Term exponents (uint8 [4][256] at 576) are shift counts: 0..31 or 32.
  const uint8_t exp40 = 40, exp31 = 31, neg2 = 2;
  EXPECT_EQ(formatOf(576 + 3 * 256 + 7, &exp40, 1), POTQ_ERR_FORMAT);
  EXPECT_EQ(formatOf(576 + 5, &exp31, 1), POTQ_OK);
  // Signs (uint8 [4][256] at 1600) are 0 or 1.
  EXPECT_EQ(formatOf(1600 + 256 + 9, &neg2, 1), POTQ_ERR_FORMAT);
  // An int8-flagged buffer whose level table holds a non-int8 level.
  const int16_t level200 = 200;
  EXPECT_EQ(formatOf(64 + 2 * 3, &level200, 2), POTQ_ERR_FORMAT);
  // potq_gemm refuses the corrupt buffer too.
  std::vector<uint8_t> bad = good;
  std::memcpy(bad.data() + 576 + 3 * 256 + 7, &exp40, 1);
  std::vector<int8_t> X(6, 1);
  std::vector<int32_t> acc(4);
  EXPECT_EQ(
      potq_gemm(2, 2, 3, X.data(), 3, 0, bad.data(), acc.data(), 2, 0, 0, 1),
      POTQ_ERR_FORMAT);
}

TEST(RuntimeApi, HugeSizesReportSize) {
  const int64_t big = INT64_MAX;
  int64_t size = 0;
  // ceil(N / 16) and ceil(K / kBlock) must not overflow.
  EXPECT_EQ(potq_packed_size(0, big, 4, &size), POTQ_ERR_SIZE);
  EXPECT_EQ(potq_packed_size(big, 1, 4, &size), POTQ_ERR_SIZE);
  EXPECT_EQ(potq_packed_size(big, big, 8, &size), POTQ_ERR_SIZE);
  EXPECT_EQ(potq_packed_size(big - 3, 1, 1, &size), POTQ_ERR_SIZE);

  std::vector<int32_t> table = *runtime::levelTable(Encoding::pot(4));
  std::vector<int32_t> W(4 * 2, 1);
  std::vector<uint8_t> buf = packOrDie(W, 4, 2, table, 4);
  std::vector<int8_t> X(64, 1);
  std::vector<int32_t> acc(64);
  // m * ldx / m * ldacc overflow int64 (nothing may be read or written).
  EXPECT_EQ(potq_gemm(big / 2, 2, 4, X.data(), 4, 0, buf.data(), acc.data(), 2,
                      0, 0, 1),
            POTQ_ERR_SIZE);
  EXPECT_EQ(potq_gemm(big / 4, 2, 4, X.data(), 4, 0, buf.data(), acc.data(),
                      big / 2, 0, 0, 1),
            POTQ_ERR_SIZE);
  // M * kPad * 4 (shift-add activations) overflows although M * ldx fits.
  // Only the vector paths stage activations; the ISA is explicit so that a
  // POTQ_ISA=scalar environment does not make the call a real 2^62-byte read.
  if (potq_host_isa() != POTQ_ISA_SCALAR)
    EXPECT_EQ(potq_gemm(int64_t(1) << 60, 2, 4, X.data(), 4, 0, buf.data(),
                        acc.data(), 2, POTQ_STRATEGY_SHIFT_ADD, potq_host_isa(),
                        1),
              POTQ_ERR_SIZE);

  // Convolution: batch * OH * OW, batch * H * W * C, padded sizes, KH*KW*C.
  const int64_t e20 = int64_t(1) << 20, e40 = int64_t(1) << 40;
  auto conv = [&](int64_t B, int64_t H, int64_t Wd, int64_t C, int64_t KH,
                  int64_t KW, int64_t F, int64_t pt) {
    return potq_conv2d_nhwc(B, H, Wd, C, X.data(), 0, KH, KW, F, buf.data(), 1,
                            1, pt, 0, 0, 0, acc.data(), 0, 0, 1);
  };
  EXPECT_EQ(conv(e40, e20, e20, 4, 1, 1, 2, 0), POTQ_ERR_SIZE);
  EXPECT_EQ(conv(1, e40, e40, 4, 1, 1, 2, 0), POTQ_ERR_SIZE);
  // A huge C matching no packed K: FORMAT, before any C-sized allocation.
  EXPECT_EQ(conv(1, 1, 1, big / 2, 1, 1, 2, 0), POTQ_ERR_FORMAT);
  EXPECT_EQ(conv(1, big, 1, 4, 1, 1, 2, 1), POTQ_ERR_SIZE);
  EXPECT_EQ(potq_conv2d_nhwc(1, 1, 1, big / 4, X.data(), 0, 8, 1, 2, buf.data(),
                             1, 1, 7, 0, 0, 0, acc.data(), 0, 0, 1),
            POTQ_ERR_SIZE); // KH * KW * C

  EXPECT_EQ(conv(1, e20, e20, e40, 1, 1, 2, 0), POTQ_ERR_SIZE);
  EXPECT_EQ(conv(1, 1, 1, 4, 1, 1, big, 0), POTQ_ERR_FORMAT);
  EXPECT_EQ(conv(e40, 1, 1, 4, 1, 1, e40, 0), POTQ_ERR_SIZE);
}

TEST(RuntimeApiDeathTest, PackOutOfMemoryReportsAlloc) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  if (const char *why = potq::testing::addressSpaceLimitUnavailable())
    GTEST_SKIP() << why;
  std::vector<int32_t> table = *runtime::levelTable(Encoding::pot(4));
  std::vector<int32_t> W(16, 1);
  std::vector<uint8_t> out(4096);
  // 2^15 x 2^15 weights: the 1 GiB code scratch cannot be allocated within
  // a 64 MiB margin; the failure is POTQ_ERR_ALLOC, not an exception. The
  // (claimed) output size is only checked against the geometry.
  const int64_t K = 1 << 15, N = 1 << 15;
  EXPECT_EXIT(
      {
        potq::testing::limitAddressSpace(size_t(64) << 20);
        std::_Exit(potq_pack_weights(W.data(), K, N, N, table.data(), 4,
                                     out.data(), INT64_MAX));
      },
      ::testing::ExitedWithCode(POTQ_ERR_ALLOC), "");
}

TEST(RuntimeApiDeathTest, KernelScratchOutOfMemoryReportsAlloc) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  if (const char *why = potq::testing::addressSpaceLimitUnavailable())
    GTEST_SKIP() << why;
  // The scalar kernels unpack a panel's codes (16 * K bytes: 16 MiB) into a
  // per-thread buffer inside pool tasks; with no room for it the call must
  // return POTQ_ERR_ALLOC (not terminate or throw), on 1 or 2 threads.
  const int64_t K = int64_t(1) << 20, N = 48;
  std::vector<uint8_t> packed;
  {
    std::vector<int32_t> table = *runtime::levelTable(Encoding::pot(4));
    std::vector<int32_t> W(size_t(K * N), 2);
    packed = packOrDie(W, K, N, table, 4);
  }
  std::vector<int8_t> X(size_t(K), 1);
  std::vector<int32_t> acc(N);
  for (int threads : {1, 2})
    EXPECT_EXIT(
        {
          potq::testing::limitAddressSpace(size_t(12) << 20);
          std::_Exit(potq_gemm(1, N, K, X.data(), K, 0, packed.data(),
                               acc.data(), N, POTQ_STRATEGY_DOT,
                               POTQ_ISA_SCALAR, threads));
        },
        ::testing::ExitedWithCode(POTQ_ERR_ALLOC), "")
        << "threads=" << threads;
  // Without the limit the same call succeeds.
  ASSERT_EQ(potq_gemm(1, N, K, X.data(), K, 0, packed.data(), acc.data(), N,
                      POTQ_STRATEGY_DOT, POTQ_ISA_SCALAR, 2),
            POTQ_OK);
  EXPECT_EQ(acc[0], int32_t(2 * K));
}

TEST(RuntimeApi, GemmErrorsAndStrategy) {
  std::vector<int32_t> table = *runtime::levelTable(Encoding::pot(4));
  std::vector<int32_t> W = {1, 2, 4, 8, -1, -64};
  std::vector<uint8_t> buf = packOrDie(W, 3, 2, table, 4);
  std::vector<int8_t> X(6, 1);
  std::vector<int32_t> acc(4);
  auto gemm = [&](int64_t M, int64_t N, int64_t K, const int8_t *x, int64_t ldx,
                  const void *w, int32_t *out, int64_t ldacc, int32_t strat,
                  int32_t isa) {
    return potq_gemm(M, N, K, x, ldx, 0, w, out, ldacc, strat, isa, 1);
  };
  EXPECT_EQ(gemm(2, 2, 3, X.data(), 3, buf.data(), acc.data(), 2, 0, 0),
            POTQ_OK);
  EXPECT_EQ(acc[0], 1 + 4 - 1);
  EXPECT_EQ(gemm(2, 2, 3, nullptr, 3, buf.data(), acc.data(), 2, 0, 0),
            POTQ_ERR_NULL);
  EXPECT_EQ(gemm(2, 2, 3, X.data(), 3, nullptr, acc.data(), 2, 0, 0),
            POTQ_ERR_NULL);
  EXPECT_EQ(gemm(2, 2, 3, X.data(), 3, buf.data(), nullptr, 2, 0, 0),
            POTQ_ERR_NULL);
  EXPECT_EQ(gemm(-1, 2, 3, X.data(), 3, buf.data(), acc.data(), 2, 0, 0),
            POTQ_ERR_SIZE);
  EXPECT_EQ(gemm(2, 2, 3, X.data(), 2, buf.data(), acc.data(), 2, 0, 0),
            POTQ_ERR_SIZE);
  EXPECT_EQ(gemm(2, 2, 3, X.data(), 3, buf.data(), acc.data(), 1, 0, 0),
            POTQ_ERR_SIZE);
  EXPECT_EQ(gemm(2, 3, 3, X.data(), 3, buf.data(), acc.data(), 3, 0, 0),
            POTQ_ERR_FORMAT);
  EXPECT_EQ(gemm(2, 2, 3, X.data(), 3, buf.data(), acc.data(), 2, 7, 0),
            POTQ_ERR_ARG);
  EXPECT_EQ(gemm(2, 2, 3, X.data(), 3, buf.data(), acc.data(), 2, 0, 9),
            POTQ_ERR_ARG);
  std::vector<uint8_t> bad = buf;
  bad[0] = 'X';
  EXPECT_EQ(gemm(2, 2, 3, X.data(), 3, bad.data(), acc.data(), 2, 0, 0),
            POTQ_ERR_FORMAT);
  if (!potq_isa_supported(POTQ_ISA_AVX512))
    EXPECT_EQ(gemm(2, 2, 3, X.data(), 3, buf.data(), acc.data(), 2, 0,
                   POTQ_ISA_AVX512),
              POTQ_ERR_ISA);
  if (!potq_isa_supported(POTQ_ISA_NEON))
    EXPECT_EQ(
        gemm(2, 2, 3, X.data(), 3, buf.data(), acc.data(), 2, 0, POTQ_ISA_NEON),
        POTQ_ERR_ISA);
  EXPECT_EQ(potq_isa_supported(potq_host_isa()), 1);

  int32_t strat = -1;
  ASSERT_EQ(potq_select_strategy(buf.data(), POTQ_ISA_SCALAR, &strat), POTQ_OK);
  EXPECT_EQ(strat, POTQ_STRATEGY_DOT);
  // pot5 has levels beyond int8: shift-add, and DOT is refused.
  std::vector<int32_t> t5 = *runtime::levelTable(Encoding::pot(5));
  std::vector<int32_t> W5 = {1 << 14, 2, -4, 0, 8, 1};
  std::vector<uint8_t> buf5 = packOrDie(W5, 3, 2, t5, 5);
  ASSERT_EQ(potq_select_strategy(buf5.data(), POTQ_ISA_AUTO, &strat), POTQ_OK);
  EXPECT_EQ(strat, POTQ_STRATEGY_SHIFT_ADD);
  EXPECT_EQ(gemm(2, 2, 3, X.data(), 3, buf5.data(), acc.data(), 2,
                 POTQ_STRATEGY_DOT, 0),
            POTQ_ERR_STRATEGY);
  // A level with 5 NAF terms (0b101010101 = 341) cannot use shift-add.
  std::vector<int32_t> t8(256, 0);
  t8[1] = 341;
  std::vector<int32_t> W8 = {341, 0};
  std::vector<uint8_t> buf8 = packOrDie(W8, 1, 2, t8, 8);
  EXPECT_EQ(potq_select_strategy(buf8.data(), POTQ_ISA_AUTO, &strat),
            POTQ_ERR_STRATEGY);
  EXPECT_EQ(potq_gemm(1, 2, 1, X.data(), 1, 0, buf8.data(), acc.data(), 2,
                      POTQ_STRATEGY_SHIFT_ADD, 0, 1),
            POTQ_ERR_STRATEGY);
  EXPECT_STREQ(potq_status_string(POTQ_ERR_STRATEGY),
               "levels not supported by the strategy");
  EXPECT_GE(potq_default_threads(), 1);
}

} // namespace

TEST(RuntimeApi, IsaNamesRoundTrip) {
  for (int32_t isa = POTQ_ISA_AUTO; isa <= POTQ_ISA_NEON; ++isa)
    EXPECT_EQ(potq_isa_from_name(potq_isa_name(isa)), isa);
  EXPECT_STREQ(potq_isa_name(POTQ_ISA_AVXVNNI), "avxvnni");
  EXPECT_STREQ(potq_isa_name(-1), "?");
  EXPECT_STREQ(potq_isa_name(99), "?");
  EXPECT_EQ(potq_isa_from_name("AVX2"), -1);
  EXPECT_EQ(potq_isa_from_name(""), -1);
  EXPECT_EQ(potq_isa_from_name(nullptr), -1);
}
