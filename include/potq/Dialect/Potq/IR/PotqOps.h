//===- PotqOps.h - potq operations ------------------------------*- C++ -*-===//

#ifndef POTQ_DIALECT_POTQ_IR_POTQOPS_H
#define POTQ_DIALECT_POTQ_IR_POTQOPS_H

#include "potq/Support/LLVM.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "potq/Dialect/Potq/IR/PotqDialect.h"
#include "potq/Dialect/Potq/IR/PotqInterfaces.h"
#include "potq/Dialect/Potq/IR/PotqTypes.h"

#define GET_OP_CLASSES
#include "potq/Dialect/Potq/IR/PotqOps.h.inc"

#endif // POTQ_DIALECT_POTQ_IR_POTQOPS_H
