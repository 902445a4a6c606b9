//===- InterpreterImpl.h - Reference interpreter internals ------*- C++ -*-===//
//
// Internal to lib/Interpreter. The interpreter walks a function's ops in
// order, keeping one runtime value per SSA value in a frame; each op family
// (arith/math, tensor, linalg, potq/qat, func/scf) lives in its own file.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_LIB_INTERPRETER_INTERPRETERIMPL_H
#define POTQ_LIB_INTERPRETER_INTERPRETERIMPL_H

#include "potq/Support/LLVM.h"

#include "ScalarOps.h"

#include "potq/Interpreter/Interpreter.h"

#include "mlir/IR/Block.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/DenseMap.h"

#include <string>

namespace mlir::linalg {
class LinalgOp;
} // namespace mlir::linalg

namespace potq::interp::detail {

/// The runtime values of one function activation.
using Frame = llvm::DenseMap<mlir::Value, Tensor>;

/// Formats a multi-dimensional index as `[i, j, k]`.
std::string formatIndex(llvm::ArrayRef<int64_t> index);
/// The multi-dimensional index of element `linear` of `shape`.
llvm::SmallVector<int64_t, 4> delinearize(int64_t linear,
                                          llvm::ArrayRef<int64_t> shape);

/// Loads element `index` of `tensor` as a Scalar.
inline Scalar loadScalar(const Tensor &tensor, int64_t index) {
  Scalar s;
  if (tensor.isFloat())
    s.f = tensor.getFloat(index);
  else
    s.i = tensor.getInt(index);
  return s;
}

/// Stores `value` to element `index` of `tensor`.
inline void storeScalar(Tensor &tensor, int64_t index, const Scalar &value) {
  if (tensor.isFloat())
    tensor.setFloat(index, value.f);
  else
    tensor.setInt(index, value.i);
}

/// Fails with an error at `op` unless elements of `type` can be held by a
/// Tensor: floats up to 64 bits, integers of 1 to 64 bits, index, !potq.q.
mlir::LogicalResult checkElementTypeSupported(mlir::Operation *op,
                                              mlir::Type type);

class Interpreter;

/// A compiled region body of scalar ops (linalg bodies, tensor.pad and
/// tensor.generate bodies): block arguments, then values captured from the
/// enclosing frame, then one slot per op result.
class ScalarProgram {
public:
  /// Compiles every op of `block` but the terminator, whose operands become
  /// the program's results. `numLoops` bounds linalg.index (0 if the block
  /// is not a linalg body). Emits an error and fails on unsupported ops.
  static mlir::FailureOr<ScalarProgram> compile(mlir::Block &block,
                                                unsigned numLoops,
                                                Interpreter &interpreter,
                                                const Frame &frame);

  /// Runs the program with the block arguments `args` and the iteration
  /// point `indices` (for linalg.index). Emits an error at the failing op
  /// (naming `where`, e.g. the iteration point) on undefined behaviour.
  mlir::LogicalResult run(const Scalar *args, llvm::ArrayRef<int64_t> indices,
                          llvm::SmallVectorImpl<Scalar> &results);

  unsigned getNumResults() const { return resultSlots.size(); }

private:
  enum class InstrKind { Op, Index, Extract };
  struct Instr {
    InstrKind kind;
    mlir::Operation *op;
    ScalarOp desc;
    llvm::SmallVector<int, 3> operands;
    int result = -1;
    int64_t dim = 0;                       // Index
    const Tensor *tensor = nullptr;        // Extract
    llvm::SmallVector<int64_t, 4> strides; // Extract
  };
  std::vector<Scalar> slots;
  unsigned numArgs = 0;
  std::vector<Instr> instrs;
  llvm::SmallVector<int, 2> resultSlots;
};

class Interpreter {
public:
  explicit Interpreter(const InterpreterOptions &options) : options(options) {}

  /// Runs `func` on `args`.
  mlir::FailureOr<llvm::SmallVector<Tensor>>
  callFunction(mlir::func::FuncOp func, llvm::ArrayRef<Tensor> args,
               unsigned depth);

  const InterpreterOptions &getOptions() const { return options; }

  /// Emits "<mode> does not support '<op name>'" at `op`.
  mlir::LogicalResult unsupported(mlir::Operation *op);

  /// Fails with an error at `op` unless a tensor of `shape` is within the
  /// size limit.
  mlir::LogicalResult checkSize(mlir::Operation *op,
                                llvm::ArrayRef<int64_t> shape);

  /// The value of an index-typed scalar SSA value.
  static int64_t getIndex(const Frame &frame, mlir::Value value) {
    return frame.find(value)->second.getInt(0);
  }
  /// The value of a static attribute or a dynamic index value.
  static int64_t getIndex(const Frame &frame, mlir::OpFoldResult ofr);

  /// Evaluates an arith.constant.
  mlir::FailureOr<Tensor>
  evaluateConstant(mlir::Operation *op, mlir::Attribute value, mlir::Type type);

  // Op families. Each reads its operands from `frame` and binds its results.
  mlir::LogicalResult executeOp(mlir::Operation *op, Frame &frame,
                                unsigned depth);
  mlir::LogicalResult executeElementwise(mlir::Operation *op, Frame &frame);
  mlir::LogicalResult executeTensorOp(mlir::Operation *op, Frame &frame,
                                      bool &handled);
  mlir::LogicalResult executeLinalgOp(mlir::linalg::LinalgOp op, Frame &frame);
  mlir::LogicalResult executePotqOp(mlir::Operation *op, Frame &frame,
                                    bool &handled);
  mlir::LogicalResult executeScfOp(mlir::Operation *op, Frame &frame,
                                   unsigned depth, bool &handled);

  /// Runs the ops of `block` after binding its arguments to `args`; the
  /// terminator's operand values are returned in `results`.
  mlir::LogicalResult runBlock(mlir::Block &block, llvm::ArrayRef<Tensor> args,
                               Frame &frame, unsigned depth,
                               llvm::SmallVectorImpl<Tensor> &results);

private:
  const InterpreterOptions &options;
};

} // namespace potq::interp::detail

#endif // POTQ_LIB_INTERPRETER_INTERPRETERIMPL_H
