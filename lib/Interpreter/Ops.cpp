//===- Ops.cpp - What the per-op evaluation functions share ---------------===//

#include "Ops.h"

#include "potq/Dialect/Potq/IR/PotqTypes.h"

#include "mlir/IR/BuiltinAttributes.h"

namespace pi = ::potq::interp;
using namespace mlir;
using namespace pi;
using namespace pi::detail;

LogicalResult Context::unsupported(Operation *op) const {
  return op->emitError() << options.modeName << " does not support '"
                         << op->getName() << "'";
}

LogicalResult Context::checkSize(Operation *op, ArrayRef<int64_t> shape) const {
  std::optional<int64_t> count = getElementCount(shape);
  if (!count || *count > options.maxElements)
    return op->emitOpError() << "result of shape " << formatIndex(shape)
                             << " exceeds the interpreter's limit of "
                             << options.maxElements << " elements";
  return success();
}

int64_t pi::detail::getIndexValue(const Frame &frame, OpFoldResult ofr) {
  if (auto attr = dyn_cast<Attribute>(ofr))
    return cast<IntegerAttr>(attr).getInt();
  return getIndexValue(frame, cast<Value>(ofr));
}

LogicalResult pi::detail::checkElementTypeSupported(Operation *op, Type type) {
  if (isa<FloatType>(type) && getFloatInfo(type))
    return success();
  if (std::optional<unsigned> width = getIntegerWidth(type))
    if (*width > 0 && *width <= 64)
      return success();
  if (isa<potq::QuantizedType>(type))
    return success();
  return op->emitOpError() << "element type " << type
                           << " is not supported by the interpreter";
}
