//===- Dispatch.cpp - Argument checks, ISA/strategy selection, threads ----===//

#include "Internal.h"
#include "potq/Runtime/Runtime.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

using namespace potq::runtime;

/// The kernel set serving `isa` on this host, or null: the first registered
/// set of that ISA the host supports (archKernelSets() lists the best
/// first; the scalar set comes last and is always supported).
static const KernelSet *findKernelSet(int32_t isa) {
  for (const KernelSet *const *set = archKernelSets(); *set; ++set)
    if ((isa == POTQ_ISA_AUTO || (*set)->isa == isa) && (*set)->supported())
      return *set;
  return isa == POTQ_ISA_AUTO || isa == POTQ_ISA_SCALAR ? &scalarKernelSet
                                                        : nullptr;
}

extern "C" int32_t potq_host_isa(void) {
  return findKernelSet(POTQ_ISA_AUTO)->isa;
}

extern "C" int32_t potq_isa_supported(int32_t isa) {
  return isa != POTQ_ISA_AUTO && findKernelSet(isa) != nullptr;
}

extern "C" int32_t potq_default_threads(void) {
  if (const char *env = std::getenv("POTQ_NUM_THREADS")) {
    long n = std::strtol(env, nullptr, 10); // LONG_MAX on overflow
    if (n > 0)
      return int32_t(std::min<long>(n, POTQ_MAX_THREADS));
  }
  unsigned hw = std::thread::hardware_concurrency();
  return hw ? int32_t(std::min<unsigned>(hw, POTQ_MAX_THREADS)) : 1;
}

extern "C" const char *potq_status_string(int32_t s) {
  switch (s) {
  case POTQ_OK:
    return "ok";
  case POTQ_ERR_NULL:
    return "null pointer";
  case POTQ_ERR_SIZE:
    return "invalid size or stride";
  case POTQ_ERR_BITS:
    return "unsupported code width";
  case POTQ_ERR_LEVEL:
    return "level not representable";
  case POTQ_ERR_STRATEGY:
    return "levels not supported by the strategy";
  case POTQ_ERR_ISA:
    return "instruction set not supported by this host";
  case POTQ_ERR_BUFFER:
    return "buffer too small";
  case POTQ_ERR_FORMAT:
    return "bad packed weight buffer";
  case POTQ_ERR_ALLOC:
    return "out of memory";
  case POTQ_ERR_ARG:
    return "invalid argument";
  }
  return "unknown status";
}

static const char *const kIsaNames[] = {"auto",   "scalar", "avx2",
                                        "avxvnni", "avx512", "neon"};

extern "C" const char *potq_isa_name(int32_t isa) {
  return isa >= POTQ_ISA_AUTO && isa <= POTQ_ISA_NEON ? kIsaNames[isa] : "?";
}

extern "C" int32_t potq_isa_from_name(const char *name) {
  for (int32_t isa = POTQ_ISA_AUTO; isa <= POTQ_ISA_NEON; ++isa)
    if (name && !std::strcmp(name, kIsaNames[isa]))
      return isa;
  return -1;
}

/// Resolves AUTO through POTQ_ISA and the host; checks support and finds
/// the kernel set.
static int32_t resolveIsa(int32_t isa, const KernelSet *&out) {
  if (isa == POTQ_ISA_AUTO) {
    isa = potq_host_isa();
    if (const char *env = std::getenv("POTQ_ISA"); env && *env) {
      int32_t named = potq_isa_from_name(env);
      if (named <= POTQ_ISA_AUTO)
        return POTQ_ERR_ARG;
      isa = named;
    }
  }
  if (isa < POTQ_ISA_SCALAR || isa > POTQ_ISA_NEON)
    return POTQ_ERR_ARG;
  out = findKernelSet(isa);
  return out ? POTQ_OK : POTQ_ERR_ISA;
}

