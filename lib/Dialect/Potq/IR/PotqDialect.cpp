//===- PotqDialect.cpp - The potq dialect ---------------------------------===//

#include "potq/Dialect/Potq/IR/PotqDialect.h"
#include "potq/Dialect/Potq/IR/PotqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace potq;

#include "potq/Dialect/Potq/IR/PotqOpsDialect.cpp.inc"

void PotqDialect::initialize() {
  registerAttributes();
  registerTypes();
  addOperations<
#define GET_OP_LIST
#include "potq/Dialect/Potq/IR/PotqOps.cpp.inc"
      >();
}

/// Folders produce storage-integer tensors for quantized results (rebuilt as
/// `potq.constant`) and float tensors for dequantized ones (`arith.constant`).
Operation *PotqDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto elements = dyn_cast<DenseIntElementsAttr>(value);
  if (elements && getQuantizedElementType(type))
    return ConstantOp::create(builder, loc, type, elements);
  if (auto typed = dyn_cast<TypedAttr>(value))
    if (arith::ConstantOp::isBuildableWith(typed, type))
      return arith::ConstantOp::create(builder, loc, type, typed);
  return nullptr;
}
