//===- Interpreter.h - The potq reference interpreter -----------*- C++ -*-===//
//
// Evaluates a `func.func` on tensors directly from the semantics of each op:
// func, arith, math (exact ops), tensor, scf (for/if), every linalg structured
// op (generically, through the LinalgOp interface), potq and qat. It is the
// oracle every potq lowering is tested against, so it favours obviously
// correct code over speed, and all quantized numerics go through the
// `potq::numerics` library, exactly like the dialect's folders.
//
// Undefined behaviour (division by zero, shifts by at least the bit width,
// poison from overflow flags), accumulator overflow of the potq contractions
// and unsupported ops are reported as errors at the op's location through the
// MLIR diagnostic engine; the interpreter never produces a value for them.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_INTERPRETER_INTERPRETER_H
#define POTQ_INTERPRETER_INTERPRETER_H

#include "potq/Support/LLVM.h"

#include "potq/Limits.h"
#include "potq/TensorIO/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Support/LLVM.h"

namespace potq::interp {

struct InterpreterOptions {
  /// Largest number of elements of any tensor the interpreter creates: each
  /// takes 8 bytes (int64 or double), within potq/Limits.h.
  int64_t maxElements = ::potq::kMaxMaterializedBytes / 8;
  /// Largest number of points of one linalg iteration space (or of one
  /// contraction's multiply-accumulates).
  int64_t maxIterations = int64_t(1) << 40;
  /// Deepest func.call nesting (guards against unbounded recursion).
  unsigned maxCallDepth = 64;
  /// Who "does not support" an op, in diagnostics: a tool names itself and
  /// its flag (potq-run says "potq-run --interpret").
  std::string modeName = "the potq interpreter";
};

/// Checks that `args` fit the argument types of `func` (element types equal,
/// static dimensions equal). Emits an error on `func` and fails otherwise.
mlir::LogicalResult checkArguments(mlir::func::FuncOp func,
                                   llvm::ArrayRef<Tensor> args);

/// Runs `func` (which must have a body) on `args` and returns its results.
/// On failure an error has been emitted at the failing op's location.
mlir::FailureOr<llvm::SmallVector<Tensor>>
interpret(mlir::func::FuncOp func, llvm::ArrayRef<Tensor> args,
          const InterpreterOptions &options = {});

} // namespace potq::interp

#endif // POTQ_INTERPRETER_INTERPRETER_H
