//===- PotqInterfacesTest.cpp - Op interfaces and level accessors ---------===//
//
// What ContractionOpInterface derives from each contraction's indexing maps
// (iterator types, reduction size, group dimensions, channel sharing), the
// window defaults of SlidingWindowOpInterface, and the level accessors of
// !potq.q and potq.constant (storage casts both ways, the builder from
// levels).
//
//===----------------------------------------------------------------------===//

#include "potq/Dialect/Potq/IR/PotqDialect.h"
#include "potq/Dialect/Potq/IR/PotqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <string>

using namespace mlir;
using namespace potq;
using mlir::utils::IteratorType;

namespace {

/// One of each contraction and pooling op, in this order.
const char *const kModule = R"mlir(
!x8 = !potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>
!w4 = !potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>
func.func @f(%a: tensor<4x16x!x8>, %wa: tensor<16x8x!w4>,
             %b: tensor<2x4x16x!x8>, %wb: tensor<2x16x8x!w4>,
             %c: tensor<1x9x9x3x!x8>, %wc: tensor<3x3x3x8x!w4>,
             %d: tensor<1x3x8x8x!x8>, %wd: tensor<4x3x3x3x!w4>,
             %e: tensor<1x6x6x4x!x8>, %we: tensor<3x3x4x!w4>,
             %p: tensor<1x8x8x4x!x8>) {
  %0 = potq.matmul %a, %wa : tensor<4x16x!x8>, tensor<16x8x!w4> -> tensor<4x8xi32>
  %1 = potq.batch_matmul %b, %wb : tensor<2x4x16x!x8>, tensor<2x16x8x!w4> -> tensor<2x4x8xi32>
  %2 = potq.conv_2d_nhwc_hwcf %c, %wc {strides = array<i64: 2, 2>} : tensor<1x9x9x3x!x8>, tensor<3x3x3x8x!w4> -> tensor<1x4x4x8xi32>
  %3 = potq.conv_2d_nchw_fchw %d, %wd {dilations = array<i64: 2, 1>} : tensor<1x3x8x8x!x8>, tensor<4x3x3x3x!w4> -> tensor<1x4x4x6xi32>
  %4 = potq.depthwise_conv_2d_nhwc_hwc %e, %we : tensor<1x6x6x4x!x8>, tensor<3x3x4x!w4> -> tensor<1x4x4x4xi64>
  %5 = potq.max_pool_2d_nhwc %p {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x4x!x8> -> tensor<1x4x4x4x!x8>
  return
}
)mlir";

class PotqInterfaces : public ::testing::Test {
protected:
  PotqInterfaces() {
    ctx.loadDialect<PotqDialect, func::FuncDialect, arith::ArithDialect>();
  }

  /// The ops of kModule's function, in order.
  SmallVector<Operation *> parseOps() {
    module = parseSourceString<ModuleOp>(kModule, &ctx);
    EXPECT_TRUE(module);
    SmallVector<Operation *> ops;
    if (module)
      module->walk([&](Operation *op) {
        if (isa<PotqDialect>(op->getDialect()))
          ops.push_back(op);
      });
    return ops;
  }

  static std::string str(AffineMap map) {
    std::string s;
    llvm::raw_string_ostream os(s);
    map.print(os);
    return s;
  }

