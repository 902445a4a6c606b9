//===- Main.cpp - potq-bench: potq kernels vs oneDNN, one process ---------===//
//
// potq-bench [--threads=N] [--reps=N] [--warmup=N] [--only=SUBSTRING]
//            [--isa=scalar|avx2|avxvnni|avx512]
//
// Prints the machine's measured read bandwidth and VNNI peak, then for each
// shape the median time of potq (4-bit pot weights, DOT and SHIFT_ADD),
// oneDNN u8s8s32 and oneDNN f32, with GOPS (2*M*N*K), effective weight
// GB/s, ratios to oneDNN and, for GEMV, % of the measured read bandwidth
// (best of the start-up probe and a probe just before the shape).
// GEMV runs flush the caches before every repetition (weights come from
// DRAM); the other shapes run cache-warm.
//
//===----------------------------------------------------------------------===//

#include "Harness.h"
#include "OneDnn.h"

#include "potq/Runtime/LevelTable.h"
#include "potq/Runtime/Runtime.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <random>
#include <string>
#include <vector>

using namespace potq;
using namespace potq::bench;

namespace {

/// ISA of the potq kernels (--isa); AUTO = POTQ_ISA or the host's best.
int32_t gIsa = POTQ_ISA_AUTO;

struct Shape {
  std::string name;
  bool conv;
  int64_t M, N, K; // GEMM view (conv: M = OH*OW, K = 9*C, N = F)
  int64_t H, W, C; // conv input
  bool gemv;       // DRAM-resident weights
};

struct Row {
  std::string impl;
  double sec;
  int64_t weightBytes;
};

int64_t packedBytes(int64_t K, int64_t N) {
  int64_t b = 0;
  potq_packed_size(K, N, 4, &b);
  return b;
}

void check(int32_t s, const char *what) {
  if (s != POTQ_OK) {
    std::fprintf(stderr, "%s: %s\n", what, potq_status_string(s));
    std::exit(1);
  }
}

void runShape(const Shape &sh, const Options &opt, int threads, double bw) {
  // GEMV: % of the larger of the start-up probe and a probe taken now.
  if (sh.gemv)
    bw = std::max(bw, readBandwidthGBs(opt, threads));
  std::mt19937 rng(1);
  const auto &levels =
      numerics::LevelSet::get(numerics::Encoding::pot(4)).levels();
  std::vector<int32_t> table = *runtime::levelTable(numerics::Encoding::pot(4));
  std::vector<int32_t> W(size_t(sh.K * sh.N));
  std::vector<int8_t> W8(W.size());
  for (size_t i = 0; i < W.size(); ++i)
    W8[i] = int8_t(W[i] = int32_t(levels[rng() % levels.size()]));
  HugeBuffer packed = hugeAlloc(size_t(packedBytes(sh.K, sh.N)));
  void *pk = packed.get();
  check(potq_pack_weights(W.data(), sh.K, sh.N, sh.N, table.data(), 4, pk,
                          packedBytes(sh.K, sh.N)),
        "pack");
  int64_t inRows = sh.conv ? sh.H * sh.W : sh.M;
  int64_t inCols = sh.conv ? sh.C : sh.K;
  std::vector<int8_t> X(size_t(inRows * inCols));
  for (auto &x : X)
    x = int8_t(rng());
  std::vector<int32_t> acc(size_t(sh.M * sh.N));
  std::function<void()> flush;
  if (sh.gemv)
    flush = flushCaches;

  std::vector<Row> rows;
  for (int32_t strat : {POTQ_STRATEGY_DOT, POTQ_STRATEGY_SHIFT_ADD}) {
    auto fn = [&] {
      int32_t s = sh.conv ? potq_conv2d_nhwc(1, sh.H, sh.W, sh.C, X.data(), 0,
                                             3, 3, sh.N, pk, 1, 1, 1, 1, 1, 1,
                                             acc.data(), strat, gIsa, threads)
                          : potq_gemm(sh.M, sh.N, sh.K, X.data(), sh.K, 0, pk,
                                      acc.data(), sh.N, strat, gIsa, threads);
      check(s, "potq");
    };
    rows.push_back(
        {strat == POTQ_STRATEGY_DOT ? "potq pot4 dot" : "potq pot4 shift-add",
         medianSeconds(opt, fn, flush), packedBytes(sh.K, sh.N)});
  }
  for (DnnlType type : {DnnlType::U8S8S32, DnnlType::F32}) {
    DnnlProblem p =
        sh.conv ? dnnlConv(type, sh.H, sh.W, sh.C, sh.N, 3, 3, 1, 1, W8.data())
                : dnnlMatmul(type, sh.M, sh.N, sh.K, W8.data());
    rows.push_back({type == DnnlType::F32 ? "onednn f32" : "onednn u8s8s32",
                    medianSeconds(opt, p.run, flush), p.weightBytes});
  }
  double ops = 2.0 * double(sh.M) * double(sh.N) * double(sh.K);
  double i8 = rows[2].sec, f32 = rows[3].sec;
  for (const Row &r : rows) {
    double gbs = double(r.weightBytes) / r.sec / 1e9;
    std::printf("| %-22s | %-20s | %9.3f | %8.1f | %7.1f | %6.2fx | %6.2fx |",
                sh.name.c_str(), r.impl.c_str(), r.sec * 1e3, ops / r.sec / 1e9,
                gbs, i8 / r.sec, f32 / r.sec);
    if (sh.gemv)
      std::printf(" %5.1f%% |\n", 100.0 * gbs / bw);
    else
      std::printf("      - |\n");
    std::fflush(stdout);
  }
}

} // namespace

