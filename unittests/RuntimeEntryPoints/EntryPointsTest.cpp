//===- EntryPointsTest.cpp - _mlir_ciface_potq_rt_* on memref descriptors -===//
//
// The entry points compiled code calls with kernels=runtime, on descriptors
// the lit tests do not produce: strided (non-contiguous) inputs, a single row
// with an arbitrary row stride, zero rows, offsets; and the abort on a bad
// status. Results are compared with potq_gemm / potq_conv2d_nhwc on dense
// copies.
//
//===----------------------------------------------------------------------===//

#include "potq/Runtime/MlirEntryPoints.h"
#include "potq/Runtime/Runtime.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace {

/// Packed K x N pot4-like weights (levels 0, +-2^e, e <= 6).
std::vector<uint8_t> packWeights(int64_t K, int64_t N, std::mt19937 &rng) {
  std::vector<int32_t> table(16, 0);
  for (int e = 0; e < 7; ++e) {
    table[1 + 2 * e] = 1 << e;
    table[2 + 2 * e] = -(1 << e);
  }
  std::vector<int32_t> W(size_t(K * N));
  for (int32_t &w : W)
    w = table[rng() % 15];
  int64_t bytes = 0;
  EXPECT_EQ(potq_packed_size(K, N, 4, &bytes), POTQ_OK);
  std::vector<uint8_t> packed(static_cast<size_t>(bytes));
  EXPECT_EQ(potq_pack_weights(W.data(), K, N, N, table.data(), 4, packed.data(),
                              bytes),
            POTQ_OK);
  return packed;
}

potq_memref_1d_i8 packedDesc(std::vector<uint8_t> &packed) {
  auto *p = reinterpret_cast<int8_t *>(packed.data());
  return {p, p, 0, {int64_t(packed.size())}, {1}};
}

TEST(RuntimeEntryPoints, MatmulStridedInputEqualsDense) {
  std::mt19937 rng(7);
  const int64_t M = 5, K = 67, N = 17;
  std::vector<uint8_t> packed = packWeights(K, N, rng);
  potq_memref_1d_i8 w = packedDesc(packed);
  // Column-major input with an offset: strides {1, M}, non-contiguous rows.
  std::vector<int8_t> storage(size_t(3 + M * K));
  for (int8_t &v : storage)
    v = int8_t(rng());
  std::vector<int8_t> dense(size_t(M * K));
  for (int64_t m = 0; m < M; ++m)
    for (int64_t k = 0; k < K; ++k)
      dense[size_t(m * K + k)] = storage[size_t(3 + m + k * M)];
  for (int32_t strategy : {POTQ_STRATEGY_DOT, POTQ_STRATEGY_SHIFT_ADD}) {
    potq_memref_2d_i8 x{storage.data(), storage.data(), 3, {M, K}, {1, M}};
    std::vector<int32_t> acc(size_t(M * N), -1), expected(size_t(M * N), -2);
    potq_memref_2d_i32 a{acc.data(), acc.data(), 0, {M, N}, {N, 1}};
    _mlir_ciface_potq_rt_matmul_i8(&x, &w, &a, -3, strategy, POTQ_ISA_AUTO, 2);
    ASSERT_EQ(potq_gemm(M, N, K, dense.data(), K, -3, packed.data(),
                        expected.data(), N, strategy, POTQ_ISA_SCALAR, 1),
              POTQ_OK);
    EXPECT_EQ(acc, expected);
  }
}

TEST(RuntimeEntryPoints, MatmulOneRowAnyStrideAndZeroRows) {
  std::mt19937 rng(8);
  const int64_t K = 9, N = 3;
  std::vector<uint8_t> packed = packWeights(K, N, rng);
  potq_memref_1d_i8 w = packedDesc(packed);
  std::vector<int8_t> row(K);
  for (int8_t &v : row)
    v = int8_t(rng());
  // M = 1: the row stride is meaningless (here 0).
  potq_memref_2d_i8 x{row.data(), row.data(), 0, {1, K}, {0, 1}};
  std::vector<int32_t> acc(N), expected(N);
  potq_memref_2d_i32 a{acc.data(), acc.data(), 0, {1, N}, {0, 1}};
  _mlir_ciface_potq_rt_matmul_i8(&x, &w, &a, 0, POTQ_STRATEGY_AUTO,
                                 POTQ_ISA_AUTO, 0);
  ASSERT_EQ(potq_gemm(1, N, K, row.data(), K, 0, packed.data(), expected.data(),
                      N, POTQ_STRATEGY_AUTO, POTQ_ISA_SCALAR, 1),
            POTQ_OK);
  EXPECT_EQ(acc, expected);
  // M = 0: null buffers, nothing written, no abort.
  potq_memref_2d_i8 empty{nullptr, nullptr, 0, {0, K}, {K, 1}};
  potq_memref_2d_i32 emptyAcc{nullptr, nullptr, 0, {0, N}, {N, 1}};
  _mlir_ciface_potq_rt_matmul_i8(&empty, &w, &emptyAcc, 0, POTQ_STRATEGY_AUTO,
                                 POTQ_ISA_AUTO, 0);
}

