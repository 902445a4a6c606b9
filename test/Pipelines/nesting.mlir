// The potq pipelines run on builtin.module: nested under func.func they are
// a clear error with exit code 1 in every tool (they once aborted with
// "Can't add pass ... restricted to builtin.module").
// RUN: not potq-opt %s --pass-pipeline='builtin.module(func.func(potq-qat-to-shift-add))' 2>&1 | FileCheck %s --check-prefix=QAT
// RUN: not potq-opt %s --pass-pipeline='builtin.module(func.func(potq-qat-to-shift-add{fuse=false}))' 2>&1 | FileCheck %s --check-prefix=QAT
// RUN: not potq-opt %s --pass-pipeline='builtin.module(func.func(potq-lower-to-llvm))' 2>&1 | FileCheck %s --check-prefix=LLVM
// RUN: not potq-run %s --jit --pipeline='builtin.module(func.func(potq-qat-to-shift-add))' 2>&1 | FileCheck %s --check-prefixes=QAT,JIT
// RUN: not potq-run %s --jit --pipeline='builtin.module(func.func(potq-lower-to-llvm))' 2>&1 | FileCheck %s --check-prefixes=LLVM,JIT
// RUN: not potq-translate %s --emit=llvmir --lowering-pipeline='func.func(potq-lower-to-llvm)' 2>&1 | FileCheck %s --check-prefix=LLVM
// RUN: not potq-translate %s --emit=llvmir --lowering-pipeline='func.func(potq-qat-to-shift-add),potq-lower-to-llvm' 2>&1 | FileCheck %s --check-prefix=QAT
// Where they belong, they run.
// RUN: potq-opt %s --pass-pipeline='builtin.module(potq-qat-to-shift-add,potq-lower-to-llvm)' | FileCheck %s --check-prefix=OK

// QAT: error: {{.*}}pipeline 'potq-qat-to-shift-add' runs on 'builtin.module' and cannot be nested under 'func.func'
// LLVM: error: {{.*}}pipeline 'potq-lower-to-llvm' runs on 'builtin.module' and cannot be nested under 'func.func'
// JIT: potq-run: error: execution of @main failed
// OK: llvm.func @main
func.func @main() -> tensor<2xi32> {
  %a = arith.constant dense<[1, 2]> : tensor<2xi32>
  %b = arith.constant dense<[2, 3]> : tensor<2xi32>
  %c = arith.addi %a, %b : tensor<2xi32>
  return %c : tensor<2xi32>
}
