//===- KernelsAvx512.cpp - AVX-512 VNNI / VBMI kernels --------------------===//
//
// Compiled with -mavx512f/bw/vl/vbmi/vnni (only called after runtime
// detection). DOT: codes are decoded to u8 = level + 128 with vpshufb
// (2/4-bit codes) or vpermi2b (8-bit codes) and multiplied with the raw
// int8 activations, broadcast from memory (embedded {1to16}), by vpdpbusd;
// acc = dot - 128 * rowSum(X) - zx * colSum(W). Few rows: decode fused into a
// streaming loop. Many rows: each 2-panel x KC chunk is decoded once into
// an L1 scratch and an 8-row x 32-column microkernel runs over all rows.
// SHIFT_ADD is in KernelsAvx512ShiftAdd.cpp.
//
//===----------------------------------------------------------------------===//

#include "Avx512Common.h"
#include "Kernels.h"

#include <immintrin.h>
#include <type_traits>
#include <vector>

namespace {

struct Tables {
  __m512i t16;            // levelU8[0..15] in every 128-bit lane
  __m512i t0, t1, t2, t3; // levelU8[0..255]
};

Tables makeTables(const PackedView &w) {
  Tables t;
  t.t16 = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)w.levelU8));
  t.t0 = _mm512_loadu_si512(w.levelU8);
  t.t1 = _mm512_loadu_si512(w.levelU8 + 64);
  t.t2 = _mm512_loadu_si512(w.levelU8 + 128);
  t.t3 = _mm512_loadu_si512(w.levelU8 + 192);
  return t;
}

/// Codes of field j of a 64-byte block.
template <int CW> inline __m512i field(__m512i v, int j) {
  if (CW == 8)
    return v;
  __m512i mask = _mm512_set1_epi8(char((1 << CW) - 1));
  if (j == 0)
    return _mm512_and_si512(v, mask);
  return _mm512_and_si512(_mm512_srli_epi16(v, unsigned(j * CW)), mask);
}

/// Int8 levels of field j: 64 bytes = 16 columns x 4 consecutive k.
template <int CW> inline __m512i decode(const Tables &t, __m512i v, int j) {
  __m512i idx = field<CW>(v, j);
  if (CW == 8)
    return lookup256(t.t0, t.t1, t.t2, t.t3, idx);
  return _mm512_shuffle_epi8(t.t16, idx);
}

inline __m512i bcast32(const int8_t *p) {
  int32_t v;
  __builtin_memcpy(&v, p, 4);
  return _mm512_set1_epi32(v);
}

inline void finishDot(const GemmTask &t, int64_t m, int64_t p, __m512i acc) {
  const PackedView &w = *t.w;
  __m512i cs = _mm512_loadu_si512(w.colSum + p * kPanel);
  acc = _mm512_sub_epi32(acc, _mm512_mullo_epi32(cs, _mm512_set1_epi32(t.zx)));
  acc = _mm512_sub_epi32(
      acc, _mm512_set1_epi32(int32_t(uint32_t(t.rowSum[m]) << 7)));
  __mmask16 mask = __mmask16((1u << validCols(w, p)) - 1);
  _mm512_mask_storeu_epi32(t.acc + m * t.ldacc + p * kPanel, mask, acc);
}

