//===- InterpreterTest.cpp - Interpreter library tests --------------------===//
//
// Randomized checks of the element semantics against independent
// references (llvm::APInt for integers of odd widths, native binary32,
// llvm::APFloat for f16/bf16), and the library's error handling: argument
// checks, size limits, unsupported ops, memref linalg ops.
//
//===----------------------------------------------------------------------===//

#include "potq/Interpreter/Interpreter.h"

#include "potq/InitAllDialects.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APInt.h"
#include "llvm/ADT/bit.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <random>

namespace interp = ::potq::interp;
using llvm::APFloat;
using llvm::APInt;

namespace {

class InterpreterTest : public ::testing::Test {
protected:
  InterpreterTest() : ctx(makeRegistry()) {
    ctx.loadAllAvailableDialects();
    handler.emplace(&ctx, [this](mlir::Diagnostic &diag) {
      diagnostics += diag.str() + "\n";
      return mlir::success();
    });
  }
  static mlir::DialectRegistry makeRegistry() {
    mlir::DialectRegistry registry;
    potq::registerAllDialects(registry);
    return registry;
  }

  /// Parses `ir` and returns its function @f.
  mlir::func::FuncOp parse(const std::string &ir) {
    module = mlir::parseSourceString<mlir::ModuleOp>(ir, &ctx);
    EXPECT_TRUE(module) << ir << diagnostics;
    if (!module)
      return nullptr;
    return module->lookupSymbol<mlir::func::FuncOp>("f");
  }

  /// Parses `@f(%a, %b) = arith.<op> %a, %b` on tensors of type `t`.
  mlir::func::FuncOp parseBinaryOp(const std::string &op,
                                   const std::string &t) {
    return parse("func.func @f(%a: " + t + ", %b: " + t + ") -> " + t +
                 " {\n  %0 = arith." + op + " %a, %b : " + t +
                 "\n  return %0 : " + t + "\n}\n");
  }

