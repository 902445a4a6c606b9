/*===- Runtime.h - potq native CPU kernel runtime (plain C ABI) ---*- C -*-===//
 *
 * The kernels that compiled potq code calls for quantized contractions:
 *
 *   acc[m][n] = sum_k (X[m][k] - Zx) * W[k][n]      (int32, wrapping)
 *
 * X is int8 (uniform activation levels with zero point Zx), W a matrix of
 * weight levels stored as b-bit codes (b = 1..8) in a packed, blocked layout
 * built once by potq_pack_weights (at compile time; the bytes are a pure
 * function of the inputs, see docs/Runtime.md). Usable from C99 and C++.
 *
 * Every function returns a potq_status (0 = POTQ_OK). Sizes and strides are
 * int64_t counted in elements; matrices are row-major.
 *
 *===----------------------------------------------------------------------===*/

#ifndef POTQ_RUNTIME_RUNTIME_H
#define POTQ_RUNTIME_RUNTIME_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. */
enum {
  POTQ_OK = 0,
  POTQ_ERR_NULL = 1,     /* a required pointer is null */
  POTQ_ERR_SIZE = 2,     /* negative size, stride smaller than a row */
  POTQ_ERR_BITS = 3,     /* code width outside [1, 8] */
  POTQ_ERR_LEVEL = 4,    /* a weight is not in the level table, or a
                            level does not fit int16, or no code is 0 */
  POTQ_ERR_STRATEGY = 5, /* levels not representable by the strategy */
  POTQ_ERR_ISA = 6,      /* requested ISA not supported by this host */
  POTQ_ERR_BUFFER = 7,   /* output buffer too small */
  POTQ_ERR_FORMAT = 8,   /* packed buffer corrupt or K/N mismatch */
  POTQ_ERR_ALLOC = 9,    /* out of memory */
  POTQ_ERR_ARG = 10      /* other invalid argument (enum value, ...) */
};

/* Kernel strategies (potq_gemm's `strategy`). */
enum {
  POTQ_STRATEGY_AUTO = 0,     /* cost model, see potq_select_strategy */
  POTQ_STRATEGY_DOT = 1,      /* decode codes to int8, integer dot products */
  POTQ_STRATEGY_SHIFT_ADD = 2 /* multiplierless: sum of +-(x << e) terms */
};

/* Instruction sets (potq_gemm's `isa`). AUTO = the POTQ_ISA environment
 * variable (scalar|avx2|avxvnni|avx512|neon) if set, else the best the host
 * supports. */
enum {
  POTQ_ISA_AUTO = 0,
  POTQ_ISA_SCALAR = 1,  /* portable C++ */
  POTQ_ISA_AVX2 = 2,    /* AVX2 (vpmaddwd dot products) */
  POTQ_ISA_AVXVNNI = 3, /* AVX2 + AVX-VNNI (vpdpbusd ymm) */
  POTQ_ISA_AVX512 = 4,  /* AVX-512 F/BW/VL/VBMI/VNNI (vpdpbusd zmm) */
  POTQ_ISA_NEON = 5     /* AArch64 NEON: SDOT when the CPU has dotprod
                           (HWCAP_ASIMDDP), else smull/sadalp */
};

/* Most threads a call uses: larger `threads` arguments and POTQ_NUM_THREADS
 * values (and the hardware concurrency) are capped to it. */
enum { POTQ_MAX_THREADS = 256 };

/* ---- Packed weights ---------------------------------------------------- */

/* Bytes needed to pack a K x N weight matrix of `bits`-bit codes. */
int32_t potq_packed_size(int64_t K, int64_t N, int32_t bits, int64_t *bytes);

/* Packs W[K][N] (levels, row stride ldw >= N) into `out` (out_bytes >=
 * potq_packed_size). Every function that reads a packed buffer requires it
 * to be at least 8-byte aligned (its header holds int64 fields; 64-byte
 * alignment recommended) and returns POTQ_ERR_FORMAT otherwise. `table` has
 * 2^bits entries: table[code] is the level of `code` (entries for codes that
 * name no level may hold any value; each weight takes the first code with its
 * level). Levels must fit int16 and some code must have level 0 (padding). The
 * result depends only on the arguments. */
int32_t potq_pack_weights(const int32_t *W, int64_t K, int64_t N, int64_t ldw,
                          const int32_t *table, int32_t bits, void *out,
                          int64_t out_bytes);

