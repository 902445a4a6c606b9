//===- KernelsAvx512ShiftAdd.cpp - AVX-512 multiplierless kernels ---------===//
//
// Compiled with the AVX-512 flags (called only after runtime detection).
// Per 64-k chunk of a panel, the NAF terms of every code are decoded once
// (vpermi2b table lookups, vpermb transposes) into int32 exponent and sign
// vectors; then per k and term: vpsllvd of the broadcast x = X - Zx by the
// exponents, xor with the sign mask, add; + negCount at the end completes
// the negations. No multiplies.
//
//===----------------------------------------------------------------------===//

#include "Avx512Common.h"
#include "Kernels.h"

namespace {

/// Vector decoder of the term scratch (layout of decodeTermsScalar).
void decodeTerms(const PackedView &w, int64_t p, int64_t kb0, int64_t nb,
                 int32_t *dst) {
  const int T = w.terms;
  const int G = 8 / w.cw;
  __m512i te[kMaxTerms][4], ts[kMaxTerms][4];
  for (int tt = 0; tt < T; ++tt)
    for (int i = 0; i < 4; ++i) {
      te[tt][i] = _mm512_loadu_si512(w.termExp + tt * 256 + 64 * i);
      // Sign masks as bytes: 0 -> 0, 1 -> -1.
      ts[tt][i] =
          _mm512_sub_epi8(_mm512_setzero_si512(),
                          _mm512_loadu_si512(w.termNeg + tt * 256 + 64 * i));
    }
  // gather[kk]: bytes kk, kk+4, ..., kk+60 (16 columns at one k).
  __m512i gather[4];
  for (int kk = 0; kk < 4; ++kk) {
    alignas(64) uint8_t idx[64] = {};
    for (int j = 0; j < 16; ++j)
      idx[j] = uint8_t(kk + 4 * j);
    gather[kk] = _mm512_load_si512(idx);
  }
  const uint8_t *codes = w.panel(p) + kb0 * kBlockBytes;
  __m512i cmask = _mm512_set1_epi8(char((1 << w.cw) - 1));
  for (int64_t b = 0; b < nb; ++b) {
    __m512i v = _mm512_loadu_si512(codes + b * kBlockBytes);
    for (int j = 0; j < G; ++j) {
      __m512i c =
          w.cw == 8
              ? v
              : _mm512_and_si512(
                    _mm512_srlv_epi16(v, _mm512_set1_epi16(short(j * w.cw))),
                    cmask);
      for (int tt = 0; tt < T; ++tt) {
        __m512i e = lookup256(te[tt][0], te[tt][1], te[tt][2], te[tt][3], c);
        __m512i s = lookup256(ts[tt][0], ts[tt][1], ts[tt][2], ts[tt][3], c);
        for (int kk = 0; kk < 4; ++kk) {
          int64_t k = (b * G + j) * 4 + kk;
          int32_t *d = dst + (k * T + tt) * 2 * kPanel;
          __m128i e16 =
              _mm512_castsi512_si128(_mm512_permutexvar_epi8(gather[kk], e));
          __m128i s16 =
              _mm512_castsi512_si128(_mm512_permutexvar_epi8(gather[kk], s));
          _mm512_store_si512(d, _mm512_cvtepu8_epi32(e16));
          _mm512_store_si512(d + kPanel, _mm512_cvtepi8_epi32(s16));
        }
      }
    }
  }
}

template <int MR, int T>
void microShift(const GemmTask &t, int64_t m, int64_t p, const int32_t *sc,
                int64_t k0, int64_t kc, bool first, bool last) {
  const PackedView &w = *t.w;
  __mmask16 mask = __mmask16((1u << validCols(w, p)) - 1);
  int32_t *out = t.acc + m * t.ldacc + p * kPanel;
  __m512i acc[MR];
  for (int r = 0; r < MR; ++r)
    acc[r] = first ? _mm512_setzero_si512()
                   : _mm512_maskz_loadu_epi32(mask, out + r * t.ldacc);
  const int32_t *x = t.x32 + m * t.kPad + k0;
  for (int64_t k = 0; k < kc; ++k) {
    __m512i xv[MR];
    for (int r = 0; r < MR; ++r)
      xv[r] = _mm512_set1_epi32(x[r * t.kPad + k]);
#pragma clang loop unroll(full)
    for (int tt = 0; tt < T; ++tt) {
      const int32_t *d = sc + (k * T + tt) * 2 * kPanel;
      __m512i e = _mm512_load_si512(d);
      __m512i s = _mm512_load_si512(d + kPanel);
      for (int r = 0; r < MR; ++r)
        acc[r] = _mm512_add_epi32(
            acc[r], _mm512_xor_si512(_mm512_sllv_epi32(xv[r], e), s));
    }
  }
  __m512i neg = _mm512_loadu_si512(w.negCount + p * kPanel);
  for (int r = 0; r < MR; ++r)
    _mm512_mask_storeu_epi32(out + r * t.ldacc, mask,
                             last ? _mm512_add_epi32(acc[r], neg) : acc[r]);
}

template <int T>
void microShiftRows(const GemmTask &t, int64_t m0, int64_t m1, int64_t p,
                    const int32_t *sc, int64_t k0, int64_t kc, bool first,
                    bool last) {
  int64_t m = m0;
  for (; m + 6 <= m1; m += 6)
    microShift<6, T>(t, m, p, sc, k0, kc, first, last);
  for (; m < m1; ++m)
    microShift<1, T>(t, m, p, sc, k0, kc, first, last);
}

constexpr int64_t kShiftChunkK = 64;

} // namespace

void potq::runtime::x86::avx512ShiftAdd(const GemmTask &t, int64_t m0,
                                        int64_t m1, int64_t p0, int64_t p1) {
  const PackedView &w = *t.w;
  thread_local Scratch scratch;
  const int T = w.terms;
  auto *sc = static_cast<int32_t *>(
      scratch.get(size_t(kShiftChunkK * (T ? T : 1) * 2 * kPanel * 4)));
  const int64_t chunkBlocks = kShiftChunkK / w.kBlock;
  for (int64_t p = p0; p < p1; ++p)
    for (int64_t kb = 0; kb < w.KB; kb += chunkBlocks) {
      int64_t nb = std::min(chunkBlocks, w.KB - kb);
      int64_t kc = nb * w.kBlock;
      bool first = kb == 0, last = kb + nb == w.KB;
      decodeTerms(w, p, kb, nb, sc);
      int64_t k0 = kb * w.kBlock;
      switch (T) {
      case 0:
        microShiftRows<0>(t, m0, m1, p, sc, k0, kc, first, last);
        break;
      case 1:
        microShiftRows<1>(t, m0, m1, p, sc, k0, kc, first, last);
        break;
      case 2:
        microShiftRows<2>(t, m0, m1, p, sc, k0, kc, first, last);
        break;
      case 3:
        microShiftRows<3>(t, m0, m1, p, sc, k0, kc, first, last);
        break;
      default:
        microShiftRows<4>(t, m0, m1, p, sc, k0, kc, first, last);
        break;
      }
    }
}
