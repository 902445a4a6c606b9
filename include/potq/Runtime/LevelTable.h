//===- LevelTable.h - Code -> level tables for the runtime ------*- C++ -*-===//
//
// C++ helper for callers of the C ABI (the compiler, tests, benchmarks):
// the `table` argument of potq_pack_weights for an encoding, built from the
// numerics library's code mapping (Packing.h), so that the packed codes are
// exactly the encoding's codes.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_RUNTIME_LEVELTABLE_H
#define POTQ_RUNTIME_LEVELTABLE_H

#include "potq/Numerics/Encoding.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace potq::runtime {

/// table[code] = level for the 2^codeBits(enc) codes of `enc` (codes that
/// name no level map to 0). std::nullopt if codeBits(enc) > 8 or a level
/// does not fit int32.
std::optional<std::vector<int32_t>> levelTable(const numerics::Encoding &enc);

} // namespace potq::runtime

#endif // POTQ_RUNTIME_LEVELTABLE_H