/// Streaming kernel: R rows (1..4), one panel, decode fused with the dots.
template <int CW, int R>
void dotStream(const GemmTask &t, int64_t m0, int64_t p) {
  const PackedView &w = *t.w;
  constexpr int G = 8 / CW;  // k-groups of 4 per block
  constexpr int BPU = 4 / G; // blocks per unrolled step (4 accumulators)
  Tables tab = makeTables(w);
  const uint8_t *codes = w.panel(p);
  const int8_t *x[R];
  for (int r = 0; r < R; ++r)
    x[r] = t.xs8 + (m0 + r) * t.ldxs;
  __m512i acc[R][4];
  for (int r = 0; r < R; ++r)
    for (int a = 0; a < 4; ++a)
      acc[r][a] = _mm512_setzero_si512();
  int64_t kb = 0;
  for (; kb + BPU <= w.KB; kb += BPU) {
#pragma clang loop unroll(full)
    for (int b = 0; b < BPU; ++b) {
      // Every line, 2 KiB ahead; panels are contiguous, so this runs on
      // into the next panel.
      _mm_prefetch((const char *)(codes + (kb + b + 32) * kBlockBytes),
                   _MM_HINT_T0);
      __m512i v = _mm512_loadu_si512(codes + (kb + b) * kBlockBytes);
#pragma clang loop unroll(full)
      for (int j = 0; j < G; ++j) {
        __m512i wv = decode<CW>(tab, v, j);
        int64_t k = (kb + b) * w.kBlock + 4 * j;
#pragma clang loop unroll(full)
        for (int r = 0; r < R; ++r)
          acc[r][b * G + j] =
              _mm512_dpbusd_epi32(acc[r][b * G + j], wv, bcast32(x[r] + k));
      }
    }
  }
  for (; kb < w.KB; ++kb) {
    __m512i v = _mm512_loadu_si512(codes + kb * kBlockBytes);
#pragma clang loop unroll(full)
    for (int j = 0; j < G; ++j) {
      __m512i wv = decode<CW>(tab, v, j);
      int64_t k = kb * w.kBlock + 4 * j;
      for (int r = 0; r < R; ++r)
        acc[r][j] = _mm512_dpbusd_epi32(acc[r][j], wv, bcast32(x[r] + k));
    }
  }
  for (int r = 0; r < R; ++r) {
    __m512i s = _mm512_add_epi32(_mm512_add_epi32(acc[r][0], acc[r][1]),
                                 _mm512_add_epi32(acc[r][2], acc[r][3]));
    finishDot(t, m0 + r, p, s);
  }
}

template <int CW>
void dotStreamRows(const GemmTask &t, int64_t m0, int64_t m1, int64_t p) {
  for (int64_t m = m0; m < m1;) {
    int64_t left = m1 - m;
    if (left >= 4) {
      dotStream<CW, 4>(t, m, p);
      m += 4;
    } else if (left == 3) {
      dotStream<CW, 3>(t, m, p);
      m += 3;
    } else if (left == 2) {
      dotStream<CW, 2>(t, m, p);
      m += 2;
    } else {
      dotStream<CW, 1>(t, m, p);
      m += 1;
    }
  }
}

/// Decodes panels [p, p + NP) for blocks [kb0, kb0 + nb) into scratch:
/// group g (4 k) of panel q at dst + (g * NP + q) * 64.
template <int CW, int NP>
void decodeChunk(const PackedView &w, const Tables &tab, int64_t p, int64_t kb0,
                 int64_t nb, int8_t *dst) {
  constexpr int G = 8 / CW;
  for (int q = 0; q < NP; ++q) {
    const uint8_t *codes = w.panel(p + q) + kb0 * kBlockBytes;
    for (int64_t b = 0; b < nb; ++b) {
      __m512i v = _mm512_loadu_si512(codes + b * kBlockBytes);
      for (int j = 0; j < G; ++j)
        _mm512_store_si512(dst + ((b * G + j) * NP + q) * 64,
                           decode<CW>(tab, v, j));
    }
  }
}

/// The accumulator tile of MR rows x NP panels at (m, p): column masks for
/// partial panels, and zeros (first k-chunk) or the partial sums stored by
/// the previous chunk.
template <int MR, int NP>
__attribute__((always_inline)) inline void
loadTile(const GemmTask &t, int64_t m, int64_t p, bool first,
         __m512i (&acc)[MR][NP], __mmask16 (&mask)[NP]) {
#pragma clang loop unroll(full)
  for (int q = 0; q < NP; ++q)
    mask[q] = __mmask16((1u << validCols(*t.w, p + q)) - 1);
#pragma clang loop unroll(full)
  for (int r = 0; r < MR; ++r)
#pragma clang loop unroll(full)
    for (int q = 0; q < NP; ++q)
      acc[r][q] =
          first ? _mm512_setzero_si512()
                : _mm512_maskz_loadu_epi32(mask[q], t.acc + (m + r) * t.ldacc +
                                                        (p + q) * kPanel);
}

/// Stores the tile: finished (last k-chunk, with the zero-point correction)
/// or as partial sums for the next chunk.
template <int MR, int NP>
__attribute__((always_inline)) inline void
storeTile(const GemmTask &t, int64_t m, int64_t p, bool last,
          const __m512i (&acc)[MR][NP], const __mmask16 (&mask)[NP]) {
#pragma clang loop unroll(full)
  for (int r = 0; r < MR; ++r)
#pragma clang loop unroll(full)
    for (int q = 0; q < NP; ++q) {
      if (last)
        finishDot(t, m + r, p + q, acc[r][q]);
      else
        _mm512_mask_storeu_epi32(t.acc + (m + r) * t.ldacc + (p + q) * kPanel,
                                 mask[q], acc[r][q]);
    }
}

