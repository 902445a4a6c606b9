//===- OneDnn.h - oneDNN reference primitives for potq-bench ----*- C++ -*-===//

#ifndef POTQ_BENCH_ONEDNN_H
#define POTQ_BENCH_ONEDNN_H

#include <cstdint>
#include <functional>
#include <memory>

namespace potq::bench {

enum class DnnlType { U8S8S32, F32 };

/// A ready-to-run oneDNN primitive with its (reordered) weights and buffers.
struct DnnlProblem {
  std::function<void()> run;
  std::shared_ptr<void> state;
  int64_t weightBytes = 0; // bytes of the weights in oneDNN's layout
};

/// dst[M][N] = src[M][K] x weights[K][N]; weights given as int8 levels.
DnnlProblem dnnlMatmul(DnnlType type, int64_t M, int64_t N, int64_t K,
                       const int8_t *weights);

/// NHWC batch-1 convolution, weights given as HWCF int8 levels.
DnnlProblem dnnlConv(DnnlType type, int64_t H, int64_t W, int64_t C, int64_t F,
                     int64_t KH, int64_t KW, int64_t stride, int64_t pad,
                     const int8_t *weights);

} // namespace potq::bench

#endif // POTQ_BENCH_ONEDNN_H
