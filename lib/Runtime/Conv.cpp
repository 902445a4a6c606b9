//===- Conv.cpp - NHWC x HWCF convolution through im2col + potq_gemm ------===//
//
// Rows of the im2col matrix are output pixels, columns (kh, kw, c) in HWCF
// order, so the packed HWCF weights are the GEMM's K x N matrix unchanged.
// Padding is filled with zx, which contributes (zx - zx) * w = 0. A 1x1,
// stride-1, unpadded convolution is a GEMM on the input directly.
//
//===----------------------------------------------------------------------===//

#include "Internal.h"
#include "potq/Runtime/Runtime.h"

#include <cstring>
#include <vector>

extern "C" int32_t
potq_conv2d_nhwc(int64_t batch, int64_t H, int64_t W, int64_t C,
                 const int8_t *X, int32_t zx, int64_t KH, int64_t KW, int64_t F,
                 const void *packed, int64_t stride_h, int64_t stride_w,
                 int64_t pad_top, int64_t pad_left, int64_t pad_bottom,
                 int64_t pad_right, int32_t *acc, int32_t strategy, int32_t isa,
                 int32_t threads) {
  if (!packed)
    return POTQ_ERR_NULL;
  if (batch < 0 || H < 0 || W < 0 || C < 0 || KH <= 0 || KW <= 0 || F < 0 ||
      stride_h <= 0 || stride_w <= 0 || pad_top < 0 || pad_left < 0 ||
      pad_bottom < 0 || pad_right < 0)
    return POTQ_ERR_SIZE;
  if (zx < -128 || zx > 127)
    return POTQ_ERR_ARG;
  // Every size product below must fit int64 (all operands are >= 0).
  int64_t Hp, Wp, M, K, inElems, outElems;
  if (__builtin_add_overflow(H, pad_top, &Hp) ||
      __builtin_add_overflow(Hp, pad_bottom, &Hp) ||
      __builtin_add_overflow(W, pad_left, &Wp) ||
      __builtin_add_overflow(Wp, pad_right, &Wp))
    return POTQ_ERR_SIZE;
  if (Hp < KH || Wp < KW)
    return POTQ_ERR_SIZE;
  int64_t OH = (Hp - KH) / stride_h + 1, OW = (Wp - KW) / stride_w + 1;
  if (__builtin_mul_overflow(batch, OH, &M) ||
      __builtin_mul_overflow(M, OW, &M) || __builtin_mul_overflow(KH, KW, &K) ||
      __builtin_mul_overflow(K, C, &K) ||
      __builtin_mul_overflow(batch, H, &inElems) ||
      __builtin_mul_overflow(inElems, W, &inElems) ||
      __builtin_mul_overflow(inElems, C, &inElems) ||
      __builtin_mul_overflow(M, F, &outElems))
    return POTQ_ERR_SIZE;
  if ((!X && inElems > 0) || (!acc && outElems > 0))
    return POTQ_ERR_NULL;
  // Check the weights before allocating anything sized by C or M * K.
  int64_t packedK = 0, packedN = 0;
  if (int32_t s = potq_packed_shape(packed, &packedK, &packedN))
    return s;
  if (packedK != K || packedN != F)
    return POTQ_ERR_FORMAT;

  // AVX-512 DOT with C a multiple of the code block: implicit im2col.
  if (M > 0 && F > 0 && K > 0) {
    std::vector<int8_t> pad;
    try {
      pad.assign(size_t(C) + 64, int8_t(zx));
    } catch (...) {
      return POTQ_ERR_ALLOC;
    }
    potq::runtime::ConvGeom cg{X,  H,        W,         C,       KH,
                               KW, stride_h, stride_w,  pad_top, pad_left,
                               OH, OW,       pad.data()};
    int32_t s = potq::runtime::gemmImpl(M, F, K, X, K, zx, packed, acc, F,
                                        strategy, isa, threads, &cg);
    if (s != potq::runtime::kNeedIm2col)
      return s;
  }

  if (KH == 1 && KW == 1 && stride_h == 1 && stride_w == 1 && pad_top == 0 &&
      pad_left == 0 && pad_bottom == 0 && pad_right == 0)
    return potq_gemm(M, F, K, X, C, zx, packed, acc, F, strategy, isa, threads);

  thread_local std::vector<int8_t> cols;
  potq::runtime::TrimOnExit<std::vector<int8_t>> trim{cols};
  int64_t colElems;
  if (__builtin_mul_overflow(M, K, &colElems))
    return POTQ_ERR_SIZE;
  try {
    cols.resize(size_t(colElems));
  } catch (...) {
    return POTQ_ERR_ALLOC;
  }
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow = 0; ow < OW; ++ow) {
        int8_t *row = cols.data() + ((b * OH + oh) * OW + ow) * K;
        for (int64_t kh = 0; kh < KH; ++kh) {
          int64_t ih = oh * stride_h + kh - pad_top;
          for (int64_t kw = 0; kw < KW; ++kw) {
            int64_t iw = ow * stride_w + kw - pad_left;
            int8_t *dst = row + (kh * KW + kw) * C;
            if (ih < 0 || ih >= H || iw < 0 || iw >= W)
              std::memset(dst, zx, size_t(C));
            else
              std::memcpy(dst, X + ((b * H + ih) * W + iw) * C, size_t(C));
          }
        }
      }
  return potq_gemm(M, F, K, cols.data(), K, zx, packed, acc, F, strategy, isa,
                   threads);
}
