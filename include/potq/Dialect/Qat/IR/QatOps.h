//===- QatOps.h - The qat dialect and its operations ------------*- C++ -*-===//

#ifndef POTQ_DIALECT_QAT_IR_QATOPS_H
#define POTQ_DIALECT_QAT_IR_QATOPS_H

#include "potq/Support/LLVM.h"

#include "potq/Dialect/Potq/IR/PotqAttrs.h"
#include "potq/Dialect/Potq/IR/PotqDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "potq/Dialect/Qat/IR/QatOpsDialect.h.inc"
#include "potq/Dialect/Qat/IR/QatOpsEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "potq/Dialect/Qat/IR/QatOpsAttrs.h.inc"

#define GET_OP_CLASSES
#include "potq/Dialect/Qat/IR/QatOps.h.inc"

#endif // POTQ_DIALECT_QAT_IR_QATOPS_H
