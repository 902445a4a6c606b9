//===- KernelsScalar.cpp - Portable kernels (any x86-64 or other CPU) -----===//
//
// Reference-quality kernels: each panel's codes are unpacked once into a
// per-thread buffer, then every row is accumulated with wrapping uint32
// arithmetic. DOT multiplies by the level, SHIFT_ADD adds +-(x << e) per
// power-of-two term of the level (no multiplies).
//
//===----------------------------------------------------------------------===//

#include "Internal.h"
#include "potq/Runtime/Runtime.h"

#include <vector>

using namespace potq::runtime;

/// Unpacks the codes of panel p into codes[k * 16 + j], k < K.
static void unpackPanel(const PackedView &w, int64_t p,
                        std::vector<uint8_t> &codes) {
  codes.resize(size_t(w.KB * w.kBlock * kPanel));
  const uint8_t *blk = w.panel(p);
  const int fields = 8 / w.cw;
  const unsigned mask = (1u << w.cw) - 1;
  for (int64_t b = 0; b < w.KB; ++b, blk += kBlockBytes)
    for (int i = 0; i < 64; ++i)
      for (int f = 0; f < fields; ++f) {
        int64_t k = b * w.kBlock + 4 * f + i % 4;
        codes[size_t(k * kPanel + i / 4)] =
            uint8_t((blk[i] >> (f * w.cw)) & mask);
      }
}

/// The portable loop nest of both strategies: for panels [p0, p1) and rows
/// [m0, m1), `mac(acc, xv, code)` adds (x - zx) times the weight of `code`
/// to `acc`, modulo 2^32.
template <typename Mac>
static void scalarPanels(const GemmTask &t, int64_t m0, int64_t m1, int64_t p0,
                         int64_t p1, Mac mac) {
  const PackedView &w = *t.w;
  thread_local std::vector<uint8_t> codes;
  for (int64_t p = p0; p < p1; ++p) {
    unpackPanel(w, p, codes);
    for (int64_t m = m0; m < m1; ++m) {
      uint32_t acc[kPanel] = {};
      const int8_t *x = t.X + m * t.ldx;
      for (int64_t k = 0; k < w.K; ++k) {
        uint32_t xv = uint32_t(int32_t(x[k]) - t.zx);
        const uint8_t *c = &codes[size_t(k * kPanel)];
        for (int j = 0; j < kPanel; ++j)
          mac(acc[j], xv, c[j]);
      }
      storeRow(t, m, p, reinterpret_cast<const int32_t *>(acc));
    }
  }
}

static void dotScalar(const GemmTask &t, int64_t m0, int64_t m1, int64_t p0,
                      int64_t p1) {
  const PackedView &w = *t.w;
  scalarPanels(t, m0, m1, p0, p1, [&](uint32_t &acc, uint32_t xv, uint8_t c) {
    acc += xv * uint32_t(int32_t(w.level[c]));
  });
}

static void shiftAddScalar(const GemmTask &t, int64_t m0, int64_t m1,
                           int64_t p0, int64_t p1) {
  const PackedView &w = *t.w;
  scalarPanels(t, m0, m1, p0, p1, [&](uint32_t &acc, uint32_t xv, uint8_t c) {
    for (int term = 0; term < w.terms; ++term) {
      unsigned e = w.termExp[term * 256 + c];
      if (e == kNoTerm)
        continue;
      uint32_t v = xv << e;
      acc += w.termNeg[term * 256 + c] ? 0u - v : v;
    }
  });
}

static bool always() { return true; }

/// Both strategies read the raw X (InputFormat::Raw) and unpack the codes.
const KernelSet potq::runtime::scalarKernelSet = {
    POTQ_ISA_SCALAR,
    always,
    {dotScalar, InputFormat::Raw, 2, nullptr, nullptr},
    {shiftAddScalar, InputFormat::Raw, 2, nullptr, nullptr}};
