//===- ScalarProgram.h - Compiled scalar region bodies ----------*- C++ -*-===//
//
// Internal to lib/Interpreter. The bodies of linalg structured ops,
// tensor.pad and tensor.generate run once per element, so they are compiled
// once into a flat list of instructions over value slots (block arguments,
// then scalars captured from the enclosing frame, then one slot per op
// result) and then run per element without touching the IR.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_LIB_INTERPRETER_SCALARPROGRAM_H
#define POTQ_LIB_INTERPRETER_SCALARPROGRAM_H

#include "Ops.h"

#include <vector>

namespace potq::interp::detail {

/// A compiled region body of scalar ops: arith/math ops, constants,
/// linalg.index and tensor.extract from tensors of the enclosing frame.
class ScalarProgram {
public:
  /// Compiles every op of `block` but the terminator, whose operands become
  /// the program's results. `numLoops` bounds linalg.index (0 if the block
  /// is not a linalg body). Emits an error and fails on unsupported ops.
  static mlir::FailureOr<ScalarProgram> compile(mlir::Block &block,
                                                unsigned numLoops,
                                                const Context &ctx,
                                                const Frame &frame);

  /// Runs the program with the block arguments `args` and the iteration
  /// point `indices` (for linalg.index). Emits an error at the failing op
  /// (naming the iteration point) on undefined behaviour.
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

} // namespace potq::interp::detail

#endif // POTQ_LIB_INTERPRETER_SCALARPROGRAM_H
