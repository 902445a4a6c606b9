//===- Harness.cpp - Timing, cache flushing and machine probes ------------===//

#include "Harness.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <immintrin.h>
#include <sys/mman.h>
#include <thread>
#include <vector>

using namespace potq::bench;

double potq::bench::medianSeconds(const Options &opt,
                                  const std::function<void()> &fn,
                                  const std::function<void()> &before) {
  // Let the previous implementation's idle threads (OpenMP spin-waits,
  // potq's pool) go to sleep so that they do not steal a core.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // Warm up for at least `warmup` runs and 200 ms, so that every core
  // (the pool's workers included) runs at full clock when timing starts.
  auto w0 = std::chrono::steady_clock::now();
  for (int i = 0; i < opt.warmup || std::chrono::steady_clock::now() - w0 <
                                        std::chrono::milliseconds(200);
       ++i) {
    if (before)
      before();
    fn();
  }
  std::vector<double> t;
  for (int i = 0; i < opt.reps; ++i) {
    if (before)
      before();
    auto t0 = std::chrono::steady_clock::now();
    fn();
    auto t1 = std::chrono::steady_clock::now();
    t.push_back(std::chrono::duration<double>(t1 - t0).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

potq::bench::HugeBuffer potq::bench::hugeAlloc(size_t bytes) {
  const size_t huge = size_t(2) << 20;
  size_t size = (bytes + huge - 1) / huge * huge;
  void *p = std::aligned_alloc(huge, size ? size : huge);
  if (!p) {
    std::fprintf(stderr, "out of memory\n");
    std::exit(1);
  }
  madvise(p, size, MADV_HUGEPAGE); // best effort
  return HugeBuffer(p);
}

void potq::bench::flushCaches() {
  // Plain read-modify-write of every line (memset may use non-temporal
  // stores, which would bypass and so not evict the caches).
  static std::vector<uint64_t> buf(size_t(128) << 17); // 128 MiB
  volatile uint64_t *p = buf.data();
  for (size_t i = 0; i < buf.size(); i += 8)
    p[i] = p[i] + 1;
}

__attribute__((target("avx512f"))) static uint64_t sum512(const uint8_t *p,
                                                          size_t n) {
  __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
  for (size_t i = 0; i < n; i += 256) {
    // Software prefetch 2 KiB ahead, as the GEMV kernel does.
    _mm_prefetch((const char *)(p + i + 2048), _MM_HINT_T0);
    _mm_prefetch((const char *)(p + i + 2048 + 128), _MM_HINT_T0);
    a0 = _mm512_add_epi64(a0, _mm512_load_si512(p + i));
    a1 = _mm512_add_epi64(a1, _mm512_load_si512(p + i + 64));
    a2 = _mm512_add_epi64(a2, _mm512_load_si512(p + i + 128));
    a3 = _mm512_add_epi64(a3, _mm512_load_si512(p + i + 192));
  }
  return uint64_t(_mm512_reduce_add_epi64(
      _mm512_add_epi64(_mm512_add_epi64(a0, a1), _mm512_add_epi64(a2, a3))));
}

__attribute__((target("avx2"))) static uint64_t sum256(const uint8_t *p,
                                                       size_t n) {
  __m256i a0 = _mm256_setzero_si256(), a1 = a0;
  for (size_t i = 0; i < n; i += 64) {
    a0 = _mm256_add_epi64(a0, _mm256_load_si256((const __m256i *)(p + i)));
    a1 = _mm256_add_epi64(a1, _mm256_load_si256((const __m256i *)(p + i + 32)));
  }
  alignas(32) uint64_t s[4];
  _mm256_store_si256((__m256i *)s, _mm256_add_epi64(a0, a1));
  return s[0] + s[1] + s[2] + s[3];
}

double potq::bench::readBandwidthGBs(const Options &opt, int threads) {
  const size_t bytes = size_t(512) << 20;
  static uint8_t *buf = nullptr;
  if (!buf) {
    buf = static_cast<uint8_t *>(hugeAlloc(bytes).release()); // kept to exit
    for (size_t i = 0; i < bytes; i += 4096) // first touch, non-zero pages
      std::memset(buf + i, int(i >> 12), 4096);
  }
  bool avx512 = __builtin_cpu_supports("avx512f");
  volatile uint64_t sink = 0;
  auto run = [&] {
    std::vector<std::thread> ts;
    size_t part = bytes / size_t(threads);
    for (int t = 0; t < threads; ++t)
      ts.emplace_back([&, t] {
        const uint8_t *p = buf + part * size_t(t);
        sink = sink + (avx512 ? sum512(p, part) : sum256(p, part));
      });
    for (auto &t : ts)
      t.join();
  };
  // Best of the repetitions: the achievable read bandwidth (the VM's
  // bandwidth drifts with other tenants; the peak is the fair reference).
  for (int i = 0; i < 2; ++i)
    run();
  double best = 1e30;
  for (int i = 0; i < std::max(5, opt.reps / 2); ++i) {
    auto t0 = std::chrono::steady_clock::now();
    run();
    best = std::min(best, std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - t0)
                              .count());
  }
  return double(bytes) / best / 1e9;
}

__attribute__((target("avx512f,avx512vnni"))) static void
vnniChains(int64_t iters, int32_t *out) {
  __m512i a = _mm512_set1_epi32(0x01010101), b = _mm512_set1_epi32(0x01020304);
  __m512i c[12];
  for (int i = 0; i < 12; ++i)
    c[i] = _mm512_set1_epi32(i);
  for (int64_t it = 0; it < iters; ++it) {
#pragma clang loop unroll(full)
    for (int i = 0; i < 12; ++i)
      c[i] = _mm512_dpbusd_epi32(c[i], a, b);
    __asm__ volatile("" : "+v"(a), "+v"(b)); // keep the loop
  }
  __m512i s = c[0];
  for (int i = 1; i < 12; ++i)
    s = _mm512_add_epi32(s, c[i]);
  *out = _mm512_reduce_add_epi32(s);
}

double potq::bench::vnniPeakGops(int threads) {
  if (!__builtin_cpu_supports("avx512vnni"))
    return 0;
  const int64_t iters = 20000000;
  std::vector<int32_t> sink(static_cast<size_t>(threads));
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] { vnniChains(iters, &sink[size_t(t)]); });
  for (auto &t : ts)
    t.join();
  double s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  return double(iters) * 12 * 64 * 2 * threads / s / 1e9;
}
