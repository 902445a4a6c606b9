//===- ArithOps.cpp - Interpretation of arith and math ops ----------------===//
//
// arith.constant, and every elementwise arith/math op (ScalarOps.h) applied
// to scalars or, element by element, to tensors of one runtime shape.
//
//===----------------------------------------------------------------------===//

#include "Ops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"

namespace pi = ::potq::interp;
using namespace mlir;
using namespace pi;
using namespace pi::detail;

//===----------------------------------------------------------------------===//
// arith.constant
//===----------------------------------------------------------------------===//

/// The stored form of an integer attribute value of width <= 64.
static int64_t storedInt(const APInt &value) {
  return normalizeInt(value.getZExtValue(), value.getBitWidth());
}

static double storedFloat(APFloat value) {
  bool losesInfo;
  value.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                &losesInfo);
  return value.convertToDouble();
}

FailureOr<Tensor> pi::detail::evalConstant(Operation *op, Attribute value,
                                           Type type, const Context &ctx) {
  if (auto tensorType = dyn_cast<RankedTensorType>(type)) {
    Type elementType = tensorType.getElementType();
    if (failed(checkElementTypeSupported(op, elementType)) ||
        failed(ctx.checkSize(op, tensorType.getShape())))
      return failure();
    auto elements = dyn_cast<ElementsAttr>(value);
    if (!elements || !tensorType.hasStaticShape())
      return op->emitOpError("unsupported constant attribute");
    Tensor result(elementType, tensorType.getShape());
    int64_t index = 0;
    if (result.isFloat()) {
      auto values = elements.tryGetValues<APFloat>();
      if (!values)
        return op->emitOpError("unsupported float constant attribute");
      for (APFloat v : *values)
        result.setFloat(index++, storedFloat(v));
    } else {
      auto values = elements.tryGetValues<APInt>();
      if (!values)
        return op->emitOpError("unsupported integer constant attribute");
      for (const APInt &v : *values)
        result.setInt(index++, storedInt(v));
    }
    if (index != result.getNumElements())
      return op->emitOpError("constant has the wrong number of elements");
    return result;
  }
  if (isa<ShapedType>(type))
    return op->emitOpError() << "constants of type " << type
                             << " are not supported by the interpreter";
  if (failed(checkElementTypeSupported(op, type)))
    return failure();
  if (auto integer = dyn_cast<IntegerAttr>(value))
    return Tensor::makeScalarInt(type, storedInt(integer.getValue()));
  if (auto floatAttr = dyn_cast<FloatAttr>(value))
    return Tensor::makeScalarFloat(type, storedFloat(floatAttr.getValue()));
  return op->emitOpError("unsupported scalar constant attribute");
}

FailureOr<Tensor> pi::detail::evalOp(arith::ConstantOp op, const Frame &frame,
                                     const Context &ctx) {
  return evalConstant(op, op.getValue(), op.getType(), ctx);
}

//===----------------------------------------------------------------------===//
// Elementwise arith/math
//===----------------------------------------------------------------------===//

FailureOr<Tensor> pi::detail::evalElementwiseOp(Operation *op,
                                                const Frame &frame,
                                                const Context &ctx) {
  FailureOr<ScalarOp> desc = describeScalarOp(op);
  if (failed(desc))
    return failure();
  SmallVector<const Tensor *, 3> operands;
  const Tensor *shapeSource = nullptr;
  for (Value operand : op->getOperands()) {
    const Tensor *value = &valueOf(frame, operand);
    operands.push_back(value);
    if (value->isScalar())
      continue;
    if (!shapeSource)
      shapeSource = value;
    else if (value->getShape() != shapeSource->getShape())
      return op->emitOpError()
             << "operand shapes " << formatIndex(shapeSource->getShape())
             << " and " << formatIndex(value->getShape())
             << " differ at runtime";
  }
  Type resultElementType = getElementTypeOrSelf(op->getResult(0).getType());
  Tensor result;
  if (!shapeSource) {
    result = Tensor::makeScalar(resultElementType);
  } else {
    if (!isa<RankedTensorType>(op->getResult(0).getType()))
      return ctx.unsupported(op);
    result = Tensor(resultElementType, shapeSource->getShape());
  }
  SmallVector<Scalar, 3> in(operands.size());
  Scalar out;
  std::string error;
  for (int64_t i = 0, e = result.getNumElements(); i < e; ++i) {
    for (auto [k, operand] : llvm::enumerate(operands))
      in[k] = loadScalar(*operand, operand->isScalar() ? 0 : i);
    if (!evaluateScalarOp(*desc, in.data(), out, error)) {
      InFlightDiagnostic diag = op->emitOpError() << error;
      if (!result.isScalar())
        diag << " at element "
             << formatIndex(delinearize(i, result.getShape()));
      return failure();
    }
    storeScalar(result, i, out);
  }
  return result;
}
