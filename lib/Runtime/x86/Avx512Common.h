//===- Avx512Common.h - Helpers of the AVX-512 kernel TUs -------*- C++ -*-===//
//
// Included only by translation units compiled with the AVX-512 flags;
// internal linkage like KernelCommon.h.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_LIB_RUNTIME_AVX512COMMON_H
#define POTQ_LIB_RUNTIME_AVX512COMMON_H

#include "KernelCommon.h"

#include <immintrin.h>

namespace {
inline __m512i lookup256(__m512i t0, __m512i t1, __m512i t2, __m512i t3,
                         __m512i idx) {
  __m512i lo = _mm512_permutex2var_epi8(t0, idx, t1);
  __m512i hi = _mm512_permutex2var_epi8(t2, idx, t3);
  return _mm512_mask_blend_epi8(_mm512_movepi8_mask(idx), lo, hi);
}
} // namespace

#endif // POTQ_LIB_RUNTIME_AVX512COMMON_H
