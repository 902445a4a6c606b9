//===- Ops.h - Per-op evaluation of the reference interpreter ---*- C++ -*-===//
//
// Internal to lib/Interpreter. Each op the interpreter runs has one
// evaluation function, `evalOp(OpTy, const Frame &, const Context &)`,
// that reads the op's operands from the frame and returns its results,
// emitting an error at the op on failure; Interpreter.cpp dispatches to
// them with one llvm::TypeSwitch and binds the results. The functions never
// call back into the dispatcher: only control flow (func.call, scf.for,
// scf.if), which runs regions, lives in Interpreter.cpp. One file per op
// family:
//   ArithOps.cpp  arith.constant, elementwise arith/math on scalars/tensors
//   TensorOps.cpp tensor dialect
//   LinalgOps.cpp every linalg structured op (through LinalgOp)
//   PotqOps.cpp   potq and qat
// ScalarProgram.h compiles the scalar bodies of linalg, tensor.pad and
// tensor.generate ops.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_LIB_INTERPRETER_OPS_H
#define POTQ_LIB_INTERPRETER_OPS_H

#include "potq/Support/LLVM.h"

#include "ScalarOps.h"

#include "potq/Dialect/Potq/IR/PotqOps.h"
#include "potq/Dialect/Qat/IR/QatOps.h"
#include "potq/Interpreter/Interpreter.h"
#include "potq/TensorIO/Index.h"
#include "potq/TensorIO/Tensor.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpDefinition.h"
#include "llvm/ADT/DenseMap.h"

namespace potq::interp::detail {

/// The runtime values of one function activation.
using Frame = llvm::DenseMap<mlir::Value, Tensor>;

/// What evaluating an op needs besides its operands: the limits, and the
/// diagnostics that name them. Holds no state.
class Context {
public:
  explicit Context(const InterpreterOptions &options) : options(options) {}

  const InterpreterOptions &getOptions() const { return options; }

  /// Emits "<mode> does not support '<op name>'" at `op`.
  mlir::LogicalResult unsupported(mlir::Operation *op) const;

