// Issue 10 I, J: a constant that would take gigabytes once expanded is
// refused with the op and its size (potq/Limits.h, 1 GiB per tensor) by the
// JIT, the ahead-of-time emitters and the interpreter (8 bytes per element,
// so at most 2^27 elements), instead of running out of memory.
// RUN: not potq-run %s --jit 2>&1 | FileCheck %s --check-prefix=JIT
// RUN: not potq-translate %s --emit=llvmir -o /dev/null 2>&1 | FileCheck %s --check-prefix=JIT
// RUN: not potq-translate %s --emit=obj -o /dev/null 2>&1 | FileCheck %s --check-prefix=JIT
// RUN: not potq-run %s --interpret 2>&1 | FileCheck %s --check-prefix=INTERP

// JIT: error: 'llvm.mlir.global' op cannot materialise constant 'value' of 4294967296 elements (4 bytes each): over potq's limit of 1073741824 bytes per tensor
// INTERP: error: 'arith.constant' op result of shape [4294967296] exceeds the interpreter's limit of 134217728 elements
func.func @main() -> tensor<i32> {
  %c = arith.constant dense<1> : tensor<4294967296xi32>
  %init = arith.constant dense<0> : tensor<i32>
  %r = linalg.reduce ins(%c : tensor<4294967296xi32>) outs(%init : tensor<i32>) dimensions = [0]
    (%in: i32, %acc: i32) {
      %s = arith.addi %in, %acc : i32
      linalg.yield %s : i32
    }
  return %r : tensor<i32>
}
