//===- PotqParserFuzzTest.cpp - Mutation fuzzing of the potq parsers ------===//
//
// Random byte-level mutations of valid potq IR must never crash the parser
// or the verifiers: each either parses (and verifies) or reports an error.
// A crash fails the test by taking down the process.
//
//===----------------------------------------------------------------------===//

#include "potq/Dialect/Potq/IR/PotqDialect.h"
#include "potq/Dialect/Potq/IR/PotqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <random>

using namespace mlir;

namespace {

const char *const kCorpus[] = {
    R"(func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = potq.quantize %x : tensor<4xf32> -> tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-01>>
  %d = potq.dequantize %q : tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-01>> -> tensor<4xf32>
  return %d : tensor<4xf32>
})",
    R"(func.func @c() -> tensor<2x3x!potq.q<#potq.apot<bits = 4>, f32, axis = 1, scales = [1.0e-01, 2.0e-01, 3.0e-01]>> {
  %w = potq.constant dense<[[1, -2, 3], [10, 0, -8]]> : tensor<2x3xi8> -> tensor<2x3x!potq.q<#potq.apot<bits = 4>, f32, axis = 1, scales = [1.0e-01, 2.0e-01, 3.0e-01]>>
  return %w : tensor<2x3x!potq.q<#potq.apot<bits = 4>, f32, axis = 1, scales = [1.0e-01, 2.0e-01, 3.0e-01]>>
})",
    R"(func.func @r(%x: tensor<8x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0e-03, zero_point = 5>>) -> tensor<8x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e-01, zero_point = 128>> {
  %y = potq.requantize %x : tensor<8x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0e-03, zero_point = 5>> -> tensor<8x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e-01, zero_point = 128>>
  return %y : tensor<8x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e-01, zero_point = 128>>
})",
    R"(func.func @m(%x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>, %w: tensor<16x8x!potq.q<#potq.nhot<terms = 2, max_exp = 7>, f32, axis = 1, scales = [1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02]>>, %b: tensor<8xi32>) -> tensor<4x8x!potq.q<#potq.uniform<bits = 8, narrow>, f32, scale = 1.0e-01>> {
  %y = potq.matmul %x, %w bias %b {clamp_min = 0 : i64, clamp_max = 100 : i64} : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>, tensor<16x8x!potq.q<#potq.nhot<terms = 2, max_exp = 7>, f32, axis = 1, scales = [1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02]>>, tensor<8xi32> -> tensor<4x8x!potq.q<#potq.uniform<bits = 8, narrow>, f32, scale = 1.0e-01>>
  return %y : tensor<4x8x!potq.q<#potq.uniform<bits = 8, narrow>, f32, scale = 1.0e-01>>
})",
    R"(func.func @v(%x: tensor<?x9x9x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>, %w: tensor<3x3x3x8x!potq.q<#potq.pot<bits = 3>, f32, scale = 1.0e-02>>) -> tensor<?x4x4x8xi32> {
  %y = potq.conv_2d_nhwc_hwcf %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>} : tensor<?x9x9x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>, tensor<3x3x3x8x!potq.q<#potq.pot<bits = 3>, f32, scale = 1.0e-02>> -> tensor<?x4x4x8xi32>
  return %y : tensor<?x4x4x8xi32>
})",
};

/// Characters that steer mutations towards interesting tokens.
const char kAlphabet[] = "0123456789-+.e,<>[]()=:x?!#%@ abfinpqstuvz";

std::string mutate(std::string text, std::mt19937_64 &rng) {
  int edits = 1 + rng() % 4;
  for (int e = 0; e < edits && !text.empty(); ++e) {
    size_t pos = rng() % text.size();
    char c = kAlphabet[rng() % (sizeof(kAlphabet) - 1)];
    switch (rng() % 4) {
    case 0:
      text.erase(pos, 1 + rng() % 3);
      break;
    case 1:
      text.insert(pos, 1, c);
      break;
    case 2:
      text[pos] = c;
      break;
    default: // duplicate a span, e.g. repeat a digit run or a scale
      text.insert(pos, text.substr(rng() % text.size(), 1 + rng() % 8));
      break;
    }
  }
  return text;
}

TEST(PotqParserFuzz, MutatedInputsNeverCrash) {
  MLIRContext ctx;
  ctx.loadDialect<potq::PotqDialect, func::FuncDialect, arith::ArithDialect>();
  size_t errors = 0, parsed = 0;
  ScopedDiagnosticHandler quiet(&ctx, [&](Diagnostic &) {
    ++errors;
    return success();
  });
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    std::string text = mutate(kCorpus[rng() % std::size(kCorpus)], rng);
    OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, &ctx);
    if (module)
      ++parsed;
  }
  // Both outcomes must occur, or the mutator is not exercising the parser.
  EXPECT_GT(parsed, 0u);
  EXPECT_GT(errors, 0u);
}

TEST(PotqParserFuzz, CorpusIsValid) {
  MLIRContext ctx;
  ctx.loadDialect<potq::PotqDialect, func::FuncDialect, arith::ArithDialect>();
  for (const char *text : kCorpus)
    EXPECT_TRUE(parseSourceString<ModuleOp>(text, &ctx)) << text;
}

} // namespace