  mlir::MLIRContext ctx;
  std::optional<mlir::ScopedDiagnosticHandler> handler;
  std::string diagnostics;
  mlir::OwningOpRef<mlir::ModuleOp> module;
};

//===----------------------------------------------------------------------===//
// Integers against APInt
//===----------------------------------------------------------------------===//

/// The stored form of an APInt: sign-extended, i1 as 0/1.
int64_t stored(const APInt &value) {
  if (value.getBitWidth() == 1)
    return value.getZExtValue();
  return value.getSExtValue();
}

TEST_F(InterpreterTest, IntegerOpsMatchAPInt) {
  const char *ops[] = {"addi",  "subi",  "muli",  "divsi", "divui", "remsi",
                       "remui", "shli",  "shrsi", "shrui", "andi",  "ori",
                       "xori",  "maxsi", "minsi", "maxui", "minui"};
  std::mt19937_64 rng(7);
  const int64_t n = 64;
  for (unsigned width : {1u, 3u, 8u, 13u, 16u, 32u, 64u}) {
    for (const char *op : ops) {
      SCOPED_TRACE(std::string(op) + " i" + std::to_string(width));
      std::string t =
          "tensor<" + std::to_string(n) + "xi" + std::to_string(width) + ">";
      mlir::func::FuncOp func = parseBinaryOp(op, t);
      ASSERT_TRUE(func);
      mlir::Type element = mlir::IntegerType::get(&ctx, width);
      interp::Tensor a(element, {n}), b(element, {n});
      std::vector<APInt> expected;
      std::string name = op;
      for (int64_t i = 0; i < n; ++i) {
        APInt x(width, rng(), false, true), y(width, rng(), false, true);
        // Small values too, where the interesting corner cases live.
        if (i % 4 == 0)
          y = APInt(width, rng() % width, false, true);
        // Keep clear of undefined behaviour.
        bool isDiv = name.find("div") != std::string::npos ||
                     name.find("rem") != std::string::npos;
        if (isDiv && y.isZero())
          y = APInt(width, 1);
        if (name == "divsi" && x.isMinSignedValue() && y.isAllOnes())
          x = APInt(width, 0); // i1 has no other non-zero divisor

        if (name.rfind("sh", 0) == 0)
          y = APInt(width, rng() % width, false, true);
        a.setInt(i, stored(x));
        b.setInt(i, stored(y));
        APInt r;
        if (name == "addi")
          r = x + y;
        else if (name == "subi")
          r = x - y;
        else if (name == "muli")
          r = x * y;
        else if (name == "divsi")
          r = x.sdiv(y);
        else if (name == "divui")
          r = x.udiv(y);
        else if (name == "remsi")
          r = x.srem(y);
        else if (name == "remui")
          r = x.urem(y);
        else if (name == "shli")
          r = x.shl(y);
        else if (name == "shrsi")
          r = x.ashr(y);
        else if (name == "shrui")
          r = x.lshr(y);
        else if (name == "andi")
          r = x & y;
        else if (name == "ori")
          r = x | y;
        else if (name == "xori")
          r = x ^ y;
        else if (name == "maxsi")
          r = x.sge(y) ? x : y;
        else if (name == "minsi")
          r = x.sle(y) ? x : y;
        else if (name == "maxui")
          r = x.uge(y) ? x : y;
        else
          r = x.ule(y) ? x : y;
        expected.push_back(r);
      }
      mlir::FailureOr<llvm::SmallVector<interp::Tensor>> results =
          interp::interpret(func, {a, b});
      ASSERT_TRUE(mlir::succeeded(results)) << diagnostics;
      for (int64_t i = 0; i < n; ++i)
        ASSERT_EQ(results->front().getInt(i), stored(expected[i]))
            << "element " << i << ": " << a.getInt(i) << ", " << b.getInt(i);
    }
  }
}

TEST_F(InterpreterTest, IntegerCastsMatchAPInt) {
  std::mt19937_64 rng(11);
  const int64_t n = 32;
  for (auto [from, to] : std::vector<std::pair<unsigned, unsigned>>{
           {1, 8}, {8, 32}, {5, 64}, {32, 64}}) {
    for (const char *op : {"extsi", "extui"}) {
      std::string a = "tensor<32xi" + std::to_string(from) + ">";
      std::string r = "tensor<32xi" + std::to_string(to) + ">";
      mlir::func::FuncOp func =
          parse("func.func @f(%a: " + a + ") -> (" + r + ", " + a +
                ") {\n  %0 = arith." + op + " %a : " + a + " to " + r +
                "\n  %1 = arith.trunci %0 : " + r + " to " + a +
                "\n  return %0, %1 : " + r + ", " + a + "\n}\n");
      ASSERT_TRUE(func);
      interp::Tensor input(mlir::IntegerType::get(&ctx, from), {n});
      std::vector<APInt> values;
      for (int64_t i = 0; i < n; ++i) {
        values.emplace_back(from, rng(), false, true);
        input.setInt(i, stored(values.back()));
      }
      auto results = interp::interpret(func, {input});
      ASSERT_TRUE(mlir::succeeded(results)) << diagnostics;
      for (int64_t i = 0; i < n; ++i) {
        APInt ext = std::string(op) == "extsi" ? values[i].sext(to)
                                               : values[i].zext(to);
        EXPECT_EQ((*results)[0].getInt(i), stored(ext));
        EXPECT_EQ((*results)[1].getInt(i), stored(values[i]));
      }
    }
  }
}

//===----------------------------------------------------------------------===//
// Floats against binary32 and APFloat
//===----------------------------------------------------------------------===//

/// Random float bit patterns: normals, subnormals, zeros, infinities, NaNs.
float randomFloat(std::mt19937 &rng) {
  switch (rng() % 8) {
  case 0:
    return std::ldexp(float(int(rng() % 2001) - 1000), -int(rng() % 8));
  case 1:
    return llvm::bit_cast<float>(uint32_t(rng() & 0x807fffff)); // subnormal
  default:
    return llvm::bit_cast<float>(uint32_t(rng()));
  }
}

bool sameFloat(double a, double b) {
  if (std::isnan(a) || std::isnan(b))
    return std::isnan(a) && std::isnan(b);
  return a == b && std::signbit(a) == std::signbit(b);
}

/// Runs the binary `func` on `a`, `b` and expects `expected` bit for bit
/// (NaN matches any NaN).
template <typename T>
void expectFloats(mlir::func::FuncOp func, const char *op,
                  const interp::Tensor &a, const interp::Tensor &b,
                  const std::vector<T> &expected, const std::string &diags) {
  auto results = interp::interpret(func, {a, b});
  ASSERT_TRUE(mlir::succeeded(results)) << diags;
  for (int64_t i = 0, n = expected.size(); i < n; ++i)
    ASSERT_TRUE(sameFloat(results->front().getFloat(i), expected[i]))
        << op << "(" << a.getFloat(i) << ", " << b.getFloat(i)
        << ") = " << results->front().getFloat(i) << ", expected "
        << expected[i];
}

TEST_F(InterpreterTest, F32OpsMatchBinary32) {
  std::mt19937 rng(3);
  const int64_t n = 256;
  const char *ops[] = {"addf", "subf", "mulf", "divf", "maximumf", "minnumf"};
  for (const char *op : ops) {
    SCOPED_TRACE(op);
    mlir::func::FuncOp func = parseBinaryOp(op, "tensor<256xf32>");
    ASSERT_TRUE(func);
    interp::Tensor a(mlir::Float32Type::get(&ctx), {n}),
        b(mlir::Float32Type::get(&ctx), {n});
    std::vector<float> expected;
    for (int64_t i = 0; i < n; ++i) {
      float x = randomFloat(rng), y = randomFloat(rng);
      a.setFloat(i, x);
      b.setFloat(i, y);
      std::string name = op;
      float r;
      if (name == "addf")
        r = x + y;
      else if (name == "subf")
        r = x - y;
      else if (name == "mulf")
        r = x * y;
      else if (name == "divf")
        r = x / y;
      else if (name == "maximumf")
        r = (std::isnan(x) || std::isnan(y)) ? NAN
            : (x == y)                       ? (std::signbit(x) ? y : x)
                                             : std::max(x, y);
      else
        r = std::isnan(x)   ? y
            : std::isnan(y) ? x
            : (x == y)      ? (std::signbit(x) ? x : y)
                            : std::min(x, y);
      expected.push_back(r);
    }
    expectFloats(func, op, a, b, expected, diagnostics);
  }
}

TEST_F(InterpreterTest, HalfFormatsMatchAPFloat) {
  std::mt19937 rng(5);
  const int64_t n = 256;
  struct Format {
    const char *name;
    const llvm::fltSemantics &semantics;
    mlir::Type type;
  } formats[] = {{"f16", APFloat::IEEEhalf(), mlir::Float16Type::get(&ctx)},
                 {"bf16", APFloat::BFloat(), mlir::BFloat16Type::get(&ctx)}};
  for (const Format &format : formats) {
    for (const char *op : {"addf", "subf", "mulf", "divf"}) {
      SCOPED_TRACE(std::string(op) + " " + format.name);
      std::string t = std::string("tensor<256x") + format.name + ">";
      mlir::func::FuncOp func = parseBinaryOp(op, t);
      ASSERT_TRUE(func);
      interp::Tensor a(format.type, {n}), b(format.type, {n});
      std::vector<double> expected;
      auto toDouble = [](APFloat v) {
        bool losesInfo;
        v.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                  &losesInfo);
        return v.convertToDouble();
      };
      for (int64_t i = 0; i < n; ++i) {
        APFloat x(format.semantics, APInt(16, rng() & 0xffff));
        APFloat y(format.semantics, APInt(16, rng() & 0xffff));
        a.setFloat(i, toDouble(x));
        b.setFloat(i, toDouble(y));
        APFloat r = x;
        std::string name = op;
        if (name == "addf")
          r.add(y, APFloat::rmNearestTiesToEven);
        else if (name == "subf")
          r.subtract(y, APFloat::rmNearestTiesToEven);
        else if (name == "mulf")
          r.multiply(y, APFloat::rmNearestTiesToEven);
        else
          r.divide(y, APFloat::rmNearestTiesToEven);
        expected.push_back(toDouble(r));
      }
      expectFloats(func, op, a, b, expected, diagnostics);
    }
  }
}

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

