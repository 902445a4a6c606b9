//===- KernelCommon.h - Helpers shared by the kernel TUs ---------*- C++
//-*-===//
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

/// A 64-byte aligned, per-thread, grow-only scratch buffer.
struct Scratch {
  void *ptr = nullptr;
  size_t size = 0;
  void *get(size_t bytes) {
    if (bytes > size) {
      std::free(ptr);
      size = (bytes + 63) & ~size_t(63);
      ptr = std::aligned_alloc(64, size);
      if (!ptr)
        throw std::bad_alloc();
    }
    return ptr;
  }
  ~Scratch() { std::free(ptr); }
};

/// Code of panel-local column j at k, read from the panel's blocks.
inline unsigned codeAt(const PackedView &w, const uint8_t *panel, int64_t k,
                       int j) {
  const uint8_t *blk = panel + (k / w.kBlock) * kBlockBytes;
  int field = int(k % w.kBlock) / 4;
  return (blk[j * 4 + k % 4] >> (field * w.cw)) & ((1u << w.cw) - 1);
}

/// Shift-add scratch of panel p for k in [k0, k0 + kc): per k and term, 16
/// int32 shift counts then 16 int32 sign masks (0 / -1). Portable decoder.
inline void decodeTermsScalar(const PackedView &w, int64_t p, int64_t k0,
                              int64_t kc, int32_t *dst) {
  const uint8_t *panel = w.panel(p);
  int T = w.terms;
  for (int64_t k = k0; k < k0 + kc; ++k)
    for (int j = 0; j < kPanel; ++j) {
      unsigned c = codeAt(w, panel, k, j);
      for (int t = 0; t < T; ++t) {
        int32_t *e = dst + ((k - k0) * T + t) * 2 * kPanel;
        e[j] = w.termExp[t * 256 + c];
        e[kPanel + j] = w.termNeg[t * 256 + c] ? -1 : 0;
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
