//===- MlirEntryPoints.cpp - Runtime entry points for compiled MLIR -------===//
//
// `_mlir_ciface_*` functions on memref descriptors, called by code compiled
// with convert-potq-to-linalg{kernels=runtime}; see MlirEntryPoints.h.
//
//===----------------------------------------------------------------------===//

#include "potq/Runtime/MlirEntryPoints.h"
#include "Internal.h"
#include "potq/Runtime/Runtime.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {
[[noreturn]] void fail(const char *function, const char *what) {
  std::fprintf(stderr, "potq runtime: %s: %s\n", function, what);
  std::fflush(stderr);
  std::abort();
}

void check(const char *function, int32_t status) {
  if (status != POTQ_OK)
    fail(function, potq_status_string(status));
}

/// The packed weight bytes of a 1-D i8 memref, after checking that they are
/// contiguous, 8-byte aligned (the header is read as int64 fields) and at
/// least as long as the size their header implies; sets K and N.
const int8_t *packedWeights(const char *function, const potq_memref_1d_i8 *m,
                            int64_t &K, int64_t &N) {
  const int8_t *w = m->aligned + m->offset;
  int64_t bytes = m->sizes[0];
  if (bytes > 1 && m->strides[0] != 1)
    fail(function, "packed weights are not contiguous");
  if (reinterpret_cast<uintptr_t>(w) % 8 != 0)
    fail(function, "packed weights are not 8-byte aligned");
  if (bytes < int64_t(sizeof(potq::runtime::PackedHeader)))
    fail(function, "packed weight buffer is shorter than its header");
  check(function, potq_packed_shape(w, &K, &N));
  int64_t need = 0;
  check(function,
        potq_packed_size(
            K, N,
            reinterpret_cast<const potq::runtime::PackedHeader *>(w)->bits,
            &need));
  if (bytes < need)
    fail(function, "packed weight buffer is shorter than its header's shape "
                   "needs");
  return w;
}
} // namespace

extern "C" void _mlir_ciface_potq_rt_matmul_i8(potq_memref_2d_i8 *x,
                                               potq_memref_1d_i8 *packed,
                                               potq_memref_2d_i32 *acc,
                                               int32_t zx, int32_t strategy,
                                               int32_t isa, int32_t threads) {
  const char *name = POTQ_RT_MATMUL_I8_NAME;
  if (!x || !packed || !acc)
    check(name, POTQ_ERR_NULL);
  int64_t M = x->sizes[0], K = x->sizes[1], N = acc->sizes[1];
  if (acc->sizes[0] != M)
    fail(name, "accumulator rows differ from input rows");
  if (M == 0 || N == 0)
    return;
  int64_t pk = 0, pn = 0;
  const int8_t *w = packedWeights(name, packed, pk, pn);
  if (pk != K || pn != N)
    fail(name, "packed weight shape differs from the operands");
  // Rows must be contiguous; copy the input otherwise (not produced by
  // potq's lowering, but any strided layout is valid IR).
  static const int8_t dummy[1] = {0};
  const int8_t *xp = x->aligned ? x->aligned + x->offset : dummy;
  int64_t ldx = M == 1 ? std::max<int64_t>(K, 1) : x->strides[0];
  std::vector<int8_t> copy;
  if (K > 0 && (x->strides[1] != 1 || ldx < K)) {
    copy.resize(size_t(M * K));
    for (int64_t m = 0; m < M; ++m)
      for (int64_t k = 0; k < K; ++k)
        copy[size_t(m * K + k)] = xp[m * x->strides[0] + k * x->strides[1]];
    xp = copy.data();
    ldx = K;
  }
  if (K == 0)
    ldx = std::max<int64_t>(ldx, 0);
  int32_t *ap = acc->aligned + acc->offset;
  // Like ldx for M == 1: a single column's stride is meaningless.
  int64_t ldacc = M == 1 ? N : acc->strides[0];
  if ((N > 1 && acc->strides[1] != 1) || ldacc < N)
    fail(name, "accumulator rows are not contiguous");
  check(name,
        potq_gemm(M, N, K, xp, ldx, zx, w, ap, ldacc, strategy, isa, threads));
}

extern "C" void _mlir_ciface_potq_rt_conv2d_nhwc_i8(
    potq_memref_4d_i8 *x, potq_memref_1d_i8 *packed, potq_memref_4d_i32 *acc,
    int32_t zx, int32_t kh, int32_t kw, int32_t stride_h, int32_t stride_w,
    int32_t pad_top, int32_t pad_left, int32_t pad_bottom, int32_t pad_right,
    int32_t strategy, int32_t isa, int32_t threads) {
  const char *name = POTQ_RT_CONV2D_NHWC_I8_NAME;
  if (!x || !packed || !acc)
    check(name, POTQ_ERR_NULL);
  int64_t batch = x->sizes[0], H = x->sizes[1], W = x->sizes[2],
          C = x->sizes[3];
  int64_t OH = acc->sizes[1], OW = acc->sizes[2], F = acc->sizes[3];
  if (acc->sizes[0] != batch)
    fail(name, "accumulator batch differs from the input batch");
  if (batch == 0 || OH == 0 || OW == 0 || F == 0)
    return;
  if (pad_top < 0 || pad_left < 0 || pad_bottom < 0 || pad_right < 0)
    fail(name, "negative padding");
  // i32 pads on int64 sizes: no overflow.
  int64_t Hp = H + pad_top + pad_bottom, Wp = W + pad_left + pad_right;
  if (stride_h < 1 || stride_w < 1 || Hp < kh || Wp < kw ||
      (Hp - kh) / stride_h + 1 != OH || (Wp - kw) / stride_w + 1 != OW)
    fail(name, "output shape differs from the convolution's");
  int64_t pk = 0, pn = 0;
  const int8_t *w = packedWeights(name, packed, pk, pn);
  // The kernel reads a dense NHWC input; copy any other layout.
  static const int8_t dummy[1] = {0};
  const int8_t *xp = x->aligned ? x->aligned + x->offset : dummy;
  int64_t dense[4] = {H * W * C, W * C, C, 1};
  bool isDense = true;
  for (int r = 0; r < 4; ++r)
    if (x->sizes[r] > 1 && x->strides[r] != dense[r])
      isDense = false;
  std::vector<int8_t> copy;
  if (!isDense) {
    copy.resize(size_t(batch * H * W * C));
    size_t i = 0;
    for (int64_t n = 0; n < batch; ++n)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t v = 0; v < W; ++v)
          for (int64_t c = 0; c < C; ++c)
            copy[i++] = xp[n * x->strides[0] + h * x->strides[1] +
                           v * x->strides[2] + c * x->strides[3]];
    xp = copy.data();
  }
  int64_t denseAcc[4] = {OH * OW * F, OW * F, F, 1};
  for (int r = 0; r < 4; ++r)
    if (acc->sizes[r] > 1 && acc->strides[r] != denseAcc[r])
      fail(name, "accumulator is not a dense NHWC buffer");
  check(name,
        potq_conv2d_nhwc(batch, H, W, C, xp, zx, kh, kw, F, w, stride_h,
                         stride_w, pad_top, pad_left, pad_bottom, pad_right,
                         acc->aligned + acc->offset, strategy, isa, threads));
}