  MLIRContext ctx;
  OwningOpRef<ModuleOp> module;
};

TEST_F(PotqInterfaces, ContractionStructure) {
  SmallVector<Operation *> ops = parseOps();
  ASSERT_EQ(ops.size(), 6u);
  struct Expected {
    int64_t weightAxis, resultAxis;
    unsigned groups, windowDims, parallel, reduction;
    bool share, i64;
    int64_t reductionSize;
    const char *inputMap;
  };
  const Expected expected[] = {
      {1, 1, 0, 0, 2, 1, true, false, 16, "(d0, d1, d2) -> (d0, d2)"},
      {2, 2, 1, 0, 3, 1, true, false, 16, "(d0, d1, d2, d3) -> (d0, d1, d3)"},
      {3, 3, 0, 2, 4, 3, true, false, 27,
       "(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 * 2 + d4, d2 * 2 + d5, d6)"},
      {0, 1, 0, 2, 4, 3, true, false, 27,
       "(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d2 + d5 * 2, d3 + d6)"},
      {2, 3, 0, 2, 4, 2, false, true, 9,
       "(d0, d1, d2, d3, d4, d5) -> (d0, d1 + d4, d2 + d5, d3)"},
  };
  for (auto [op, e] : llvm::zip(ArrayRef(ops).take_front(5), expected)) {
    SCOPED_TRACE(op->getName().getStringRef().str());
    auto c = dyn_cast<ContractionOpInterface>(op);
    ASSERT_TRUE(c);
    EXPECT_EQ(c.getWeightChannelAxis(), e.weightAxis);
    EXPECT_EQ(c.getResultChannelAxis(), e.resultAxis);
    EXPECT_EQ(c.getNumGroupDims(), e.groups);
    EXPECT_EQ(c.getNumWindowDims(), e.windowDims);
    EXPECT_EQ(c.channelsShareInput(), e.share);
    EXPECT_EQ(c.hasI64Accumulator(), e.i64);
    EXPECT_EQ(c.getReductionSize(), e.reductionSize);
    SmallVector<IteratorType> iterators = c.getIteratorTypes();
    EXPECT_EQ(llvm::count(iterators, IteratorType::parallel), e.parallel);
    EXPECT_EQ(llvm::count(iterators, IteratorType::reduction), e.reduction);
    SmallVector<AffineMap, 3> maps = c.getIndexingMaps();
    ASSERT_EQ(maps.size(), 3u);
    EXPECT_EQ(str(maps[0]), e.inputMap);
    // The result map is the identity on the leading (parallel) loops.
    for (unsigned d = 0; d < maps[2].getNumResults(); ++d)
      EXPECT_EQ(maps[2].getDimPosition(d), d);
    // A dynamic reduction dimension makes the reduction size dynamic.
    SmallVector<int64_t> shape(
        cast<ShapedType>(c.getWeight().getType()).getShape());
    shape[c.getNumGroupDims() == 1 ? 1 : (c.getWeightChannelAxis() == 0)] =
        ShapedType::kDynamic;
    EXPECT_TRUE(ShapedType::isDynamic(c.getReductionSize(shape)));
  }
  EXPECT_FALSE(isa<ContractionOpInterface>(ops[5]));
}

TEST_F(PotqInterfaces, WindowDefaults) {
  SmallVector<Operation *> ops = parseOps();
  ASSERT_EQ(ops.size(), 6u);
  using Values = SmallVector<int64_t, 2>;
  auto matmul = cast<SlidingWindowOpInterface>(ops[0]);
  EXPECT_EQ(matmul.getStrideValues(), Values{});
  auto hwcf = cast<SlidingWindowOpInterface>(ops[2]);
  EXPECT_EQ(hwcf.getStrideValues(), (Values{2, 2}));
  EXPECT_EQ(hwcf.getDilationValues(), (Values{1, 1}));
  auto fchw = cast<SlidingWindowOpInterface>(ops[3]);
  EXPECT_EQ(fchw.getStrideValues(), (Values{1, 1}));
  EXPECT_EQ(fchw.getDilationValues(), (Values{2, 1}));
  auto pool = cast<SlidingWindowOpInterface>(ops[5]);
  EXPECT_EQ(pool.getNumWindowDims(), 2u);
  EXPECT_EQ(pool.getStrideValues(), (Values{2, 2}));
  EXPECT_EQ(pool.getDilationValues(), (Values{1, 1}));
}

TEST_F(PotqInterfaces, StorageCasts) {
  Builder b(&ctx);
  FloatType f32 = b.getF32Type();
  // Unsigned uniform: zero-extended, 255 is a level.
  auto u8 = QuantizedType::get(UniformAttr::get(&ctx, 8, /*isUnsigned=*/true,
                                                /*narrow=*/false),
                               f32, 1.0f, 128);
  EXPECT_EQ(u8.encodeLevel(255), APInt(8, 255));
  EXPECT_EQ(u8.decodeLevel(APInt(8, 255)), 255);
  // POT: sign-extended.
  auto pot = QuantizedType::get(PotAttr::get(&ctx, 4), f32, 1.0f);
  EXPECT_EQ(pot.decodeLevel(pot.encodeLevel(-64)), -64);
  EXPECT_EQ(pot.encodeLevel(-1).getBitWidth(), pot.getStorageType().getWidth());
  DenseIntElementsAttr codes = pot.encodeLevels({2, 2}, {1, -2, 0, 64});
  EXPECT_EQ(codes.getType().getElementType(), pot.getStorageType());
  EXPECT_EQ(llvm::to_vector(pot.decodeLevels(codes)),
            (SmallVector<int64_t>{1, -2, 0, 64}));
  // One level is a splat of the shape.
  EXPECT_TRUE(pot.encodeLevels({3}, {-8}).isSplat());
}

TEST_F(PotqInterfaces, ConstantFromLevels) {
  OpBuilder b(&ctx);
  OwningOpRef<ModuleOp> scope = ModuleOp::create(b.getUnknownLoc());
  b.setInsertionPointToEnd(scope->getBody());
  auto u8 = QuantizedType::get(
      UniformAttr::get(&ctx, 8, /*isUnsigned=*/true, /*narrow=*/false),
      b.getF32Type(), 1.0f);
  auto type = RankedTensorType::get({3}, u8);
  auto constant = ConstantOp::create(b, b.getUnknownLoc(), type,
                                     ArrayRef<int64_t>{0, 200, 255});
  EXPECT_TRUE(succeeded(mlir::verify(constant)));
  EXPECT_EQ(llvm::to_vector(constant.getLevels()),
            (SmallVector<int64_t>{0, 200, 255}));
  EXPECT_FALSE(constant.getSplatLevel());
  auto splat =
      ConstantOp::create(b, b.getUnknownLoc(), type, ArrayRef<int64_t>{200});
  EXPECT_EQ(splat.getSplatLevel(), std::optional<int64_t>(200));
  EXPECT_EQ(llvm::to_vector(splat.getLevels()),
            (SmallVector<int64_t>{200, 200, 200}));
}

} // namespace