  /// Fails with an error at `op` unless a tensor of `shape` is within the
  /// size limit.
  mlir::LogicalResult checkSize(mlir::Operation *op,
                                llvm::ArrayRef<int64_t> shape) const;

private:
  const InterpreterOptions &options;
};

/// The runtime value of `value`, which the dispatcher checked exists.
inline const Tensor &valueOf(const Frame &frame, mlir::Value value) {
  return frame.find(value)->second;
}
/// The value of an index-typed scalar SSA value.
inline int64_t getIndexValue(const Frame &frame, mlir::Value value) {
  return valueOf(frame, value).getInt(0);
}
/// The value of a static attribute or a dynamic index value.
int64_t getIndexValue(const Frame &frame, mlir::OpFoldResult ofr);

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

//===----------------------------------------------------------------------===//
// arith and math (ArithOps.cpp)
//===----------------------------------------------------------------------===//

/// The value of a constant `value` of `type` (arith.constant, and constants
/// in scalar bodies).
mlir::FailureOr<Tensor> evalConstant(mlir::Operation *op, mlir::Attribute value,
                                     mlir::Type type, const Context &ctx);
mlir::FailureOr<Tensor> evalOp(mlir::arith::ConstantOp op, const Frame &frame,
                               const Context &ctx);
/// An elementwise arith/math op (isScalarOp) on scalars or on tensors of one
/// runtime shape.
mlir::FailureOr<Tensor>
evalElementwiseOp(mlir::Operation *op, const Frame &frame, const Context &ctx);

//===----------------------------------------------------------------------===//
// tensor (TensorOps.cpp)
//===----------------------------------------------------------------------===//

mlir::FailureOr<Tensor> evalOp(mlir::tensor::CastOp op, const Frame &frame,
                               const Context &ctx);
mlir::FailureOr<Tensor> evalOp(mlir::tensor::CollapseShapeOp op,
                               const Frame &frame, const Context &ctx);
mlir::FailureOr<Tensor> evalOp(mlir::tensor::ConcatOp op, const Frame &frame,
                               const Context &ctx);
mlir::FailureOr<Tensor> evalOp(mlir::tensor::DimOp op, const Frame &frame,
                               const Context &ctx);
mlir::FailureOr<Tensor> evalOp(mlir::tensor::EmptyOp op, const Frame &frame,
                               const Context &ctx);
mlir::FailureOr<Tensor> evalOp(mlir::tensor::ExpandShapeOp op,
                               const Frame &frame, const Context &ctx);
mlir::FailureOr<Tensor> evalOp(mlir::tensor::ExtractOp op, const Frame &frame,
                               const Context &ctx);
mlir::FailureOr<Tensor> evalOp(mlir::tensor::ExtractSliceOp op,
                               const Frame &frame, const Context &ctx);
mlir::FailureOr<Tensor> evalOp(mlir::tensor::FromElementsOp op,
                               const Frame &frame, const Context &ctx);
mlir::FailureOr<Tensor> evalOp(mlir::tensor::GenerateOp op, const Frame &frame,
                               const Context &ctx);
mlir::FailureOr<Tensor> evalOp(mlir::tensor::InsertOp op, const Frame &frame,
                               const Context &ctx);
mlir::FailureOr<Tensor> evalOp(mlir::tensor::InsertSliceOp op,
                               const Frame &frame, const Context &ctx);
mlir::FailureOr<Tensor> evalOp(mlir::tensor::PadOp op, const Frame &frame,
                               const Context &ctx);
mlir::FailureOr<Tensor> evalOp(mlir::tensor::RankOp op, const Frame &frame,
                               const Context &ctx);
mlir::FailureOr<Tensor> evalOp(mlir::tensor::ReshapeOp op, const Frame &frame,
                               const Context &ctx);
mlir::FailureOr<Tensor> evalOp(mlir::tensor::SplatOp op, const Frame &frame,
                               const Context &ctx);

//===----------------------------------------------------------------------===//
// linalg (LinalgOps.cpp)
//===----------------------------------------------------------------------===//

/// Any linalg structured op on tensors, named or generic: one result per
/// init.
mlir::FailureOr<llvm::SmallVector<Tensor>>
evalOp(mlir::linalg::LinalgOp op, const Frame &frame, const Context &ctx);

//===----------------------------------------------------------------------===//
// potq and qat (PotqOps.cpp)
//===----------------------------------------------------------------------===//

/// Every contraction (ContractionOpInterface): the loop nest of its
/// indexing maps, then bias, residual and requantization.
mlir::FailureOr<Tensor> evalOp(potq::ContractionOpInterface op,
                               const Frame &frame, const Context &ctx);
mlir::FailureOr<Tensor> evalOp(potq::AddOp op, const Frame &frame,
                               const Context &ctx);
mlir::FailureOr<Tensor> evalOp(potq::AvgPool2DNhwcOp op, const Frame &frame,
                               const Context &ctx);
mlir::FailureOr<Tensor> evalOp(potq::ConstantOp op, const Frame &frame,
                               const Context &ctx);
mlir::FailureOr<Tensor> evalOp(potq::DequantizeOp op, const Frame &frame,
                               const Context &ctx);
mlir::FailureOr<Tensor> evalOp(potq::MaxPool2DNhwcOp op, const Frame &frame,
                               const Context &ctx);
mlir::FailureOr<Tensor> evalOp(potq::QuantizeOp op, const Frame &frame,
                               const Context &ctx);
mlir::FailureOr<Tensor> evalOp(potq::RequantizeOp op, const Frame &frame,
                               const Context &ctx);
mlir::FailureOr<Tensor> evalOp(potq::qat::FakeQuantOp op, const Frame &frame,
                               const Context &ctx);

} // namespace potq::interp::detail

#endif // POTQ_LIB_INTERPRETER_OPS_H