TEST(RuntimeEntryPoints, MatmulOneColumnAnyColumnStride) {
  std::mt19937 rng(11);
  const int64_t M = 3, K = 5, N = 1;
  std::vector<uint8_t> packed = packWeights(K, N, rng);
  potq_memref_1d_i8 w = packedDesc(packed);
  std::vector<int8_t> xs(size_t(M * K));
  for (int8_t &v : xs)
    v = int8_t(rng());
  potq_memref_2d_i8 x{xs.data(), xs.data(), 0, {M, K}, {K, 1}};
  // N = 1: the column stride is meaningless (here 7); rows 2 apart.
  std::vector<int32_t> acc(size_t(2 * M), -1), expected(size_t(M), -2);
  potq_memref_2d_i32 a{acc.data(), acc.data(), 0, {M, N}, {2, 7}};
  _mlir_ciface_potq_rt_matmul_i8(&x, &w, &a, 1, POTQ_STRATEGY_AUTO,
                                 POTQ_ISA_AUTO, 2);
  ASSERT_EQ(potq_gemm(M, N, K, xs.data(), K, 1, packed.data(), expected.data(),
                      N, POTQ_STRATEGY_AUTO, POTQ_ISA_SCALAR, 1),
            POTQ_OK);
  for (int64_t m = 0; m < M; ++m) {
    EXPECT_EQ(acc[size_t(2 * m)], expected[size_t(m)]) << "m=" << m;
    EXPECT_EQ(acc[size_t(2 * m + 1)], -1) << "m=" << m;
  }
}

TEST(RuntimeEntryPoints, ConvStridedInputEqualsDense) {
  std::mt19937 rng(9);
  const int64_t B = 2, H = 6, W = 5, C = 3, KH = 3, KW = 2, F = 17;
  // Zero-point padding [top, left, bottom, right] passes through.
  const int64_t PT = 1, PL = 0, PB = 2, PR = 1;
  const int64_t SH = 2, SW = 1, OH = (H + PT + PB - KH) / SH + 1,
                OW = (W + PL + PR - KW) / SW + 1;
  std::vector<uint8_t> packed = packWeights(KH * KW * C, F, rng);
  potq_memref_1d_i8 w = packedDesc(packed);
  // The input is a slice of a wider image (W + 4 columns): non-dense.
  const int64_t WW = W + 4;
  std::vector<int8_t> storage(size_t(B * H * WW * C));
  for (int8_t &v : storage)
    v = int8_t(rng());
  std::vector<int8_t> dense(size_t(B * H * W * C));
  size_t i = 0;
  for (int64_t b = 0; b < B; ++b)
    for (int64_t h = 0; h < H; ++h)
      for (int64_t v = 0; v < W; ++v)
        for (int64_t c = 0; c < C; ++c)
          dense[i++] = storage[size_t(((b * H + h) * WW + v + 2) * C + c)];
  potq_memref_4d_i8 x{storage.data(),
                      storage.data(),
                      2 * C,
                      {B, H, W, C},
                      {H * WW * C, WW * C, C, 1}};
  std::vector<int32_t> acc(size_t(B * OH * OW * F), -1),
      expected(size_t(B * OH * OW * F), -2);
  potq_memref_4d_i32 a{
      acc.data(), acc.data(), 0, {B, OH, OW, F}, {OH * OW * F, OW * F, F, 1}};
  _mlir_ciface_potq_rt_conv2d_nhwc_i8(&x, &w, &a, 5, KH, KW, SH, SW, PT, PL, PB,
                                      PR, POTQ_STRATEGY_AUTO, POTQ_ISA_AUTO, 2);
  ASSERT_EQ(potq_conv2d_nhwc(B, H, W, C, dense.data(), 5, KH, KW, F,
                             packed.data(), SH, SW, PT, PL, PB, PR,
                             expected.data(), POTQ_STRATEGY_AUTO,
                             POTQ_ISA_SCALAR, 1),
            POTQ_OK);
  EXPECT_EQ(acc, expected);
}

