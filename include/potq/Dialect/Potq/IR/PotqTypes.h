//===- PotqTypes.h - potq quantized element type ----------------*- C++ -*-===//

#ifndef POTQ_DIALECT_POTQ_IR_POTQTYPES_H
#define POTQ_DIALECT_POTQ_IR_POTQTYPES_H

#include "potq/Support/LLVM.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Types.h"
#include "potq/Dialect/Potq/IR/PotqAttrs.h"

#define GET_TYPEDEF_CLASSES
#include "potq/Dialect/Potq/IR/PotqOpsTypes.h.inc"

namespace potq {
/// The quantized element type of `type` if it is a shaped type of
/// `!potq.q` elements, else null.
QuantizedType getQuantizedElementType(Type type);
} // namespace potq

#endif // POTQ_DIALECT_POTQ_IR_POTQTYPES_H