/// MR rows x NP panels over `groups` k-groups of scratch `wt`.
template <int MR, int NP>
void microDot(const GemmTask &t, int64_t m, int64_t p, const int8_t *wt,
              int64_t k0, int64_t groups, bool first, bool last) {
  __m512i acc[MR][NP];
  __mmask16 mask[NP];
  loadTile<MR, NP>(t, m, p, first, acc, mask);
  const int8_t *x = t.xs8 + m * t.ldxs + k0;
  for (int64_t g = 0; g < groups; ++g) {
    __m512i wv[NP];
#pragma clang loop unroll(full)
    for (int q = 0; q < NP; ++q)
      wv[q] = _mm512_load_si512(wt + (g * NP + q) * 64);
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; ++r) {
      __m512i a = bcast32(x + r * t.ldxs + 4 * g);
#pragma clang loop unroll(full)
      for (int q = 0; q < NP; ++q)
        acc[r][q] = _mm512_dpbusd_epi32(acc[r][q], wv[q], a);
    }
  }
  storeTile<MR, NP>(t, m, p, last, acc, mask);
}

/// Calls f(integral_constant<int, MR>, m) for MR == mr (1 <= mr <= MAXMR).
template <int MR, typename F> void withMR(int64_t mr, int64_t m, F &f) {
  if constexpr (MR >= 1) {
    if (mr == MR)
      return f(std::integral_constant<int, MR>{}, m);
    withMR<MR - 1>(mr, m, f);
  }
}

/// Splits rows [m0, m1) into balanced blocks of at most MAXMR rows (49 rows
/// with MAXMR = 8: 7 x 7, not 6 x 8 + 1) and calls f on each.
template <int MAXMR, typename F>
void forRowBlocks(int64_t m0, int64_t m1, F &&f) {
  int64_t n = m1 - m0, nb = (n + MAXMR - 1) / MAXMR, m = m0;
  for (int64_t b = 0; b < nb; ++b) {
    int64_t mr = n / nb + (b < n % nb ? 1 : 0);
    withMR<MAXMR>(mr, m, f);
    m += mr;
  }
}

/// Most rows per microkernel for NP panels: MR * NP accumulators + NP
/// weight registers + 1 broadcast must fit the 32 zmm registers.
template <int NP> constexpr int maxRows() { return NP == 4 ? 6 : 8; }

/// Calls f(integral_constant<int, NP>) for np in [1, 4].
template <typename F> void withNP(int64_t np, F &&f) {
  switch (np) {
  case 4:
    return f(std::integral_constant<int, 4>{});
  case 3:
    return f(std::integral_constant<int, 3>{});
  case 2:
    return f(std::integral_constant<int, 2>{});
  default:
    return f(std::integral_constant<int, 1>{});
  }
}

constexpr int64_t kChunkK = 512; // k per decoded chunk (4 panels: 32 KiB)

template <int CW>
void dotBlocked(const GemmTask &t, int64_t m0, int64_t m1, int64_t p0,
                int64_t p1) {
  const PackedView &w = *t.w;
  thread_local Scratch scratch;
  auto *wt = static_cast<int8_t *>(scratch.get(size_t(kChunkK * 4 * 16)));
  Tables tab = makeTables(w);
  const int64_t chunkBlocks = kChunkK / w.kBlock;
  for (int64_t p = p0; p < p1; p += 4) {
    withNP(std::min<int64_t>(4, p1 - p), [&](auto npc) {
      constexpr int NP = decltype(npc)::value;
      for (int64_t kb = 0; kb < w.KB; kb += chunkBlocks) {
        int64_t nb = std::min(chunkBlocks, w.KB - kb);
        int64_t groups = nb * w.kBlock / 4;
        bool first = kb == 0, last = kb + nb == w.KB;
        decodeChunk<CW, NP>(w, tab, p, kb, nb, wt);
        forRowBlocks<maxRows<NP>()>(m0, m1, [&](auto mrc, int64_t m) {
          microDot<decltype(mrc)::value, NP>(t, m, p, wt, kb * w.kBlock, groups,
                                             first, last);
        });
      }
    });
  }
}