/* Reads K and N back from a packed buffer (and validates its header). */
int32_t potq_packed_shape(const void *packed, int64_t *K, int64_t *N);

/* ---- Kernels ------------------------------------------------------------ */

/* The strategy AUTO resolves to for `packed` on `isa` (POTQ_ISA_AUTO
 * allowed): DOT when every used level fits int8 (the cheaper strategy on
 * every ISA, see docs/Runtime.md), else SHIFT_ADD when every used level has
 * at most 4 signed power-of-two (NAF) terms, else POTQ_ERR_STRATEGY.
 * Writes POTQ_STRATEGY_DOT or _SHIFT_ADD to *strategy. */
int32_t potq_select_strategy(const void *packed, int32_t isa,
                             int32_t *strategy);

/* acc[m][n] (row stride ldacc >= N) = sum_k (X[m][k] - zx) * W[k][n] for
 * m < M, with X of row stride ldx >= K, and K, N those of `packed` (passed
 * again and checked). Arithmetic wraps modulo 2^32 (exact whenever the true
 * sum fits int32). threads <= 0: POTQ_NUM_THREADS, else the hardware
 * concurrency; at most POTQ_MAX_THREADS, fewer if the system cannot create
 * more threads. Any of M, N, K may be 0 (K = 0 writes zeros). */
int32_t potq_gemm(int64_t M, int64_t N, int64_t K, const int8_t *X, int64_t ldx,
                  int32_t zx, const void *packed, int32_t *acc, int64_t ldacc,
                  int32_t strategy, int32_t isa, int32_t threads);

/* 2-D convolution, NHWC int8 input [batch][H][W][C], HWCF weights packed as
 * the K x N matrix with K = KH*KW*C (row (kh*KW + kw)*C + c) and N = F.
 * Padding reads as zx (contributes 0). Output acc [batch][OH][OW][F] int32,
 * OH = (H + pad_top + pad_bottom - KH) / stride_h + 1 (likewise OW). */
int32_t potq_conv2d_nhwc(int64_t batch, int64_t H, int64_t W, int64_t C,
                         const int8_t *X, int32_t zx, int64_t KH, int64_t KW,
                         int64_t F, const void *packed, int64_t stride_h,
                         int64_t stride_w, int64_t pad_top, int64_t pad_left,
                         int64_t pad_bottom, int64_t pad_right, int32_t *acc,
                         int32_t strategy, int32_t isa, int32_t threads);

/* ---- Requantization epilogue (SPEC section 6) --------------------------- */

/* out[m][n] = clamp(zy + round_shift((acc[m][n] + bias[n]) * mult[c], sh[c]),
 * lo, hi), c = n if per_channel else 0, bias may be null. Each (mult, shift)
 * is a numerics::FixedPointMultiplier: mult in [2^30, 2^31) with shift in
 * [0, 62], or mult = 1 with shift in [-62, 62] (negative = left shift).
 * round_shift(v, s) = (v + 2^(s-1)) >> s on 64 bits (128 bits for the
 * left-shift case), bit-exact with numerics::requantize. lo <= hi must lie in
 * [-128, 127]. */
int32_t potq_requantize_i8(int64_t M, int64_t N, const int32_t *acc,
                           int64_t ldacc, const int32_t *bias,
                           const int64_t *mult, const int32_t *shift,
                           int32_t per_channel, int32_t zy, int32_t lo,
                           int32_t hi, int8_t *out, int64_t ldout);

/* ---- Introspection ------------------------------------------------------ */

/* Best ISA of this host (ignores POTQ_ISA). */
int32_t potq_host_isa(void);
/* 1 if `isa` can run on this host. */
int32_t potq_isa_supported(int32_t isa);
/* Thread count potq_gemm uses for threads <= 0 (<= POTQ_MAX_THREADS). */
int32_t potq_default_threads(void);
/* Static name of a status code. */
const char *potq_status_string(int32_t status);
/* Static name of an ISA ("auto", "scalar", "avx2", "avxvnni", "avx512",
   "neon"; "?" for other values), as POTQ_ISA and the isa= options spell it. */
const char *potq_isa_name(int32_t isa);
/* The ISA named `name` (as potq_isa_name spells it), or -1. */
int32_t potq_isa_from_name(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* POTQ_RUNTIME_RUNTIME_H */
