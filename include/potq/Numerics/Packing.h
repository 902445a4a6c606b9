//===- Packing.h - Dense codes at an encoding's bit width -------*- C++ -*-===//
//
// Each level has a code of `codeBits(enc)` bits:
//   uniform: two's complement of the level (unsigned: the level itself);
//   pot:     sign bit (MSB) | magnitude index, index 0 = zero, i -> 2^(i-1);
//   apot:    sign bit (MSB) | index of the magnitude in M(B);
//   nhot:    index of the level in the sorted level set.
// Codes are packed LSB-first into a little-endian bit stream, so two 4-bit
// codes share a byte with the first code in the low nibble.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_NUMERICS_PACKING_H
#define POTQ_NUMERICS_PACKING_H

#include "potq/Numerics/Encoding.h"

#include <cstdint>
#include <vector>

namespace potq::numerics {

/// Width of one code of `enc` in bits.
unsigned codeBits(const Encoding &enc);

/// Code of `level`, which must be in the level set of `enc`.
uint32_t encodeLevel(const LevelSet &levels, int64_t level);

/// Level of `code`; returns std::nullopt for a code that names no level
/// (a negative zero in sign-magnitude encodings, or a code wider than
/// codeBits).
std::optional<int64_t> decodeLevel(const LevelSet &levels, uint32_t code);

/// Packs `levels` (all in the set) into ceil(n * codeBits / 8) bytes.
std::vector<uint8_t> packLevels(const LevelSet &levels,
                                const std::vector<int64_t> &values);

/// Unpacks `count` levels from `bytes`. Returns std::nullopt if the buffer is
/// too short or holds a code that names no level.
std::optional<std::vector<int64_t>>
unpackLevels(const LevelSet &levels, const std::vector<uint8_t> &bytes,
             size_t count);

} // namespace potq::numerics

#endif // POTQ_NUMERICS_PACKING_H
