//===- ConvTest.cpp - NHWC x HWCF convolution vs a direct reference -------===//

#include "potq/Runtime/LevelTable.h"
#include "potq/Runtime/Runtime.h"

#include "gtest/gtest.h"

#include <random>

using namespace potq;

namespace {

struct ConvCase {
  int64_t B, H, W, C, KH, KW, F, sh, sw, pt, pl, pb, pr;
};

TEST(RuntimeConv, MatchesDirectConvolution) {
  std::mt19937 rng(11);
  std::vector<int32_t> table = *runtime::levelTable(numerics::Encoding::pot(4));
  const auto &levels =
      numerics::LevelSet::get(numerics::Encoding::pot(4)).levels();
  const ConvCase cases[] = {{1, 7, 6, 5, 3, 3, 17, 1, 1, 1, 1, 1, 1},
                            {2, 9, 9, 3, 3, 3, 8, 2, 2, 1, 0, 1, 0},
                            {1, 5, 5, 19, 1, 1, 33, 1, 1, 0, 0, 0, 0},
                            {1, 4, 3, 2, 2, 3, 4, 1, 2, 0, 2, 1, 0},
                            // C % 8 == 0: implicit im2col on AVX-512.
                            {2, 6, 7, 16, 3, 3, 20, 1, 1, 1, 1, 1, 1},
                            {1, 9, 8, 8, 3, 3, 33, 2, 2, 1, 1, 0, 0},
                            {1, 5, 5, 64, 3, 3, 17, 1, 1, 1, 1, 1, 1},
                            {1, 4, 4, 160, 3, 3, 16, 1, 1, 1, 1, 1, 1},
                            {1, 3, 3, 1024, 3, 3, 5, 1, 1, 1, 1, 1, 1},
                            {1, 4, 5, 8, 1, 1, 9, 1, 1, 0, 0, 0, 0},
                            // 4-panel tiles + 1, two tap chunks (C = 128).
                            {1, 6, 5, 128, 3, 3, 70, 1, 1, 1, 1, 1, 1},
                            // 289 rows, 1 panel: row split across threads.
                            {1, 17, 17, 8, 3, 3, 12, 1, 1, 1, 1, 1, 1}};
  for (const ConvCase &c : cases) {
    int64_t K = c.KH * c.KW * c.C;
    std::vector<int8_t> X(size_t(c.B * c.H * c.W * c.C));
    for (auto &x : X)
      x = int8_t(rng());
    std::vector<int32_t> Wt(size_t(K * c.F));
    for (auto &w : Wt)
      w = int32_t(levels[rng() % levels.size()]);
    int64_t size;
    ASSERT_EQ(potq_packed_size(K, c.F, 4, &size), POTQ_OK);
    std::vector<uint8_t> packed(static_cast<size_t>(size));
    ASSERT_EQ(potq_pack_weights(Wt.data(), K, c.F, c.F, table.data(), 4,
                                packed.data(), size),
              POTQ_OK);
    int64_t OH = (c.H + c.pt + c.pb - c.KH) / c.sh + 1;
    int64_t OW = (c.W + c.pl + c.pr - c.KW) / c.sw + 1;
    int32_t zx = int32_t(rng() % 256) - 128;
    std::vector<int32_t> ref(size_t(c.B * OH * OW * c.F), 0);
    for (int64_t b = 0; b < c.B; ++b)
      for (int64_t oh = 0; oh < OH; ++oh)
        for (int64_t ow = 0; ow < OW; ++ow)
          for (int64_t f = 0; f < c.F; ++f) {
            int64_t s = 0;
            for (int64_t kh = 0; kh < c.KH; ++kh)
              for (int64_t kw = 0; kw < c.KW; ++kw)
                for (int64_t ch = 0; ch < c.C; ++ch) {
                  int64_t ih = oh * c.sh + kh - c.pt,
                          iw = ow * c.sw + kw - c.pl;
                  if (ih < 0 || ih >= c.H || iw < 0 || iw >= c.W)
                    continue;
                  int64_t x = X[size_t(((b * c.H + ih) * c.W + iw) * c.C + ch)];
                  s += (x - zx) *
                       Wt[size_t(((kh * c.KW + kw) * c.C + ch) * c.F + f)];
                }
            ref[size_t(((b * OH + oh) * OW + ow) * c.F + f)] = int32_t(s);
          }
    for (int32_t isa : {POTQ_ISA_SCALAR, POTQ_ISA_AVX2, POTQ_ISA_AVXVNNI,
                        POTQ_ISA_AVX512, POTQ_ISA_NEON}) {
      if (!potq_isa_supported(isa))
        continue;
      for (int32_t strat : {POTQ_STRATEGY_DOT, POTQ_STRATEGY_SHIFT_ADD}) {
        std::vector<int32_t> acc(ref.size(), 777);
        ASSERT_EQ(potq_conv2d_nhwc(c.B, c.H, c.W, c.C, X.data(), zx, c.KH, c.KW,
                                   c.F, packed.data(), c.sh, c.sw, c.pt, c.pl,
                                   c.pb, c.pr, acc.data(), strat, isa, 2),
                  POTQ_OK);
        EXPECT_EQ(acc, ref) << "isa " << isa << " strategy " << strat << " C "
                            << c.C << " H " << c.H;
      }
    }
  }
}

TEST(RuntimeConv, Errors) {
  int8_t x[4] = {};
  int32_t acc[4];
  uint8_t dummy[8] = {};
  EXPECT_EQ(potq_conv2d_nhwc(1, 2, 2, 1, x, 0, 3, 3, 1, dummy, 1, 1, 0, 0, 0, 0,
                             acc, 0, 0, 1),
            POTQ_ERR_SIZE);
  EXPECT_EQ(potq_conv2d_nhwc(1, 2, 2, 1, x, 300, 1, 1, 1, dummy, 1, 1, 0, 0, 0,
                             0, acc, 0, 0, 1),
            POTQ_ERR_ARG);
  EXPECT_EQ(potq_conv2d_nhwc(1, 2, 2, 1, x, 0, 1, 1, 1, nullptr, 1, 1, 0, 0, 0,
                             0, acc, 0, 0, 1),
            POTQ_ERR_NULL);
}

} // namespace
