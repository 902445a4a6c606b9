//===- QatOps.cpp - The qat dialect ---------------------------------------===//

#include "potq/Dialect/Qat/IR/QatOps.h"
#include "potq/Dialect/Potq/IR/ChannelIndexer.h"
#include "potq/Limits.h"
#include "potq/Numerics/Projection.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

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

Operation *QatDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                           Type type, Location loc) {
  if (auto typed = dyn_cast<TypedAttr>(value))
    if (arith::ConstantOp::isBuildableWith(typed, type))
      return arith::ConstantOp::create(builder, loc, type, typed);
  return nullptr;
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

OpFoldResult FakeQuantOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_if_present<DenseFPElementsAttr>(adaptor.getInput());
  auto scaleAttr = dyn_cast_if_present<DenseFPElementsAttr>(adaptor.getScale());
  if (!input || !scaleAttr)
    return {};
  // Splats are worked on as their one value; anything else is expanded only
  // within potq/Limits.h (docs/Reliability.md).
  auto canExpand = [](int64_t count, int64_t elementBytes) {
    return ::potq::fitsMaterializationLimit(count, elementBytes);
  };
  SmallVector<float> scales; // one value stands for a splat
  auto addScale = [&](const APFloat &s) {
    float scale = s.convertToFloat();
    scales.push_back(scale);
    // Not foldable: the freezing pass reports bad scales with context.
    return std::isfinite(scale) && scale > 0.0f;
  };
  if (scaleAttr.isSplat()) {
    if (!addScale(scaleAttr.getSplatValue<APFloat>()))
      return {};
  } else {
    if (!canExpand(scaleAttr.getNumElements(), sizeof(float)))
      return {};
    for (const APFloat &s : scaleAttr.getValues<APFloat>())
      if (!addScale(s))
        return {};
  }
  RankedTensorType type = getResult().getType();
  const llvm::fltSemantics &semantics =
      cast<FloatType>(type.getElementType()).getFloatSemantics();
  const numerics::LevelSet &levels = getEncoding().getLevelSet();
  int64_t zeroPoint = getZeroPoint();
  auto fakeQuantize = [&](const APFloat &value, int64_t channel) {
    float scale = scales[scales.size() == 1 ? 0 : channel];
    APFloat out(numerics::fakeQuantize(potq::toBinary32(value), scale, levels,
                                       zeroPoint));
    bool losesInfo;
    out.convert(semantics, APFloat::rmNearestTiesToEven, &losesInfo);
    return out;
  };
  if (input.isSplat()) {
    // A splat result if every scale gives the same value.
    APFloat value = input.getSplatValue<APFloat>();
    APFloat first = fakeQuantize(value, 0);
    bool same = true;
    for (size_t c = 1; c < scales.size() && same; ++c)
      same = fakeQuantize(value, int64_t(c)).bitwiseIsEqual(first);
    if (same)
      return DenseFPElementsAttr::get(type, ArrayRef(first));
  }
  if (!canExpand(input.getNumElements(), sizeof(APFloat)))
    return {};
  potq::ChannelIndexer indexer(type.getShape(), getAxis());
  SmallVector<APFloat> result;
  result.reserve(input.getNumElements());
  int64_t linear = 0;
  for (const APFloat &value : input.getValues<APFloat>())
    result.push_back(fakeQuantize(value, indexer.channel(linear++)));
  return DenseFPElementsAttr::get(type, result);
}