int main(int argc, char **argv) {
  Options opt;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&](const char *p) { return a.substr(std::strlen(p)); };
    if (a.rfind("--threads=", 0) == 0)
      opt.threads = std::atoi(val("--threads=").c_str());
    else if (a.rfind("--reps=", 0) == 0)
      opt.reps = std::max(1, std::atoi(val("--reps=").c_str()));
    else if (a.rfind("--warmup=", 0) == 0)
      opt.warmup = std::max(0, std::atoi(val("--warmup=").c_str()));
    else if (a.rfind("--only=", 0) == 0)
      only = val("--only=");
    else if (a.rfind("--isa=", 0) == 0) {
      std::string v = val("--isa=");
      gIsa = potq_isa_from_name(v.c_str());
      if (gIsa <= POTQ_ISA_AUTO || !potq_isa_supported(gIsa)) {
        std::fprintf(stderr, "unsupported --isa=%s\n", v.c_str());
        return 2;
      }
    } else {
      std::fprintf(stderr,
                   "usage: potq-bench [--threads=N] [--reps=N] [--warmup=N] "
                   "[--only=SUBSTRING] [--isa=scalar|avx2|avxvnni|avx512]\n");
      return 2;
    }
  }
  int threads = opt.threads > 0 ? opt.threads : potq_default_threads();
  // oneDNN (OpenMP runtime, already initialised from the environment when
  // main runs) uses the same thread count.
  setenv("OMP_NUM_THREADS", std::to_string(threads).c_str(), 1);
  if (auto *setThreads = reinterpret_cast<void (*)(int)>(
          dlsym(RTLD_DEFAULT, "omp_set_num_threads")))
    setThreads(threads);
  else
    std::fprintf(stderr, "warning: omp_set_num_threads not found; oneDNN "
                         "uses OMP_NUM_THREADS from the environment\n");

  double bw1 = readBandwidthGBs(opt, 1);
  double bw = readBandwidthGBs(opt, threads);
  std::printf("threads %d, reps %d (median), warm-up >= %d runs and 200 ms, "
              "potq ISA %s\n",
              threads, opt.reps, opt.warmup,
              potq_isa_name(gIsa ? gIsa : potq_host_isa()));
  std::printf("read bandwidth: %.1f GB/s (1 thread), %.1f GB/s (%d threads)\n",
              bw1, bw, threads);
  std::printf("VNNI peak (vpdpbusd zmm chains): %.1f GOPS (1 thread), %.1f "
              "GOPS (%d threads)\n\n",
              vnniPeakGops(1), vnniPeakGops(threads), threads);
  std::printf("| %-22s | %-20s | %9s | %8s | %7s | %7s | %7s | %6s |\n",
              "shape", "implementation", "ms", "GOPS", "W GB/s", "vs i8",
              "vs f32", "% BW");
  std::printf("|%s|%s|%s|%s|%s|%s|%s|%s|\n", std::string(24, '-').c_str(),
              std::string(22, '-').c_str(), std::string(11, '-').c_str(),
              std::string(10, '-').c_str(), std::string(9, '-').c_str(),
              std::string(9, '-').c_str(), std::string(9, '-').c_str(),
              std::string(8, '-').c_str());

  const Shape shapes[] = {
      {"gemv 1x4096x4096", false, 1, 4096, 4096, 0, 0, 0, true},
      {"gemv 1x8192x8192", false, 1, 8192, 8192, 0, 0, 0, true},
      {"gemm 1024x1024x1024", false, 1024, 1024, 1024, 0, 0, 0, false},
      {"fc 64x4096x4096", false, 64, 4096, 4096, 0, 0, 0, false},
      {"conv3x3 56x56x64->64", true, 56 * 56, 64, 9 * 64, 56, 56, 64, false},
      {"conv3x3 28x28x128->128", true, 28 * 28, 128, 9 * 128, 28, 28, 128,
       false},
      {"conv3x3 14x14x256->256", true, 14 * 14, 256, 9 * 256, 14, 14, 256,
       false},
      {"conv3x3 7x7x512->512", true, 7 * 7, 512, 9 * 512, 7, 7, 512, false},
  };
  for (const Shape &s : shapes)
    if (only.empty() || s.name.find(only) != std::string::npos)
      runShape(s, opt, threads, bw);
  return 0;
}
