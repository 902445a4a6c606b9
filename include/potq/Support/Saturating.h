//===- Saturating.h - Size arithmetic that cannot wrap ----------*- C++ -*-===//
//
// Plain C++ (no LLVM or MLIR): used by the numerics library and by the
// IR-facing limits (potq/Limits.h) alike.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_SUPPORT_SATURATING_H
#define POTQ_SUPPORT_SATURATING_H

#include <cstdint>

namespace potq {

/// a * b and a + b of non-negative sizes and counts, saturating at
/// INT64_MAX: a saturated size is over every limit, a saturated bound still
/// an upper bound.
inline int64_t mulSat(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_mul_overflow(a, b, &r) ? INT64_MAX : r;
}
inline int64_t addSat(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_add_overflow(a, b, &r) ? INT64_MAX : r;
}

} // namespace potq

#endif // POTQ_SUPPORT_SATURATING_H
