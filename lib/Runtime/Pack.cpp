//===- Pack.cpp - Packed weight layout: size, packing, validation ---------===//
//
// Layout (docs/Runtime.md): a 64-byte header, the level table, the
// shift-add term tables, per-column sums, and the codes in panels of 16
// columns, each a sequence of 64-byte blocks of kBlock consecutive k.
//
//===----------------------------------------------------------------------===//

#include "Internal.h"
#include "potq/Numerics/Encoding.h"
#include "potq/Runtime/Runtime.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <vector>

using namespace potq::runtime;

static const char kMagic[8] = {'P', 'O', 'T', 'Q', 'P', 'W', '0', '1'};
/// Most NAF terms of an int16 level (17 signed digits, no two adjacent
/// nonzero: 9); a header claiming more is corrupt.
constexpr int32_t kMaxNafTerms = 9;

namespace {
struct Geometry {
  int32_t cw, kBlock;
  int64_t P, KB;
  int64_t codesOffset, total;
};
} // namespace

static bool geometry(int64_t K, int64_t N, int32_t bits, Geometry &g) {
  g.cw = containerBits(bits);
  g.kBlock = kBlockFor(g.cw);
  // Rounded-up divisions that cannot overflow for K, N near INT64_MAX.
  g.P = N / kPanel + (N % kPanel != 0);
  g.KB = K / g.kBlock + (K % g.kBlock != 0);
  // Guard the byte count against int64 overflow.
  if (g.P > (int64_t(1) << 40) / (g.KB + 1))
    return false;
  g.codesOffset = int64_t(kOffColSum) + 2 * 4 * kPanel * g.P;
  g.total = g.codesOffset + g.P * g.KB * kBlockBytes;
  return true;
}

/// Validates K, N and bits and computes the packed geometry.
static int32_t checkedGeometry(int64_t K, int64_t N, int32_t bits,
                               Geometry &g) {
  if (K < 0 || N < 0)
    return POTQ_ERR_SIZE;
  if (bits < 1 || bits > 8)
    return POTQ_ERR_BITS;
  return geometry(K, N, bits, g) ? POTQ_OK : POTQ_ERR_SIZE;
}

extern "C" int32_t potq_packed_size(int64_t K, int64_t N, int32_t bits,
                                    int64_t *bytes) {
  if (!bytes)
    return POTQ_ERR_NULL;
  Geometry g;
  if (int32_t status = checkedGeometry(K, N, bits, g))
    return status;
  *bytes = g.total;
  return POTQ_OK;
}

static int32_t packWeights(const int32_t *W, int64_t K, int64_t N, int64_t ldw,
                           const int32_t *table, int32_t bits, void *out,
                           int64_t out_bytes) {
  if (!table || !out || (!W && K > 0 && N > 0))
    return POTQ_ERR_NULL;
  if (K > 0 && ldw < N)
    return POTQ_ERR_SIZE;
  Geometry g;
  if (int32_t status = checkedGeometry(K, N, bits, g))
    return status;
  if (out_bytes < g.total)
    return POTQ_ERR_BUFFER;

  // First code of every int16 level; levels outside int16 are never matched.
  const int numCodes = 1 << bits;
  std::vector<int16_t> codeOf(65536, -1);
  for (int c = numCodes - 1; c >= 0; --c)
    if (table[c] >= INT16_MIN && table[c] <= INT16_MAX)
      codeOf[size_t(table[c] - INT16_MIN)] = int16_t(c);
  int zeroCode = codeOf[size_t(0 - INT16_MIN)];
  if (zeroCode < 0)
    return POTQ_ERR_LEVEL;

  // Codes of all weights, and which codes are used.
  std::vector<uint8_t> code(size_t(K * N));
  bool used[256] = {};
  used[zeroCode] = true;
  for (int64_t k = 0; k < K; ++k)
    for (int64_t n = 0; n < N; ++n) {
      int32_t v = W[k * ldw + n];
      if (v < INT16_MIN || v > INT16_MAX || codeOf[size_t(v - INT16_MIN)] < 0)
        return POTQ_ERR_LEVEL;
      int c = codeOf[size_t(v - INT16_MIN)];
      code[size_t(k * N + n)] = uint8_t(c);
      used[c] = true;
    }

  auto *base = static_cast<uint8_t *>(out);
  std::memset(base, 0, size_t(g.total));
  PackedHeader h;
  std::memcpy(h.magic, kMagic, 8);
  h.K = K;
  h.N = N;
  h.bits = bits;
  h.cw = g.cw;
  h.kBlock = g.kBlock;
  h.flags = kFlagFitsInt8;
  h.maxTerms = 0;
  h.zeroCode = zeroCode;
  h.numPanels = g.P;
  h.numKBlocks = g.KB;

  // Level and term tables (entries of unused codes stay 0 / no term).
  int16_t level[256] = {};
  uint8_t exps[kMaxTerms][256], negs[kMaxTerms][256] = {};
  int32_t negTerms[256] = {};
  std::memset(exps, kNoTerm, sizeof(exps));
  for (int c = 0; c < numCodes; ++c) {
    if (!used[c])
      continue;
    level[c] = int16_t(table[c]);
    if (level[c] < -128 || level[c] > 127)
      h.flags &= ~kFlagFitsInt8;
    std::vector<potq::numerics::Term> terms =
        potq::numerics::nonAdjacentForm(level[c]);
    h.maxTerms = std::max<int32_t>(h.maxTerms, int32_t(terms.size()));
    if (terms.size() > size_t(kMaxTerms))
      continue;
    for (size_t t = 0; t < terms.size(); ++t) {
      exps[t][c] = uint8_t(terms[t].exp);
      negs[t][c] = terms[t].sign < 0;
      negTerms[c] += terms[t].sign < 0;
    }
  }
  std::memcpy(base, &h, sizeof(h));
  std::memcpy(base + kOffTable, level, sizeof(level));
  std::memcpy(base + kOffTermExp, exps, sizeof(exps));
  std::memcpy(base + kOffTermNeg, negs, sizeof(negs));

  // Column sums of levels and of negative terms (wrapping, over real k).
  std::vector<uint32_t> colSum(size_t(g.P * kPanel)),
      negCount(size_t(g.P * kPanel));
  for (int64_t k = 0; k < K; ++k)
    for (int64_t n = 0; n < N; ++n) {
      uint8_t c = code[size_t(k * N + n)];
      colSum[size_t(n)] += uint32_t(int32_t(level[c]));
      negCount[size_t(n)] += uint32_t(negTerms[c]);
    }
  if (!colSum.empty()) { // N = 0: no columns (and null vector data)
    std::memcpy(base + kOffColSum, colSum.data(), colSum.size() * 4);
    std::memcpy(base + kOffColSum + colSum.size() * 4, negCount.data(),
                negCount.size() * 4);
  }

  // Codes: byte i, field j of block kb in panel p holds the code of column
  // 16p + i/4 at k = kb*kBlock + 4j + i%4 (the zero code beyond K or N).
  uint8_t *codes = base + g.codesOffset;
  const int fields = 8 / g.cw;
  for (int64_t p = 0; p < g.P; ++p)
    for (int64_t kb = 0; kb < g.KB; ++kb) {
      uint8_t *blk = codes + (p * g.KB + kb) * kBlockBytes;
      for (int i = 0; i < 64; ++i) {
        int64_t n = p * kPanel + i / 4;
        unsigned byte = 0;
        for (int j = 0; j < fields; ++j) {
          int64_t k = kb * g.kBlock + 4 * j + i % 4;
          unsigned c =
              (k < K && n < N) ? code[size_t(k * N + n)] : unsigned(zeroCode);
          byte |= c << (j * g.cw);
        }
        blk[i] = uint8_t(byte);
      }
    }
  return POTQ_OK;
}