TEST_F(InterpreterTest, ArgumentChecks) {
  mlir::func::FuncOp func =
      parse("func.func @f(%a: tensor<?x3xf32>) -> tensor<?x3xf32> {\n"
            "  return %a : tensor<?x3xf32>\n}\n");
  ASSERT_TRUE(func);
  mlir::Type f32 = mlir::Float32Type::get(&ctx);
  EXPECT_TRUE(mlir::succeeded(
      interp::checkArguments(func, {interp::Tensor(f32, {5, 3})})));
  EXPECT_TRUE(mlir::failed(interp::interpret(func, {})));
  EXPECT_NE(diagnostics.find("takes 1 arguments, got 0"), std::string::npos);
  diagnostics.clear();
  EXPECT_TRUE(
      mlir::failed(interp::interpret(func, {interp::Tensor(f32, {5, 4})})));
  EXPECT_NE(diagnostics.find("argument #0 of @f: expected tensor<?x3xf32>, "
                             "got tensor<5x4xf32>"),
            std::string::npos)
      << diagnostics;
  diagnostics.clear();
  EXPECT_TRUE(mlir::failed(interp::interpret(
      func, {interp::Tensor(mlir::Float64Type::get(&ctx), {5, 3})})));
  EXPECT_TRUE(
      mlir::failed(interp::interpret(func, {interp::Tensor::makeScalar(f32)})));
  EXPECT_TRUE(mlir::failed(interp::interpret(func, {interp::Tensor()})));
}

