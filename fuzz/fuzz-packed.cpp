//===- fuzz-packed.cpp - Fuzz the runtime's packed-weight reader ----------===//
//
// Input: a mode byte, then
//   mode 0: a packed buffer as stored. potq_packed_shape / makeView must
//     accept or reject it without reading outside the header and tables;
//     a buffer they accept that is as long as its shape says must run
//     through potq_gemm on every ISA and strategy without a crash (the
//     values of a corrupt-but-plausible buffer are not checked).
//   mode 1: a small weight matrix, a level table and activations. Packing
//     must succeed or fail with a status; when it succeeds, every ISA and
//     strategy must compute exactly sum_k (X - zx) * W (wrapping int32).
//
//===----------------------------------------------------------------------===//

#include "FuzzCommon.h"

#include "Internal.h"
#include "potq/Runtime/Runtime.h"

#include <cstdlib>
#include <cstring>
#include <vector>

using namespace potq;

static const int32_t kIsas[] = {POTQ_ISA_SCALAR, POTQ_ISA_AVX2,
                                POTQ_ISA_AVXVNNI, POTQ_ISA_AVX512,
                                POTQ_ISA_NEON};
static const int32_t kStrategies[] = {POTQ_STRATEGY_AUTO, POTQ_STRATEGY_DOT,
                                      POTQ_STRATEGY_SHIFT_ADD};

/// A 64-byte aligned, zero-padded copy of `size` bytes, at least `minSize`
/// long (the tables makeView reads have a fixed size).
struct AlignedBuffer {
  void *ptr = nullptr;
  size_t size = 0;
  AlignedBuffer(const uint8_t *data, size_t n, size_t minSize) {
    size = n < minSize ? minSize : n;
    size_t rounded = (size + 63) / 64 * 64;
    ptr = std::aligned_alloc(64, rounded);
    std::memset(ptr, 0, rounded);
    if (n)
      std::memcpy(ptr, data, n);
  }
  ~AlignedBuffer() { std::free(ptr); }
};

static void readStoredBuffer(const uint8_t *data, size_t size) {
  AlignedBuffer buf(data, size, runtime::kOffColSum);
  int64_t K = -1, N = -1;
  runtime::PackedView view;
  bool valid = runtime::makeView(buf.ptr, view);
  int32_t status = potq_packed_shape(buf.ptr, &K, &N);
  if (valid != (status == POTQ_OK))
    fuzz::fail("makeView and potq_packed_shape disagree");
  if (!valid)
    return;
  int64_t need = 0;
  if (potq_packed_size(K, N, view.h->bits, &need) != POTQ_OK)
    fuzz::fail("an accepted header has no valid packed size");
  // The API takes no buffer length: the caller guarantees `need` bytes.
  // Small shapes only: X and acc are allocated from K and N.
  if (need > int64_t(buf.size) || K > (1 << 12) || N > (1 << 12) ||
      K * N > (1 << 16))
    return;
  const int64_t M = 2;
  std::vector<int8_t> X(M * (K ? K : 1), 3);
  std::vector<int32_t> acc(M * (N ? N : 1));
  for (int32_t isa : kIsas)
    for (int32_t strategy : kStrategies)
      if (potq_isa_supported(isa))
        (void)potq_gemm(M, N, K, X.data(), K, -1, buf.ptr, acc.data(), N,
                        strategy, isa, 1);
}

static void packAndCompare(fuzz::ByteReader &in) {
  int32_t bits = int32_t(in.range(1, 8));
  int64_t K = in.range(0, 40), N = in.range(0, 40), M = in.range(0, 4);
  int32_t zx = int32_t(in.range(-128, 127));
  // Levels: small values mostly (shift-add friendly), sometimes any int16;
  // code 0 is level 0 unless the input says otherwise.
  std::vector<int32_t> table(size_t(1) << bits);
  bool wide = in.byte() & 1;
  for (int32_t &level : table)
    level = wide ? int32_t(int16_t(in.range(0, 65535)))
                 : int32_t(in.range(-128, 127));
  if (in.byte() % 8)
    table[0] = 0;
  std::vector<int32_t> W(K * N);
  for (int32_t &w : W)
    w = table[in.range(0, int64_t(table.size()) - 1)];
  std::vector<int8_t> X(M * K);
  for (int8_t &x : X)
    x = int8_t(in.byte());

  int64_t bytes = 0;
  if (potq_packed_size(K, N, bits, &bytes) != POTQ_OK)
    fuzz::fail("potq_packed_size rejects a small shape");
  AlignedBuffer packed(nullptr, 0, size_t(bytes));
  if (potq_pack_weights(W.data(), K, N, N, table.data(), bits, packed.ptr,
                        bytes) != POTQ_OK)
    return;
  int64_t K2 = -1, N2 = -1;
  if (potq_packed_shape(packed.ptr, &K2, &N2) != POTQ_OK || K2 != K || N2 != N)
    fuzz::fail("a packed buffer does not read back its shape");

  std::vector<int32_t> expect(M * N);
  for (int64_t m = 0; m < M; ++m)
    for (int64_t n = 0; n < N; ++n) {
      int64_t sum = 0;
      for (int64_t k = 0; k < K; ++k)
        sum += (int64_t(X[m * K + k]) - zx) * W[k * N + n];
      expect[m * N + n] = int32_t(uint32_t(uint64_t(sum)));
    }
  for (int32_t isa : kIsas)
    for (int32_t strategy : kStrategies) {
      if (!potq_isa_supported(isa))
        continue;
      std::vector<int32_t> acc(M * N, 12345);
      int32_t status = potq_gemm(M, N, K, X.data(), K, zx, packed.ptr,
                                 acc.data(), N, strategy, isa, 1);
      if (status == POTQ_ERR_STRATEGY)
        continue;
      if (status != POTQ_OK)
        fuzz::fail(std::string("potq_gemm failed on a valid buffer: ") +
                   potq_status_string(status));
      if (acc != expect)
        fuzz::fail("potq_gemm differs from the reference sum (isa " +
                   std::to_string(isa) + ", strategy " +
                   std::to_string(strategy) + ")");
    }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  if (data[0] % 2 == 0) {
    readStoredBuffer(data + 1, size - 1);
    return 0;
  }
  fuzz::ByteReader in(data + 1, size - 1);
  packAndCompare(in);
  return 0;
}