TEST(RuntimeEntryPointsDeathTest, BadStatusAborts) {
  std::mt19937 rng(10);
  std::vector<uint8_t> packed = packWeights(4, 2, rng);
  potq_memref_1d_i8 w = packedDesc(packed);
  std::vector<int8_t> xs(8, 1);
  std::vector<int32_t> acc(4);
  potq_memref_2d_i8 x{xs.data(), xs.data(), 0, {2, 4}, {4, 1}};
  potq_memref_2d_i32 a{acc.data(), acc.data(), 0, {2, 2}, {2, 1}};
  // An invalid ISA value: potq_gemm reports POTQ_ERR_ARG.
  EXPECT_DEATH(_mlir_ciface_potq_rt_matmul_i8(&x, &w, &a, 0, 0, 99, 1),
               "potq runtime: potq_rt_matmul_i8: ");
  // A packed weight whose K differs from the operands'.
  potq_memref_2d_i8 x3{xs.data(), xs.data(), 0, {2, 3}, {4, 1}};
  EXPECT_DEATH(_mlir_ciface_potq_rt_matmul_i8(&x3, &w, &a, 0, 0, 0, 1),
               "potq runtime: potq_rt_matmul_i8: packed weight shape");
}

TEST(RuntimeEntryPointsDeathTest, ShortOrMisalignedPackedAborts) {
  std::mt19937 rng(12);
  const int64_t K = 40, N = 20;
  std::vector<uint8_t> packed = packWeights(K, N, rng);
  std::vector<int8_t> xs(size_t(2 * K), 1);
  std::vector<int32_t> acc(size_t(2 * N));
  potq_memref_2d_i8 x{xs.data(), xs.data(), 0, {2, K}, {K, 1}};
  potq_memref_2d_i32 a{acc.data(), acc.data(), 0, {2, N}, {N, 1}};
  // One byte shorter than the header's K, N and bits need.
  potq_memref_1d_i8 w = packedDesc(packed);
  w.sizes[0] -= 1;
  EXPECT_DEATH(_mlir_ciface_potq_rt_matmul_i8(&x, &w, &a, 0, 0, 0, 1),
               "potq_rt_matmul_i8: packed weight buffer is shorter than its "
               "header's shape");
  // Shorter than the header itself.
  w.sizes[0] = 16;
  EXPECT_DEATH(_mlir_ciface_potq_rt_matmul_i8(&x, &w, &a, 0, 0, 0, 1),
               "potq_rt_matmul_i8: packed weight buffer is shorter than its "
               "header");
  // The same bytes at an odd address.
  std::vector<uint8_t> shifted(packed.size() + 8);
  std::copy(packed.begin(), packed.end(), shifted.begin() + 1);
  auto *p = reinterpret_cast<int8_t *>(shifted.data());
  potq_memref_1d_i8 odd{p, p, 1, {int64_t(packed.size())}, {1}};
  EXPECT_DEATH(_mlir_ciface_potq_rt_matmul_i8(&x, &odd, &a, 0, 0, 0, 1),
               "potq_rt_matmul_i8: packed weights are not 8-byte aligned");
  int64_t k = 0, n = 0;
  EXPECT_EQ(potq_packed_shape(p + 1, &k, &n), POTQ_ERR_FORMAT);
  // The convolution entry point checks the same.
  std::vector<int8_t> img(size_t(1 * 2 * 2 * 10), 1);
  std::vector<int32_t> out(size_t(1 * 1 * 1 * N));
  potq_memref_4d_i8 cx{
      img.data(), img.data(), 0, {1, 2, 2, 10}, {40, 20, 10, 1}};
  potq_memref_4d_i32 ca{out.data(), out.data(), 0, {1, 1, 1, N}, {N, N, N, 1}};
  w = packedDesc(packed);
  w.sizes[0] = int64_t(packed.size()) - 64;
  EXPECT_DEATH(_mlir_ciface_potq_rt_conv2d_nhwc_i8(&cx, &w, &ca, 0, 2, 2, 1, 1,
                                                   0, 0, 0, 0, 0, 0, 1),
               "potq_rt_conv2d_nhwc_i8: packed weight buffer is shorter");
  // The full buffer works (2x2x10 = K).
  w = packedDesc(packed);
  _mlir_ciface_potq_rt_conv2d_nhwc_i8(&cx, &w, &ca, 0, 2, 2, 1, 1, 0, 0, 0, 0,
                                      0, 0, 1);
}

// registerRuntimeSymbols names each entry point by its C interface symbol
// (what a JIT resolves for compiled code) and gives its address.
TEST(EntryPoints, RegisterRuntimeSymbols) {
  std::map<std::string, void *> symbols;
  potq::runtime::registerRuntimeSymbols(
      [&](const char *symbol, void *address) { symbols[symbol] = address; });
  EXPECT_EQ(symbols.size(), 2u);
  EXPECT_EQ(symbols["_mlir_ciface_potq_rt_matmul_i8"],
            reinterpret_cast<void *>(&_mlir_ciface_potq_rt_matmul_i8));
  EXPECT_EQ(symbols["_mlir_ciface_potq_rt_conv2d_nhwc_i8"],
            reinterpret_cast<void *>(&_mlir_ciface_potq_rt_conv2d_nhwc_i8));
  EXPECT_STREQ(POTQ_RT_CIFACE_PREFIX POTQ_RT_MATMUL_I8_NAME,
               "_mlir_ciface_potq_rt_matmul_i8");
}

} // namespace
