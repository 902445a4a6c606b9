//===- PotqDialect.h - The potq dialect -------------------------*- C++ -*-===//

#ifndef POTQ_DIALECT_POTQ_IR_POTQDIALECT_H
#define POTQ_DIALECT_POTQ_IR_POTQDIALECT_H

#include "potq/Support/LLVM.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Dialect.h"

#include "potq/Dialect/Potq/IR/PotqOpsDialect.h.inc"

#endif // POTQ_DIALECT_POTQ_IR_POTQDIALECT_H
