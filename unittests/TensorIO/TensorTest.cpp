//===- TensorTest.cpp - Shapes, element counts and strides of Tensor ------===//
//
// Row-major strides, including zero-size shapes whose trailing products do
// not fit int64 (they once overflowed: signed overflow under UBSan).
//
//===----------------------------------------------------------------------===//

#include "potq/TensorIO/Tensor.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"

#include "gtest/gtest.h"

#include <cstdint>

namespace interp = ::potq::interp;

namespace {

using Strides = llvm::SmallVector<int64_t, 4>;

TEST(TensorTest, RowMajorStrides) {
  mlir::MLIRContext ctx;
  mlir::Type f32 = mlir::Float32Type::get(&ctx);
  EXPECT_EQ(interp::Tensor(f32, {}).getStrides(), Strides());
  EXPECT_EQ(interp::Tensor(f32, {7}).getStrides(), Strides({1}));
  EXPECT_EQ(interp::Tensor(f32, {2, 3, 4}).getStrides(), Strides({12, 4, 1}));
  EXPECT_EQ(interp::Tensor(f32, {2, 0, 4}).getStrides(), Strides({0, 4, 1}));
}

TEST(TensorTest, HugeZeroSizeShapes) {
  mlir::MLIRContext ctx;
  mlir::Type i8 = mlir::IntegerType::get(&ctx, 8);
  const int64_t big = int64_t(1) << 40;
  const int64_t max = INT64_MAX;

  interp::Tensor leadingZero(i8, {0, big, big});
  EXPECT_EQ(leadingZero.getNumElements(), 0);
  // 2^80 does not fit: that stride is 0.
  EXPECT_EQ(leadingZero.getStrides(), Strides({0, big, 1}));

  interp::Tensor trailingZero(i8, {big, big, 0});
  EXPECT_EQ(trailingZero.getNumElements(), 0);
  EXPECT_EQ(trailingZero.getStrides(), Strides({0, 0, 1}));

  interp::Tensor extremes(i8, {0, max, max, max});
  EXPECT_EQ(extremes.getStrides(), Strides({0, 0, max, 1}));

  interp::Tensor reshaped(i8, {0});
  reshaped.reshape({big, 0, big, big});
  EXPECT_EQ(reshaped.getStrides(), Strides({0, 0, big, 1}));
}

} // namespace
