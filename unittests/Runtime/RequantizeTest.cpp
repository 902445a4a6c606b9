//===- RequantizeTest.cpp - Epilogue vs numerics::requantize --------------===//

#include "potq/Numerics/FixedPoint.h"
#include "potq/Runtime/Runtime.h"

#include "gtest/gtest.h"

#include <random>

using namespace potq::numerics;

TEST(RuntimeRequantize, MatchesNumerics) {
  std::mt19937_64 rng(3);
  const int64_t M = 7, N = 13;
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<int32_t> acc(M * N), bias(N);
    std::uniform_int_distribution<int64_t> big(-(int64_t(1) << 31) + 1,
                                               (int64_t(1) << 31) - 1);
    std::uniform_int_distribution<int32_t> small(-5000, 5000);
    for (auto &a : acc)
      a = int32_t(trial % 2 ? big(rng) : small(rng));
    for (auto &b : bias)
      b = small(rng);
    std::vector<int64_t> mult(N);
    std::vector<int32_t> shift(N);
    std::vector<FixedPointMultiplier> fps(N);
    std::uniform_real_distribution<double> lg(-40, 10);
    for (int64_t n = 0; n < N; ++n) {
      double m = std::exp2(lg(rng));
      if (n % 4 == 0)
        m = std::exp2(std::round(lg(rng))); // exact power of two
      fps[n] = *toFixedPoint(m);
      mult[n] = fps[n].multiplier;
      shift[n] = fps[n].shift;
    }
    bool perChannel = trial % 3 != 0;
    int32_t zy = int32_t(trial % 11) - 5, lo = trial % 5 == 0 ? 0 : -128,
            hi = 127;
    std::vector<int8_t> out(M * N);
    ASSERT_EQ(potq_requantize_i8(M, N, acc.data(), N,
                                 trial % 2 ? bias.data() : nullptr, mult.data(),
                                 shift.data(), perChannel, zy, lo, hi,
                                 out.data(), N),
              POTQ_OK);
    for (int64_t m = 0; m < M; ++m)
      for (int64_t n = 0; n < N; ++n) {
        int64_t a = int64_t(acc[m * N + n]) + (trial % 2 ? bias[n] : 0);
        int64_t want = requantize(a, fps[perChannel ? n : 0], zy, lo, hi);
        ASSERT_EQ(out[m * N + n], want) << "trial " << trial;
      }
  }
}

TEST(RuntimeRequantize, Errors) {
  int32_t acc[1] = {5};
  int64_t mult[1] = {1 << 29}; // not in [2^30, 2^31)
  int32_t shift[1] = {3};
  int8_t out[1];
  EXPECT_EQ(potq_requantize_i8(1, 1, acc, 1, nullptr, mult, shift, 0, 0, -128,
                               127, out, 1),
            POTQ_ERR_ARG);
  mult[0] = 1;
  EXPECT_EQ(potq_requantize_i8(1, 1, acc, 1, nullptr, mult, shift, 0, 0, -129,
                               127, out, 1),
            POTQ_ERR_ARG);
  EXPECT_EQ(potq_requantize_i8(1, 1, nullptr, 1, nullptr, mult, shift, 0, 0,
                               -128, 127, out, 1),
            POTQ_ERR_NULL);
  ASSERT_EQ(potq_requantize_i8(1, 1, acc, 1, nullptr, mult, shift, 0, 0, -128,
                               127, out, 1),
            POTQ_OK);
  EXPECT_EQ(out[0], 1); // (5 + 4) >> 3
}