/// Cost model (docs/Runtime.md): DOT whenever every level fits int8 (one
/// dot-product instruction covers 4 or 2 multiply-adds per lane); otherwise
/// SHIFT_ADD (3 ops per term and multiply-add) when levels need <= 4 terms.
static int32_t resolveStrategy(const PackedView &w, int32_t strategy,
                               int32_t &out) {
  bool fits8 = w.h->flags & kFlagFitsInt8;
  bool fitsTerms = w.terms <= kMaxTerms;
  if (strategy == POTQ_STRATEGY_AUTO)
    strategy = fits8 ? POTQ_STRATEGY_DOT : POTQ_STRATEGY_SHIFT_ADD;
  if (strategy == POTQ_STRATEGY_DOT && !fits8)
    return POTQ_ERR_STRATEGY;
  if (strategy == POTQ_STRATEGY_SHIFT_ADD && !fitsTerms)
    return POTQ_ERR_STRATEGY;
  if (strategy != POTQ_STRATEGY_DOT && strategy != POTQ_STRATEGY_SHIFT_ADD)
    return POTQ_ERR_ARG;
  out = strategy;
  return POTQ_OK;
}

extern "C" int32_t potq_select_strategy(const void *packed, int32_t isa,
                                        int32_t *strategy) {
  if (!packed || !strategy)
    return POTQ_ERR_NULL;
  PackedView w;
  if (!makeView(packed, w))
    return POTQ_ERR_FORMAT;
  const KernelSet *resolved;
  if (int32_t s = resolveIsa(isa, resolved))
    return s;
  return resolveStrategy(w, POTQ_STRATEGY_AUTO, *strategy);
}

namespace {
struct Job {
  GemmTask task;
  const StrategyKernel *kernel;
  int64_t rowChunk; // rows per preparation task
  int64_t tp, tm;   // panel and row splits
  int64_t unit;     // panels per split unit
  uint8_t *xbuf;
  int32_t *rowSum;
  bool copyS8;
};
} // namespace

/// Bytes per element of the prepared rows of `input` (S8 only when copied).
static int64_t preparedBytes(InputFormat input) {
  switch (input) {
  case InputFormat::Raw:
    return 0;
  case InputFormat::S8:
  case InputFormat::U8:
    return 1;
  case InputFormat::I16:
    return 2;
  case InputFormat::I32:
    return 4;
  }
  return 0;
}

/// Prepares rows [i * rowChunk, (i + 1) * rowChunk) in the kernel's input
/// format, and their row sums if the kernel reads them.
static void prepareRows(void *ctx, int64_t i) {
  Job &j = *static_cast<Job *>(ctx);
  const GemmTask &t = j.task;
  int64_t m1 = std::min(t.M, (i + 1) * j.rowChunk);
  int64_t K = t.w->K;
  for (int64_t m = i * j.rowChunk; m < m1; ++m) {
    const int8_t *x = t.X + m * t.ldx;
    if (j.kernel->rowSums)
      j.kernel->rowSums(t.X, t.ldx, K, m, m + 1, j.rowSum);
    switch (j.kernel->input) {
    case InputFormat::Raw:
      break;
    case InputFormat::S8:
      if (j.copyS8) {
        int8_t *d = reinterpret_cast<int8_t *>(j.xbuf) + m * t.kPad;
        std::memcpy(d, x, size_t(K));
        std::memset(d + K, 0, size_t(t.kPad - K));
      }
      break;
    case InputFormat::U8: {
      uint8_t *d = j.xbuf + m * t.kPad;
      for (int64_t k = 0; k < K; ++k)
        d[k] = uint8_t(x[k]) ^ 0x80u;
      std::memset(d + K, 0, size_t(t.kPad - K));
      break;
    }
    case InputFormat::I16: {
      int16_t *d = reinterpret_cast<int16_t *>(j.xbuf) + m * t.kPad;
      for (int64_t k = 0; k < K; ++k)
        d[k] = x[k];
      std::fill(d + K, d + t.kPad, int16_t(0));
      break;
    }
    case InputFormat::I32: {
      int32_t *d = reinterpret_cast<int32_t *>(j.xbuf) + m * t.kPad;
      for (int64_t k = 0; k < K; ++k)
        d[k] = int32_t(uint32_t(int32_t(x[k])) - uint32_t(t.zx));
      std::fill(d + K, d + t.kPad, 0);
      break;
    }
    }
  }
}

