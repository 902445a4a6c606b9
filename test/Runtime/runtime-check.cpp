//===- runtime-check.cpp - Standalone runtime checker ---------------------===//
//
// Runs potq_gemm and potq_conv2d_nhwc for every strategy x ISA the host
// supports (threads 1 and 3) on random and edge shapes, and compares the
// accumulators bit for bit with an int64 reference wrapped to int32 (and
// checks that columns past N are untouched). Plain C++17 on the C ABI (any
// host; cross-built for AArch64 by scripts/cross-aarch64.sh); run by
// test/AOT/aarch64-runtime.test under qemu-aarch64 (with and without the
// dotprod extension). Prints one summary line and exits 1 on any mismatch.
//
// Usage: potq-runtime-check [--quick]
//        potq-runtime-check --time M N K   (ms per potq_gemm call, 1 thread,
//                                           pot4-like int8 levels, per ISA x
//                                           strategy; under qemu these are
//                                           functional evidence, not speed)
//
//===----------------------------------------------------------------------===//

#include "potq/Runtime/Runtime.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1 << 20)
#endif
#endif

namespace {

std::mt19937_64 rng(20261122);

int64_t randIn(int64_t lo, int64_t hi) {
  return lo + int64_t(rng() % uint64_t(hi - lo + 1));
}

std::vector<int32_t> isas;
int64_t comparisons = 0, failures = 0, cases = 0;

void fail(const std::string &what) {
  if (++failures <= 20)
    std::printf("MISMATCH %s\n", what.c_str());
}

/// A level table of 2^bits codes, code 0 = level 0. kind 0: int8 levels
/// (both strategies), 1: int16 levels of <= 4 signed powers of two
/// (shift-add only, unless they happen to fit int8), 2: powers of two.
std::vector<int32_t> makeTable(int bits, int kind) {
  std::vector<int32_t> t(size_t(1) << bits, 0);
  for (size_t c = 1; c < t.size(); ++c) {
    if (kind == 0) {
      t[c] = int32_t(randIn(-128, 127));
    } else if (kind == 2) {
      int e = int(randIn(0, 14));
      t[c] = (rng() & 1) ? -(1 << e) : (1 << e);
    } else {
      int64_t v;
      do {
        v = 0;
        int n = int(randIn(1, 4));
        for (int i = 0; i < n; ++i)
          v += ((rng() & 1) ? -1 : 1) * (int64_t(1) << randIn(0, 13));
      } while (v < -32768 || v > 32767);
      t[c] = int32_t(v);
    }
  }
  if (t.size() > 2) { // extremes of int8 for the DOT edge cases
    if (kind == 0) {
      t[1] = -128;
      t[2] = 127;
    }
  }
  return t;
}

struct Weights {
  std::vector<int32_t> W; // [K][N] levels
  std::vector<uint8_t> packed;
  bool fits8 = true;
};

Weights makeWeights(int64_t K, int64_t N, int bits,
                    const std::vector<int32_t> &table, int zeroPct) {
  Weights w;
  w.W.resize(size_t(K * N));
  for (auto &v : w.W) {
    v = int64_t(rng() % 100) < zeroPct
            ? 0
            : table[size_t(randIn(0, int64_t(table.size()) - 1))];
    if (v < -128 || v > 127)
      w.fits8 = false;
  }
  int64_t size = 0;
  if (potq_packed_size(K, N, bits, &size) != POTQ_OK) {
    fail("potq_packed_size");
    return w;
  }
  w.packed.assign(size_t(size), 0xAB);
  int32_t s = potq_pack_weights(w.W.data(), K, N, N, table.data(), bits,
                                w.packed.data(), size);
  if (s != POTQ_OK)
    fail(std::string("potq_pack_weights: ") + potq_status_string(s));
  return w;
}

std::vector<int8_t> makeX(int64_t M, int64_t ldx, int mode) {
  std::vector<int8_t> X(size_t(M * ldx + 1));
  for (auto &v : X)
    v = mode == 1 ? -128 : mode == 2 ? 127 : int8_t(randIn(-128, 127));
  return X;
}

void checkGemm(int64_t M, int64_t N, int64_t K, int bits, int kind) {
  ++cases;
  std::vector<int32_t> table = makeTable(bits, kind);
  Weights w = makeWeights(K, N, bits, table, int(randIn(0, 3)) * 20);
  if (w.packed.empty())
    return;
  int64_t ldx = K + (rng() % 3 == 0 ? randIn(1, 9) : 0);
  int64_t ldacc = N + (rng() % 3 == 0 ? randIn(1, 5) : 0);
  int xmode = int(randIn(0, 5)); // 1: all -128, 2: all 127
  std::vector<int8_t> X = makeX(M, ldx, xmode > 2 ? 0 : xmode);
  const int32_t zxs[] = {-128, 0, 127, int32_t(randIn(-200, 200))};
  int32_t zx = zxs[randIn(0, 3)];
  std::vector<int32_t> ref(size_t(M * ldacc), 0x5EEDBEEF);
  for (int64_t m = 0; m < M; ++m)
    for (int64_t n = 0; n < N; ++n) {
      int64_t s = 0;
      for (int64_t k = 0; k < K; ++k)
        s += (int64_t(X[size_t(m * ldx + k)]) - zx) * w.W[size_t(k * N + n)];
      ref[size_t(m * ldacc + n)] = int32_t(uint32_t(uint64_t(s)));
    }
  for (int32_t isa : isas)
    for (int32_t strat : {POTQ_STRATEGY_DOT, POTQ_STRATEGY_SHIFT_ADD})
      for (int threads : {1, 3}) {
        std::vector<int32_t> acc(size_t(M * ldacc), 0x5EEDBEEF);
        int32_t s = potq_gemm(M, N, K, X.data(), ldx, zx, w.packed.data(),
                              acc.data(), ldacc, strat, isa, threads);
        char ctx[200];
        std::snprintf(ctx, sizeof ctx,
                      "gemm M=%lld N=%lld K=%lld bits=%d kind=%d zx=%d "
                      "ldx=%lld ldacc=%lld isa=%s strategy=%d threads=%d",
                      (long long)M, (long long)N, (long long)K, bits, kind, zx,
                      (long long)ldx, (long long)ldacc, potq_isa_name(isa), strat,
                      threads);
        bool valid = strat == POTQ_STRATEGY_SHIFT_ADD || w.fits8;
        ++comparisons;
        if (!valid) {
          if (s != POTQ_ERR_STRATEGY)
            fail(std::string(ctx) + ": expected POTQ_ERR_STRATEGY");
          continue;
        }
        if (s != POTQ_OK) {
          fail(std::string(ctx) + ": " + potq_status_string(s));
          continue;
        }
        for (size_t i = 0; i < acc.size(); ++i)
          if (acc[i] != ref[i]) {
            fail(std::string(ctx) + " at " + std::to_string(i) + ": got " +
                 std::to_string(acc[i]) + " want " + std::to_string(ref[i]));
            break;
          }
      }
}

void checkConv(int64_t B, int64_t H, int64_t W, int64_t C, int64_t KH,
               int64_t KW, int64_t F, int64_t sh, int64_t sw, int64_t pt,
               int64_t pl, int64_t pb, int64_t pr, int bits) {
  ++cases;
  int64_t K = KH * KW * C;
  std::vector<int32_t> table = makeTable(bits, 0);
  Weights w = makeWeights(K, F, bits, table, 20);
  if (w.packed.empty())
    return;
  std::vector<int8_t> X = makeX(B * H * W * C, 1, 0);
  int32_t zx = int32_t(randIn(-128, 127));
  int64_t OH = (H + pt + pb - KH) / sh + 1, OW = (W + pl + pr - KW) / sw + 1;
  std::vector<int32_t> ref(size_t(B * OH * OW * F));
  for (int64_t b = 0; b < B; ++b)
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow = 0; ow < OW; ++ow)
        for (int64_t f = 0; f < F; ++f) {
          int64_t s = 0;
          for (int64_t kh = 0; kh < KH; ++kh)
            for (int64_t kw = 0; kw < KW; ++kw) {
              int64_t ih = oh * sh + kh - pt, iw = ow * sw + kw - pl;
              if (ih < 0 || ih >= H || iw < 0 || iw >= W)
                continue;
              for (int64_t c = 0; c < C; ++c)
                s +=
                    (int64_t(X[size_t(((b * H + ih) * W + iw) * C + c)]) - zx) *
                    w.W[size_t(((kh * KW + kw) * C + c) * F + f)];
            }
          ref[size_t(((b * OH + oh) * OW + ow) * F + f)] =
              int32_t(uint32_t(uint64_t(s)));
        }
  for (int32_t isa : isas)
    for (int32_t strat : {POTQ_STRATEGY_DOT, POTQ_STRATEGY_SHIFT_ADD}) {
      std::vector<int32_t> acc(ref.size(), 0x5EEDBEEF);
      int32_t s =
          potq_conv2d_nhwc(B, H, W, C, X.data(), zx, KH, KW, F, w.packed.data(),
                           sh, sw, pt, pl, pb, pr, acc.data(), strat, isa, 2);
      ++comparisons;
      char ctx[200];
      std::snprintf(ctx, sizeof ctx,
                    "conv B=%lld H=%lld W=%lld C=%lld KH=%lld KW=%lld F=%lld "
                    "isa=%s strategy=%d",
                    (long long)B, (long long)H, (long long)W, (long long)C,
                    (long long)KH, (long long)KW, (long long)F, potq_isa_name(isa),
                    strat);
      if (s != POTQ_OK)
        fail(std::string(ctx) + ": " + potq_status_string(s));
      else if (acc != ref)
        fail(ctx);
    }
}