extern "C" int32_t potq_pack_weights(const int32_t *W, int64_t K, int64_t N,
                                     int64_t ldw, const int32_t *table,
                                     int32_t bits, void *out,
                                     int64_t out_bytes) {
  // The scratch vectors (codes of all K x N weights, column sums, NAF terms)
  // may not fit in memory: report it instead of throwing through the C ABI.
  try {
    return packWeights(W, K, N, ldw, table, bits, out, out_bytes);
  } catch (const std::bad_alloc &) {
    return POTQ_ERR_ALLOC;
  }
}

bool potq::runtime::makeView(const void *packed, PackedView &v) {
  const auto *base = static_cast<const uint8_t *>(packed);
  const auto *h = static_cast<const PackedHeader *>(packed);
  // The header and tables are read as int64/int32/int16 fields.
  if (reinterpret_cast<uintptr_t>(packed) % 8 != 0 ||
      std::memcmp(h->magic, kMagic, 8) != 0)
    return false;
  Geometry g;
  if (h->K < 0 || h->N < 0 || h->bits < 1 || h->bits > 8 ||
      !geometry(h->K, h->N, h->bits, g) || g.cw != h->cw ||
      g.kBlock != h->kBlock || g.P != h->numPanels || g.KB != h->numKBlocks ||
      h->zeroCode < 0 || h->zeroCode >= (1 << h->bits) ||
      (h->flags & ~kFlagFitsInt8) != 0 || h->maxTerms < 0 ||
      h->maxTerms > kMaxNafTerms)
    return false;
  // Tables the kernels index and shift by: exponents are shift counts of
  // 32-bit lanes (0..31, or kNoTerm), signs are 0/1, and a buffer flagged
  // int8 must have int8 levels (the DOT kernels truncate them).
  const auto *level = reinterpret_cast<const int16_t *>(base + kOffTable);
  const uint8_t *exps = base + kOffTermExp, *negs = base + kOffTermNeg;
  for (int i = 0; i < kMaxTerms * 256; ++i)
    if ((exps[i] > 31 && exps[i] != kNoTerm) || negs[i] > 1)
      return false;
  if (h->flags & kFlagFitsInt8)
    for (int c = 0; c < 256; ++c)
      if (level[c] < -128 || level[c] > 127)
        return false;
  v.h = h;
  v.K = h->K;
  v.N = h->N;
  v.P = g.P;
  v.KB = g.KB;
  v.cw = g.cw;
  v.kBlock = g.kBlock;
  v.terms = h->maxTerms;
  v.level = level;
  v.termExp = base + kOffTermExp;
  v.termNeg = base + kOffTermNeg;
  v.colSum = reinterpret_cast<const int32_t *>(base + kOffColSum);
  v.negCount = v.colSum + g.P * kPanel;
  v.codes = base + g.codesOffset;
  for (int c = 0; c < 256; ++c) {
    v.level8[c] = int8_t(v.level[c]);
    v.levelU8[c] = uint8_t(v.level8[c]) ^ 0x80u;
  }
  return true;
}

extern "C" int32_t potq_packed_shape(const void *packed, int64_t *K,
                                     int64_t *N) {
  if (!packed || !K || !N)
    return POTQ_ERR_NULL;
  PackedView v;
  if (!makeView(packed, v))
    return POTQ_ERR_FORMAT;
  *K = v.K;
  *N = v.N;
  return POTQ_OK;
}
