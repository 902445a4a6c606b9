// Bad --jit flags get a clear error and exit code 1, never a crash.
// RUN: not potq-run %s --jit --pipeline='builtin.module(no-such-pass)' 2>&1 | FileCheck %s --check-prefix=PASS
// RUN: not potq-run %s --jit --pipeline='func.func(canonicalize)' 2>&1 | FileCheck %s --check-prefix=ANCHOR
// RUN: not potq-run %s --jit --opt-level=7 2>&1 | FileCheck %s --check-prefix=OPT
// RUN: potq-run %s --jit --pipeline= --print | FileCheck %s --check-prefix=OK

// PASS: invalid --pipeline 'builtin.module(no-such-pass)'
// PASS: potq-run: error: execution of @main failed
// ANCHOR: --pipeline must be anchored on builtin.module
// OPT: potq-run: error: --opt-level must be 0, 1, 2 or 3, got 7
// OK: result 0: tensor<2xi32> = [3, 5]
func.func @main() -> tensor<2xi32> {
  %a = arith.constant dense<[1, 2]> : tensor<2xi32>
  %b = arith.constant dense<[2, 3]> : tensor<2xi32>
  %c = arith.addi %a, %b : tensor<2xi32>
  return %c : tensor<2xi32>
}
