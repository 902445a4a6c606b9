//===- ThreadPool.cpp - Small persistent thread pool ----------------------===//
//
// One process-wide pool of std::threads, grown on demand and never joined
// (it lives until exit). parallelFor hands out task indices through an
// atomic counter; the calling thread takes part. At most POTQ_MAX_THREADS
// threads run; if a thread cannot be created, the pool runs with fewer.
// Calls are serialized; a call from inside a task runs serially. An
// exception thrown by a task is caught where it ran and reported by the
// result (parallelFor returns false). Idle workers spin (yielding) briefly,
// then sleep on a condition variable; the caller joins by spinning on the
// count of workers still busy.
//
//===----------------------------------------------------------------------===//

#include "Internal.h"
#include "potq/Runtime/Runtime.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

using namespace potq::runtime;

namespace {
class Pool {
public:
  bool run(int threads, int64_t n, void (*fn)(void *, int64_t), void *ctx) {
    std::lock_guard<std::mutex> runLock(runMu);
    // If the system refuses more threads, run on the ones there are.
    while (numWorkers < threads - 1 && spawn()) {
    }
    threads = std::min(threads, numWorkers + 1);
    {
      std::lock_guard<std::mutex> lock(mu);
      jobFn = fn;
      jobCtx = ctx;
      jobN = n;
      next.store(0);
      failed.store(false);
      active = threads - 1;
      remaining.store(active);
      gen.fetch_add(1, std::memory_order_release);
    }
    cv.notify_all();
    {
      // The caller runs tasks too: a nested parallelFor from one of them
      // must run serially, not re-lock runMu.
      bool wasInWorker = inWorker;
      inWorker = true;
      work();
      inWorker = wasInWorker;
    }
    // Join by spinning: the other threads are finishing their last task,
    // and a condition-variable wake-up would cost microseconds per call.
    while (remaining.load(std::memory_order_acquire) != 0)
      std::this_thread::yield();
    return !failed.load();
  }

private:
  void work() {
    for (;;) {
      int64_t i = next.fetch_add(1);
      if (i >= jobN)
        return;
      // An exception (bad_alloc of a kernel's scratch) must not leave a
      // worker thread (std::terminate): record it for the caller.
      try {
        jobFn(jobCtx, i);
      } catch (...) {
        failed.store(true);
      }
    }
  }

  /// Starts one more worker; false if std::thread cannot be created
  /// (std::system_error, e.g. EAGAIN at a thread or memory limit).
  bool spawn() {
    int idx = numWorkers;
    uint64_t seen = gen.load();
    try {
      std::thread([this, idx, seen] { loop(idx, seen); }).detach();
    } catch (...) {
      return false;
    }
    ++numWorkers;
    return true;
  }

  void loop(int idx, uint64_t seen) {
    inWorker = true;
    for (;;) {
      // Spin a little before sleeping: kernels are often called back to back.
      for (int spin = 0; spin < 20000 && gen.load() == seen; ++spin)
        std::this_thread::yield();
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return gen.load() != seen; });
        seen = gen.load();
        if (idx >= active)
          continue;
      }
      work();
      remaining.fetch_sub(1, std::memory_order_acq_rel);
    }
  }

  std::mutex runMu, mu;
  std::condition_variable cv;
  std::atomic<uint64_t> gen{0};
  std::atomic<int64_t> next{0};
  std::atomic<bool> failed{false};
  void (*jobFn)(void *, int64_t) = nullptr;
  void *jobCtx = nullptr;
  int64_t jobN = 0;
  int active = 0;
  std::atomic<int> remaining{0};
  int numWorkers = 0;

public:
  static thread_local bool inWorker;
};
thread_local bool Pool::inWorker = false;
} // namespace

bool potq::runtime::parallelFor(int threads, int64_t n,
                                void (*fn)(void *, int64_t), void *ctx) {
  if (threads > n)
    threads = int(n);
  threads = std::min(threads, int(POTQ_MAX_THREADS));
  if (threads <= 1 || Pool::inWorker) {
    bool ok = true;
    for (int64_t i = 0; i < n; ++i) {
      try {
        fn(ctx, i);
      } catch (...) {
        ok = false;
      }
    }
    return ok;
  }
  static Pool *pool = new Pool; // never destroyed: workers are detached
  return pool->run(threads, n, fn, ctx);
}
