//===- PackingTest.cpp - Tests of codes and bit packing -------------------===//

#include "potq/Numerics/Packing.h"

#include "AllEncodings.h"

#include "gtest/gtest.h"

#include <random>

using namespace potq::numerics;
using potq::testutil::allEncodings;

namespace {

TEST(PackingTest, CodeBits) {
  EXPECT_EQ(codeBits(Encoding::uniform(2)), 2u);
  EXPECT_EQ(codeBits(Encoding::uniform(8, true)), 8u);
  EXPECT_EQ(codeBits(Encoding::uniform(16, false, true)), 16u);
  EXPECT_EQ(codeBits(Encoding::pot(2)), 2u);
  EXPECT_EQ(codeBits(Encoding::pot(5)), 5u);
  EXPECT_EQ(codeBits(Encoding::apot(3)), 3u);
  EXPECT_EQ(codeBits(Encoding::apot(7)), 7u);
  EXPECT_EQ(codeBits(Encoding::nhot(1, 0)), 2u); // {-1, 0, 1}
  EXPECT_EQ(codeBits(Encoding::nhot(1, 1)), 3u); // {0, +-1, +-2}
  EXPECT_EQ(codeBits(Encoding::nhot(2, 0)), 3u); // [-2, 2]
  EXPECT_EQ(codeBits(Encoding::nhot(1, 3)), 4u); // 9 levels
  for (const Encoding &enc : allEncodings()) {
    if (enc.kind != EncodingKind::NHot)
      continue;
    size_t size = LevelSet::get(enc).size();
    unsigned bits = codeBits(enc);
    EXPECT_TRUE((size_t(1) << (bits - 1)) < size && size <= (size_t(1) << bits))
        << enc.str() << ": " << size << " levels in " << bits << " bits";
  }
}

TEST(PackingTest, Codes) {
  const LevelSet &u4 = LevelSet::get(Encoding::uniform(4));
  EXPECT_EQ(encodeLevel(u4, -1), 0xFu);
  EXPECT_EQ(encodeLevel(u4, -8), 0x8u);
  EXPECT_EQ(encodeLevel(u4, 7), 0x7u);
  EXPECT_EQ(decodeLevel(u4, 0xF), -1);
  EXPECT_EQ(decodeLevel(u4, 0x8), -8);

  const LevelSet &u4n = LevelSet::get(Encoding::uniform(4, false, true));
  EXPECT_EQ(decodeLevel(u4n, 0x8), std::nullopt); // -8 is not a level
  EXPECT_EQ(decodeLevel(u4n, 0x9), -7);

  const LevelSet &u4u = LevelSet::get(Encoding::uniform(4, true));
  EXPECT_EQ(encodeLevel(u4u, 15), 15u);
  EXPECT_EQ(decodeLevel(u4u, 15), 15);
  EXPECT_EQ(decodeLevel(u4u, 16), std::nullopt); // wider than 4 bits

  // pot<4>: sign bit 8, magnitude index i -> 2^(i-1).
  const LevelSet &pot4 = LevelSet::get(Encoding::pot(4));
  EXPECT_EQ(encodeLevel(pot4, 0), 0u);
  EXPECT_EQ(encodeLevel(pot4, 1), 1u);
  EXPECT_EQ(encodeLevel(pot4, 64), 7u);
  EXPECT_EQ(encodeLevel(pot4, -1), 9u);
  EXPECT_EQ(encodeLevel(pot4, -64), 15u);
  EXPECT_EQ(decodeLevel(pot4, 4), 8);
  EXPECT_EQ(decodeLevel(pot4, 12), -8);
  EXPECT_EQ(decodeLevel(pot4, 8), std::nullopt); // negative zero

  const LevelSet &pot2 = LevelSet::get(Encoding::pot(2));
  EXPECT_EQ(decodeLevel(pot2, 0), 0);
  EXPECT_EQ(decodeLevel(pot2, 1), 1);
  EXPECT_EQ(decodeLevel(pot2, 2), std::nullopt);
  EXPECT_EQ(decodeLevel(pot2, 3), -1);

  // apot<4>: M = {0,1,2,3,4,6,8,10}, sign bit 8.
  const LevelSet &apot4 = LevelSet::get(Encoding::apot(4));
  EXPECT_EQ(encodeLevel(apot4, 6), 5u);
  EXPECT_EQ(encodeLevel(apot4, -10), 15u);
  EXPECT_EQ(decodeLevel(apot4, 13), -6);
  EXPECT_EQ(decodeLevel(apot4, 8), std::nullopt);

  // nhot: index in the sorted set.
  const LevelSet &nh = LevelSet::get(Encoding::nhot(1, 0));
  EXPECT_EQ(encodeLevel(nh, -1), 0u);
  EXPECT_EQ(encodeLevel(nh, 1), 2u);
  EXPECT_EQ(decodeLevel(nh, 3), std::nullopt);
}

TEST(PackingTest, ExactBytes) {
  // Two 4-bit codes per byte, the first in the low nibble; padding is zero.
  const LevelSet &u4 = LevelSet::get(Encoding::uniform(4));
  EXPECT_EQ(packLevels(u4, {1, -1, 7}), (std::vector<uint8_t>{0xF1, 0x07}));
  EXPECT_EQ(packLevels(u4, {}), std::vector<uint8_t>{});
  // 3-bit pot codes straddle bytes: 1 -> 001, -4 -> 111, 2 -> 010, 0 -> 000,
  // -1 -> 101, 4 -> 011, each written LSB first.
  const LevelSet &pot3 = LevelSet::get(Encoding::pot(3));
  EXPECT_EQ(packLevels(pot3, {1, -4, 2, 0, -1, 4}),
            (std::vector<uint8_t>{0b10111001, 0b11010000, 0b00000001}));
  // uniform<2>: four codes per byte.
  const LevelSet &u2 = LevelSet::get(Encoding::uniform(2));
  EXPECT_EQ(packLevels(u2, {-2, -1, 0, 1, 1}),
            (std::vector<uint8_t>{0b01001110, 0b00000001}));
  // uniform<16>: little endian.
  const LevelSet &u16 = LevelSet::get(Encoding::uniform(16));
  EXPECT_EQ(packLevels(u16, {0x1234, -2}),
            (std::vector<uint8_t>{0x34, 0x12, 0xFE, 0xFF}));
}

TEST(PackingTest, RoundTrip) {
  std::mt19937 rng(1234);
  for (const Encoding &enc : allEncodings()) {
    SCOPED_TRACE(enc.str());
    const LevelSet &set = LevelSet::get(enc);
    unsigned bits = codeBits(enc);
    for (size_t n : {0, 1, 7, 33}) {
      std::vector<int64_t> values;
      for (size_t i = 0; i < n; ++i)
        values.push_back(set.levels()[rng() % set.size()]);
      if (n == 33) { // include both extremes
        values[0] = set.min();
        values[32] = set.max();
      }
      std::vector<uint8_t> bytes = packLevels(set, values);
      ASSERT_EQ(bytes.size(), (n * bits + 7) / 8);
      // Padding bits are zero.
      if (n * bits % 8 != 0) {
        EXPECT_EQ(bytes.back() >> (n * bits % 8), 0);
      }
      EXPECT_EQ(unpackLevels(set, bytes, n), values);
      // Extra bytes are fine, a short buffer is not.
      std::vector<uint8_t> longer = bytes;
      longer.push_back(0xAB);
      EXPECT_EQ(unpackLevels(set, longer, n), values);
      if (!bytes.empty()) {
        std::vector<uint8_t> shorter(bytes.begin(), bytes.end() - 1);
        EXPECT_EQ(unpackLevels(set, shorter, n), std::nullopt);
      }
    }
    // Every code round-trips through its level.
    for (int64_t level : set.levels())
      ASSERT_EQ(decodeLevel(set, encodeLevel(set, level)), level);
  }
}

TEST(PackingTest, InvalidCodesInStreams) {
  // pot<4> negative zero (code 8) in the second nibble.
  const LevelSet &pot4 = LevelSet::get(Encoding::pot(4));
  EXPECT_EQ(unpackLevels(pot4, {0x81}, 2), std::nullopt);
  EXPECT_EQ(unpackLevels(pot4, {0x81}, 1), (std::vector<int64_t>{1}));
  // nhot<1, 0> has 3 levels in 2-bit codes: code 3 names none.
  const LevelSet &nh = LevelSet::get(Encoding::nhot(1, 0));
  EXPECT_EQ(unpackLevels(nh, {0b00110110}, 3), std::nullopt);
  EXPECT_EQ(unpackLevels(nh, {0b00100110}, 3), (std::vector<int64_t>{1, 0, 1}));
  // Narrow uniform<8>: 0x80 would be -128.
  const LevelSet &u8n = LevelSet::get(Encoding::uniform(8, false, true));
  EXPECT_EQ(unpackLevels(u8n, {0x01, 0x80}, 2), std::nullopt);
  EXPECT_EQ(unpackLevels(u8n, {0x01, 0x81}, 2),
            (std::vector<int64_t>{1, -127}));
  EXPECT_EQ(unpackLevels(u8n, {0x01}, 2), std::nullopt);
  EXPECT_EQ(unpackLevels(u8n, {}, 0), std::vector<int64_t>{});
}

} // namespace