/// Implicit-im2col microkernel: MR output pixels x NP panels over taps
/// [tap0, tap0 + ntaps); each tap reads C contiguous input channels per
/// pixel (or the zx padding row).
template <int MR, int NP>
void microDotConv(const GemmTask &t, int64_t m, int64_t p, const int8_t *wt,
                  int64_t tap0, int64_t ntaps, bool first, bool last) {
  const ConvGeom &cg = *t.conv;
  __m512i acc[MR][NP];
  __mmask16 mask[NP];
  loadTile<MR, NP>(t, m, p, first, acc, mask);
  int64_t base[MR], ih0[MR], iw0[MR];
#pragma clang loop unroll(full)
  for (int r = 0; r < MR; ++r) {
    int64_t b = (m + r) / (cg.OH * cg.OW), rem = (m + r) % (cg.OH * cg.OW);
    base[r] = b * cg.H;
    ih0[r] = rem / cg.OW * cg.sh - cg.pt;
    iw0[r] = rem % cg.OW * cg.sw - cg.pl;
  }
  const int64_t groups = cg.C / 4;
  for (int64_t tap = tap0; tap < tap0 + ntaps; ++tap) {
    int64_t kh = tap / cg.KW, kw = tap % cg.KW;
    const int8_t *x[MR];
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; ++r) {
      int64_t ih = ih0[r] + kh, iw = iw0[r] + kw;
      x[r] = ih < 0 || ih >= cg.H || iw < 0 || iw >= cg.W
                 ? cg.pad
                 : cg.X + ((base[r] + ih) * cg.W + iw) * cg.C;
    }
    const int8_t *ws = wt + (tap - tap0) * groups * NP * 64;
    for (int64_t g = 0; g < groups; ++g) {
      __m512i wv[NP];
#pragma clang loop unroll(full)
      for (int q = 0; q < NP; ++q)
        wv[q] = _mm512_load_si512(ws + (g * NP + q) * 64);
#pragma clang loop unroll(full)
      for (int r = 0; r < MR; ++r) {
        __m512i a = bcast32(x[r] + 4 * g);
#pragma clang loop unroll(full)
        for (int q = 0; q < NP; ++q)
          acc[r][q] = _mm512_dpbusd_epi32(acc[r][q], wv[q], a);
      }
    }
  }
  storeTile<MR, NP>(t, m, p, last, acc, mask);
}

/// k per decoded convolution chunk (4 panels: up to 40 KiB): all 9 taps of
/// a 3x3 convolution with C <= 71 in one pass.
constexpr int64_t kConvChunkK = 640;

/// Convolution: chunks of whole taps (C % kBlock == 0, checked by the
/// dispatcher), each decoded once per group of up to 4 panels.
template <int CW>
void dotBlockedConv(const GemmTask &t, int64_t m0, int64_t m1, int64_t p0,
                    int64_t p1) {
  const PackedView &w = *t.w;
  const ConvGeom &cg = *t.conv;
  const int64_t taps = cg.KH * cg.KW;
  const int64_t tapsPerChunk = std::max<int64_t>(1, kConvChunkK / cg.C);
  thread_local Scratch scratch;
  auto *wt =
      static_cast<int8_t *>(scratch.get(size_t(tapsPerChunk * cg.C * 4 * 16)));
  Tables tab = makeTables(w);
  for (int64_t p = p0; p < p1; p += 4) {
    withNP(std::min<int64_t>(4, p1 - p), [&](auto npc) {
      constexpr int NP = decltype(npc)::value;
      for (int64_t tap = 0; tap < taps; tap += tapsPerChunk) {
        int64_t nt = std::min(tapsPerChunk, taps - tap);
        int64_t kb = tap * cg.C / w.kBlock, nb = nt * cg.C / w.kBlock;
        bool first = tap == 0, last = tap + nt == taps;
        decodeChunk<CW, NP>(w, tab, p, kb, nb, wt);
        forRowBlocks<maxRows<NP>()>(m0, m1, [&](auto mrc, int64_t m) {
          microDotConv<decltype(mrc)::value, NP>(t, m, p, wt, tap, nt, first,
                                                 last);
        });
      }
    });
  }
}