int timeGemm(int64_t M, int64_t N, int64_t K) {
  std::vector<int32_t> table = makeTable(4, 0);
  Weights w = makeWeights(K, N, 4, table, 0);
  std::vector<int8_t> X = makeX(M, K, 0);
  std::vector<int32_t> acc(size_t(M * N));
  for (int32_t isa : isas)
    for (int32_t strat : {POTQ_STRATEGY_DOT, POTQ_STRATEGY_SHIFT_ADD}) {
      int reps = 0;
      auto t0 = std::chrono::steady_clock::now();
      double secs = 0;
      do {
        if (potq_gemm(M, N, K, X.data(), K, 3, w.packed.data(), acc.data(), N,
                      strat, isa, 1) != POTQ_OK)
          return 1;
        ++reps;
        secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
                .count();
      } while (secs < 0.3);
      std::printf("time M=%lld N=%lld K=%lld isa=%s strategy=%s: %.3f ms\n",
                  (long long)M, (long long)N, (long long)K, potq_isa_name(isa),
                  strat == POTQ_STRATEGY_DOT ? "dot" : "shift-add",
                  1e3 * secs / reps);
    }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  bool quick = argc > 1 && !std::strcmp(argv[1], "--quick");
  auto t0 = std::chrono::steady_clock::now();
  for (int32_t isa : {POTQ_ISA_SCALAR, POTQ_ISA_AVX2, POTQ_ISA_AVXVNNI,
                      POTQ_ISA_AVX512, POTQ_ISA_NEON})
    if (potq_isa_supported(isa))
      isas.push_back(isa);
  bool dotprod = false;
#if defined(__aarch64__) && defined(__linux__)
  dotprod = (getauxval(AT_HWCAP) & HWCAP_ASIMDDP) != 0;
#endif
  std::string names;
  for (int32_t isa : isas)
    names += std::string(names.empty() ? "" : ",") + potq_isa_name(isa);
  std::printf("runtime-check: host isa %s, dotprod %s, isas %s\n",
              potq_isa_name(potq_host_isa()), dotprod ? "yes" : "no", names.c_str());
  if (argc == 5 && !std::strcmp(argv[1], "--time"))
    return timeGemm(std::atoll(argv[2]), std::atoll(argv[3]),
                    std::atoll(argv[4]));

  // POTQ_ISA=neon: accepted exactly where NEON is supported.
  {
    std::vector<int32_t> table = makeTable(4, 0);
    Weights w = makeWeights(5, 3, 4, table, 0);
    std::vector<int8_t> X = makeX(2, 5, 0);
    std::vector<int32_t> acc(6);
    setenv("POTQ_ISA", "neon", 1);
    int32_t s = potq_gemm(2, 3, 5, X.data(), 5, 0, w.packed.data(), acc.data(),
                          3, POTQ_STRATEGY_AUTO, POTQ_ISA_AUTO, 1);
    unsetenv("POTQ_ISA");
    ++comparisons;
    if (s != (potq_isa_supported(POTQ_ISA_NEON) ? POTQ_OK : POTQ_ERR_ISA))
      fail(std::string("POTQ_ISA=neon: ") + potq_status_string(s));
  }

  // Edge shapes: every code width, both level kinds.
  const int64_t Ms[] = {0, 1, 2, 3, 4, 5, 7, 9};
  const int64_t Ns[] = {1, 15, 16, 17, 33, 48};
  const int64_t Ks[] = {0, 1, 3, 4, 5, 15, 16, 17, 63, 65, 130};
  const int bitsList[] = {1, 2, 3, 4, 5, 6, 7, 8};
  int64_t step = quick ? 5 : 1, idx = 0;
  for (int64_t M : Ms)
    for (int64_t N : Ns)
      for (int64_t K : Ks)
        if (idx++ % step == 0)
          checkGemm(M, N, K, bitsList[idx % 8], int(idx % 3));
  // Random shapes, including long K (several 512-k chunks) and many rows.
  int randomCases = quick ? 20 : 60;
  for (int i = 0; i < randomCases; ++i)
    checkGemm(randIn(0, 40), randIn(1, 70), randIn(0, i % 10 == 0 ? 1100 : 300),
              int(randIn(1, 8)), int(randIn(0, 2)));
  checkGemm(130, 40, 530, 4, 0); // enough rows for the row split
  checkGemm(3, 70, 1100, 8, 1);
  // Convolutions (explicit im2col on every ISA but AVX-512).
  checkConv(1, 5, 6, 3, 3, 3, 17, 1, 1, 1, 1, 1, 1, 4);
  checkConv(2, 7, 7, 8, 3, 2, 5, 2, 1, 0, 1, 2, 0, 2);
  checkConv(1, 4, 4, 16, 1, 1, 33, 1, 1, 0, 0, 0, 0, 8);
  checkConv(1, 6, 5, 5, 6, 5, 3, 1, 1, 0, 0, 0, 0, 3);

  double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  std::printf("runtime-check: %lld cases, %lld comparisons, %lld mismatches "
              "(%.1f s)\n",
              (long long)cases, (long long)comparisons, (long long)failures,
              secs);
  std::printf("runtime-check: %s\n", failures ? "FAIL" : "PASS");
  return failures ? 1 : 0;
}
