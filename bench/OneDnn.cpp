//===- OneDnn.cpp - oneDNN reference primitives for potq-bench ------------===//
//
// Weights use format_tag::any (oneDNN's preferred blocked layout, reordered
// once outside the timing); activations are plain row-major / NHWC for
// matmul and `any` for convolution, i.e. the best case for oneDNN.
//
//===----------------------------------------------------------------------===//

#include "OneDnn.h"
#include "Harness.h"

#include "oneapi/dnnl/dnnl.hpp"

#include <cstring>
#include <random>
#include <unordered_map>
#include <vector>

using namespace potq::bench;
using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

namespace {
struct State {
  dnnl::engine eng{dnnl::engine::kind::cpu, 0};
  dnnl::stream strm{eng};
  dnnl::primitive prim;
  std::unordered_map<int, dnnl::memory> args;
  HugeBuffer weights; // the reordered weights' memory (owned here)
};

dnnl::memory filled(const dnnl::engine &eng, const dnnl::memory::desc &md) {
  dnnl::memory m(md, eng);
  auto *p = static_cast<uint8_t *>(m.get_data_handle());
  std::mt19937 rng(5);
  size_t n = md.get_size();
  if (md.data_type() == dt::f32) {
    auto *f = reinterpret_cast<float *>(p);
    for (size_t i = 0; i < n / 4; ++i)
      f[i] = float(int(rng() % 255) - 127);
  } else {
    for (size_t i = 0; i < n; ++i)
      p[i] = uint8_t(rng());
  }
  return m;
}

/// User weights (int8 levels, or their float values) reordered to `want`.
dnnl::memory weightsFor(State &s, const dnnl::memory::desc &user,
                        const dnnl::memory::desc &want, const int8_t *w) {
  dnnl::memory um(user, s.eng);
  size_t n = user.get_size() / (user.data_type() == dt::f32 ? 4 : 1);
  if (user.data_type() == dt::f32) {
    auto *f = static_cast<float *>(um.get_data_handle());
    for (size_t i = 0; i < n; ++i)
      f[i] = float(w[i]);
  } else {
    std::memcpy(um.get_data_handle(), w, n);
  }
  s.weights = hugeAlloc(want.get_size());
  dnnl::memory wm(want, s.eng, s.weights.get());
  dnnl::reorder(um, wm).execute(s.strm, um, wm);
  s.strm.wait();
  return wm;
}

DnnlProblem finish(std::shared_ptr<State> s, int64_t weightBytes) {
  DnnlProblem p;
  State *raw = s.get();
  p.run = [raw] {
    raw->prim.execute(raw->strm, raw->args);
    raw->strm.wait();
  };
  p.state = s;
  p.weightBytes = weightBytes;
  return p;
}
} // namespace

DnnlProblem potq::bench::dnnlMatmul(DnnlType type, int64_t M, int64_t N,
                                    int64_t K, const int8_t *weights) {
  auto s = std::make_shared<State>();
  bool i8 = type == DnnlType::U8S8S32;
  dnnl::memory::desc src({M, K}, i8 ? dt::u8 : dt::f32, tag::ab);
  dnnl::memory::desc wAny({K, N}, i8 ? dt::s8 : dt::f32, tag::any);
  dnnl::memory::desc wUser({K, N}, i8 ? dt::s8 : dt::f32, tag::ab);
  dnnl::memory::desc dst({M, N}, i8 ? dt::s32 : dt::f32, tag::ab);
  dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(src, wAny, dst), s->eng);
  s->prim = dnnl::matmul(pd);
  dnnl::memory wm = weightsFor(*s, wUser, pd.weights_desc(), weights);
  s->args = {{DNNL_ARG_SRC, filled(s->eng, pd.src_desc())},
             {DNNL_ARG_WEIGHTS, wm},
             {DNNL_ARG_DST, dnnl::memory(pd.dst_desc(), s->eng)}};
  return finish(s, int64_t(pd.weights_desc().get_size()));
}

DnnlProblem potq::bench::dnnlConv(DnnlType type, int64_t H, int64_t W,
                                  int64_t C, int64_t F, int64_t KH, int64_t KW,
                                  int64_t stride, int64_t pad,
                                  const int8_t *weights) {
  auto s = std::make_shared<State>();
  bool i8 = type == DnnlType::U8S8S32;
  int64_t OH = (H + 2 * pad - KH) / stride + 1,
          OW = (W + 2 * pad - KW) / stride + 1;
  dnnl::memory::desc src({1, C, H, W}, i8 ? dt::u8 : dt::f32, tag::any);
  dnnl::memory::desc wAny({F, C, KH, KW}, i8 ? dt::s8 : dt::f32, tag::any);
  // HWCF user weights are dims (F, C, KH, KW) in tag hwio.
  dnnl::memory::desc wUser({F, C, KH, KW}, i8 ? dt::s8 : dt::f32, tag::hwio);
  dnnl::memory::desc dst({1, F, OH, OW}, i8 ? dt::s32 : dt::f32, tag::any);
  dnnl::convolution_forward::primitive_desc pd(
      dnnl::convolution_forward::desc(dnnl::prop_kind::forward_inference,
                                      dnnl::algorithm::convolution_direct, src,
                                      wAny, dst, {stride, stride}, {pad, pad},
                                      {pad, pad}),
      s->eng);
  s->prim = dnnl::convolution_forward(pd);
  dnnl::memory wm = weightsFor(*s, wUser, pd.weights_desc(), weights);
  s->args = {{DNNL_ARG_SRC, filled(s->eng, pd.src_desc())},
             {DNNL_ARG_WEIGHTS, wm},
             {DNNL_ARG_DST, dnnl::memory(pd.dst_desc(), s->eng)}};
  return finish(s, int64_t(pd.weights_desc().get_size()));
}
