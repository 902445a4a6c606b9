//===- ScalarOps.h - Element semantics of arith and math ops ----*- C++ -*-===//
//
// Internal to the interpreter. An elementwise arith/math op is described once
// (ScalarOp: kind, widths, float formats) and then evaluated on `Scalar`s,
// both for tensor operands (element by element) and in linalg/tensor bodies.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_LIB_INTERPRETER_SCALAROPS_H
#define POTQ_LIB_INTERPRETER_SCALAROPS_H

#include "potq/Support/LLVM.h"
#include "potq/TensorIO/FloatFormat.h"

#include "mlir/IR/Operation.h"
#include "mlir/IR/Types.h"
#include "llvm/ADT/APFloat.h"

#include <cstdint>
#include <string>

namespace potq::interp::detail {

/// One element: `i` for integer-like elements, `f` for floats.
struct Scalar {
  int64_t i = 0;
  double f = 0.0;
};

//===----------------------------------------------------------------------===//
// Integer helpers (two's complement on `width` bits)
//===----------------------------------------------------------------------===//

/// The canonical stored form of the low `width` bits of `raw`:
/// sign-extended, or 0/1 for i1.
int64_t normalizeInt(uint64_t raw, unsigned width);
/// The signed value of a stored element (i1: 0 or -1).
int64_t toSigned(int64_t stored, unsigned width);
/// The unsigned value of a stored element.
uint64_t toUnsigned(int64_t stored, unsigned width);

//===----------------------------------------------------------------------===//
// Ops
//===----------------------------------------------------------------------===//

enum class ScalarKind {
  // Integer binary.
  AddI,
  SubI,
  MulI,
  DivSI,
  DivUI,
  CeilDivSI,
  CeilDivUI,
  FloorDivSI,
  RemSI,
  RemUI,
  ShLI,
  ShRSI,
  ShRUI,
  AndI,
  OrI,
  XOrI,
  MaxSI,
  MinSI,
  MaxUI,
  MinUI,
  CmpI,
  // Integer unary (math).
  AbsI,
  CtLz,
  CtTz,
  CtPop,
  // Casts.
  ExtSI,
  ExtUI,
  TruncI,
  IndexCast,
  IndexCastUI,
  SIToFP,
  UIToFP,
  FPToSI,
  FPToUI,
  ExtF,
  TruncF,
  Bitcast,
  // Float binary.
  AddF,
  SubF,
  MulF,
  DivF,
  RemF,
  MaximumF,
  MinimumF,
  MaxNumF,
  MinNumF,
  CmpF,
  CopySign,
  // Float unary.
  NegF,
  AbsF,
  Sqrt,
  Ceil,
  Floor,
  Trunc,
  Round,
  RoundEven,
  IsNaN,
  IsInf,
  IsFinite,
  // Other.
  Select,
};

/// A described elementwise op.
struct ScalarOp {
  mlir::Operation *op = nullptr;
  ScalarKind kind = ScalarKind::AddI;
  /// Integer width of the (first) integer operand, and of the result.
  unsigned width = 64;
  unsigned resultWidth = 64;
  /// Float format of the float operand(s) and of a float result.
  FloatInfo floatInfo;
  FloatInfo resultFloatInfo;
  /// cmpi/cmpf predicate, as the integer value of the enum.
  uint64_t predicate = 0;
  llvm::RoundingMode rounding = llvm::RoundingMode::NearestTiesToEven;
  /// Poison-generating flags.
  bool nsw = false, nuw = false, exact = false;
  /// Whether operands / the result are stored as floats.
  bool floatOperands = false;
  bool floatResult = false;
};

/// True if `op` is an elementwise arith/math op this file can evaluate
/// (arith.constant and arith.select are handled by callers for tensors).
bool isScalarOp(mlir::Operation *op);

/// Describes `op`; emits an error on `op` and fails if an element type is
/// unsupported (e.g. integers wider than 64 bits).
mlir::FailureOr<ScalarOp> describeScalarOp(mlir::Operation *op);

/// Evaluates `desc` on `operands` (as many as the op has). On undefined
/// behaviour returns false and sets `error` to a message (without location).
bool evaluateScalarOp(const ScalarOp &desc, const Scalar *operands,
                      Scalar &result, std::string &error);

} // namespace potq::interp::detail

#endif // POTQ_LIB_INTERPRETER_SCALAROPS_H
