//===- AddressSpaceLimit.h - Make allocations fail in a child ---*- C++ -*-===//
//
// For death-test children only: caps the address space so that large
// allocations (and new thread stacks) fail.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_UNITTESTS_RUNTIME_ADDRESSSPACELIMIT_H
#define POTQ_UNITTESTS_RUNTIME_ADDRESSSPACELIMIT_H

#include <cstddef>
#include <cstdio>
#include <cstdlib>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace potq::testing {

/// Caps this process's address space at its current size plus `extra`
/// bytes; exits with status 100 if that cannot be done.
inline void limitAddressSpace(size_t extra) {
  long pages = 0;
  if (FILE *f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld", &pages) != 1)
      pages = 0;
    std::fclose(f);
  }
  rlimit rl;
  rl.rlim_cur = rl.rlim_max =
      rlim_t(pages) * rlim_t(sysconf(_SC_PAGESIZE)) + rlim_t(extra);
  if (pages == 0 || setrlimit(RLIMIT_AS, &rl) != 0)
    std::_Exit(100);
}

/// Whether limitAddressSpace makes a large allocation fail here, probed in
/// a forked child (false e.g. under qemu-user, which ignores RLIMIT_AS and
/// cannot re-execute the test binary for threadsafe death tests either).
inline bool addressSpaceLimitWorks() {
  pid_t pid = fork();
  if (pid == 0) {
    limitAddressSpace(size_t(64) << 20);
    // volatile: the compiler may not assume the allocations succeed.
    void *volatile small = std::malloc(size_t(1) << 20);
    void *volatile big = std::malloc(size_t(256) << 20);
    std::_Exit(small && !big ? 0 : 1);
  }
  int status = 0;
  return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
         WEXITSTATUS(status) == 0;
}

/// Why the address-space death tests cannot run here, or null if they can.
/// They run in the release build on Linux; ASan reserves terabytes of
/// shadow memory up front, so a cap on the address space cannot be set.
inline const char *addressSpaceLimitUnavailable() {
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
  return "AddressSanitizer's shadow memory leaves no room for RLIMIT_AS "
         "(these run in the release build)";
#endif
#endif
  if (!addressSpaceLimitWorks())
    return "RLIMIT_AS has no effect here (qemu-user ignores it)";
  return nullptr;
}

} // namespace potq::testing

#endif // POTQ_UNITTESTS_RUNTIME_ADDRESSSPACELIMIT_H