static void runTile(void *ctx, int64_t i) {
  Job &j = *static_cast<Job *>(ctx);
  const GemmTask &t = j.task;
  int64_t ip = i % j.tp, im = i / j.tp;
  int64_t units = (t.w->P + j.unit - 1) / j.unit;
  int64_t p0 = std::min(t.w->P, units * ip / j.tp * j.unit);
  int64_t p1 = std::min(t.w->P, units * (ip + 1) / j.tp * j.unit);
  int64_t rowBlocks = (t.M + 7) / 8;
  int64_t m0 = std::min(t.M, rowBlocks * im / j.tm * 8);
  int64_t m1 = std::min(t.M, rowBlocks * (im + 1) / j.tm * 8);
  if (p0 >= p1 || m0 >= m1)
    return;
  if (t.conv) {
    // Row sums of this task's rows, in this task's slice (no extra pass).
    GemmTask local = t;
    local.rowSum = j.rowSum + ip * t.M;
    j.kernel->convRowSums(*t.conv, t.zx, m0, m1, j.rowSum + ip * t.M);
    j.kernel->run(local, m0, m1, p0, p1);
    return;
  }
  j.kernel->run(t, m0, m1, p0, p1);
}

extern "C" int32_t potq_gemm(int64_t M, int64_t N, int64_t K, const int8_t *X,
                             int64_t ldx, int32_t zx, const void *packed,
                             int32_t *acc, int64_t ldacc, int32_t strategy,
                             int32_t isa, int32_t threads) {
  return gemmImpl(M, N, K, X, ldx, zx, packed, acc, ldacc, strategy, isa,
                  threads, nullptr);
}