TEST_F(InterpreterTest, SizeLimits) {
  mlir::func::FuncOp func =
      parse("func.func @f() -> tensor<1000000x1000000xf32> {\n"
            "  %0 = tensor.empty() : tensor<1000000x1000000xf32>\n"
            "  return %0 : tensor<1000000x1000000xf32>\n}\n");
  ASSERT_TRUE(func);
  EXPECT_TRUE(mlir::failed(interp::interpret(func, {})));
  EXPECT_NE(diagnostics.find("exceeds the interpreter's limit of 134217728 "
                             "elements"),
            std::string::npos)
      << diagnostics;

  // A huge reduction is rejected up front instead of running for hours.
  diagnostics.clear();
  func = parse(
      "func.func @f(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>, %c: "
      "tensor<?x?xf32>) -> tensor<?x?xf32> {\n"
      "  %0 = linalg.matmul ins(%a, %b : tensor<?x?xf32>, tensor<?x?xf32>) "
      "outs(%c : tensor<?x?xf32>) -> tensor<?x?xf32>\n"
      "  return %0 : tensor<?x?xf32>\n}\n");
  ASSERT_TRUE(func);
  mlir::Type f32 = mlir::Float32Type::get(&ctx);
  interp::InterpreterOptions options;
  options.maxIterations = 1000;
  EXPECT_TRUE(mlir::failed(interp::interpret(func,
                                             {interp::Tensor(f32, {10, 20}),
                                              interp::Tensor(f32, {20, 10}),
                                              interp::Tensor(f32, {10, 10})},
                                             options)));
  EXPECT_NE(diagnostics.find("iteration space [10, 10, 20] exceeds the "
                             "interpreter's limit of 1000 points"),
            std::string::npos)
      << diagnostics;
}

TEST_F(InterpreterTest, UnsupportedOps) {
  mlir::func::FuncOp func =
      parse("func.func @f(%a: f32) -> f32 {\n"
            "  %0 = math.tanh %a : f32\n  return %0 : f32\n}\n");
  ASSERT_TRUE(func);
  interp::InterpreterOptions options;
  options.modeName = "my-tool";
  EXPECT_TRUE(mlir::failed(interp::interpret(
      func,
      {interp::Tensor::makeScalarFloat(mlir::Float32Type::get(&ctx), 1.0)},
      options)));
  EXPECT_NE(diagnostics.find("my-tool does not support 'math.tanh'"),
            std::string::npos)
      << diagnostics;

  diagnostics.clear();
  func = parse("func.func @f(%a: memref<4xf32>) {\n"
               "  %c = arith.constant 0.0 : f32\n"
               "  linalg.fill ins(%c : f32) outs(%a : memref<4xf32>)\n"
               "  return\n}\n");
  ASSERT_TRUE(func);
  EXPECT_TRUE(mlir::failed(interp::interpret(
      func, {interp::Tensor(mlir::Float32Type::get(&ctx), {4})})));
  EXPECT_NE(diagnostics.find("not supported"), std::string::npos)
      << diagnostics;

  // Ops of unknown dialects.
  diagnostics.clear();
  ctx.allowUnregisteredDialects(true);
  func = parse("func.func @f() {\n"
               "  \"foo.bar\"() : () -> ()\n  return\n}\n");
  ASSERT_TRUE(func);
  EXPECT_TRUE(mlir::failed(interp::interpret(func, {})));
  EXPECT_NE(diagnostics.find("does not support 'foo.bar'"), std::string::npos)
      << diagnostics;
}

TEST_F(InterpreterTest, ExternalFunction) {
  mlir::func::FuncOp func =
      parse("func.func private @g(i32) -> i32\n"
            "func.func @f(%a: i32) -> i32 {\n"
            "  %0 = func.call @g(%a) : (i32) -> i32\n  return %0 : i32\n}\n");
  ASSERT_TRUE(func);
  EXPECT_TRUE(mlir::failed(interp::interpret(
      func,
      {interp::Tensor::makeScalarInt(mlir::IntegerType::get(&ctx, 32), 1)})));
  EXPECT_NE(diagnostics.find("function @g has no body to interpret"),
            std::string::npos)
      << diagnostics;
}

} // namespace
