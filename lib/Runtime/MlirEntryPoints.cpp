//===- MlirEntryPoints.cpp - Runtime entry points for compiled MLIR -------===//
//
// `_mlir_ciface_*` functions on memref descriptors, called by code compiled
// with convert-potq-to-linalg{kernels=runtime}; see MlirEntryPoints.h.
//
//===----------------------------------------------------------------------===//

#include "potq/Runtime/MlirEntryPoints.h"
#include "potq/Runtime/Runtime.h"

#include <algorithm>
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
} // namespace

extern "C" void _mlir_ciface_potq_rt_matmul_i8(potq_memref_2d_i8 *x,
                                               potq_memref_1d_i8 *packed,
                                               potq_memref_2d_i32 *acc,
                                               int32_t zx, int32_t strategy,
                                               int32_t isa, int32_t threads) {
  const char *name = "potq_rt_matmul_i8";
  if (!x || !packed || !acc)
    check(name, POTQ_ERR_NULL);
  int64_t M = x->sizes[0], K = x->sizes[1], N = acc->sizes[1];
  if (acc->sizes[0] != M)
    fail(name, "accumulator rows differ from input rows");
  if (M == 0 || N == 0)
    return;
  const int8_t *w = packed->aligned + packed->offset;
  int64_t pk = 0, pn = 0;
  check(name, potq_packed_shape(w, &pk, &pn));
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
  int64_t ldacc = M == 1 ? N : acc->strides[0];
  if (acc->strides[1] != 1 || ldacc < N)
    fail(name, "accumulator rows are not contiguous");
  check(name,
        potq_gemm(M, N, K, xp, ldx, zx, w, ap, ldacc, strategy, isa, threads));
}