template <int CW>
void dotCw(const GemmTask &t, int64_t m0, int64_t m1, int64_t p0, int64_t p1) {
  if (t.conv)
    return dotBlockedConv<CW>(t, m0, m1, p0, p1);
  if (m1 - m0 <= 4) {
    for (int64_t p = p0; p < p1; ++p)
      dotStreamRows<CW>(t, m0, m1, p);
    return;
  }
  dotBlocked<CW>(t, m0, m1, p0, p1);
}

} // namespace

void potq::runtime::x86::avx512Dot(const GemmTask &t, int64_t m0, int64_t m1,
                                   int64_t p0, int64_t p1) {
  switch (t.w->cw) {
  case 2:
    return dotCw<2>(t, m0, m1, p0, p1);
  case 4:
    return dotCw<4>(t, m0, m1, p0, p1);
  default:
    return dotCw<8>(t, m0, m1, p0, p1);
  }
}

void potq::runtime::x86::avx512RowSums(const int8_t *X, int64_t ldx, int64_t K,
                                       int64_t m0, int64_t m1, int32_t *out) {
  const __m512i ones = _mm512_set1_epi8(1);
  for (int64_t m = m0; m < m1; ++m) {
    const int8_t *x = X + m * ldx;
    __m512i a0 = _mm512_setzero_si512(), a1 = a0;
    int64_t k = 0;
    for (; k + 128 <= K; k += 128) {
      a0 = _mm512_dpbusd_epi32(a0, ones, _mm512_loadu_si512(x + k));
      a1 = _mm512_dpbusd_epi32(a1, ones, _mm512_loadu_si512(x + k + 64));
    }
    for (; k < K; k += 64) {
      __mmask64 mask =
          K - k >= 64 ? ~__mmask64(0) : (__mmask64(1) << (K - k)) - 1;
      a0 = _mm512_dpbusd_epi32(a0, ones, _mm512_maskz_loadu_epi8(mask, x + k));
    }
    out[m] = _mm512_reduce_add_epi32(_mm512_add_epi32(a0, a1));
  }
}

void potq::runtime::x86::avx512ConvRowSums(const ConvGeom &cg, int32_t zx,
                                           int64_t m0, int64_t m1,
                                           int32_t *out) {
  // Separable: pixel channel sums, then sums over kw, then over kh, for the
  // input rows that rows [m0, m1) of each image need.
  thread_local std::vector<int32_t> pix, hs;
  const int64_t img = cg.OH * cg.OW;
  const uint32_t padC = uint32_t(zx) * uint32_t(cg.C);
  for (int64_t m = m0; m < m1;) {
    int64_t b = m / img, mEnd = std::min(m1, (b + 1) * img);
    int64_t oh0 = (m - b * img) / cg.OW, oh1 = (mEnd - 1 - b * img) / cg.OW;
    int64_t ihLo = oh0 * cg.sh - cg.pt, rows = (oh1 - oh0) * cg.sh + cg.KH;
    pix.resize(size_t(rows * cg.W));
    hs.resize(size_t(rows * cg.OW));
    for (int64_t r = 0; r < rows; ++r) {
      int64_t ih = ihLo + r;
      if (ih < 0 || ih >= cg.H)
        continue;
      avx512RowSums(cg.X + (b * cg.H + ih) * cg.W * cg.C, cg.C, cg.C, 0, cg.W,
                    pix.data() + r * cg.W);
      for (int64_t ow = 0; ow < cg.OW; ++ow) {
        uint32_t s = 0;
        for (int64_t kw = 0; kw < cg.KW; ++kw) {
          int64_t iw = ow * cg.sw + kw - cg.pl;
          s += iw < 0 || iw >= cg.W ? padC
                                    : uint32_t(pix[size_t(r * cg.W + iw)]);
        }
        hs[size_t(r * cg.OW + ow)] = int32_t(s);
      }
    }
    for (int64_t mm = m; mm < mEnd; ++mm) {
      int64_t oh = (mm - b * img) / cg.OW, ow = (mm - b * img) % cg.OW;
      uint32_t s = 0;
      for (int64_t kh = 0; kh < cg.KH; ++kh) {
        int64_t r = (oh - oh0) * cg.sh + kh, ih = ihLo + r;
        s += ih < 0 || ih >= cg.H ? padC * uint32_t(cg.KW)
                                  : uint32_t(hs[size_t(r * cg.OW + ow)]);
      }
      out[mm] = int32_t(s);
    }
    m = mEnd;
  }
}
