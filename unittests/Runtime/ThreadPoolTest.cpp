//===- ThreadPoolTest.cpp - The runtime's internal thread pool ------------===//
//
// White-box tests of parallelFor (lib/Runtime/Internal.h) and the thread
// count limits.
//
//===----------------------------------------------------------------------===//

#include "AddressSpaceLimit.h"
#include "Internal.h"
#include "potq/Runtime/Runtime.h"

#include "gtest/gtest.h"

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include <unistd.h>

using potq::runtime::parallelFor;

namespace {

void countTask(void *ctx, int64_t) {
  static_cast<std::atomic<int64_t> *>(ctx)->fetch_add(1);
}

/// Restores an environment variable on scope exit.
struct EnvGuard {
  const char *name;
  bool had;
  std::string old;
  explicit EnvGuard(const char *name) : name(name) {
    const char *v = std::getenv(name);
    had = v != nullptr;
    if (had)
      old = v;
  }
  ~EnvGuard() {
    if (had)
      setenv(name, old.c_str(), 1);
    else
      unsetenv(name);
  }
};

TEST(RuntimeThreadPool, ThreadCountIsCapped) {
  EnvGuard guard("POTQ_NUM_THREADS");
  setenv("POTQ_NUM_THREADS", "100000", 1);
  EXPECT_EQ(potq_default_threads(), POTQ_MAX_THREADS);
  setenv("POTQ_NUM_THREADS", "99999999999999999999999", 1);
  EXPECT_EQ(potq_default_threads(), POTQ_MAX_THREADS);
  setenv("POTQ_NUM_THREADS", "3", 1);
  EXPECT_EQ(potq_default_threads(), 3);
  unsetenv("POTQ_NUM_THREADS");
  EXPECT_GE(potq_default_threads(), 1);
  EXPECT_LE(potq_default_threads(), POTQ_MAX_THREADS);
}

void nestedTask(void *ctx, int64_t) {
  if (!parallelFor(4, 10, countTask, ctx))
    std::abort();
}

TEST(RuntimeThreadPool, NestedCallsRunSerially) {
  // Every outer task, including those the calling thread runs, calls
  // parallelFor again; the inner calls must run serially. A re-entry into
  // the pool from the caller would re-lock its mutex and deadlock: the alarm
  // then kills the test binary (run in-process, not as a death test, so
  // that it also runs under qemu-user, which cannot re-execute the binary).
  alarm(60);
  for (int rep = 0; rep < 20; ++rep) {
    std::atomic<int64_t> count{0};
    ASSERT_TRUE(parallelFor(4, 16, nestedTask, &count));
    ASSERT_EQ(count.load(), 16 * 10);
  }
  alarm(0);
}

TEST(RuntimeThreadPoolDeathTest, ThreadCreationFailureRunsWithFewerThreads) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  if (const char *why = potq::testing::addressSpaceLimitUnavailable())
    GTEST_SKIP() << why;
  // A fresh child (threadsafe style: no pool yet) whose address space has
  // no room for an 8 MiB thread stack: std::thread throws system_error,
  // and parallelFor must still run every task.
  EXPECT_EXIT(
      {
        potq::testing::limitAddressSpace(size_t(1) << 20);
        std::atomic<int64_t> count{0};
        bool ok = parallelFor(4, 1000, countTask, &count);
        std::_Exit(ok && count.load() == 1000 ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

void throwSomeTask(void *ctx, int64_t i) {
  if (i % 7 == 3)
    throw std::bad_alloc();
  static_cast<std::atomic<int64_t> *>(ctx)->fetch_add(1);
}

TEST(RuntimeThreadPool, TaskExceptionsAreReported) {
  // Tasks that throw (on workers and on the caller) neither terminate the
  // process nor stop the other tasks; parallelFor returns false.
  for (int threads : {1, 2, 4}) {
    std::atomic<int64_t> count{0};
    EXPECT_FALSE(parallelFor(threads, 100, throwSomeTask, &count));
    EXPECT_EQ(count.load(), 100 - 14) << "threads=" << threads;
    count = 0;
    EXPECT_TRUE(parallelFor(threads, 100, countTask, &count));
    EXPECT_EQ(count.load(), 100);
  }
}

} // namespace
