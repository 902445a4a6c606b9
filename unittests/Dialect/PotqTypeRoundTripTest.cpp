//===- PotqTypeRoundTripTest.cpp - Property test of !potq.q spelling ------===//
//
// Random valid quantized types must print and parse back to the same type:
// every encoding, every expressed type, per-tensor and per-channel, and
// scales drawn from random binary32 bit patterns (denormals included), which
// exercises the shortest-round-trip scale printer.
//
//===----------------------------------------------------------------------===//

#include "potq/Dialect/Potq/IR/PotqDialect.h"
#include "potq/Dialect/Potq/IR/PotqTypes.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/MLIRContext.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <random>

using namespace mlir;
using namespace potq;

namespace {

class TypeRoundTrip : public ::testing::Test {
protected:
  TypeRoundTrip() { ctx.loadDialect<PotqDialect>(); }

  EncodingAttrInterface randomEncoding() {
    switch (rng() % 4) {
    case 0: {
      unsigned bits = 2 + rng() % 15;
      int option = rng() % 3;
      return UniformAttr::get(&ctx, bits, option == 1, option == 2);
    }
    case 1:
      return PotAttr::get(&ctx, 2 + rng() % 4);
    case 2:
      return ApotAttr::get(&ctx, 3 + rng() % 5);
    default:
      return NHotAttr::get(&ctx, 1 + rng() % 4, rng() % 16);
    }
  }

  /// A positive finite binary32 value from a random bit pattern.
  float randomScale() {
    for (;;) {
      uint32_t bits = uint32_t(rng()) & 0x7fffffffu;
      float value;
      std::memcpy(&value, &bits, sizeof(value));
      if (std::isfinite(value) && value > 0.0f)
        return value;
    }
  }

  FloatType randomExpressedType() {
    Builder b(&ctx);
    switch (rng() % 3) {
    case 0:
      return b.getF32Type();
    case 1:
      return b.getF16Type();
    default:
      return b.getBF16Type();
    }
  }

  MLIRContext ctx;
  std::mt19937_64 rng{20261122};
};

TEST_F(TypeRoundTrip, RandomTypesPrintAndParseBack) {
  for (int i = 0; i < 5000; ++i) {
    EncodingAttrInterface encoding = randomEncoding();
    FloatType expressed = randomExpressedType();
    QuantizedType type;
    if (rng() % 2) {
      int64_t zeroPoint = 0;
      if (isa<UniformAttr>(encoding) && rng() % 2) {
        const auto &levels = encoding.getLevelSet();
        zeroPoint = levels.min() +
                    int64_t(rng() % uint64_t(levels.max() - levels.min() + 1));
      }
      type = QuantizedType::get(encoding, expressed, randomScale(), zeroPoint);
    } else {
      SmallVector<float> scales(1 + rng() % 6);
      for (float &s : scales)
        s = randomScale();
      type = QuantizedType::get(encoding, expressed, rng() % 4, scales);
    }
    std::string text;
    llvm::raw_string_ostream os(text);
    Type(type).print(os);
    Type parsed = parseType(text, &ctx);
    ASSERT_TRUE(parsed) << "failed to parse " << text;
    EXPECT_EQ(parsed, Type(type)) << text;
  }
}

} // namespace
