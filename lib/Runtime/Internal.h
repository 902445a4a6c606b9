//===- Internal.h - Runtime internals: layout, kernel table -----*- C++ -*-===//
//
// The packed weight layout (documented in docs/Runtime.md) and the interface
// between the dispatcher and the per-ISA kernel translation units.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_LIB_RUNTIME_INTERNAL_H
#define POTQ_LIB_RUNTIME_INTERNAL_H

#include <cstddef>
#include <cstdint>

namespace potq::runtime {

/// Output columns per panel (one zmm of int32 accumulators).
constexpr int64_t kPanel = 16;
/// Bytes per code block: one panel x (kBlockK(cw)) consecutive k.
constexpr int64_t kBlockBytes = 64;
/// Maximum power-of-two terms per level for the shift-add strategy.
constexpr int kMaxTerms = 4;
/// "No term": a shift count that makes vpsllvd produce 0.
constexpr uint8_t kNoTerm = 32;

/// Fixed header of a packed buffer (little-endian, 64 bytes).
struct PackedHeader {
  char magic[8];      // "POTQPW01"
  int64_t K, N;       // logical shape
  int32_t bits;       // code width given to the packer
  int32_t cw;         // container width: 2, 4 or 8 bits per code
  int32_t kBlock;     // k per 64-byte block: 4 * 8 / cw (16, 8, 4)
  int32_t flags;      // bit 0: every used level fits int8
  int32_t maxTerms;   // max NAF terms over used levels (may exceed 4)
  int32_t zeroCode;   // code used for padding (level 0)
  int64_t numPanels;  // ceil(N / 16)
  int64_t numKBlocks; // ceil(K / kBlock)
};
static_assert(sizeof(PackedHeader) == 64, "header must be 64 bytes");

constexpr int32_t kFlagFitsInt8 = 1;
constexpr size_t kOffTable = 64;                   // int16 level[256]
constexpr size_t kOffTermExp = kOffTable + 512;    // uint8 exp[4][256]
constexpr size_t kOffTermNeg = kOffTermExp + 1024; // uint8 neg[4][256]
constexpr size_t kOffColSum = kOffTermNeg + 1024;  // int32 colSum[P*16]

inline int32_t containerBits(int32_t bits) {
  return bits <= 2 ? 2 : bits <= 4 ? 4 : 8;
}
inline int32_t kBlockFor(int32_t cw) { return 4 * (8 / cw); }

/// Decoded, read-only view of a packed buffer plus per-call lookup tables.
struct PackedView {
  const PackedHeader *h;
  int64_t K, N, P, KB; // P panels, KB k-blocks per panel
  int32_t cw, kBlock, terms;
  const int16_t *level;    // [256]
  const uint8_t *termExp;  // [4][256]
  const uint8_t *termNeg;  // [4][256]
  const int32_t *colSum;   // [P*16]
  const int32_t *negCount; // [P*16]
  const uint8_t *codes;    // [P][KB][64]
  int8_t level8[256];      // level table as int8 (DOT strategy)
  uint8_t levelU8[256];    // level + 128 as u8 (AVX-512 DOT)

