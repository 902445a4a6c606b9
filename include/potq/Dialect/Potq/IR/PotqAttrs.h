//===- PotqAttrs.h - potq encoding attributes -------------------*- C++ -*-===//

#ifndef POTQ_DIALECT_POTQ_IR_POTQATTRS_H
#define POTQ_DIALECT_POTQ_IR_POTQATTRS_H

#include "potq/Support/LLVM.h"

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "potq/Numerics/Encoding.h"

#include "potq/Dialect/Potq/IR/PotqAttrInterfaces.h.inc"

#define GET_ATTRDEF_CLASSES
#include "potq/Dialect/Potq/IR/PotqOpsAttrs.h.inc"

#endif // POTQ_DIALECT_POTQ_IR_POTQATTRS_H
