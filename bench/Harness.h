//===- Harness.h - Timing, cache flushing and machine probes ----*- C++ -*-===//

#ifndef POTQ_BENCH_HARNESS_H
#define POTQ_BENCH_HARNESS_H

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>

namespace potq::bench {

struct Options {
  int threads = 0; // 0: hardware concurrency
  int reps = 11;
  int warmup = 2;
};

/// Median wall time in seconds of `reps` runs of fn after `warmup` runs;
/// `before` (untimed) runs before every run, e.g. a cache flush.
double medianSeconds(const Options &opt, const std::function<void()> &fn,
                     const std::function<void()> &before = nullptr);

/// Frees what hugeAlloc returned.
struct HugeFree {
  void operator()(void *p) const { std::free(p); }
};
using HugeBuffer = std::unique_ptr<void, HugeFree>;

/// 2 MiB-aligned memory advised for transparent huge pages (MADV_HUGEPAGE).
/// Used for the weights of potq and of oneDNN alike, so that DRAM-bound GEMV
/// measures memory rather than TLB misses.
HugeBuffer hugeAlloc(size_t bytes);

/// Evicts the caches by writing a buffer 4x the last-level cache.
void flushCaches();

/// Read bandwidth in GB/s: sum of a 512 MiB array, `threads` threads,
/// AVX-512 (AVX2 if unavailable), best of repetitions.
double readBandwidthGBs(const Options &opt, int threads);

/// Peak int8 dot-product rate in GOPS (2 ops per multiply-add): independent
/// chains of vpdpbusd zmm on `threads` threads (0 if no AVX-512 VNNI).
double vnniPeakGops(int threads);

} // namespace potq::bench

#endif // POTQ_BENCH_HARNESS_H