  const uint8_t *panel(int64_t p) const { return codes + p * KB * kBlockBytes; }
};

/// An NHWC x HWCF convolution read as an implicit im2col GEMM: row m is
/// output pixel (b, oh, ow), k = (kh * KW + kw) * C + c.
struct ConvGeom {
  const int8_t *X; // [B][H][W][C]
  int64_t H, W, C, KH, KW, sh, sw, pt, pl, OH, OW;
  const int8_t *pad; // C bytes of zx (padding taps)
};

/// Arguments of one kernel call, already validated. X rows are prepared by
/// the dispatcher in the kernel's InputFormat (below): `X` itself for Raw,
/// `xs8` for S8 (X in place, or a zero-padded copy when K needs padding),
/// `xu` for U8, `x16` for I16, `x32` for I32; padded rows hold kPad =
/// KB * kBlock entries. `rowSum` holds the row sums of a kernel that asks
/// for them.
struct GemmTask {
  const PackedView *w;
  int64_t M;
  const int8_t *X; // raw, row stride ldx (Raw)
  int64_t ldx;
  int32_t zx;
  const uint8_t *xu;  // [M][kPad] (U8)
  const int16_t *x16; // [M][kPad] (I16)
  const int32_t *x32; // [M][kPad] (I32)
  const int8_t *xs8;  // X or a zero-padded copy, row stride ldxs (S8)
  int64_t ldxs;
  const int32_t *rowSum; // [M]: sum_k X[m][k] (StrategyKernel::rowSums)
  int64_t kPad;
  int32_t *acc;
  int64_t ldacc;
  const ConvGeom *conv; // implicit im2col (StrategyKernel::convRowSums)
};

/// potq_gemm, or with `conv` an implicit-im2col convolution (X, ldx
/// unused). Returns kNeedIm2col if `conv` cannot run implicitly.
constexpr int32_t kNeedIm2col = -1;
int32_t gemmImpl(int64_t M, int64_t N, int64_t K, const int8_t *X, int64_t ldx,
                 int32_t zx, const void *packed, int32_t *acc, int64_t ldacc,
                 int32_t strategy, int32_t isa, int32_t threads,
                 const ConvGeom *conv);

//===----------------------------------------------------------------------===//
// Kernel sets: what one ISA provides (docs/Runtime.md, "Kernel sets")
//===----------------------------------------------------------------------===//

/// Computes rows [m0, m1) x panels [p0, p1) of the task.
using KernelFn = void (*)(const GemmTask &t, int64_t m0, int64_t m1, int64_t p0,
                          int64_t p1);
/// out[m] = sum_k X[m][k] for m in [m0, m1), wrapping.
using RowSumsFn = void (*)(const int8_t *X, int64_t ldx, int64_t K, int64_t m0,
                           int64_t m1, int32_t *out);
/// Row sums of implicit-im2col rows [m0, m1) into out[m] (padding taps count
/// zx per channel), wrapping.
using ConvRowSumsFn = void (*)(const ConvGeom &cg, int32_t zx, int64_t m0,
                               int64_t m1, int32_t *out);

/// How the dispatcher prepares the activation rows for a kernel (GemmTask).
enum class InputFormat {
  Raw, ///< X itself, row stride ldx: nothing is prepared
  S8,  ///< int8 X, read in place unless K needs padding (then a copy)
  U8,  ///< uint8 X ^ 0x80 = X + 128
  I16, ///< int16 X
  I32, ///< int32 X - zx (wrapping)
};

/// One strategy's kernel and what it needs from the dispatcher.
struct StrategyKernel {
  KernelFn run = nullptr;
  InputFormat input = InputFormat::Raw;
  /// Panels per work unit of the thread split (the microkernel's width).
  int32_t panelUnit = 2;
  /// Row sums the kernel reads from GemmTask::rowSum; null if it needs none.
  RowSumsFn rowSums = nullptr;
  /// Non-null if the kernel can read an NHWC convolution in place (implicit
  /// im2col, GemmTask::conv, C a multiple of kBlock): the row sums of its
  /// rows, computed per task. Else convolutions build the im2col matrix.
  ConvRowSumsFn convRowSums = nullptr;
};

/// The kernels of one instruction set. An architecture's kernel sets are
/// listed, best first, by archKernelSets(); the scalar set is always there.
/// Several sets may share an ISA (e.g. NEON with and without dotprod): the
/// first one the host supports serves it.
struct KernelSet {
  int32_t isa; ///< POTQ_ISA_*
  /// Whether this host can run the set (runtime CPU detection; compiled
  /// without the set's own -m flags).
  bool (*supported)();
  StrategyKernel dot;
  StrategyKernel shiftAdd;
};

/// The portable kernels (generic/KernelsScalar.cpp), on every host.
extern const KernelSet scalarKernelSet;

/// The kernel sets compiled for this build's architecture, best first,
/// ending with nullptr: x86/KernelSets.cpp, aarch64/KernelSets.cpp, or
/// generic/NoArchKernelSets.cpp (none) elsewhere.
const KernelSet *const *archKernelSets();

/// Parses and validates a packed buffer; false if corrupt.
bool makeView(const void *packed, PackedView &view);

/// Writes the 16 int32 columns of panel p, row m, masking columns >= N.
inline void storeRow(const GemmTask &t, int64_t m, int64_t p,
                     const int32_t *vals) {
  int64_t n0 = p * kPanel;
  int64_t cnt = t.w->N - n0 < kPanel ? t.w->N - n0 : kPanel;
  int32_t *dst = t.acc + m * t.ldacc + n0;
  for (int64_t j = 0; j < cnt; ++j)
    dst[j] = vals[j];
}

/// Per-thread buffers of the calling thread (prepared activations, im2col
/// matrix) are kept between calls up to this size and freed after a call
/// that needed more (docs/Runtime.md, "Memory").
constexpr size_t kKeepScratchBytes = size_t(64) << 20;

/// Frees `v` on scope exit if its capacity exceeds kKeepScratchBytes.
template <typename Vec> struct TrimOnExit {
  Vec &v;
  ~TrimOnExit() {
    if (v.capacity() * sizeof(v[0]) > kKeepScratchBytes)
      Vec().swap(v);
  }
};

/// Runs fn(i) for i in [0, n) on up to `threads` threads (the caller
/// included) of the persistent pool. An exception thrown by fn (bad_alloc
/// of a kernel scratch) is caught on whichever thread ran the task; the
/// other tasks still run and the result is false.
[[nodiscard]] bool parallelFor(int threads, int64_t n,
                               void (*fn)(void *, int64_t), void *ctx);

} // namespace potq::runtime

#endif // POTQ_LIB_RUNTIME_INTERNAL_H
