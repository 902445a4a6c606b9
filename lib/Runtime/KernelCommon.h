//===- KernelCommon.h - Helpers shared by the kernel TUs --------*- C++ -*-===//
//
// Everything here has internal linkage: each kernel translation unit is
// compiled for its own ISA, so shared inline code must not be merged across
// them by the linker.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_LIB_RUNTIME_KERNELCOMMON_H
#define POTQ_LIB_RUNTIME_KERNELCOMMON_H

#include "Internal.h"

#include <algorithm>
#include <cstdlib>
#include <new>

namespace {
using namespace potq::runtime;

/// A 64-byte aligned, per-thread, grow-only scratch buffer. Throws
/// std::bad_alloc (caught by parallelFor, reported as POTQ_ERR_ALLOC) and
/// stays empty if the allocation fails.
struct Scratch {
  void *ptr = nullptr;
  size_t size = 0;
  void *get(size_t bytes) {
    if (bytes > size) {
      std::free(ptr);
      ptr = nullptr;
      size = 0;
      size_t want = (bytes + 63) & ~size_t(63);
      ptr = std::aligned_alloc(64, want);
      if (!ptr)
        throw std::bad_alloc();
      size = want;
    }
    return ptr;
  }
  ~Scratch() { std::free(ptr); }
};

/// Shift-add scratch of panel p for k in [k0, k0 + kc) (k0 and kc multiples
/// of kBlock): per k and term, 16 int32 shift counts then 16 int32 sign
/// masks (0 / -1). Portable decoder, one pass over the blocks.
inline void decodeTermsScalar(const PackedView &w, int64_t p, int64_t k0,
                              int64_t kc, int32_t *dst) {
  const int T = w.terms;
  const int fields = 8 / w.cw;
  const unsigned mask = (1u << w.cw) - 1;
  const uint8_t *blk = w.panel(p) + k0 / w.kBlock * kBlockBytes;
  for (int64_t b = 0; b < kc / w.kBlock; ++b, blk += kBlockBytes)
    for (int i = 0; i < 64; ++i)
      for (int f = 0; f < fields; ++f) {
        unsigned c = (blk[i] >> (f * w.cw)) & mask;
        int64_t k = b * w.kBlock + 4 * f + i % 4; // relative to k0
        for (int t = 0; t < T; ++t) {
          int32_t *e = dst + (k * T + t) * 2 * kPanel;
          e[i / 4] = w.termExp[t * 256 + c];
          e[kPanel + i / 4] = w.termNeg[t * 256 + c] ? -1 : 0;
        }
      }
}

/// N-tail: number of valid columns of panel p.
inline int validCols(const PackedView &w, int64_t p) {
  int64_t n = w.N - p * kPanel;
  return n < kPanel ? int(n) : int(kPanel);
}
} // namespace

#endif // POTQ_LIB_RUNTIME_KERNELCOMMON_H
