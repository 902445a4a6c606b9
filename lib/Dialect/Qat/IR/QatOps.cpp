//===- QatOps.cpp - The qat dialect ---------------------------------------===//

#include "potq/Dialect/Qat/IR/QatOps.h"
#include "potq/Dialect/Qat/IR/Estimators.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace potq::qat;
namespace numerics = ::potq::numerics;

#include "potq/Dialect/Qat/IR/QatOpsDialect.cpp.inc"
#include "potq/Dialect/Qat/IR/QatOpsEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "potq/Dialect/Qat/IR/QatOpsAttrs.cpp.inc"

#define GET_OP_CLASSES
#include "potq/Dialect/Qat/IR/QatOps.cpp.inc"

void QatDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "potq/Dialect/Qat/IR/QatOpsAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "potq/Dialect/Qat/IR/QatOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// EstimatorAttr
//===----------------------------------------------------------------------===//

LogicalResult
EstimatorAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      EstimatorKind kind, DictionaryAttr params) {
  return verifyEstimatorParameters(emitError, kind, params);
}

Attribute EstimatorAttr::getParameter(StringRef name) const {
  DictionaryAttr params = getParams();
  return params ? params.get(name) : Attribute();
}

//===----------------------------------------------------------------------===//
// FakeQuantOp
//===----------------------------------------------------------------------===//

LogicalResult FakeQuantOp::verify() {
  RankedTensorType inputType = getInput().getType();
  RankedTensorType scaleType = getScale().getType();
  if (std::optional<int64_t> axis = getAxis()) {
    if (*axis < 0 || *axis >= inputType.getRank())
      return emitOpError() << "axis = " << *axis
                           << " is out of range for an input of rank "
                           << inputType.getRank();
    int64_t dim = inputType.getDimSize(*axis);
    if (scaleType.getRank() != 1 ||
        (!ShapedType::isDynamic(dim) &&
         !ShapedType::isDynamic(scaleType.getDimSize(0)) &&
         scaleType.getDimSize(0) != dim))
      return emitOpError() << "per-channel scale must be a 1-D tensor with "
                              "one value per index of axis "
                           << *axis << " (size " << dim << "), got "
                           << scaleType;
  } else if (!scaleType.hasStaticShape() || scaleType.getNumElements() != 1) {
    return emitOpError() << "per-tensor scale must hold exactly one value, "
                            "got "
                         << scaleType << "; set 'axis' for per-channel scales";
  }
  int64_t zeroPoint = getZeroPoint();
  if (zeroPoint != 0) {
    if (!isa<potq::UniformAttr>(getEncoding()))
      return emitOpError() << "zero_point is allowed only with uniform "
                              "encodings, got zero_point = "
                           << zeroPoint << " with " << getEncoding();
    if (getAxis())
      return emitOpError("zero_point is allowed only with per-tensor scales");
    const numerics::LevelSet &levels = getEncoding().getLevelSet();
    if (zeroPoint < levels.min() || zeroPoint > levels.max())
      return emitOpError() << "zero_point = " << zeroPoint
                           << " is out of range: must be a level of "
                           << getEncoding() << " in [" << levels.min() << ", "
                           << levels.max() << "]";
  }
  return success();
}
