//===- MatmulRandomTest.cpp - potq.matmul against a naive reference -------===//
//
// Random potq.matmul ops (random shapes including a single row and reduction
// sizes that are not multiples of 8; pot/apot/nhot/uniform weights per
// tensor or per channel; input and output zero points; bias; clamps; i32,
// i64 and quantized results) run in the interpreter and are compared with a
// naive reference written here directly from SPEC section 6 on top of the
// numerics library:
//   acc = Σ_k (X[m][k] - Zx) * W[k][n] + bias[n]
//   i32: acc, or an overflow error if acc does not fit in i32;
//   i64: acc;
//   quantized: clamp(Zy + round_shift(acc * M, sh), max(lo, clamp_min),
//                    min(hi, clamp_max)) with m = sx * sw[n] / sy,
//              or an overflow error if |acc| >= 2^31.
//
//===----------------------------------------------------------------------===//

#include "potq/Interpreter/Interpreter.h"

#include "potq/Dialect/Potq/IR/PotqDialect.h"
#include "potq/Dialect/Potq/IR/PotqTypes.h"
#include "potq/Numerics/Encoding.h"
#include "potq/Numerics/FixedPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <cstdio>
#include <random>
#include <sstream>

namespace interp = ::potq::interp;
namespace numerics = ::potq::numerics;

namespace {

/// A random encoding of one of the four kinds, with its spelling.
struct EncodingChoice {
  numerics::Encoding encoding;
  std::string spelling;
};

/// A random uniform encoding of 2 to `maxBits` bits (`maxBits` when
/// `large`), plain, unsigned or narrow.
EncodingChoice randomUniform(std::mt19937 &rng, unsigned maxBits,
                             bool large = false) {
  unsigned bits = large ? maxBits : 2 + rng() % (maxBits - 1);
  int option = rng() % 3;
  return {numerics::Encoding::uniform(bits, option == 1, option == 2),
          "#potq.uniform<bits = " + std::to_string(bits) +
              (option == 1   ? ", unsigned"
               : option == 2 ? ", narrow"
                             : "") +
              ">"};
}

/// With `large`, the widest variant of the kind (to provoke overflows).
EncodingChoice randomWeightEncoding(std::mt19937 &rng, int kind, bool large) {
  switch (kind) {
  case 0: {
    unsigned bits = large ? 5 : 2 + rng() % 4;
    return {numerics::Encoding::pot(bits),
            "#potq.pot<bits = " + std::to_string(bits) + ">"};
  }
  case 1: {
    unsigned bits = large ? 7 : 3 + rng() % 5;
    return {numerics::Encoding::apot(bits),
            "#potq.apot<bits = " + std::to_string(bits) + ">"};
  }
  case 2: {
    unsigned terms = large ? 4 : 1 + rng() % 4;
    unsigned maxExp = large ? 15 : rng() % 16;
    return {numerics::Encoding::nhot(terms, maxExp),
            "#potq.nhot<terms = " + std::to_string(terms) +
                ", max_exp = " + std::to_string(maxExp) + ">"};
  }
  default:
    return randomUniform(rng, 16, large);
  }
}

/// A scale spelled so that it reads back as exactly the same float.
std::string spell(float scale) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.9e", double(scale));
  return buffer;
}

float randomScale(std::mt19937 &rng, float lo, float hi) {
  std::uniform_real_distribution<float> dist(lo, hi);
  return dist(rng);
}

int64_t randomLevel(std::mt19937 &rng, const numerics::LevelSet &levels) {
  return levels.levels()[rng() % levels.size()];
}

std::string quantizedType(const EncodingChoice &enc,
                          const std::vector<float> &scales, bool perChannel,
                          int64_t zeroPoint) {
  std::string result = "!potq.q<" + enc.spelling + ", f32, ";
  if (perChannel) {
    result += "axis = 1, scales = [";
    for (size_t i = 0; i < scales.size(); ++i)
      result += (i ? ", " : "") + spell(scales[i]);
    result += "]";
  } else {
    result += "scale = " + spell(scales[0]);
    if (zeroPoint != 0)
      result += ", zero_point = " + std::to_string(zeroPoint);
  }
  return result + ">";
}

