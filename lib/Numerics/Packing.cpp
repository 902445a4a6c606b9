//===- Packing.cpp - Dense codes at an encoding's bit width ---------------===//
//
// Codes and the LSB-first bit stream described in Packing.h.
//
//===----------------------------------------------------------------------===//

#include "potq/Numerics/Packing.h"

#include <cassert>

using namespace potq::numerics;

/// codeBits() of an already built level set (no cache lookup).
static unsigned codeBitsOf(const LevelSet &levels) {
  const Encoding &enc = levels.encoding();
  if (enc.kind != EncodingKind::NHot)
    return enc.bits;
  // nhot codes are indices into the level set: ceil(log2(size)), at least 1.
  unsigned bits = 1;
  while ((size_t(1) << bits) < levels.size())
    ++bits;
  return bits;
}

unsigned potq::numerics::codeBits(const Encoding &enc) {
  if (enc.kind != EncodingKind::NHot)
    return enc.bits;
  return codeBitsOf(LevelSet::get(enc));
}

/// Sign-magnitude code: sign bit at `bits - 1`, magnitude index below it.
static uint32_t signMagnitude(bool negative, size_t index, unsigned bits) {
  return (negative ? 1u << (bits - 1) : 0u) | uint32_t(index);
}

uint32_t potq::numerics::encodeLevel(const LevelSet &levels, int64_t level) {
  assert(levels.contains(level) && "encodeLevel of a value not in the set");
  const Encoding &enc = levels.encoding();
  int64_t mag = level < 0 ? -level : level;
  switch (enc.kind) {
  case EncodingKind::Uniform:
    // Two's complement truncated to B bits; unsigned levels are their code.
    return uint32_t(uint64_t(level) & ((uint64_t(1) << enc.bits) - 1));
  case EncodingKind::Pot: {
    size_t index = 0; // 0 -> 0, i -> 2^(i-1)
    while (mag != 0) {
      ++index;
      mag >>= 1;
    }
    return signMagnitude(level < 0, index, enc.bits);
  }
  case EncodingKind::Apot: {
    // |L| is a level too, so its index among the nonnegative levels is its
    // index in M(B).
    size_t zero = *levels.indexOf(0);
    return signMagnitude(level < 0, *levels.indexOf(mag) - zero, enc.bits);
  }
  case EncodingKind::NHot:
    return uint32_t(*levels.indexOf(level));
  }
  return 0;
}

std::optional<int64_t> potq::numerics::decodeLevel(const LevelSet &levels,
                                                   uint32_t code) {
  const Encoding &enc = levels.encoding();
  unsigned bits = codeBitsOf(levels);
  if (bits < 32 && code >> bits != 0)
    return std::nullopt;
  switch (enc.kind) {
  case EncodingKind::Uniform: {
    int64_t level = code;
    // Sign-extend from B bits.
    if (!enc.isUnsigned && (code >> (bits - 1)) != 0)
      level -= int64_t(1) << bits;
    if (!levels.contains(level)) // the narrow set lacks -2^(B-1)
      return std::nullopt;
    return level;
  }
  case EncodingKind::Pot:
  case EncodingKind::Apot: {
    bool negative = (code >> (bits - 1)) != 0;
    uint32_t index = code & ((1u << (bits - 1)) - 1);
    if (index == 0)
      return negative ? std::nullopt : std::optional<int64_t>(0);
    int64_t mag;
    if (enc.kind == EncodingKind::Pot) {
      mag = int64_t(1) << (index - 1);
    } else {
      // The nonnegative levels are M(B) in order, starting at level 0.
      size_t zero = *levels.indexOf(0);
      mag = levels.levels()[zero + index];
    }
    return negative ? -mag : mag;
  }
  case EncodingKind::NHot:
    if (code >= levels.size())
      return std::nullopt;
    return levels.levels()[code];
  }
  return std::nullopt;
}

static size_t packedBytes(size_t count, unsigned bits) {
  return (count * bits + 7) / 8;
}

std::vector<uint8_t>
potq::numerics::packLevels(const LevelSet &levels,
                           const std::vector<int64_t> &values) {
  unsigned bits = codeBitsOf(levels);
  std::vector<uint8_t> bytes(packedBytes(values.size(), bits), 0);
  size_t pos = 0; // bit position in the stream
  for (int64_t value : values) {
    uint32_t code = encodeLevel(levels, value);
    for (unsigned b = 0; b < bits; ++b, ++pos)
      if ((code >> b) & 1)
        bytes[pos / 8] |= uint8_t(1u << (pos % 8));
  }
  return bytes;
}

std::optional<std::vector<int64_t>>
potq::numerics::unpackLevels(const LevelSet &levels,
                             const std::vector<uint8_t> &bytes, size_t count) {
  unsigned bits = codeBitsOf(levels);
  if (bytes.size() < packedBytes(count, bits))
    return std::nullopt;
  std::vector<int64_t> values;
  values.reserve(count);
  size_t pos = 0;
  for (size_t i = 0; i < count; ++i) {
    uint32_t code = 0;
    for (unsigned b = 0; b < bits; ++b, ++pos)
      code |= uint32_t((bytes[pos / 8] >> (pos % 8)) & 1) << b;
    std::optional<int64_t> level = decodeLevel(levels, code);
    if (!level)
      return std::nullopt;
    values.push_back(*level);
  }
  return values;
}