int32_t potq::runtime::gemmImpl(int64_t M, int64_t N, int64_t K,
                                const int8_t *X, int64_t ldx, int32_t zx,
                                const void *packed, int32_t *acc, int64_t ldacc,
                                int32_t strategy, int32_t isa, int32_t threads,
                                const ConvGeom *conv) {
  if (!packed || (!X && M > 0 && K > 0) || (!acc && M > 0 && N > 0))
    return POTQ_ERR_NULL;
  if (M < 0 || N < 0 || K < 0)
    return POTQ_ERR_SIZE;
  Job job;
  PackedView w;
  if (!makeView(packed, w) || w.K != K || w.N != N)
    return POTQ_ERR_FORMAT;
  if (M > 0 && ((K > 0 && ldx < K) || ldacc < N))
    return POTQ_ERR_SIZE;
  // Row offsets m * ldx and m * ldacc must fit int64.
  int64_t span;
  if (__builtin_mul_overflow(M, ldx, &span) ||
      __builtin_mul_overflow(M, ldacc, &span))
    return POTQ_ERR_SIZE;
  const KernelSet *ks;
  int32_t strat;
  if (int32_t s = resolveIsa(isa, ks))
    return s;
  if (int32_t s = resolveStrategy(w, strategy, strat))
    return s;
  const StrategyKernel &kernel =
      strat == POTQ_STRATEGY_DOT ? ks->dot : ks->shiftAdd;
  // Implicit im2col reads whole code blocks of C channels per tap.
  if (conv && (!kernel.convRowSums || conv->C % w.kBlock != 0 || K == 0))
    return kNeedIm2col;
  if (M == 0 || N == 0)
    return POTQ_OK;
  if (K == 0) {
    for (int64_t m = 0; m < M; ++m)
      std::fill(acc + m * ldacc, acc + m * ldacc + N, 0);
    return POTQ_OK;
  }
  int nt = threads > 0 ? std::min<int>(threads, POTQ_MAX_THREADS)
                       : potq_default_threads();

  GemmTask &t = job.task;
  t = GemmTask{&w,      M, X,       ldx, zx,  nullptr, nullptr, nullptr,
               nullptr, 0, nullptr, 0,   acc, ldacc,   conv};
  t.kPad = w.KB * w.kBlock;
  job.kernel = &kernel;
  // S8 kernels read X in place when rows need no padding.
  job.copyS8 = kernel.input == InputFormat::S8 && t.kPad != K && !conv;
  job.unit = kernel.panelUnit;

  // Split panels (weights streamed once per thread) unless there are many
  // rows and few panels (e.g. early convolution layers): then split rows,
  // so that each thread streams only its activations and owns whole rows
  // of acc (no false sharing); each thread decodes all (few) weights.
  int64_t units = (w.P + job.unit - 1) / job.unit;
  if (M >= int64_t(128) * nt && units < int64_t(8) * nt) {
    job.tp = 1;
    job.tm = std::min<int64_t>(nt, (M + 7) / 8);
  } else {
    job.tp = std::min<int64_t>(nt, units);
    job.tm = std::max<int64_t>(1, std::min<int64_t>(nt / job.tp, (M + 7) / 8));
  }
  // Prepared activations: one per-thread-reused buffer, 64-byte aligned.
  thread_local std::vector<uint8_t> xstore;
  TrimOnExit<std::vector<uint8_t>> trim{xstore};
  bool rowSums = conv || kernel.rowSums;
  if (kernel.input != InputFormat::Raw || rowSums) {
    int64_t elt = preparedBytes(kernel.input);
    if (kernel.input == InputFormat::S8 && !job.copyS8)
      elt = 0;
    // Conv: one row-sum slice per panel split (tasks write their own).
    int64_t sumRows = M, sumBytes = 0, xBytes = 0, total = 0;
    if ((conv && __builtin_mul_overflow(job.tp, M, &sumRows)) ||
        __builtin_mul_overflow(sumRows, 4, &sumBytes) ||
        __builtin_add_overflow(sumBytes, 63, &sumBytes) ||
        __builtin_mul_overflow(M, t.kPad, &xBytes) ||
        __builtin_mul_overflow(xBytes, elt, &xBytes) ||
        __builtin_add_overflow(xBytes, 64, &total))
      return POTQ_ERR_SIZE;
    sumBytes = rowSums ? sumBytes / 64 * 64 : 0;
    if (__builtin_add_overflow(total, sumBytes, &total))
      return POTQ_ERR_SIZE;
    size_t need = size_t(total);
    try {
      if (xstore.size() < need)
        xstore.resize(need);
    } catch (...) {
      return POTQ_ERR_ALLOC;
    }
    uintptr_t a = reinterpret_cast<uintptr_t>(xstore.data());
    job.rowSum = reinterpret_cast<int32_t *>((a + 63) & ~uintptr_t(63));
    job.xbuf = reinterpret_cast<uint8_t *>(job.rowSum) + sumBytes;
    t.rowSum = job.rowSum;
    t.xs8 = job.copyS8 ? reinterpret_cast<const int8_t *>(job.xbuf) : X;
    t.ldxs = job.copyS8 ? t.kPad : ldx;
    t.xu = job.xbuf;
    t.x16 = reinterpret_cast<const int16_t *>(job.xbuf);
    t.x32 = reinterpret_cast<const int32_t *>(job.xbuf);
    job.rowChunk = std::max<int64_t>(1, (1 << 16) / t.kPad);
    int64_t chunks = (M + job.rowChunk - 1) / job.rowChunk;
    // conv row sums are computed per task in runTile
    if (!conv && !parallelFor(nt, chunks, prepareRows, &job))
      return POTQ_ERR_ALLOC;
  }

  // A task fails only by throwing bad_alloc (kernel scratch buffers).
  if (!parallelFor(nt, job.tp * job.tm, runTile, &job))
    return POTQ_ERR_ALLOC;
  return POTQ_OK;
}