/// The expected outcome of one matmul: values, or an overflow error.
struct Expected {
  bool overflow = false;
  std::vector<int64_t> values;
};

enum class ResultKind { I32, I64, Quantized };

TEST(MatmulRandom, MatchesNaiveReference) {
  mlir::MLIRContext ctx;
  ctx.loadDialect<potq::PotqDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect>();
  std::mt19937 rng(20240611);
  int compared = 0, overflows = 0;
  int perKind[4] = {0, 0, 0, 0};

  for (int iteration = 0; iteration < 400; ++iteration) {
    SCOPED_TRACE("iteration " + std::to_string(iteration));
    // Shapes: every 4th case has one row; K is often not a multiple of 8.
    int64_t M = iteration % 4 == 0 ? 1 : 1 + rng() % 5;
    int64_t K = 1 + rng() % 21;
    // A quarter of the cases (of every weight kind) use the widest
    // encodings, where accumulators overflow.
    bool large = (iteration / 4) % 4 == 3;
    int64_t N = 1 + rng() % 6;

    // Input: per-tensor uniform with a zero point.
    EncodingChoice xEnc = randomUniform(rng, 16, large);
    const numerics::LevelSet &xLevels = numerics::LevelSet::get(xEnc.encoding);
    int64_t zx = rng() % 2 ? randomLevel(rng, xLevels) : 0;
    float sx = randomScale(rng, 0.01f, 1.0f);

    // Weight: any encoding, per tensor or per channel.
    int kind = iteration % 4;
    ++perKind[kind];
    EncodingChoice wEnc = randomWeightEncoding(rng, kind, large);
    const numerics::LevelSet &wLevels = numerics::LevelSet::get(wEnc.encoding);
    bool perChannel = rng() % 2;
    std::vector<float> sw;
    for (int64_t n = 0; n < (perChannel ? N : 1); ++n)
      sw.push_back(randomScale(rng, 0.001f, 0.5f));

    // Result.
    ResultKind resultKind = ResultKind(rng() % 3);
    EncodingChoice yEnc = randomUniform(rng, 16);
    const numerics::LevelSet &yLevels = numerics::LevelSet::get(yEnc.encoding);
    int64_t zy = rng() % 2 ? randomLevel(rng, yLevels) : 0;
    float sy = randomScale(rng, 0.01f, 10.0f);
    std::optional<int64_t> clampMin, clampMax;
    if (resultKind == ResultKind::Quantized) {
      if (rng() % 3 == 0)
        clampMin = rng() % 2 ? zy : randomLevel(rng, yLevels); // ReLU
      if (rng() % 3 == 0) {
        int64_t bound = randomLevel(rng, yLevels);
        if (!clampMin || bound >= *clampMin)
          clampMax = bound;
      }
    }
    bool hasBias = rng() % 2;

    // Operand values.
    std::vector<int64_t> x(M * K), w(K * N), bias(N);
    for (int64_t &v : x)
      v = randomLevel(rng, xLevels);
    for (int64_t &v : w)
      v = randomLevel(rng, wLevels);
    for (int64_t &v : bias)
      v = int64_t(rng() % 2001) - 1000;

    // The function.
    std::string xType = quantizedType(xEnc, {sx}, false, zx);
    std::string wType = quantizedType(wEnc, sw, perChannel, 0);
    std::string resultElement = resultKind == ResultKind::I32 ? "i32"
                                : resultKind == ResultKind::I64
                                    ? "i64"
                                    : quantizedType(yEnc, {sy}, false, zy);
    std::string xT = "tensor<" + std::to_string(M) + "x" + std::to_string(K) +
                     "x" + xType + ">";
    std::string wT = "tensor<" + std::to_string(K) + "x" + std::to_string(N) +
                     "x" + wType + ">";
    std::string bT = "tensor<" + std::to_string(N) + "xi32>";
    std::string yT = "tensor<" + std::to_string(M) + "x" + std::to_string(N) +
                     "x" + resultElement + ">";
    std::ostringstream ir;
    ir << "func.func @f(%x: " << xT << ", %w: " << wT;
    if (hasBias)
      ir << ", %b: " << bT;
    ir << ") -> " << yT << " {\n  %0 = potq.matmul %x, %w";
    if (hasBias)
      ir << " bias %b";
    if (clampMin || clampMax) {
      ir << " {";
      if (clampMin)
        ir << "clamp_min = " << *clampMin << " : i64";
      if (clampMin && clampMax)
        ir << ", ";
      if (clampMax)
        ir << "clamp_max = " << *clampMax << " : i64";
      ir << "}";
    }
    ir << " : " << xT << ", " << wT;
    if (hasBias)
      ir << ", " << bT;
    ir << " -> " << yT << "\n  return %0 : " << yT << "\n}\n";

    std::string diagnostics;
    mlir::ScopedDiagnosticHandler handler(&ctx, [&](mlir::Diagnostic &diag) {
      diagnostics += diag.str() + "\n";
      return mlir::success();
    });
    mlir::OwningOpRef<mlir::ModuleOp> module =
        mlir::parseSourceString<mlir::ModuleOp>(ir.str(), &ctx);
    ASSERT_TRUE(module) << ir.str() << diagnostics;
    auto func = module->lookupSymbol<mlir::func::FuncOp>("f");

    // Naive reference (SPEC section 6).
    Expected expected;
    for (int64_t m = 0; m < M; ++m) {
      for (int64_t n = 0; n < N; ++n) {
        int64_t acc = 0;
        for (int64_t k = 0; k < K; ++k)
          acc += (x[m * K + k] - zx) * w[k * N + n];
        if (hasBias)
          acc += bias[n];
        if (resultKind == ResultKind::I64) {
          expected.values.push_back(acc);
        } else if (resultKind == ResultKind::I32) {
          if (acc < INT32_MIN || acc > INT32_MAX)
            expected.overflow = true;
          expected.values.push_back(acc);
        } else {
          if (acc <= -(int64_t(1) << 31) || acc >= (int64_t(1) << 31)) {
            expected.overflow = true;
            expected.values.push_back(0);
            continue;
          }
          double mult =
              double(sx) * double(sw[perChannel ? n : 0]) / double(sy);
          std::optional<numerics::FixedPointMultiplier> fp =
              numerics::toFixedPoint(mult);
          ASSERT_TRUE(fp.has_value());
          int64_t lo = std::max(yLevels.min(), clampMin.value_or(INT64_MIN));
          int64_t hi = std::min(yLevels.max(), clampMax.value_or(INT64_MAX));
          expected.values.push_back(numerics::requantize(acc, *fp, zy, lo, hi));
        }
      }
    }

    // Interpreter.
    mlir::FunctionType type = func.getFunctionType();
    std::vector<interp::Tensor> args;
    auto makeArg = [&](unsigned index, const std::vector<int64_t> &values) {
      auto tensorType =
          mlir::cast<mlir::RankedTensorType>(type.getInput(index));
      interp::Tensor t(tensorType.getElementType(), tensorType.getShape());
      for (size_t i = 0; i < values.size(); ++i)
        t.setInt(i, values[i]);
      args.push_back(t);
    };
    makeArg(0, x);
    makeArg(1, w);
    if (hasBias)
      makeArg(2, bias);
    diagnostics.clear();
    mlir::FailureOr<llvm::SmallVector<interp::Tensor>> results =
        interp::interpret(func, args);

    if (expected.overflow) {
      ++overflows;
      EXPECT_TRUE(mlir::failed(results)) << ir.str();
      EXPECT_NE(diagnostics.find("overflows"), std::string::npos)
          << diagnostics;
      continue;
    }
    ASSERT_TRUE(mlir::succeeded(results)) << ir.str() << diagnostics;
    ASSERT_EQ(results->size(), 1u);
    const interp::Tensor &y = results->front();
    ASSERT_EQ(y.getShape(), llvm::ArrayRef<int64_t>({M, N}));
    for (int64_t i = 0; i < M * N; ++i)
      ASSERT_EQ(y.getInt(i), expected.values[i]) << "element " << i << " of\n"
                                                 << ir.str();
    ++compared;
  }
  // The random cases must exercise both outcomes and every weight kind.
  EXPECT_GT(compared, 200);
  EXPECT_GT(overflows, 5);
  for (int count : perKind)
    EXPECT_EQ(count, 100);
}

} // namespace
