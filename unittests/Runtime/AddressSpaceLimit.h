//===- AddressSpaceLimit.h - Make allocations fail in a test child -*- C++ -*-//
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

} // namespace potq::testing

#endif // POTQ_UNITTESTS_RUNTIME_ADDRESSSPACELIMIT_H
